"""Self-media queue and suspension, the audit page filters, user management, the dashboard's overdue
alert, and the per-article analytics chart and table."""

from __future__ import annotations

from datetime import timedelta

from newsportal.web.newsroom import desk
from tests.web.newsroom.harness import actor, make_article


def test_self_media_article_goes_through_the_queue(nr):
    aid = make_article(nr, "self_media", title="新款手机续航实测")
    assert nr.portal.sources[nr.portal.store.get_article(aid).source_id].key == "shuma-laozhou"
    assert nr.post("self_media", f"/newsroom/articles/{aid}/action", {"command": "submit"}).status_code == 303
    queue = nr.clients["editor"].get("/newsroom/self-media/queue")
    assert "新款手机续航实测" in queue.text and "数码老周" in queue.text
    r = nr.post("editor", f"/newsroom/articles/{aid}/action", {"command": "return", "back": "queue"})
    assert r.status_code == 400 and "请填写退回原因" in r.text
    r = nr.post("editor", f"/newsroom/articles/{aid}/action", {"command": "publish", "back": "queue"})
    assert r.status_code == 303 and r.headers["location"].startswith("/newsroom/self-media/queue")
    assert nr.portal.store.get_article(aid).status.value == "published"
    assert "新款手机续航实测" not in nr.clients["editor"].get("/newsroom/self-media/queue").text


def test_suspension_locks_the_owner_out_until_restored(nr):
    src = nr.portal.sources_by_key["shuma-laozhou"].id
    r = nr.post("chief_editor", "/newsroom/account/suspend", {"source_id": str(src), "reason": ""})
    assert r.status_code == 400 and "暂停原因" in r.text
    r = nr.post(
        "chief_editor",
        "/newsroom/account/suspend",
        {"source_id": str(src), "reason": "多次发布未经核实的内容"},
    )
    assert r.status_code == 303
    assert nr.clients["self_media"].get("/newsroom").status_code == 401  # sessions ended
    c = nr.login("self_media")
    assert c.get("/newsroom/articles/new").status_code == 403
    assert (
        nr.post(
            "chief_editor", "/newsroom/account/suspend", {"source_id": str(src), "op": "restore"}
        ).status_code
        == 303
    )
    assert c.get("/newsroom/articles/new").status_code == 200
    nr.clients["self_media"] = c


def test_audit_page_filters(nr):
    chief = nr.clients["chief_editor"]
    page = chief.get("/newsroom/audit", params={"action": "login.success"})
    assert page.status_code == 200 and "登录成功" in page.text and "（北京时间" in page.text
    page = chief.get("/newsroom/audit", params={"actor": "李责编", "from": "2026-12-02", "to": "2026-12-02"})
    assert page.status_code == 200
    bad = chief.get("/newsroom/audit", params={"from": "昨天"})
    assert bad.status_code == 400 and "日期格式" in bad.text
    assert chief.get("/newsroom/audit", params={"from": "2026-12-03", "to": "2026-12-01"}).status_code == 400


def test_users_page_create_role_disable_revoke(nr):
    r = nr.post(
        "admin", "/newsroom/users", {"username": "xinren", "display_name": "新人记者", "role": "reporter"}
    )
    assert r.status_code == 200 and "只显示这一次" in r.text
    r = nr.post(
        "admin", "/newsroom/users", {"username": "xinren", "display_name": "重名", "role": "reporter"}
    )
    assert r.status_code == 400 and 'value="重名"' in r.text
    assert (
        nr.post(
            "admin", "/newsroom/users/manage", {"op": "role", "username": "xinren", "role": "editor"}
        ).status_code
        == 303
    )
    assert nr.svc.accounts_store.by_username("xinren").role == "editor"
    assert (
        nr.post("admin", "/newsroom/users/manage", {"op": "disable", "username": "xinren"}).status_code == 303
    )
    assert not nr.svc.accounts_store.by_username("xinren").active
    r = nr.post("admin", "/newsroom/users/manage", {"op": "disable", "username": "uadmin"})
    assert r.status_code == 400 and "不能停用自己的账号" in r.text
    c = nr.login("editor")
    assert (
        nr.post("admin", "/newsroom/users/manage", {"op": "revoke", "username": "ueditor"}).status_code == 303
    )
    assert c.get("/newsroom").status_code == 401
    nr.clients["editor"] = nr.login("editor")
    actions = {e.action for e in nr.svc.audit.log.query(None, limit=500)}
    assert {"user.create", "user.role_change", "user.disable", "session.revoke"} <= actions


def test_dashboard_alerts_missed_schedules_and_ranks_today(nr):
    aid = make_article(nr, "editor", title="跨年夜地铁延长运营")
    desk.run_command(
        nr.svc,
        actor(nr, "editor"),
        aid,
        desk.CommandInput(
            desk.Command.SCHEDULE, when=(nr.clock() + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")
        ),
    )
    nr.clock.advance(hours=2)  # 9h "Beijing" = 1h UTC after now: due an hour ago, nobody ran the scheduler
    try:
        page = nr.clients["editor"].get("/newsroom")
        assert page.status_code == 200
        assert "定时发布未按时执行" in page.text and "跨年夜地铁延长运营" in page.text
    finally:
        nr.clock.advance(hours=-2)
    live = make_article(nr, "editor", title="冬季供暖热线开通")
    nr.post("editor", f"/newsroom/articles/{live}/action", {"command": "publish"})
    at = nr.clock()
    nr.portal.store.add_events([(live, "view", at)] * 3 + [(live, "share", at + timedelta(minutes=5))])
    page = nr.clients["editor"].get("/newsroom")
    assert "冬季供暖热线开通" in page.text and "阅读 3" in page.text
    art = nr.clients["editor"].get(f"/newsroom/articles/{live}")
    assert 'role="img"' in art.text and "阅读量" in art.text
    hour = at.replace(minute=0)
    from newsportal.timeutil import to_beijing

    row = f"{to_beijing(hour).strftime('%Y-%m-%d %H:%M')}</time></td><td>3</td><td>1</td>"
    assert row in art.text
    assert nr.clients["editor"].get(f"/newsroom/articles/{live}?span=30d").status_code == 200
