"""Reader history (为你推荐): which articles an anonymous reader id read, and when, for a limited time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select

from newsportal.store.base import StoreBase
from newsportal.store.rows import Read
from newsportal.store.tables import ReaderHistoryRow, table_of


class ReaderStore(StoreBase):
    def add_history(self, reads: Sequence[tuple[str, int, datetime]]) -> None:
        """Record (reader, article, time) reads; a re-read moves the article's time forward."""
        if not reads:
            return
        latest: dict[tuple[str, int], datetime] = {}
        for reader, article_id, at in reads:
            key = (reader, article_id)
            if key not in latest or at > latest[key]:
                latest[key] = at
        table = table_of(ReaderHistoryRow)
        with self.session() as s, s.begin():
            for (reader, article_id), at in latest.items():
                stmt = self.insert(table).values(reader_id=reader, article_id=article_id, read_at=at)
                s.execute(stmt.on_conflict_do_update(index_elements=["reader_id", "article_id"],
                                                     set_={"read_at": at}))

    def history(self, reader: str, limit: int = 200) -> list[Read]:
        """The reader's reads, newest first."""
        with self.session() as s:
            return [
                Read(a, t) for a, t in s.execute(
                    select(ReaderHistoryRow.article_id, ReaderHistoryRow.read_at)
                    .where(ReaderHistoryRow.reader_id == reader)
                    .order_by(ReaderHistoryRow.read_at.desc())
                    .limit(limit)
                )
            ]

    def clear_history(self, reader: str) -> int:
        with self.session() as s, s.begin():
            res = s.execute(delete(ReaderHistoryRow).where(ReaderHistoryRow.reader_id == reader))
            return res.rowcount or 0  # type: ignore[attr-defined]

    def prune_history(self, before: datetime) -> int:
        """Forget every read older than ``before`` (the retention period); returns how many."""
        with self.session() as s, s.begin():
            res = s.execute(delete(ReaderHistoryRow).where(ReaderHistoryRow.read_at < before))
            return res.rowcount or 0  # type: ignore[attr-defined]
