"""Editors' pins: articles held at the top of a channel's top-story module, optionally until a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select

from newsportal.domain import ArticleStatus
from newsportal.store.base import NotFound, StoreBase
from newsportal.store.tables import ArticleRow, ChannelRow, PinRow
from newsportal.timeutil import utcnow


class PinStore(StoreBase):
    def pin(self, channel_id: int, article_id: int, *, actor: str, position: int = 0,
            expires_at: datetime | None = None, now: datetime | None = None) -> None:
        """Pin (or re-pin, moving it) an article in a channel."""
        with self.session() as s, s.begin():
            if s.get(ArticleRow, article_id) is None:
                raise NotFound(f"article {article_id} not found")
            if s.get(ChannelRow, channel_id) is None:
                raise NotFound(f"channel {channel_id} not found")
            row = s.get(PinRow, (channel_id, article_id))
            if row is None:
                row = PinRow(channel_id=channel_id, article_id=article_id)
                s.add(row)
            row.position, row.pinned_by, row.expires_at = position, actor, expires_at
            row.pinned_at = now or utcnow()

    def unpin(self, channel_id: int, article_id: int) -> bool:
        with self.session() as s, s.begin():
            res = s.execute(
                delete(PinRow).where(PinRow.channel_id == channel_id, PinRow.article_id == article_id))
            return bool(res.rowcount)  # type: ignore[attr-defined]

    def pins(self, now: datetime | None = None) -> dict[int, list[int]]:
        """Live pins: channel id -> article ids in pin order (published articles only)."""
        now = now or utcnow()
        with self.session() as s:
            rows = s.execute(
                select(PinRow.channel_id, PinRow.article_id)
                .join(ArticleRow, ArticleRow.id == PinRow.article_id)
                .where(ArticleRow.status == ArticleStatus.PUBLISHED.value,
                       or_(PinRow.expires_at.is_(None), PinRow.expires_at > now))
                .order_by(PinRow.channel_id, PinRow.position, PinRow.pinned_at.desc())
            ).all()
        out: dict[int, list[int]] = {}
        for channel_id, article_id in rows:
            out.setdefault(channel_id, []).append(article_id)
        return out
