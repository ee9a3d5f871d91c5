"""Newsroom accounts and self-media account pages in the database.

Rows leave as frozen dataclasses. Roles and statuses are plain strings here: the store keeps what the
service layer (:mod:`newsportal.newsroom.accounts`) validated, and does not import the newsroom package.
The password hash never travels in :class:`User`; only :meth:`AccountStore.credentials` returns it, for the
one place that verifies a login.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from newsportal.store.tables import SourceRow
from newsportal.store.tables_newsroom import Bind, SelfMediaAccountRow, UserRow, session_factory

ACTIVE = "active"
DISABLED = "disabled"


class UsernameTaken(ValueError):
    def __init__(self, username: str):
        self.username = username
        self.message = f"用户名「{username}」已被使用"
        super().__init__(self.message)


class UnknownAccount(LookupError):
    """No user (or self-media source) with that id or name."""

    def __init__(self, what: object):
        self.what = what
        self.message = f"找不到账号：{what}"
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    status: str
    source_id: int | None
    created_at: datetime
    last_login_at: datetime | None
    last_login_ip: str | None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True, slots=True)
class Credentials:
    user: User
    password_hash: str


@dataclass(frozen=True, slots=True)
class SelfMediaAccount:
    """名称 ``name``, 简介 ``intro``, 运营主体 ``operator``, 内容类别 ``category``, 联系方式 ``contact``."""

    source_id: int
    name: str
    intro: str
    operator: str
    category: str
    contact: str
    suspended: bool
    suspended_reason: str | None
    suspended_at: datetime | None
    updated_at: datetime


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        status=row.status,
        source_id=row.source_id,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
        last_login_ip=row.last_login_ip,
    )


def _account(row: SelfMediaAccountRow) -> SelfMediaAccount:
    return SelfMediaAccount(
        source_id=row.source_id,
        name=row.name,
        intro=row.intro,
        operator=row.operator,
        category=row.category,
        contact=row.contact,
        suspended=row.suspended,
        suspended_reason=row.suspended_reason,
        suspended_at=row.suspended_at,
        updated_at=row.updated_at,
    )


class AccountStore:
    """Users and self-media account pages. Usernames are stored as given (the service lower-cases them)."""

    def __init__(self, bind: Bind):
        self._sessions = session_factory(bind)

    # -- users ---------------------------------------------------------------------------------------
    def create(
        self,
        username: str,
        display_name: str,
        role: str,
        password_hash: str,
        *,
        now: datetime,
        source_id: int | None = None,
    ) -> User:
        """Insert a user; :class:`UsernameTaken` when the name exists (checked by the unique index)."""
        row = UserRow(
            username=username,
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            status=ACTIVE,
            source_id=source_id,
            created_at=now,
        )
        with self._sessions() as s:
            s.add(row)
            try:
                s.commit()
            except IntegrityError as exc:
                s.rollback()
                if self.by_username(username) is not None:
                    raise UsernameTaken(username) from exc
                raise UnknownAccount(f"来源 {source_id}") from exc
            return _user(row)

    def get(self, user_id: int) -> User | None:
        with self._sessions() as s:
            row = s.get(UserRow, user_id)
            return _user(row) if row else None

    def by_username(self, username: str) -> User | None:
        with self._sessions() as s:
            row = s.scalar(select(UserRow).where(UserRow.username == username))
            return _user(row) if row else None

    def credentials(self, username: str) -> Credentials | None:
        with self._sessions() as s:
            row = s.scalar(select(UserRow).where(UserRow.username == username))
            return Credentials(_user(row), row.password_hash) if row else None

    def users(
        self, *, role: str | None = None, status: str | None = None, source_id: int | None = None
    ) -> list[User]:
        """Users ordered by username, optionally filtered."""
        q = select(UserRow).order_by(UserRow.username)
        if role is not None:
            q = q.where(UserRow.role == role)
        if status is not None:
            q = q.where(UserRow.status == status)
        if source_id is not None:
            q = q.where(UserRow.source_id == source_id)
        with self._sessions() as s:
            return [_user(r) for r in s.scalars(q)]

    def count(self, *, role: str | None = None, status: str | None = None) -> int:
        q = select(func.count()).select_from(UserRow)
        if role is not None:
            q = q.where(UserRow.role == role)
        if status is not None:
            q = q.where(UserRow.status == status)
        with self._sessions() as s:
            return int(s.scalar(q) or 0)

    def _change(self, user_id: int, **values: object) -> User:
        with self._sessions() as s:
            row = s.get(UserRow, user_id)
            if row is None:
                raise UnknownAccount(user_id)
            for key, value in values.items():
                setattr(row, key, value)
            s.commit()
            return _user(row)

    def set_role(self, user_id: int, role: str) -> User:
        return self._change(user_id, role=role)

    def set_status(self, user_id: int, status: str) -> User:
        if status not in (ACTIVE, DISABLED):
            raise ValueError(f"unknown status {status!r}")
        return self._change(user_id, status=status)

    def set_display_name(self, user_id: int, display_name: str) -> User:
        return self._change(user_id, display_name=display_name)

    def set_source(self, user_id: int, source_id: int | None) -> User:
        return self._change(user_id, source_id=source_id)

    def set_password_hash(self, user_id: int, password_hash: str) -> User:
        return self._change(user_id, password_hash=password_hash)

    def record_login(self, user_id: int, when: datetime, ip: str | None) -> User:
        """Remember the last login (time and IP; the IP feeds the IP属地 line of self-media pages)."""
        return self._change(user_id, last_login_at=when, last_login_ip=ip)

    # -- sources -------------------------------------------------------------------------------------
    def source_id_for_key(self, key: str) -> int | None:
        """The id of the source with ``key`` (the CLI names sources by key)."""
        with self._sessions() as s:
            return s.scalar(select(SourceRow.id).where(SourceRow.key == key))

    # -- self-media account pages --------------------------------------------------------------------
    def self_media(self, source_id: int) -> SelfMediaAccount | None:
        with self._sessions() as s:
            row = s.get(SelfMediaAccountRow, source_id)
            return _account(row) if row else None

    def self_media_accounts(self, source_ids: Sequence[int] | None = None) -> list[SelfMediaAccount]:
        q = select(SelfMediaAccountRow).order_by(SelfMediaAccountRow.source_id)
        if source_ids is not None:
            q = q.where(SelfMediaAccountRow.source_id.in_(list(source_ids)))
        with self._sessions() as s:
            return [_account(r) for r in s.scalars(q)]

    def save_self_media(
        self,
        source_id: int,
        *,
        name: str,
        intro: str,
        operator: str,
        category: str,
        contact: str,
        now: datetime,
    ) -> SelfMediaAccount:
        """Create or replace the page fields; suspension is left as it is."""
        with self._sessions() as s:
            row = s.get(SelfMediaAccountRow, source_id)
            if row is None:
                if s.get(SourceRow, source_id) is None:
                    raise UnknownAccount(f"来源 {source_id}")
                row = SelfMediaAccountRow(source_id=source_id, suspended=False)
                s.add(row)
            row.name, row.intro, row.operator = name, intro, operator
            row.category, row.contact, row.updated_at = category, contact, now
            s.commit()
            return _account(row)

    def set_suspended(
        self, source_id: int, suspended: bool, *, reason: str | None, now: datetime
    ) -> SelfMediaAccount:
        with self._sessions() as s:
            row = s.get(SelfMediaAccountRow, source_id)
            if row is None:
                raise UnknownAccount(f"自媒体账号 {source_id}")
            row.suspended = suspended
            row.suspended_reason = reason if suspended else None
            row.suspended_at = now if suspended else None
            row.updated_at = now
            s.commit()
            return _account(row)
