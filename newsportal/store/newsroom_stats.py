"""Read-only queries the newsroom pages need: an article's views and shares per hour or day, today's most
read articles per channel, and the desk's article list joined with the workflow rows.

Kept in its own module (not the store facade) because only the newsroom UI reads these, and they join the
catalogue tables with the newsroom's workflow table. Buckets are computed in Python from the raw event
times, so SQLite and PostgreSQL give the same answer without dialect-specific date functions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select

from newsportal.store.tables import ArticleRow, EventRow
from newsportal.store.tables_newsroom import ArticleWorkflowRow

W = ArticleWorkflowRow
MAX_EVENTS = 200_000


@dataclass(frozen=True, slots=True)
class Bucket:
    at: datetime  # naive UTC start of the hour or day
    views: int
    shares: int


@dataclass(frozen=True, slots=True)
class DeskRow:
    """One line of the newsroom article list."""

    article_id: int
    title: str
    channel_id: int
    source_id: int
    state: str
    author_user_id: int | None
    updated_at: datetime
    scheduled_at: datetime | None


def _floor(at: datetime, step: timedelta, offset: timedelta) -> datetime:
    """Start of the bucket holding ``at``; ``offset`` shifts day buckets to Beijing midnight."""
    seconds = int(step.total_seconds())
    shifted = at + offset
    epoch = datetime(2000, 1, 1)
    n = int((shifted - epoch).total_seconds()) // seconds
    return epoch + timedelta(seconds=n * seconds) - offset


class NewsroomStats:
    def __init__(self, engine: Engine):
        self.engine = engine

    def article_series(
        self, article_id: int, *, since: datetime, until: datetime, by: str = "hour"
    ) -> list[Bucket]:
        """Views and shares per hour (or Beijing day) from ``since`` to ``until``, empty buckets included."""
        step = timedelta(hours=1) if by == "hour" else timedelta(days=1)
        offset = timedelta(0) if by == "hour" else timedelta(hours=8)
        q = (
            select(EventRow.kind, EventRow.at)
            .where(EventRow.article_id == article_id, EventRow.at >= since, EventRow.at < until)
            .limit(MAX_EVENTS)
        )
        views: Counter[datetime] = Counter()
        shares: Counter[datetime] = Counter()
        with self.engine.connect() as conn:
            for kind, at in conn.execute(q):
                bucket = _floor(at, step, offset)
                (shares if kind == "share" else views)[bucket] += 1
        out = []
        at = _floor(since, step, offset)
        while at < until:
            out.append(Bucket(at, views[at], shares[at]))
            at += step
        return out

    def top_today(self, *, since: datetime, limit_per_channel: int = 5) -> dict[int, list[tuple[int, int]]]:
        """Channel id → [(article id, views since ``since``)], most read first."""
        n = func.count(EventRow.id)
        q = (
            select(ArticleRow.channel_id, EventRow.article_id, n)
            .join(ArticleRow, ArticleRow.id == EventRow.article_id)
            .where(EventRow.at >= since, EventRow.kind == "view", ArticleRow.status == "published")
            .group_by(ArticleRow.channel_id, EventRow.article_id)
            .order_by(n.desc(), EventRow.article_id)
        )
        out: dict[int, list[tuple[int, int]]] = {}
        with self.engine.connect() as conn:
            for channel_id, article_id, count in conn.execute(q):
                rows = out.setdefault(channel_id, [])
                if len(rows) < limit_per_channel:
                    rows.append((article_id, int(count)))
        return out

    def desk(
        self,
        *,
        state: str | None = None,
        channel_ids: tuple[int, ...] | None = None,
        author_user_id: int | None = None,
        source_ids: tuple[int, ...] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[DeskRow]:
        """Articles that have a workflow row, newest change first, filtered as the list page asks."""
        q = select(
            W.article_id,
            ArticleRow.title,
            ArticleRow.channel_id,
            ArticleRow.source_id,
            W.state,
            W.author_user_id,
            W.updated_at,
            W.scheduled_at,
        ).join(ArticleRow, ArticleRow.id == W.article_id)
        if state:
            q = q.where(W.state == state)
        if channel_ids is not None:
            q = q.where(ArticleRow.channel_id.in_(channel_ids))
        if author_user_id is not None:
            q = q.where(W.author_user_id == author_user_id)
        if source_ids is not None:
            q = q.where(ArticleRow.source_id.in_(source_ids))
        q = q.order_by(W.updated_at.desc(), W.article_id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [DeskRow(*row) for row in conn.execute(q)]
