"""The audit log in the database: append and read, nothing else.

There is deliberately no method that changes or removes an entry (a test checks the class and module for
one), and the migration installs triggers so that even a hand-written UPDATE or DELETE is refused by the
database. An audit log that its subjects can edit proves nothing.

``detail`` is a small JSON object (stored as text so SQLite and PostgreSQL behave the same); it comes back
as a read-only mapping.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Select, func, select

from newsportal.store.tables_newsroom import AuditRow, Bind, session_factory

MAX_PER_PAGE = 200
MAX_DETAIL_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_user_id: int | None
    actor_name: str
    ip: str | None
    action: str
    target_kind: str | None
    target_id: str | None
    detail: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """All given conditions must hold. ``action_prefix`` such as ``"login."`` selects a family of actions;
    ``since`` is inclusive and ``until`` exclusive (naive UTC)."""

    actor_user_id: int | None = None
    actor_name: str | None = None
    action: str | None = None
    action_prefix: str | None = None
    target_kind: str | None = None
    target_id: str | None = None
    ip: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def encode_detail(detail: Mapping[str, Any] | None) -> str:
    """Serialise ``detail``; non-JSON values (times, enums) become strings; oversized ones are cut."""
    text = json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True, default=_json_default)
    if len(text) > MAX_DETAIL_CHARS:
        text = json.dumps({"truncated": text[: MAX_DETAIL_CHARS - 100]}, ensure_ascii=False)
    return text


def _entry(row: AuditRow) -> AuditEntry:
    try:
        detail = json.loads(row.detail or "{}")
    except ValueError:
        detail = {"raw": row.detail}
    if not isinstance(detail, dict):
        detail = {"value": detail}
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor_user_id=row.actor_user_id,
        actor_name=row.actor_name,
        ip=row.ip,
        action=row.action,
        target_kind=row.target_kind,
        target_id=row.target_id,
        detail=MappingProxyType(detail),
    )


def _where(q: Select, f: AuditFilter) -> Select:
    if f.actor_user_id is not None:
        q = q.where(AuditRow.actor_user_id == f.actor_user_id)
    if f.actor_name is not None:
        q = q.where(AuditRow.actor_name == f.actor_name)
    if f.action is not None:
        q = q.where(AuditRow.action == f.action)
    if f.action_prefix:
        # Prefixes are code-defined (``article.``), but escape LIKE wildcards anyway.
        escaped = f.action_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        q = q.where(AuditRow.action.like(escaped + "%", escape="\\"))
    if f.target_kind is not None:
        q = q.where(AuditRow.target_kind == f.target_kind)
    if f.target_id is not None:
        q = q.where(AuditRow.target_id == f.target_id)
    if f.ip is not None:
        q = q.where(AuditRow.ip == f.ip)
    if f.since is not None:
        q = q.where(AuditRow.at >= f.since)
    if f.until is not None:
        q = q.where(AuditRow.at < f.until)
    return q


class AuditLog:
    """Append-only access to ``audit_log``."""

    def __init__(self, bind: Bind):
        self._sessions = session_factory(bind)

    def append(
        self,
        action: str,
        *,
        at: datetime,
        actor_user_id: int | None = None,
        actor_name: str = "",
        ip: str | None = None,
        target_kind: str | None = None,
        target_id: str | int | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        row = AuditRow(
            at=at,
            actor_user_id=actor_user_id,
            actor_name=actor_name[:80],
            ip=(ip or None) and ip[:45],
            action=action[:64],
            target_kind=target_kind,
            target_id=None if target_id is None else str(target_id)[:64],
            detail=encode_detail(detail),
        )
        with self._sessions() as s:
            s.add(row)
            s.commit()
            return _entry(row)

    def get(self, entry_id: int) -> AuditEntry | None:
        with self._sessions() as s:
            row = s.get(AuditRow, entry_id)
            return _entry(row) if row else None

    def query(
        self, where: AuditFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[AuditEntry]:
        """Matching entries, newest first (ties broken by id so pages never overlap)."""
        limit = max(1, min(limit, MAX_PER_PAGE))
        q = _where(select(AuditRow), where or AuditFilter())
        q = q.order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit).offset(max(0, offset))
        with self._sessions() as s:
            return [_entry(r) for r in s.scalars(q)]

    def count(self, where: AuditFilter | None = None) -> int:
        q = _where(select(func.count()).select_from(AuditRow), where or AuditFilter())
        with self._sessions() as s:
            return int(s.scalar(q) or 0)
