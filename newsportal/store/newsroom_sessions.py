"""Newsroom login sessions in the database: the app's :class:`~newsportal.newsroom.sessions.SessionStore`.

Rows are keyed by the SHA-256 of the cookie value, which :mod:`newsportal.newsroom.sessions` computes; this
module never sees a cookie. ``expires_at`` (creation plus the absolute lifetime) is stored so an operator
query or an index scan can find dead sessions without knowing the policy.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from newsportal.newsroom.sessions import SessionPolicy, SessionRecord
from newsportal.store.tables_newsroom import Bind, NewsroomSessionRow, session_factory


def _record(row: NewsroomSessionRow) -> SessionRecord:
    return SessionRecord(
        id_hash=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        revoked_at=row.revoked_at,
        ip=row.ip,
        user_agent=row.user_agent,
    )


class NewsroomSessionStore:
    """Implements ``SessionStore``; ``absolute`` only fills ``expires_at`` (the policy decides validity)."""

    def __init__(self, bind: Bind, *, absolute: timedelta = SessionPolicy.absolute):
        self._sessions = session_factory(bind)
        self._absolute = absolute

    def add(self, record: SessionRecord) -> None:
        row = NewsroomSessionRow(
            id=record.id_hash,
            user_id=record.user_id,
            created_at=record.created_at,
            last_seen_at=record.last_seen_at,
            expires_at=record.created_at + self._absolute,
            revoked_at=record.revoked_at,
            ip=record.ip,
            user_agent=record.user_agent,
        )
        with self._sessions() as s:
            s.add(row)
            s.commit()

    def get(self, id_hash: str) -> SessionRecord | None:
        with self._sessions() as s:
            row = s.get(NewsroomSessionRow, id_hash)
            return _record(row) if row else None

    def touch(self, id_hash: str, when: datetime) -> None:
        with self._sessions() as s:
            s.execute(
                update(NewsroomSessionRow).where(NewsroomSessionRow.id == id_hash).values(last_seen_at=when)
            )
            s.commit()

    def revoke(self, id_hash: str, when: datetime) -> None:
        with self._sessions() as s:
            s.execute(
                update(NewsroomSessionRow)
                .where(NewsroomSessionRow.id == id_hash, NewsroomSessionRow.revoked_at.is_(None))
                .values(revoked_at=when)
            )
            s.commit()

    def revoke_user(self, user_id: int, when: datetime) -> int:
        with self._sessions() as s:
            result = s.execute(
                update(NewsroomSessionRow)
                .where(NewsroomSessionRow.user_id == user_id, NewsroomSessionRow.revoked_at.is_(None))
                .values(revoked_at=when)
            )
            s.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def for_user(self, user_id: int) -> list[SessionRecord]:
        q = (
            select(NewsroomSessionRow)
            .where(NewsroomSessionRow.user_id == user_id)
            .order_by(NewsroomSessionRow.created_at.desc())
        )
        with self._sessions() as s:
            return [_record(r) for r in s.scalars(q)]

    def delete_older(self, *, last_seen_before: datetime, created_before: datetime) -> int:
        with self._sessions() as s:
            result = s.execute(
                delete(NewsroomSessionRow).where(
                    or_(
                        NewsroomSessionRow.last_seen_at < last_seen_before,
                        NewsroomSessionRow.created_at < created_before,
                        NewsroomSessionRow.revoked_at.is_not(None),
                    )
                )
            )
            s.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
