"""Every newsroom route, GET and POST, for every role: allowed or denied exactly as the role matrix says.

"Allowed" means the request got past the permission checks (any status but 401/403: a page, a redirect,
or a 400 for the deliberately incomplete form); "denied" means 403 for a logged-in user and the 401 login
page for an anonymous visitor. The table must name every route of the UI (checked against ``ROUTES``).
"""

from __future__ import annotations

import pytest

from newsportal.web.newsroom.routes import ROUTES
from tests.web.newsroom.harness import make_article

ALL = {"reporter", "editor", "chief_editor", "admin", "self_media"}
WRITERS = {"reporter", "editor", "chief_editor", "self_media"}
EDITORS = {"editor", "chief_editor"}
OPENS_REPORTER_DRAFT = {"reporter", "editor", "chief_editor"}
PUBLIC = ALL | {"anonymous"}

# (method, path template, form, roles allowed). {rid}: the reporter's draft; {src}: the self-media source.
TABLE = [
    ("GET", "/newsroom", None, ALL),
    ("GET", "/newsroom/articles", None, WRITERS),
    ("GET", "/newsroom/articles/new", None, WRITERS),
    ("POST", "/newsroom/articles/new", {"title": ""}, WRITERS),
    ("POST", "/newsroom/preview", {"title": ""}, WRITERS),
    ("GET", "/newsroom/articles/{rid}", None, OPENS_REPORTER_DRAFT),
    ("POST", "/newsroom/articles/{rid}/action", {"command": "nonsense"}, OPENS_REPORTER_DRAFT),
    ("POST", "/newsroom/articles/{rid}/pin", {"channel": ""}, EDITORS),
    ("POST", "/newsroom/articles/{rid}/schedule-update", {"update_at": ""}, EDITORS),
    ("POST", "/newsroom/articles/{rid}/cancel-update", None, EDITORS),
    ("GET", "/newsroom/articles/{rid}/edit", None, OPENS_REPORTER_DRAFT),
    ("POST", "/newsroom/articles/{rid}/edit", {"title": ""}, OPENS_REPORTER_DRAFT),
    ("GET", "/newsroom/articles/{rid}/history", None, OPENS_REPORTER_DRAFT),
    ("POST", "/newsroom/articles/{rid}/restore", {"number": "999"}, OPENS_REPORTER_DRAFT),
    ("GET", "/newsroom/uploads", None, WRITERS),
    ("POST", "/newsroom/uploads", {"alt": ""}, WRITERS),
    ("GET", "/newsroom/media/ab/none-640.webp", None, PUBLIC),
    ("GET", "/newsroom/account?source_id={src}", None, {"self_media", "chief_editor"}),
    ("POST", "/newsroom/account", {"source_id": "{src}", "name": ""}, {"self_media", "chief_editor"}),
    ("POST", "/newsroom/account/suspend", {"source_id": "{src}", "reason": ""}, {"chief_editor"}),
    ("GET", "/newsroom/self-media/queue", None, EDITORS),
    ("GET", "/newsroom/audit", None, {"chief_editor", "admin"}),
    ("GET", "/newsroom/users", None, {"admin"}),
    ("POST", "/newsroom/users", {"username": ""}, {"admin"}),
    ("POST", "/newsroom/users/manage", {"op": "nonsense"}, {"admin"}),
]
ROLES = ["anonymous", "reporter", "editor", "chief_editor", "admin", "self_media"]


def _route_of(path: str) -> str:
    bare = path.split("?")[0].replace("{rid}", "{article_id}").replace("/ab/none-640.webp", "/{key:path}")
    return bare.removeprefix("/newsroom")


def test_table_covers_every_route():
    covered = {(m, _route_of(p)) for m, p, _, _ in TABLE} | {
        ("GET", "/login"),
        ("POST", "/login"),
        ("POST", "/logout"),
    }
    assert covered == {(m, p) for m, p, _ in ROUTES}


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_role(nr, role):
    rid = make_article(nr, "reporter")
    src = nr.portal.sources_by_key["shuma-laozhou"].id
    client = nr.clients[role]
    for method, template, form, allowed in TABLE:
        path = template.format(rid=rid, src=src)
        if method == "GET":
            r = client.get(path)
        else:
            data = {k: v.format(rid=rid, src=src) for k, v in (form or {}).items()}
            r = nr.post(role, path, data) if role != "anonymous" else client.post(path, data=data)
        assert r.status_code < 500, (method, path, role, r.text[:300])
        if role in allowed:
            assert r.status_code not in (401, 403), (method, path, role, r.status_code)
        elif role == "anonymous":
            assert r.status_code == 401 and "登录编辑部" in r.text, (method, path, r.status_code)
        else:
            assert r.status_code == 403, (method, path, role, r.status_code)
            assert "无权" in r.text or "仅限本人" in r.text


@pytest.mark.parametrize("role", ["reporter", "editor", "chief_editor", "admin", "self_media"])
def test_post_without_csrf_token_is_refused(nr, role):
    rid = make_article(nr, "reporter")
    client = nr.clients[role]
    for method, template, form, _ in TABLE:
        if method != "POST":
            continue
        path = template.format(rid=rid, src=1)
        r = client.post(path, data=form or {})
        assert r.status_code == 403, (path, role)
        assert "表单已过期或来源无效" in r.text
        r = client.post(path, data={**(form or {}), "csrf_token": "0" * 64})
        assert r.status_code == 403, (path, role)


def test_login_and_logout_every_role(nr):
    for role in ["reporter", "editor", "chief_editor", "admin", "self_media"]:
        c = nr.login(role)
        assert c.get("/newsroom").status_code == 200
        assert c.post("/newsroom/logout", data={}).status_code == 403  # no token: refused, still logged in
        r = c.post("/newsroom/logout", data={"csrf_token": nr.token(c)})
        assert r.status_code == 303
        c.cookies.clear()
        assert c.get("/newsroom").status_code == 401


def test_login_form_needs_its_token_and_failures_are_audited(nr):
    c = nr.client()
    r = c.post("/newsroom/login", data={"username": "ureporter", "password": "x"})
    assert r.status_code == 403 and "表单已过期" in r.text
    page = c.get("/newsroom/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = c.post("/newsroom/login", data={"username": "ureporter", "password": "wrong", "csrf_token": token})
    assert r.status_code == 400 and "用户名或密码错误" in r.text
    assert 'value="ureporter"' in r.text  # the typed username is kept
    failures = nr.svc.audit.log.query(None, limit=500)
    assert any(e.action == "login.failure" and e.detail.get("username") == "ureporter" for e in failures)
