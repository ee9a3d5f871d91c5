"""The wired newsroom: operations with role checks, audit, version checks and the scheduler's callback."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from newsportal.domain import ArticleStatus
from newsportal.newsroom.actors import Actor
from newsportal.newsroom.operations import EditConflict
from newsportal.newsroom.roles import Forbidden, Role
from newsportal.newsroom.workflow import InvalidTransition, ReasonRequired, State
from newsportal.store.audit import AuditFilter
from tests.conftest import sample_draft

T0 = datetime(2031, 3, 2, 1, 0, 0)  # naive UTC, in the future of any real clock the loop might use


def people(portal) -> dict[Role, Actor]:
    """One active user per role (created through the account service, as the CLI does)."""
    nr = portal.newsroom
    out = {}
    for role in (Role.REPORTER, Role.EDITOR, Role.CHIEF_EDITOR, Role.ADMIN):
        made = nr.accounts.create_user(None, f"u-{role.value.replace('_', '-')}", role,
                                       display_name=f"{role.label}甲")
        out[role] = nr.accounts.actor_for(made.user)
    return out


def actions(portal, article_id: int) -> list[str]:
    page = portal.newsroom.audit.log.query(AuditFilter(target_kind="article", target_id=str(article_id)),
                                           limit=100, offset=0)
    return [e.action for e in reversed(page)]


def test_draft_submit_return_fix_schedule_fire_shows_the_approver(portal, client):
    nr = portal.newsroom
    who = people(portal)
    reporter, editor = who[Role.REPORTER], who[Role.EDITOR]
    made = nr.create(reporter, sample_draft(editors=("导入责编",)), now=T0)
    aid = made.article.id
    nr.submit(reporter, aid, now=T0)
    nr.return_article(editor, aid, "导语需要补充时间", now=T0)
    assert nr.workflow.get(aid).reason == "导语需要补充时间"
    fixed = nr.save(reporter, aid, sample_draft(summary="补充了开通时间。"), expected_revision=1, now=T0)
    assert fixed.outcome.changed and fixed.article.revision == 2
    nr.submit(reporter, aid, now=T0)
    nr.schedule(editor, aid, T0 + timedelta(hours=1), now=T0)
    assert portal.store.get_article(aid).status is ArticleStatus.REVIEW
    assert client.get(f"/article/{aid}").status_code == 404

    report = nr.scheduler.run_due(T0 + timedelta(minutes=30), "w1")
    assert report.fired == ()
    report = nr.scheduler.run_due(T0 + timedelta(hours=1, seconds=5), "w1")
    assert [f.article_id for f in report.fired] == [aid] and not report.fired[0].late
    assert portal.store.get_article(aid).status is ArticleStatus.PUBLISHED
    page = client.get(f"/article/{aid}").text
    assert "责编：责编甲" in page and "导入责编" not in page
    assert actions(portal, aid) == ["article.create", "article.submit", "article.return", "article.save",
                                    "article.submit", "article.schedule", "article.publish_scheduled"]


def test_a_time_missed_while_down_publishes_late_once_across_workers(portal):
    nr = portal.newsroom
    who = people(portal)
    aid = nr.create(who[Role.EDITOR], sample_draft(), now=T0).article.id
    nr.schedule(who[Role.EDITOR], aid, T0 + timedelta(minutes=5), now=T0)
    assert [r.article_id for r in nr.overdue(T0 + timedelta(hours=3))] == [aid]
    later = T0 + timedelta(hours=3)
    first = nr.scheduler.run_due(later, "worker-a")
    second = nr.scheduler.run_due(later, "worker-b")
    assert [f.article_id for f in first.fired] == [aid] and first.fired[0].late
    assert second.fired == ()
    assert actions(portal, aid)[-2:] == ["article.publish_scheduled", "article.schedule_late"]
    assert nr.overdue(later) == []
    assert portal.store.get_article(aid).status is ArticleStatus.PUBLISHED


def test_a_save_with_no_change_keeps_review_state(portal):
    nr = portal.newsroom
    who = people(portal)
    reporter = who[Role.REPORTER]
    aid = nr.create(reporter, sample_draft(), now=T0).article.id
    nr.submit(reporter, aid, now=T0)
    again = nr.save(reporter, aid, sample_draft(body_html=sample_draft().body_html + "\n"),
                    expected_revision=1, now=T0)
    assert not again.outcome.changed
    assert nr.workflow.get(aid).state == State.SUBMITTED.value
    assert portal.store.get_article(aid).revision == 1
    assert "article.save" not in actions(portal, aid)


def test_a_stale_save_is_refused_with_both_versions(portal):
    nr = portal.newsroom
    who = people(portal)
    editor, chief = who[Role.EDITOR], who[Role.CHIEF_EDITOR]
    aid = nr.create(editor, sample_draft(), now=T0).article.id
    nr.save(chief, aid, sample_draft(title="主编改过的标题"), expected_revision=1, now=T0)
    with pytest.raises(EditConflict) as err:
        nr.save(editor, aid, sample_draft(title="责编改过的标题"), expected_revision=1, now=T0)
    assert err.value.theirs.title == "主编改过的标题" and err.value.mine.title == "责编改过的标题"
    assert (err.value.expected, err.value.current) == (1, 2) and "第 2 版" in err.value.message
    assert portal.store.get_article(aid).title == "主编改过的标题"


def test_roles_are_enforced_by_the_operations(portal):
    nr = portal.newsroom
    who = people(portal)
    aid = nr.create(who[Role.REPORTER], sample_draft(), now=T0).article.id
    with pytest.raises(Forbidden):
        nr.approve_publish(who[Role.REPORTER], aid, now=T0)
    with pytest.raises(Forbidden):
        nr.create(who[Role.ADMIN], sample_draft(), now=T0)
    with pytest.raises(Forbidden):
        nr.set_source_trust(who[Role.EDITOR], "haihe-daily", 0.2)
    with pytest.raises(InvalidTransition):
        nr.withdraw(who[Role.EDITOR], aid, "不该存在", now=T0)
    nr.approve_publish(who[Role.EDITOR], aid, now=T0)
    with pytest.raises(ReasonRequired):
        nr.withdraw(who[Role.EDITOR], aid, "  ", now=T0)
    nr.withdraw(who[Role.EDITOR], aid, "信息来源有误", now=T0)
    assert portal.store.get_article(aid).status is ArticleStatus.WITHDRAWN
    assert nr.set_source_trust(who[Role.CHIEF_EDITOR], "haihe-daily", 0.3).trust == pytest.approx(0.3)
    trust = portal.newsroom.audit.log.query(AuditFilter(action="source.trust"), limit=5, offset=0)
    assert trust and trust[0].actor_name == "主编甲"


def test_corrections_are_dated_on_the_article_page(portal, client):
    nr = portal.newsroom
    who = people(portal)
    editor = who[Role.EDITOR]
    aid = nr.create(editor, sample_draft(), now=T0).article.id
    nr.approve_publish(editor, aid, now=T0)
    client.get(f"/article/{aid}")  # cached before the correction: the correction must purge it
    nr.correct(editor, aid, "原文中站点数量有误，已更正为十二个。",
               draft=sample_draft(summary="站点数已更正。"), expected_revision=1, now=T0 + timedelta(days=1))
    page = client.get(f"/article/{aid}").text
    assert "更正" in page and "原文中站点数量有误" in page and "2031-03-03 09:00" in page
    assert portal.store.get_article(aid).revision == 2
    assert actions(portal, aid)[-1] == "article.correct"


def test_restore_makes_a_new_revision(portal):
    nr = portal.newsroom
    editor = people(portal)[Role.EDITOR]
    aid = nr.create(editor, sample_draft(), now=T0).article.id
    nr.save(editor, aid, sample_draft(title="第二版标题"), expected_revision=1, now=T0)
    restored = nr.restore_revision(editor, aid, 1, expected_revision=2, now=T0)
    assert restored.article.revision == 3 and restored.article.title == sample_draft().title
    assert "article.restore" in actions(portal, aid)


def test_self_media_pages_and_statement(portal, client):
    from newsportal.domain import SourceKind
    from newsportal.newsroom.desk import SELF_MEDIA_STATEMENT

    nr = portal.newsroom
    sm = next(s for s in portal.sources.values() if s.kind is SourceKind.SELF_MEDIA)
    made = nr.accounts.create_user(None, "sm-owner", Role.SELF_MEDIA, source_id=sm.id)
    owner = nr.accounts.actor_for(made.user)
    nr.update_self_media(owner, sm.id, {"name": sm.name, "intro": "只写亲手用过的数码产品。",
                                        "operator": "个人", "category": "科技数码",
                                        "contact": "owner@example.com"})
    page = client.get(f"/source/{sm.key}").text
    for text in ("名称", "简介", "只写亲手用过的数码产品。", "运营主体", "内容类别", "科技数码", "联系方式",
                 "IP属地", "未知"):
        assert text in page
    nr.accounts.authenticate("sm-owner", made.password, ip="8.8.8.8")  # a login from abroad
    # the page above stays cached for up to fragment_cache_seconds; a fresh app renders it anew
    from starlette.testclient import TestClient

    from newsportal.web.app import create_app

    shown = TestClient(create_app(portal=portal)).get(f"/source/{sm.key}")
    assert shown.status_code == 200
    assert nr.source_profile(sm).ip_region == "美国" and "IP属地" in shown.text and "美国" in shown.text
    nr.accounts.authenticate("sm-owner", made.password, ip="202.96.134.133")  # then from Guangdong
    assert nr.source_profile(sm).ip_region == "广东"  # the province in mainland China
    draft = sample_draft(source_key=sm.key, title="我的新耳机用了一个月")
    aid = nr.create(owner, draft, now=T0).article.id
    nr.submit(owner, aid, now=T0)
    editor = people(portal)[Role.EDITOR]
    nr.approve_publish(editor, aid, now=T0)
    article_page = client.get(f"/article/{aid}").text
    assert SELF_MEDIA_STATEMENT in article_page
    assert "IP属地" not in client.get("/source/haihe-daily").text  # not a self-media source


def test_a_scheduled_update_swaps_the_live_text_without_a_second_publication(portal, client):
    nr = portal.newsroom
    editor = people(portal)[Role.EDITOR]
    aid = nr.create(editor, sample_draft(), now=T0).article.id
    nr.approve_publish(editor, aid, now=T0)
    went_live = []
    portal.signals.article_saved.connect(
        lambda e: went_live.append(e.article.id)
        if e.previous is not None and e.previous.status is not ArticleStatus.PUBLISHED
        and e.article.status is ArticleStatus.PUBLISHED else None)
    nr.schedule_update(editor, aid, sample_draft(title="线路延长至十五站"), T0 + timedelta(hours=2),
                       expected_revision=1, now=T0)
    assert portal.store.get_article(aid).title == sample_draft().title  # readers still see the live text
    report = nr.scheduler.run_due(T0 + timedelta(hours=2, seconds=1), "w1")
    assert [f.article_id for f in report.fired] == [aid]
    assert portal.store.get_article(aid).title == "线路延长至十五站"
    assert went_live == []
    assert actions(portal, aid)[-2:] == ["article.schedule_update", "article.update_scheduled"]
