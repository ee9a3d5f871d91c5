"""Partner ingest wired into the app (both databases): the ninjs push endpoint, the sources' health API,
the poll loop in the app's lifespan, and two app instances over one database sharing the polling."""

import json
import threading
import time

import pytest
from starlette.testclient import TestClient

from newsportal.domain import ArticleStatus
from newsportal.ingest.runner import PollLoop
from newsportal.web.app import create_app
from tests.ingest.conftest import fixture_text
from tests.ingest.partner_server import PartnerServer, Route
from tests.ingest.service_kit import ATOM, atom, bus_entry, library_entry
from tests.web.api.helpers import assert_error, auth

PUSH = "/api/v1/ingest/ninjs"


@pytest.fixture
def partner():
    server = PartnerServer().start()
    yield server
    server.stop()


#: partners push ninjs as JSON (the API answers 415 to a write that does not say so)
NINJS = {"content-type": "application/ninjs+json"}


def wiring(client):
    return client.app.state.ingest


def test_ninjs_push_401_422_201_and_withdraw(client, portal, token):
    service = wiring(client).service
    source, push_token = service.add_push("youth-daily", name="江州青年报")
    body = fixture_text("ninjs_v2_valid.json")
    assert_error(client.post(PUSH, content=body, headers=NINJS), 401)
    assert_error(client.post(PUSH, content=body, headers={**auth("npi_not-a-token"), **NINJS}), 401)
    # an API token is not a push token
    assert_error(client.post(PUSH, content=body, headers={**auth(token), **NINJS}), 401)

    created = client.post(PUSH, content=body, headers={**auth(push_token), **NINJS})
    assert created.status_code == 201, created.text
    out = created.json()
    assert (out["action"] == "created"
            and created.headers["location"] == f"/api/v1/articles/{out['article_id']}")
    article = portal.store.get_article(out["article_id"])
    assert article.status is ArticleStatus.REVIEW  # an untrusted partner waits for the newsroom
    assert "<script" not in article.body_html
    again = client.post(PUSH, content=body, headers={**auth(push_token), **NINJS})
    assert again.status_code == 200 and again.json()["action"] == "unchanged"

    bad = json.loads(body) | {"urgency": "high", "pubstatus": "gone"}
    del bad["uri"]
    r = client.post(PUSH, content=json.dumps(bad), headers={**auth(push_token), **NINJS})
    problems = assert_error(r, 422)["problems"]
    assert {p["field"] for p in problems} == {"$.urgency", "$.pubstatus", "$.uri"}
    assert all(p["problem"] for p in problems)
    assert_error(client.post(PUSH, content=b"{not json", headers={**auth(push_token), **NINJS}), 422)

    canceled = json.loads(body) | {"pubstatus": "canceled"}
    gone = client.post(PUSH, content=json.dumps(canceled), headers={**auth(push_token), **NINJS})
    assert gone.status_code == 200 and gone.json()["action"] == "withdrawn"
    assert portal.store.get_article(out["article_id"]).status is ArticleStatus.WITHDRAWN

    service.revoke_token(source.id)
    revoked = client.post(PUSH, content=body, headers={**auth(push_token), **NINJS})
    assert "吊销" in assert_error(revoked, 401)["message"]


def test_trusted_push_publishes_and_shows_in_search(client, portal):
    _, push_token = wiring(client).service.add_push("youth-daily", trusted=True)
    r = client.post(PUSH, content=fixture_text("ninjs_v2_valid.json"), headers={**auth(push_token), **NINJS})
    assert r.status_code == 201 and r.json()["article_id"] in portal.published
    assert client.get("/api/v1/search", params={"q": "志愿者服务站"}).json()["total"] == 1


def test_sources_health_for_token_holders(client, token, partner):
    service = wiring(client).service
    service.add_push("youth-daily")
    feed = service.add_feed("jiangzhou-morning", partner.add("/missing.xml", Route(status=404)))
    service.poll_now(feed, "test")
    assert_error(client.get("/api/v1/ingest/sources"), 401)
    rows = {r["source"]: r for r in client.get("/api/v1/ingest/sources", headers=auth(token)).json()}
    assert set(rows) == {"youth-daily", "jiangzhou-morning"}
    failing = rows["jiangzhou-morning"]
    assert failing["status"] == "failing" and failing["last_error_reason"] and failing["last_error_message"]
    assert failing["last_poll_at"].endswith("+08:00") and rows["youth-daily"]["kind"] == "ninjs"


def _wait(condition, seconds=30.0):
    """Wait for a background thread's effect (a deadline, not a timing assumption)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the poll loop did not take the feed in time"
        time.sleep(0.05)


def test_the_poll_loop_runs_in_the_app_lifespan(portal, partner):
    settings = portal.settings.with_(ingest_embedded=True, ingest_poll_seconds=0.2)
    app = create_app(settings, portal=portal)
    url = partner.add("/feed.xml", Route(body=atom([library_entry(), bus_entry()]), headers=ATOM))
    with TestClient(app):
        loop = app.state.ingest.loop
        assert loop is not None and loop._thread is not None and loop._thread.is_alive()
        app.state.ingest.service.add_feed("jiangzhou-morning", url, trusted=True)
        _wait(lambda: portal.store.count_articles(ArticleStatus.PUBLISHED) == 2)
        thread = loop._thread
    assert app.state.ingest.loop is None and not thread.is_alive()  # stopped on shutdown


def test_two_app_instances_over_one_database_poll_each_source_once(store, portal, partner):
    from newsportal.portal import Portal
    from newsportal.store import open_store

    url = store.engine.url.render_as_string(hide_password=False)
    other = Portal(portal.settings, open_store(url)).start()
    settings = portal.settings.with_(ingest_embedded=False)
    apps = [create_app(settings, portal=p) for p in (portal, other)]
    feeds = [partner.add(f"/feed-{n}.xml", Route(body=atom([library_entry(guid=f"g{n}")]), headers=ATOM))
             for n in range(4)]
    try:
        with TestClient(apps[0]), TestClient(apps[1]):
            for n, feed in enumerate(feeds):
                apps[0].state.ingest.service.add_feed(f"partner-{n}", feed, trusted=True)
            loops = [PollLoop(app.state.ingest.service, me=f"app-{i}") for i, app in enumerate(apps)]
            barrier = threading.Barrier(2)
            polled: dict[str, list] = {}

            def run(loop):
                barrier.wait(timeout=30)
                polled[loop.me] = loop.tick()

            threads = [threading.Thread(target=run, args=(loop,)) for loop in loops]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            ids = [p.ingest_source_id for polls in polled.values() for p in polls]
            assert len(ids) == len(set(ids)) == 4  # every source polled, none twice
            assert len([r for r in partner.requests if r[0].startswith("/feed-")]) == 4
    finally:
        other.close()
