"""Token-guarded writes: articles through the publish flow, pins, quality, source trust."""

import pytest

from newsportal.web.context import web_context
from tests.web.api.helpers import GOOD, assert_error, auth, ext


def test_create_update_publish_with_a_token(client, portal, token):
    r = client.post("/api/v1/articles", json=GOOD, headers=auth(token))
    assert r.status_code == 201, r.text
    art = r.json()
    assert art["status"] == "draft" and r.headers["location"] == f"/api/v1/articles/{art['id']}"
    assert client.get(f"/api/v1/articles/{art['id']}").status_code == 404  # drafts are not public
    assert (
        client.get(f"/api/v1/newsroom/articles/{art['id']}", headers=auth(token)).json()["status"] == "draft"
    )
    pub = client.post(f"/api/v1/articles/{art['id']}/publish", headers=auth(token))
    assert pub.status_code == 200 and pub.json()["status"] == "published"
    assert client.get(f"/article/{art['id']}").status_code == 200
    upd = client.put(
        f"/api/v1/articles/{art['id']}", json={**GOOD, "title": "江城地铁新线正式开通"}, headers=auth(token)
    )
    assert upd.status_code == 200 and upd.json()["revision"] == 2 and upd.json()["status"] == "published"
    assert [r.actor for r in portal.store.revisions(art["id"])] == ["api:test-feed"] * 2
    no_reason = client.post(f"/api/v1/articles/{art['id']}/withdraw", headers=auth(token))
    assert no_reason.status_code == 422 and "撤稿原因" in no_reason.json()["error"]["message"]
    wd = client.post(f"/api/v1/articles/{art['id']}/withdraw", json={"reason": "稿件重复"},
                     headers=auth(token))
    assert wd.json()["status"] == "withdrawn" and client.get(f"/article/{art['id']}").status_code == 404


def test_same_external_id_is_idempotent(client, portal, token):
    body = {**GOOD, "external_id": "zy-2026-001", "publish": True}
    a = client.post("/api/v1/articles", json=body, headers=auth(token))
    b = client.post("/api/v1/articles", json=body, headers=auth(token))
    assert a.status_code == 201 and b.status_code == 200 and a.json()["id"] == b.json()["id"]
    assert b.json()["revision"] == 1 and portal.store.count_articles() == 1


def test_api_html_is_sanitized(client, token):
    body = {
        **GOOD,
        "body_html": '<p onmouseover="x()">正文<script>steal()</script><a href="javascript:a()">链</a></p>',
    }
    stored = client.post("/api/v1/articles", json=body, headers=auth(token)).json()["body_html"]
    assert "script" not in stored and "onmouseover" not in stored and "javascript:" not in stored


@pytest.mark.parametrize(
    "headers", [{}, {"authorization": "Bearer np_0000_wrong"}, {"authorization": "Basic x"}]
)
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
    body = assert_error(
        client.post("/api/v1/articles", json={**GOOD, **change}, headers=auth(token)), 422, "invalid"
    )
    assert any(field in p["field"] for p in body["problems"]), body


def test_malformed_and_oversized_bodies(client, token):
    r = client.post(
        "/api/v1/articles", content=b"{not json", headers={**auth(token), "content-type": "application/json"}
    )
    assert_error(r, 422)
    r = client.post("/api/v1/articles", json=[1, 2, 3], headers=auth(token))
    assert_error(r, 422)
    huge = {**GOOD, "body_html": "<p>" + "字" * 1_000_000 + "</p>"}
    assert_error(client.post("/api/v1/articles", json=huge, headers=auth(token)), 413)


def test_pins_lead_the_channel_module(demo_client, demo_portal, demo_token):
    old = ext(demo_portal, "demo-sports-010")
    r = demo_client.post("/api/v1/channels/sports/pins", json={"article_id": old}, headers=auth(demo_token))
    assert r.status_code == 200 and [x["id"] for x in r.json()] == [old]
    sports = demo_portal.channels.by_slug("sports")
    assert demo_portal.hot.top_stories(sports.id, 5)[0].id == old
    web_context(demo_client.app).purge_all()
    home = demo_client.get("/").text
    module = home[home.index(">体育要闻<") :]
    assert module.index(f"/a/{demo_portal.store.get_article(old).slug}.html") < module.index("</ol>")
    assert (
        demo_client.delete(f"/api/v1/channels/sports/pins/{old}", headers=auth(demo_token)).status_code == 204
    )
    assert demo_client.get("/api/v1/channels/sports/pins").json() == []
    assert (
        demo_client.delete(f"/api/v1/channels/sports/pins/{old}", headers=auth(demo_token)).status_code == 404
    )


@pytest.mark.parametrize(
    "body, status",
    [
        ({"article_id": 999999}, 404),
        ({"article_id": "x"}, 422),
        ({"article_id": 1, "hours": -1}, 422),
        ({}, 422),
    ],
)
def test_bad_pins(demo_client, demo_token, body, status):
    assert (
        demo_client.post("/api/v1/channels/sports/pins", json=body, headers=auth(demo_token)).status_code
        == status
    )


def test_pins_need_a_token_and_a_real_channel(demo_client, demo_token):
    assert demo_client.post("/api/v1/channels/sports/pins", json={"article_id": 1}).status_code == 401
    assert (
        demo_client.post(
            "/api/v1/channels/nope/pins", json={"article_id": 1}, headers=auth(demo_token)
        ).status_code
        == 404
    )


def test_quality_is_visible_to_the_newsroom(demo_client, demo_portal, demo_token):
    bait = next(a for a in demo_portal.catalog if demo_portal.catalog[a].quality < 0.5)
    q = demo_client.get(f"/api/v1/newsroom/articles/{bait}/quality", headers=auth(demo_token)).json()
    assert q["score"] < 0.5 and q["reasons"] and q["explanation"]
    assert demo_client.get(f"/api/v1/newsroom/articles/{bait}/quality").status_code == 401


def test_source_trust_changes_scores(demo_client, demo_portal, demo_token):
    art = ext(demo_portal, "demo-house-001")
    key = demo_portal.sources[demo_portal.catalog[art].source_id].key
    before = demo_portal.catalog[art].quality
    r = demo_client.put(f"/api/v1/sources/{key}/trust", json={"trust": 0.1}, headers=auth(demo_token))
    assert r.status_code == 200 and demo_portal.catalog[art].quality < before
    demo_client.put(f"/api/v1/sources/{key}/trust", json={"trust": 0.75}, headers=auth(demo_token))
    assert (
        demo_client.put(
            f"/api/v1/sources/{key}/trust", json={"trust": 3}, headers=auth(demo_token)
        ).status_code
        == 422
    )
    assert (
        demo_client.put(
            "/api/v1/sources/nobody/trust", json={"trust": 0.5}, headers=auth(demo_token)
        ).status_code
        == 404
    )
