"""Bans (禁言) by reader, with an end date; lifting a ban early records when and by whom (never deletes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from newsportal.comments.bans import Ban, lift_ban
from newsportal.comments.moderation import Reason
from newsportal.store.comments_common import RowMissing, Sessions, session_factory, transaction
from newsportal.store.tables_comments import ReaderAccountRow, ReaderBanRow

__all__ = ["BanRecord", "BanStore", "ban_from_row"]


@dataclass(frozen=True, slots=True)
class BanRecord:
    id: int
    ban: Ban


def ban_from_row(row: ReaderBanRow) -> Ban:
    """The pure ban of a row (also read by the posting snapshot in :mod:`.comment_posting`)."""
    return Ban(
        reader_id=row.reader_id,
        moderator_id=row.moderator_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        reason=Reason(row.reason),
        note=row.note,
        lifted_at=row.lifted_at,
        lifted_by=row.lifted_by,
    )


class BanStore:
    def __init__(self, source: Sessions) -> None:
        self._sessions = session_factory(source)

    def add(self, ban: Ban) -> BanRecord:
        """Save a ban made by :func:`~newsportal.comments.bans.new_ban`."""
        with transaction(self._sessions) as s:
            if s.get(ReaderAccountRow, ban.reader_id) is None:
                raise RowMissing("no_reader", "该读者账号不存在。")
            row = ReaderBanRow(
                reader_id=ban.reader_id,
                moderator_id=ban.moderator_id,
                starts_at=ban.starts_at,
                ends_at=ban.ends_at,
                reason=ban.reason.value,
                note=ban.note,
            )
            s.add(row)
            s.flush()
            return BanRecord(row.id, ban_from_row(row))

    def for_reader(self, reader_id: int) -> list[BanRecord]:
        """Every ban the reader ever had, newest first (their record and the moderator's view)."""
        with self._sessions() as s:
            rows = s.scalars(
                select(ReaderBanRow)
                .where(ReaderBanRow.reader_id == reader_id)
                .order_by(ReaderBanRow.starts_at.desc(), ReaderBanRow.id.desc())
            )
            return [BanRecord(r.id, ban_from_row(r)) for r in rows]

    def active(self, now: datetime) -> list[BanRecord]:
        """Bans in force now, for the moderators' ban list."""
        with self._sessions() as s:
            rows = s.scalars(
                select(ReaderBanRow)
                .where(
                    ReaderBanRow.starts_at <= now,
                    ReaderBanRow.ends_at > now,
                    ReaderBanRow.lifted_at.is_(None),
                )
                .order_by(ReaderBanRow.ends_at)
            )
            return [BanRecord(r.id, ban_from_row(r)) for r in rows]

    def count(self, reader_id: int) -> int:
        with self._sessions() as s:
            return int(
                s.scalar(
                    select(func.count()).select_from(ReaderBanRow).where(ReaderBanRow.reader_id == reader_id)
                )
                or 0
            )

    def lift(self, ban_id: int, moderator_id: int, now: datetime) -> BanRecord:
        with transaction(self._sessions) as s:
            row = s.get(ReaderBanRow, ban_id, with_for_update=True)
            if row is None:
                raise RowMissing("no_ban", "这项禁言不存在。")
            lifted = lift_ban(ban_from_row(row), moderator_id, now)
            row.lifted_at = lifted.lifted_at
            row.lifted_by = lifted.lifted_by
            return BanRecord(row.id, lifted)
