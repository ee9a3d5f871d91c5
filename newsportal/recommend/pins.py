"""Editors' pins for the top-story modules, held in memory and changed through here.

A pin change fires :class:`~newsportal.newsroom.signals.PinsChanged`, so pages showing the module are purged
in this process; other processes see it on their next sync, which also drops pins that have expired.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from newsportal.domain import ArticleStatus
from newsportal.newsroom.signals import PinsChanged, PublishSignals
from newsportal.store import NotFound, Store
from newsportal.timeutil import utcnow


class NotPinnable(NotFound):
    """Only a published article can be pinned; the message is shown to editors."""

    def __init__(self, article_id: int):
        super().__init__(f"文章 {article_id} 不存在或未发布，不能置顶")
        self.article_id = article_id


class Pins:
    """Live pins: channel id → pinned article ids in pin order (published articles only)."""

    def __init__(self, store: Store, signals: PublishSignals, clock: Callable[[], datetime] = utcnow):
        self._store = store
        self._signals = signals
        self._clock = clock
        self.current: dict[int, list[int]] = {}

    def get(self, channel_id: int, default: list[int] | None = None) -> list[int]:
        return self.current.get(channel_id, [] if default is None else default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Pins):
            return self.current == other.current
        return self.current == other

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by content

    def reload(self) -> bool:
        """Re-read live pins (set elsewhere, or expired); returns whether they changed."""
        pins = self._store.pins(now=self._clock())
        if pins == self.current:
            return False
        self.current = pins
        return True

    def pin(self, channel_id: int, article_id: int, *, actor: str, position: int = 0,
            hours: float | None = None) -> None:
        """Pin a published article in a channel, optionally for ``hours``.

        Raises :class:`NotPinnable` for an article that is unknown or not published, and
        :class:`~newsportal.store.NotFound` for an unknown channel. The API and the CLI both come here.
        """
        article = self._store.get_article(article_id)
        if article is None or article.status is not ArticleStatus.PUBLISHED:
            raise NotPinnable(article_id)
        now = self._clock()
        expires = now + timedelta(hours=hours) if hours else None
        self._store.pin(channel_id, article_id, actor=actor, position=position, expires_at=expires, now=now)
        self.reload()
        self._signals.pins_changed.send(PinsChanged(channel_id))

    def unpin(self, channel_id: int, article_id: int) -> bool:
        """Remove a pin; returns whether there was one."""
        removed = self._store.unpin(channel_id, article_id)
        self.reload()
        self._signals.pins_changed.send(PinsChanged(channel_id))
        return removed
