"""Reader accounts (跟贴 readers, not newsroom staff) and their login sessions.

Passwords arrive here already hashed (argon2, by :mod:`newsportal.comments.passwords`); session tokens
arrive in clear and are kept only as SHA-256 digests, because a token is 32 random bytes and a fast hash of
it is as strong as a slow one. Deleting an account is a soft delete in one transaction: the login, nickname
and password hash are scrubbed, sessions and likes go, and the reader's comments and reports are detached
(author/reporter set to NULL) so they stay and show as 已注销用户.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from newsportal.store.comments_common import (
    MAX_PER_PAGE,
    Duplicate,
    RowMissing,
    Sessions,
    session_factory,
    transaction,
)
from newsportal.store.tables_comments import (
    CommentLikeRow,
    CommentRow,
    ReaderAccountRow,
    ReaderSessionRow,
    ReportRow,
)

__all__ = ["Verification", "ReaderAccount", "ReaderAccountStore", "DELETED_NICKNAME", "token_digest"]

DELETED_NICKNAME = "已注销用户"


class Verification(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REFUSED = "refused"

    @property
    def label_zh(self) -> str:
        return {"pending": "待验证", "verified": "已验证", "refused": "未通过验证"}[self.value]


@dataclass(frozen=True, slots=True)
class ReaderAccount:
    id: int
    login: str
    nickname: str
    password_hash: str
    verification: Verification
    verified_at: datetime | None
    verified_by: str | None
    verification_note: str
    created_at: datetime
    deleted_at: datetime | None
    last_login_at: datetime | None
    last_ip_label: str

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def may_post(self) -> bool:
        return not self.deleted and self.verification is Verification.VERIFIED

    @property
    def shown_name(self) -> str:
        return DELETED_NICKNAME if self.deleted else self.nickname


def _account(row: ReaderAccountRow) -> ReaderAccount:
    return ReaderAccount(
        id=row.id,
        login=row.login,
        nickname=row.nickname,
        password_hash=row.password_hash,
        verification=Verification(row.verification),
        verified_at=row.verified_at,
        verified_by=row.verified_by,
        verification_note=row.verification_note,
        created_at=row.created_at,
        deleted_at=row.deleted_at,
        last_login_at=row.last_login_at,
        last_ip_label=row.last_ip_label,
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_NO_READER = "该读者账号不存在。"


class ReaderAccountStore:
    def __init__(self, source: Sessions) -> None:
        self._sessions = session_factory(source)

    # -- accounts -------------------------------------------------------------------------------------
    def create(self, login: str, nickname: str, password_hash: str, now: datetime) -> ReaderAccount:
        """A new pending account; a login already in use raises :class:`Duplicate`."""
        try:
            with transaction(self._sessions) as s:
                row = ReaderAccountRow(
                    login=login,
                    nickname=nickname,
                    password_hash=password_hash,
                    verification=Verification.PENDING.value,
                    verification_note="",
                    created_at=now,
                    last_ip_label="",
                )
                s.add(row)
                s.flush()
                return _account(row)
        except IntegrityError:
            raise Duplicate("login_taken", "该账号已注册，请直接登录。") from None

    def get(self, reader_id: int) -> ReaderAccount:
        with self._sessions() as s:
            row = s.get(ReaderAccountRow, reader_id)
            if row is None:
                raise RowMissing("no_reader", _NO_READER)
            return _account(row)

    def by_login(self, login: str) -> ReaderAccount | None:
        """The live (not deleted) account with this login, if any."""
        with self._sessions() as s:
            row = s.scalar(
                select(ReaderAccountRow).where(
                    ReaderAccountRow.login == login, ReaderAccountRow.deleted_at.is_(None)
                )
            )
            return _account(row) if row else None

    def nicknames(self, reader_ids: set[int]) -> dict[int, str]:
        if not reader_ids:
            return {}
        with self._sessions() as s:
            rows = s.execute(
                select(ReaderAccountRow.id, ReaderAccountRow.nickname, ReaderAccountRow.deleted_at).where(
                    ReaderAccountRow.id.in_(reader_ids)
                )
            )
            return {rid: (DELETED_NICKNAME if deleted else nick) for rid, nick, deleted in rows}

    def list_accounts(
        self, verification: Verification | None = None, *, page: int = 1, per_page: int = 50
    ) -> tuple[list[ReaderAccount], int]:
        """Live accounts, oldest first (the order an operator works through a pending list), and the total."""
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        cond: list[ColumnElement[bool]] = [ReaderAccountRow.deleted_at.is_(None)]
        if verification is not None:
            cond.append(ReaderAccountRow.verification == verification.value)
        with self._sessions() as s:
            total = s.scalar(select(func.count()).select_from(ReaderAccountRow).where(*cond)) or 0
            rows = s.scalars(
                select(ReaderAccountRow)
                .where(*cond)
                .order_by(ReaderAccountRow.created_at, ReaderAccountRow.id)
                .offset((max(page, 1) - 1) * per_page)
                .limit(per_page)
            ).all()
            return [_account(r) for r in rows], total

    def set_verification(
        self, reader_id: int, state: Verification, by: str, now: datetime, note: str = ""
    ) -> ReaderAccount:
        with transaction(self._sessions) as s:
            row = s.get(ReaderAccountRow, reader_id, with_for_update=True)
            if row is None or row.deleted_at is not None:
                raise RowMissing("no_reader", _NO_READER)
            row.verification = state.value
            row.verified_at = now
            row.verified_by = by
            row.verification_note = note
            return _account(row)

    def set_password_hash(self, reader_id: int, password_hash: str) -> None:
        with transaction(self._sessions) as s:
            s.execute(
                update(ReaderAccountRow)
                .where(ReaderAccountRow.id == reader_id)
                .values(password_hash=password_hash)
            )

    def record_login(self, reader_id: int, ip_label: str, now: datetime) -> None:
        with transaction(self._sessions) as s:
            s.execute(
                update(ReaderAccountRow)
                .where(ReaderAccountRow.id == reader_id)
                .values(last_login_at=now, last_ip_label=ip_label)
            )

    def delete(self, reader_id: int, now: datetime) -> None:
        """Soft-delete and scrub the account; its comments stay, shown as from 已注销用户."""
        with transaction(self._sessions) as s:
            row = s.get(ReaderAccountRow, reader_id, with_for_update=True)
            if row is None or row.deleted_at is not None:
                raise RowMissing("no_reader", _NO_READER)
            row.deleted_at = now
            row.login = f"#deleted:{row.id}"
            row.nickname = ""
            row.password_hash = ""
            row.last_ip_label = ""
            s.execute(delete(ReaderSessionRow).where(ReaderSessionRow.reader_account_id == reader_id))
            s.execute(delete(CommentLikeRow).where(CommentLikeRow.reader_id == reader_id))
            s.execute(update(CommentRow).where(CommentRow.author_id == reader_id).values(author_id=None))
            s.execute(update(ReportRow).where(ReportRow.reporter_id == reader_id).values(reporter_id=None))

    # -- sessions ------------------------------------------------------------------------------------
    def open_session(self, reader_id: int, now: datetime, ttl: timedelta) -> str:
        """A new session token for the reader's cookie; only its digest is stored."""
        token = secrets.token_urlsafe(32)
        with transaction(self._sessions) as s:
            s.add(
                ReaderSessionRow(
                    id_hash=token_digest(token),
                    reader_account_id=reader_id,
                    created_at=now,
                    expires_at=now + ttl,
                    revoked=False,
                )
            )
        return token

    def session_reader(self, token: str, now: datetime) -> ReaderAccount | None:
        """The account behind a live session token, or None (unknown, expired, revoked, deleted)."""
        if not token or len(token) > 200:
            return None
        with self._sessions() as s:
            row = s.execute(
                select(ReaderAccountRow)
                .join(ReaderSessionRow, ReaderSessionRow.reader_account_id == ReaderAccountRow.id)
                .where(
                    ReaderSessionRow.id_hash == token_digest(token),
                    ReaderSessionRow.revoked.is_(False),
                    ReaderSessionRow.expires_at > now,
                    ReaderAccountRow.deleted_at.is_(None),
                )
            ).scalar_one_or_none()
            return _account(row) if row else None

    def revoke_session(self, token: str) -> None:
        with transaction(self._sessions) as s:
            s.execute(
                update(ReaderSessionRow)
                .where(ReaderSessionRow.id_hash == token_digest(token))
                .values(revoked=True)
            )

    def revoke_all_sessions(self, reader_id: int) -> int:
        with transaction(self._sessions) as s:
            result = s.execute(
                update(ReaderSessionRow)
                .where(ReaderSessionRow.reader_account_id == reader_id, ReaderSessionRow.revoked.is_(False))
                .values(revoked=True)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def prune_sessions(self, now: datetime) -> int:
        """Drop expired and revoked sessions (run from a periodic job)."""
        with transaction(self._sessions) as s:
            result = s.execute(
                delete(ReaderSessionRow).where(
                    (ReaderSessionRow.expires_at <= now) | ReaderSessionRow.revoked.is_(True)
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)
