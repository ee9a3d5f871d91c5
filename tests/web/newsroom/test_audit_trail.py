"""Issue 8's audit list, walked through the pages and the API: every login (success and failure), publish,
schedule, withdraw, correction, role change, user change and source-trust change leaves an entry with the
actor, the time, the client IP and the target."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from newsportal.timeutil import to_beijing
from tests.web.newsroom.harness import make_article

IP = "testclient"  # the client address Starlette's test client reports


def _since(nr, first_id: int) -> list:
    return [e for e in reversed(nr.svc.audit.log.query(None, limit=500)) if e.id > first_id]


def _last_id(nr) -> int:
    newest = nr.svc.audit.log.query(None, limit=1)
    return newest[0].id if newest else 0


def _one(entries: list, action: str):
    found = [e for e in entries if e.action == action]
    assert len(found) == 1, (action, [e.action for e in entries])
    return found[0]


def test_every_listed_event_is_audited_with_actor_time_ip_and_target(nr):
    start = _last_id(nr)
    now = nr.clock()
    # logins: a failure (wrong password) and a success
    c = nr.client()
    token = c.get("/newsroom/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    bad = c.post("/newsroom/login", data={"username": "ueditor", "password": "wrong", "csrf_token": token})
    assert bad.status_code == 400
    nr.login("editor").close()
    # publish, schedule, withdraw, correction through the article pages
    live = make_article(nr, "editor", title="环城绿道北段开放")
    assert nr.post("editor", f"/newsroom/articles/{live}/action", {"command": "publish"}).status_code == 303
    later = make_article(nr, "editor", title="环城绿道南段下月开放")
    when = to_beijing(now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    r = nr.post("editor", f"/newsroom/articles/{later}/action", {"command": "schedule", "when": when})
    assert r.status_code == 303
    for command, reason in (("correct", "北段长度应为八公里"), ("withdraw", "与另一篇重复")):
        r = nr.post("editor", f"/newsroom/articles/{live}/action", {"command": command, "reason": reason})
        assert r.status_code == 303
    # user change and role change on the users page
    r = nr.post("admin", "/newsroom/users",
                {"username": "shixi", "display_name": "实习记者", "role": "reporter"})
    assert r.status_code == 200
    r = nr.post("admin", "/newsroom/users/manage", {"op": "role", "username": "shixi", "role": "editor"})
    assert r.status_code == 303
    # a source-trust change through the API (主编's token)
    secret = nr.portal.store.create_token("chief-tool", role="chief_editor")[1]
    api = TestClient(nr.app)  # no lifespan: the app's own scheduler loop (real clock) stays off
    r = api.put("/api/v1/sources/haihe-daily/trust", json={"trust": 0.6},
                headers={"authorization": f"Bearer {secret}"})
    api.close()
    assert r.status_code == 200, r.text

    entries = _since(nr, start)
    failure = _one(entries, "login.failure")
    assert failure.detail.get("username") == "ueditor" and failure.ip == IP
    success = [e for e in entries if e.action == "login.success"]
    assert success and success[-1].actor_name == "李责编" and success[-1].ip == IP
    expected = {
        "article.publish": ("李责编", "article", live),
        "article.schedule": ("李责编", "article", later),
        "article.correct": ("李责编", "article", live),
        "article.withdraw": ("李责编", "article", live),
        "user.create": ("钱管理员", "user", None),
        "user.role_change": ("钱管理员", "user", None),
        "source.trust": ("api:chief-tool", "source", nr.portal.sources_by_key["haihe-daily"].id),
    }
    for action, (who, kind, target) in expected.items():
        e = _one(entries, action)
        assert e.actor_name == who and e.ip == IP and e.target_kind == kind, (action, e)
        assert e.target_id is not None and (target is None or e.target_id == str(target)), (action, e)
        assert e.at is not None
    assert _one(entries, "article.correct").detail["note"] == "北段长度应为八公里"
    assert _one(entries, "article.withdraw").detail["note"] == "与另一篇重复"
    role = _one(entries, "user.role_change").detail
    assert "reporter" in str(role) and "editor" in str(role)
