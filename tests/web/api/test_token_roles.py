"""Per-token roles: an API token acts with the role it was made with, through the one role matrix."""

from sqlalchemy import update
from starlette.testclient import TestClient

from newsportal.newsroom.roles import Role
from newsportal.store.tables import ApiTokenRow
from newsportal.web.app import create_app
from tests.conftest import BROWSER_UA, make_portal
from tests.web.api.helpers import GOOD, assert_error, auth


def _draft(client, token) -> int:
    r = client.post("/api/v1/articles", json=GOOD, headers=auth(token))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_a_reporter_token_may_write_but_publishing_is_403(client, portal):
    secret = portal.store.create_token("stringer-app", role=Role.REPORTER.value)[1]
    aid = _draft(client, secret)  # a reporter may write their own draft
    r = client.post(f"/api/v1/articles/{aid}/publish", headers=auth(secret))
    body = assert_error(r, 403, "forbidden")
    assert (body["role"], body["action"]) == ("reporter", "publish") and "记者无权发布稿件" in body["message"]
    assert portal.store.get_article(aid).status.value == "draft"


def test_an_editor_token_publishes_but_may_not_change_source_trust(client, portal):
    secret = portal.store.create_token("desk-tool", role=Role.EDITOR.value)[1]
    aid = _draft(client, secret)
    pub = client.post(f"/api/v1/articles/{aid}/publish", headers=auth(secret))
    assert pub.status_code == 200 and pub.json()["status"] == "published"
    trust = client.put("/api/v1/sources/haihe-daily/trust", json={"trust": 0.4}, headers=auth(secret))
    assert_error(trust, 403, "forbidden")  # 主编 only


def test_a_token_without_its_own_role_acts_with_the_configured_default(store):
    """Tokens made before 0007 (role NULL) keep NEWSPORTAL_TOKEN_ROLE, whatever that is set to."""
    portal = make_portal(store, token_role="reporter")
    try:
        legacy = portal.store.create_token("old-feed")[1]
        own = portal.store.create_token("chief-tool", role=Role.CHIEF_EDITOR.value)[1]
        with TestClient(create_app(portal=portal), headers={"user-agent": BROWSER_UA}) as client:
            aid = _draft(client, legacy)
            assert_error(client.post(f"/api/v1/articles/{aid}/publish", headers=auth(legacy)), 403)
            ok = client.post(f"/api/v1/articles/{aid}/publish", headers=auth(own))
            assert ok.status_code == 200 and ok.json()["status"] == "published"
    finally:
        portal.counters.flush()


def test_a_token_whose_stored_role_is_not_a_role_is_refused(client, portal):
    token, secret = portal.store.create_token("tampered", role=Role.EDITOR.value)
    with portal.store.engine.begin() as conn:
        conn.execute(update(ApiTokenRow).where(ApiTokenRow.id == token.id).values(role="superuser"))
    assert_error(client.post("/api/v1/articles", json=GOOD, headers=auth(secret)), 401, "unauthorized")
