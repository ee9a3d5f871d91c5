"""AuditService: recording without permission, reading with it, filters from a query string, pages."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from newsportal.newsroom.actors import Actor
from newsportal.newsroom.audit import ACTION_LABELS, AuditQueryError, AuditService, parse_filter
from newsportal.newsroom.roles import Forbidden, Role
from newsportal.newsroom.workflow import AuditKind
from newsportal.store.audit import AuditFilter, AuditLog
from tests.newsroom_rows import T0

ADMIN = Actor(1, "管理员", Role.ADMIN)
CHIEF = Actor(2, "主编甲", Role.CHIEF_EDITOR, ip="192.0.2.2")
EDITOR = Actor(3, "责编乙", Role.EDITOR)


@pytest.fixture
def audit(store) -> AuditService:
    return AuditService(AuditLog(store.engine), clock=lambda: T0)


def test_every_workflow_audit_kind_has_a_label():
    assert {k.value for k in AuditKind} <= set(ACTION_LABELS)


def test_record_uses_actor_or_name(audit):
    by_actor = audit.record("article.publish", actor=CHIEF, target_kind="article", target_id=5)
    assert (by_actor.actor_user_id, by_actor.actor_name, by_actor.ip, by_actor.at) == (
        2,
        "主编甲",
        "192.0.2.2",
        T0,
    )
    anonymous = audit.record("login.failure", actor_name="guess", ip="203.0.113.1")
    assert anonymous.actor_user_id is None and anonymous.actor_name == "guess"
    system = audit.record("article.publish_scheduled", at=datetime(2026, 12, 2, 15, 0))
    assert system.actor_name == "系统" and system.at == datetime(2026, 12, 2, 15, 0)


def test_search_needs_read_audit_and_pages(audit):
    for i in range(7):
        audit.record(
            "user.update", actor=ADMIN, target_kind="user", target_id=i, at=T0 + timedelta(minutes=i)
        )
    with pytest.raises(Forbidden):
        audit.search(EDITOR)
    first = audit.search(ADMIN, per_page=3)
    assert first.total == 7 and first.pages == 3 and [e.target_id for e in first.entries] == ["6", "5", "4"]
    last = audit.search(CHIEF, page=3, per_page=3)
    assert [e.target_id for e in last.entries] == ["0"]
    filtered = audit.search(ADMIN, AuditFilter(target_id="2"))
    assert filtered.total == 1 and filtered.pages == 1


def test_parse_filter_reads_beijing_days_and_families():
    f = parse_filter(
        {
            "actor": "主编甲",
            "action": "login",
            "target": "article:42",
            "from": "2026-12-01",
            "to": "2026-12-02",
            "ip": " 192.0.2.1 ",
        }
    )
    assert f == AuditFilter(
        actor_name="主编甲",
        action_prefix="login.",
        target_kind="article",
        target_id="42",
        ip="192.0.2.1",
        since=datetime(2026, 11, 30, 16, 0),
        until=datetime(2026, 12, 2, 16, 0),
    )
    assert parse_filter({"actor": "12", "action": "user.disable"}) == AuditFilter(
        actor_user_id=12, action="user.disable"
    )
    assert parse_filter({}) == AuditFilter()
    with pytest.raises(AuditQueryError, match="日期格式"):
        parse_filter({"from": "2026/12/01<script>"})
    with pytest.raises(AuditQueryError, match="结束日期"):
        parse_filter({"from": "2026-12-03", "to": "2026-12-01"})


def test_parsed_filters_query_the_log(audit):
    audit.record("login.success", actor=CHIEF, at=datetime(2026, 11, 30, 17, 0))  # 12-01 01:00 Beijing
    audit.record("login.failure", actor_name="x", at=datetime(2026, 11, 30, 15, 0))  # 11-30 23:00 Beijing
    page = audit.search(ADMIN, parse_filter({"action": "login", "from": "2026-12-01", "to": "2026-12-01"}))
    assert [e.action for e in page.entries] == ["login.success"]
