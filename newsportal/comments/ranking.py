"""Ordering and threading of comments: 热门跟贴, 最新跟贴, one level of replies with a quoted parent.

热门跟贴 weighs likes by age, halving a comment's weight every ``half_life``, so yesterday's hundred likes do
not pin a comment above today's lively debate; equal scores go to the newer comment, then the higher id,
so the order is total and stable between requests. ``now`` is a parameter: the same inputs always give the
same order.

Replies are one level deep, as on portal article pages: a reply to a reply is attached to the top-level
comment and *quotes* the comment it answered. :func:`reply_target` decides that when the reply is posted
(and refuses replies to deleted comments or to another article's), and :func:`build_threads` groups a page
of comments for display.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

__all__ = [
    "Rankable",
    "Threadable",
    "ReplyRejected",
    "BadPage",
    "ReplyTarget",
    "Reply",
    "Thread",
    "Page",
    "hot_score",
    "hot_order",
    "latest_order",
    "reply_target",
    "build_threads",
    "paginate",
]


class Rankable(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def likes(self) -> int: ...
    @property
    def posted_at(self) -> datetime: ...


class Threadable(Rankable, Protocol):
    @property
    def root_id(self) -> int | None: ...
    @property
    def quoted_id(self) -> int | None: ...


R = TypeVar("R", bound=Rankable)
C = TypeVar("C", bound=Threadable)
T = TypeVar("T")


def hot_score(likes: int, posted_at: datetime, now: datetime, half_life: timedelta) -> float:
    """Likes halved for every ``half_life`` of age; a comment from the future counts as brand new."""
    if half_life <= timedelta(0):
        raise ValueError("half_life must be positive")
    age = max((now - posted_at).total_seconds(), 0.0)
    return max(likes, 0) * math.pow(0.5, age / half_life.total_seconds())


def hot_order(
    comments: Iterable[R],
    now: datetime,
    *,
    half_life: timedelta = timedelta(hours=6),
    min_likes: int = 1,
    limit: int | None = None,
) -> list[R]:
    """热门跟贴: comments with at least ``min_likes`` likes, best decayed score first."""
    eligible = [c for c in comments if c.likes >= min_likes]
    eligible.sort(
        key=lambda c: (hot_score(c.likes, c.posted_at, now, half_life), c.posted_at, c.id), reverse=True
    )
    return eligible if limit is None else eligible[: max(limit, 0)]


def latest_order(comments: Iterable[R], limit: int | None = None) -> list[R]:
    """最新跟贴: newest first, ties by id so the order is stable."""
    ordered = sorted(comments, key=lambda c: (c.posted_at, c.id), reverse=True)
    return ordered if limit is None else ordered[: max(limit, 0)]


class ReplyRejected(ValueError):
    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


class BadPage(ReplyRejected):
    """A page number a reader cannot ask for (the web layer turns it into a 400)."""


@dataclass(frozen=True)
class ReplyTarget:
    root_id: int
    #: The comment quoted above the reply: the one answered, when that is itself a reply; else None.
    quoted_id: int | None


def reply_target(
    article_id: int, parent_id: int, parent_article_id: int, parent_root_id: int | None, parent_removed: bool
) -> ReplyTarget:
    """Where a reply to ``parent_id`` goes; refuses replies that cannot be shown with their parent."""
    if parent_article_id != article_id:
        raise ReplyRejected("other_article", "不能回复其他文章下的跟贴。")
    if parent_removed:
        raise ReplyRejected("parent_removed", "你要回复的跟贴已被删除或未通过审核，无法回复。")
    if parent_root_id is None:
        return ReplyTarget(root_id=parent_id, quoted_id=None)
    return ReplyTarget(root_id=parent_root_id, quoted_id=parent_id)


@dataclass(frozen=True)
class Reply(Generic[C]):
    comment: C
    #: The quoted comment when it is visible; None when there is no quote or it has gone since.
    quoted: C | None
    #: True when the reply quoted a comment that is no longer shown ("该跟贴已删除").
    quoted_missing: bool


@dataclass(frozen=True)
class Thread(Generic[C]):
    top: C
    replies: tuple[Reply[C], ...]


def build_threads(top_level: Sequence[C], visible: Iterable[C]) -> list[Thread[C]]:
    """Group replies under the given top-level comments (already ordered, e.g. by :func:`hot_order`).

    ``visible`` is every shown comment of the page's threads, replies included; replies keep the order
    they were posted in, oldest first, as a conversation reads.
    """
    by_id = {c.id: c for c in visible}
    for c in top_level:
        by_id.setdefault(c.id, c)
    replies: dict[int, list[C]] = {}
    for c in by_id.values():
        if c.root_id is not None:
            replies.setdefault(c.root_id, []).append(c)
    threads: list[Thread[C]] = []
    for top in top_level:
        children = sorted(replies.get(top.id, []), key=lambda c: (c.posted_at, c.id))
        built: list[Reply[C]] = []
        for child in children:
            quoted = by_id.get(child.quoted_id) if child.quoted_id is not None else None
            built.append(Reply(child, quoted, child.quoted_id is not None and quoted is None))
        threads.append(Thread(top, tuple(built)))
    return threads


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    number: int
    pages: int
    total: int


def paginate(items: Sequence[T], page: int, per_page: int = 20) -> Page[T]:
    """One page of a list; a page past the end is empty rather than an error, page < 1 is refused."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    if page < 1:
        raise BadPage("bad_page", "页码须为正整数。")
    pages = max(1, math.ceil(len(items) / per_page))
    start = (page - 1) * per_page
    return Page(tuple(items[start : start + per_page]), page, pages, len(items))
