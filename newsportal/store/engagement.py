"""Engagement: counted events (kept for a while, to rebuild decayed scores) and per-article running totals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select

from newsportal.store.base import StoreBase
from newsportal.store.rows import Stats, StoredEvent
from newsportal.store.tables import ArticleStatsRow, EventRow, table_of


class EngagementStore(StoreBase):
    def add_events(self, events: Sequence[tuple[int, str, datetime]],
                   unscored: Sequence[tuple[int, str, datetime]] = ()) -> None:
        """Persist counted (article, kind, time) events and fold them into the totals, in one transaction.

        ``unscored`` events count toward the totals only: the anti-gaming rule kept them out of the hot
        scores, so they get no event row and a rebuild of the scores cannot bring them back.
        """
        if not events and not unscored:
            return
        deltas: dict[int, list[int]] = {}
        for article_id, kind, _ in (*events, *unscored):
            d = deltas.setdefault(article_id, [0, 0])
            d[0 if kind == "view" else 1] += 1
        table = table_of(ArticleStatsRow)
        stmt = self.insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["article_id"],
            set_={"views": table.c.views + stmt.excluded.views,
                  "shares": table.c.shares + stmt.excluded.shares},
        )
        with self.session() as s, s.begin():
            if events:
                s.execute(
                    table_of(EventRow).insert(),
                    [{"article_id": a, "kind": k, "at": t} for a, k, t in events],
                )
            s.execute(stmt, [{"article_id": a, "views": v, "shares": sh} for a, (v, sh) in deltas.items()])

    def prune_events(self, before: datetime) -> int:
        """Drop event rows too old to move a decayed score; the totals stay in ``article_stats``."""
        with self.session() as s, s.begin():
            res = s.execute(delete(EventRow).where(EventRow.at < before))
            return res.rowcount or 0  # type: ignore[attr-defined]

    def events_since(self, since: datetime) -> list[StoredEvent]:
        """Stored events at or after ``since``, oldest first (replayed into hot scores after a restart)."""
        with self.session() as s:
            return [
                StoredEvent(a, k, t)
                for a, k, t in s.execute(
                    select(EventRow.article_id, EventRow.kind, EventRow.at)
                    .where(EventRow.at >= since)
                    .order_by(EventRow.at)
                )
            ]

    def stats(self, article_id: int) -> Stats:
        with self.session() as s:
            row = s.get(ArticleStatsRow, article_id)
            return Stats(row.views, row.shares) if row else Stats(0, 0)
