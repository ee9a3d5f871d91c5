"""The audit log: append, filter, paginate, and no way (in code or in SQL) to change or remove an entry."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import newsportal.store.audit as audit_module
from newsportal.store.audit import AuditEntry, AuditFilter, AuditLog
from tests.newsroom_rows import T0

FORBIDDEN_WORDS = (
    "update",
    "delete",
    "remove",
    "edit",
    "purge",
    "clear",
    "truncate",
    "set",
    "replace",
    "drop",
)


@pytest.fixture
def log(store) -> AuditLog:
    return AuditLog(store.engine)


def test_append_and_read_back(log):
    entry = log.append(
        "login.failure",
        at=T0,
        actor_name="chenxl",
        ip="198.51.100.2",
        target_kind="user",
        target_id=7,
        detail={"reason": "bad_password", "当时": T0},
    )
    assert isinstance(entry, AuditEntry)
    assert entry.target_id == "7" and entry.detail == {"reason": "bad_password", "当时": T0.isoformat()}
    assert log.get(entry.id) == entry
    with pytest.raises(TypeError):
        entry.detail["reason"] = "changed"  # type: ignore[index]


def test_filters_and_pages(log):
    for i in range(12):
        log.append(
            "article.publish" if i % 2 else "login.success",
            at=T0 + timedelta(minutes=i),
            actor_user_id=1 if i < 6 else 2,
            actor_name="甲" if i < 6 else "乙",
            ip="192.0.2.1",
            target_kind="article",
            target_id=100 + i,
        )
    assert log.count() == 12
    newest = log.query(limit=5)
    assert [e.target_id for e in newest] == ["111", "110", "109", "108", "107"]
    pages = log.query(limit=5) + log.query(limit=5, offset=5) + log.query(limit=5, offset=10)
    assert len({e.id for e in pages}) == 12
    assert log.count(AuditFilter(actor_user_id=2)) == 6
    assert log.count(AuditFilter(actor_name="甲", action="article.publish")) == 3
    assert log.count(AuditFilter(action_prefix="login.")) == 6
    assert log.count(AuditFilter(action_prefix="login%")) == 0  # wildcards are literal
    assert [e.target_id for e in log.query(AuditFilter(target_kind="article", target_id="103"))] == ["103"]
    window = AuditFilter(since=T0 + timedelta(minutes=3), until=T0 + timedelta(minutes=6))
    assert sorted(e.target_id for e in log.query(window)) == ["103", "104", "105"]
    assert log.count(AuditFilter(ip="192.0.2.99")) == 0


def test_same_time_entries_page_without_overlap(log):
    for i in range(7):
        log.append("user.update", at=T0, target_id=i)
    seen = [e.id for p in range(4) for e in log.query(limit=2, offset=2 * p)]
    assert len(seen) == len(set(seen)) == 7


def test_oversized_detail_is_cut(log):
    entry = log.append("article.save", at=T0, detail={"body": "字" * 50_000})
    assert "truncated" in entry.detail


def test_no_update_or_delete_path_in_code():
    public = [n for n in dir(AuditLog) if not n.startswith("_")]
    assert sorted(public) == ["append", "count", "get", "query"]
    for name in [n for n in vars(AuditLog) if not (n.startswith("__") and n.endswith("__"))]:
        assert not any(word in name.lower() for word in FORBIDDEN_WORDS), name
    functions = [
        n
        for n, f in inspect.getmembers(audit_module, inspect.isfunction)
        if f.__module__ == audit_module.__name__
    ]
    assert functions  # the module's own helpers were really inspected
    for name in functions:
        assert not any(word in name.lower() for word in FORBIDDEN_WORDS), name


def test_database_refuses_update_and_delete(log, store):
    entry = log.append("user.role_change", at=T0, detail={"before": "reporter", "after": "admin"})
    for sql in ("UPDATE audit_log SET action = 'user.create'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text(sql))
    if store.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text("TRUNCATE audit_log"))
    assert log.get(entry.id) == entry
