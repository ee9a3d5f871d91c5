"""The JSON API: reads, token-guarded writes through the publish flow, and 4xx (never 500) for bad input."""

import pytest

from newsportal.web.context import web_context
from tests.conftest import BROWSER_UA

GOOD = {
    "title": "江城地铁新线开通试运营",
    "body_html": "<p>本网讯（记者 李沐阳）江城地铁新线今天开通试运营，全长二十公里。</p>",
    "channel": "domestic",
    "source": "zhongyuan-net",
    "tags": ["地铁", "交通"],
    "editors": ["刘静"],
    "reporters": ["李沐阳"],
}


@pytest.fixture
def token(portal):
    return portal.store.create_token("test-feed")[1]


def auth(token):
    return {"authorization": f"Bearer {token}"}


def assert_error(r, status, code=None):
    assert r.status_code == status, r.text
    body = r.json()["error"]
    assert body["status"] == status and body["message"]
    if code:
        assert body["code"] == code
    return body


def test_read_endpoints(demo_client, demo_portal):
    chans = demo_client.get("/api/v1/channels").json()
    assert {"news", "sports", "war"} <= {c["slug"] for c in chans}
    assert next(c for c in chans if c["slug"] == "domestic")["parent"] == "news"
    page = demo_client.get("/api/v1/articles", params={"channel": "sports", "per_page": 5}).json()
    assert page["per_page"] == 5 and page["total"] >= 10 and len(page["items"]) == 5
    assert all(i["channel"] == "sports" for i in page["items"])
    by_source = demo_client.get("/api/v1/articles", params={"source": "shuma-laozhou"}).json()
    assert by_source["total"] >= 3 and all(i["source"] == "shuma-laozhou" for i in by_source["items"])
    first = page["items"][0]
    one = demo_client.get(f"/api/v1/articles/{first['id']}").json()
    assert one["title"] == first["title"] and one["body_html"].startswith("<p>") and one["editors"]
    assert one["published_at"].endswith("+08:00") and one["url"].endswith(".html")
    rel = demo_client.get(f"/api/v1/articles/{first['id']}/related").json()
    assert rel and first["id"] not in {x["id"] for x in rel}
    hot = demo_client.get("/api/v1/hot", params={"limit": 5}).json()
    assert len(hot) == 5 and all(h["source_name"] and h["published_at"] for h in hot)
    assert all(h["channel"] in ("sports",) for h in demo_client.get("/api/v1/hot?channel=sports").json())


def test_openapi_document(demo_client):
    doc = demo_client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/hot", "/api/v1/events",
                 "/api/v1/articles/{article_id}/publish", "/api/v1/channels", "/api/v1/articles/{article_id}/related"):
        assert path in doc["paths"], path
    assert demo_client.get("/api/v1/docs").status_code == 200


def test_create_update_publish_with_a_token(client, portal, token):
    r = client.post("/api/v1/articles", json=GOOD, headers=auth(token))
    assert r.status_code == 201, r.text
    art = r.json()
    assert art["status"] == "draft" and r.headers["location"] == f"/api/v1/articles/{art['id']}"
    assert client.get(f"/api/v1/articles/{art['id']}").status_code == 404  # drafts are not public
    assert client.get(f"/api/v1/newsroom/articles/{art['id']}", headers=auth(token)).json()["status"] == "draft"
    pub = client.post(f"/api/v1/articles/{art['id']}/publish", headers=auth(token))
    assert pub.status_code == 200 and pub.json()["status"] == "published"
    assert client.get(f"/article/{art['id']}").status_code == 200
    upd = client.put(f"/api/v1/articles/{art['id']}", json={**GOOD, "title": "江城地铁新线正式开通"}, headers=auth(token))
    assert upd.status_code == 200 and upd.json()["revision"] == 2 and upd.json()["status"] == "published"
    assert [r.actor for r in portal.store.revisions(art["id"])] == ["api:test-feed"] * 2
    wd = client.post(f"/api/v1/articles/{art['id']}/withdraw", headers=auth(token))
    assert wd.json()["status"] == "withdrawn" and client.get(f"/article/{art['id']}").status_code == 404


def test_same_external_id_is_idempotent(client, portal, token):
    body = {**GOOD, "external_id": "zy-2026-001", "publish": True}
    a = client.post("/api/v1/articles", json=body, headers=auth(token))
    b = client.post("/api/v1/articles", json=body, headers=auth(token))
    assert a.status_code == 201 and b.status_code == 200 and a.json()["id"] == b.json()["id"]
    assert b.json()["revision"] == 1 and portal.store.count_articles() == 1


def test_api_html_is_sanitized(client, token):
    body = {**GOOD, "body_html": '<p onmouseover="x()">正文<script>steal()</script><a href="javascript:a()">链</a></p>'}
    stored = client.post("/api/v1/articles", json=body, headers=auth(token)).json()["body_html"]
    assert "script" not in stored and "onmouseover" not in stored and "javascript:" not in stored


@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer np_0000_wrong"}, {"authorization": "Basic x"}])
def test_writes_need_a_valid_token(client, headers):
    r = client.post("/api/v1/articles", json=GOOD, headers=headers)
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": 123}, "title"),
        ({"tags": "not-a-list"}, "tags"),
        ({"tags": [1, 2]}, "tags"),
        ({"original": "yes"}, "original"),
        ({"channel": "nope"}, "channel"),
        ({"source": "nobody"}, "source"),
        ({"title": ""}, "title"),
        ({"unexpected": 1}, "unexpected"),
        ({"body_html": "<script>x()</script>"}, "body_html"),
        ({"published_at": "yesterday"}, "published_at"),
    ],
)
def test_bad_article_fields_get_422_naming_the_field(client, token, change, field):
    body = assert_error(client.post("/api/v1/articles", json={**GOOD, **change}, headers=auth(token)), 422, "invalid")
    assert any(field in p["field"] for p in body["problems"]), body


def test_malformed_and_oversized_bodies(client, token):
    r = client.post("/api/v1/articles", content=b"{not json", headers={**auth(token), "content-type": "application/json"})
    assert_error(r, 422)
    r = client.post("/api/v1/articles", json=[1, 2, 3], headers=auth(token))
    assert_error(r, 422)
    huge = {**GOOD, "body_html": "<p>" + "字" * 1_000_000 + "</p>"}
    assert_error(client.post("/api/v1/articles", json=huge, headers=auth(token)), 413)


def test_unknown_ids_and_bad_parameters(client, token):
    assert_error(client.get("/api/v1/articles/999999"), 404, "not_found")
    assert_error(client.get("/api/v1/articles/abc"), 422)
    assert_error(client.get("/api/v1/articles/0"), 422)
    assert_error(client.get(f"/api/v1/articles/{2**70}"), 422)
    assert_error(client.get("/api/v1/articles?page=0"), 422)
    assert_error(client.get("/api/v1/articles?per_page=1000"), 422)
    assert_error(client.get("/api/v1/articles?channel=nope"), 404)
    assert_error(client.get("/api/v1/hot?channel=nope"), 404)
    assert_error(client.get("/api/v1/articles?page=" + "9" * 30), 422)
    assert_error(client.get("/api/v1/no-such-endpoint"), 404)
    assert_error(client.delete("/api/v1/articles/1"), 405)
    assert_error(client.post("/api/v1/articles/999999/publish", headers=auth(token)), 404)
    assert_error(client.put("/api/v1/articles/999999", json=GOOD, headers=auth(token)), 404)


def test_overlong_query_strings_get_414(client):
    assert_error(client.get("/api/v1/articles?channel=" + "x" * 5000), 414)
    r = client.get("/channel/news?page=" + "1" * 5000)
    assert r.status_code == 414 and "过长" in r.text


def test_events_count_once_per_reader_and_skip_bots(portal, client):
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    first = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"})
    assert first.status_code == 200 and first.json() == {"counted": True, "views": 1, "shares": 0}
    assert "np_rid" in first.cookies or "np_rid" in client.cookies
    again = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"})
    assert again.json()["counted"] is False and again.json()["views"] == 1
    share = client.post("/api/v1/events", json={"article_id": a.id, "kind": "share", "target": "wechat"})
    assert share.json() == {"counted": True, "views": 1, "shares": 1}
    client.cookies.clear()
    client.cookies.set("np_rid", "f" * 32)
    bot = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"},
                      headers={"user-agent": "Baiduspider/2.0"})
    assert bot.json()["counted"] is False
    client.cookies.set("np_rid", "a" * 32)  # another reader
    other = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"},
                        headers={"user-agent": BROWSER_UA})
    assert other.json()["counted"] is True and other.json()["views"] == 2
    portal.counters.flush()
    assert portal.store.stats(a.id) == (2, 1)
    # the live count shows on the (re-rendered) page
    web_context(client.app).pages.purge_all()
    assert '<span id="share-count">1</span>' in client.get(f"/article/{a.id}").text


@pytest.mark.parametrize(
    "body, status",
    [
        ({"article_id": 999999, "kind": "view"}, 404),
        ({"article_id": "1", "kind": "view"}, 422),
        ({"article_id": 1, "kind": "like"}, 422),
        ({"article_id": 1}, 422),
        ({"article_id": 1, "kind": "share", "target": "x" * 100}, 422),
        ({"article_id": -5, "kind": "view"}, 422),
    ],
)
def test_bad_events_are_refused_and_not_counted(client, portal, body, status):
    assert_error(client.post("/api/v1/events", json=body), status)
    assert portal.counters.flush() == 0
