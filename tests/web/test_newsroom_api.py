"""Newsroom endpoints: pins for top stories, quality scores and source trust, search."""

import pytest

from newsportal.web.context import web_context


@pytest.fixture
def token(demo_portal):
    return demo_portal.store.create_token("desk")[1]


def auth(t):
    return {"authorization": f"Bearer {t}"}


def ext(portal, e):
    return portal.store.get_article_by_external_id(e).id


def test_pins_lead_the_channel_module(demo_client, demo_portal, token):
    old = ext(demo_portal, "demo-sports-010")
    r = demo_client.post("/api/v1/channels/sports/pins", json={"article_id": old}, headers=auth(token))
    assert r.status_code == 200 and [x["id"] for x in r.json()] == [old]
    sports = demo_portal.channels.by_slug("sports")
    assert demo_portal.hot.top_stories(sports.id, 5)[0].id == old
    web_context(demo_client.app).purge_all()
    home = demo_client.get("/").text
    module = home[home.index(">体育要闻<"):]
    assert module.index(f"/a/{demo_portal.store.get_article(old).slug}.html") < module.index("</ol>")
    assert demo_client.delete(f"/api/v1/channels/sports/pins/{old}", headers=auth(token)).status_code == 204
    assert demo_client.get("/api/v1/channels/sports/pins").json() == []
    assert demo_client.delete(f"/api/v1/channels/sports/pins/{old}", headers=auth(token)).status_code == 404


@pytest.mark.parametrize("body, status", [({"article_id": 999999}, 404), ({"article_id": "x"}, 422),
                                          ({"article_id": 1, "hours": -1}, 422), ({}, 422)])
def test_bad_pins(demo_client, token, body, status):
    assert demo_client.post("/api/v1/channels/sports/pins", json=body, headers=auth(token)).status_code == status


def test_pins_need_a_token_and_a_real_channel(demo_client, token):
    assert demo_client.post("/api/v1/channels/sports/pins", json={"article_id": 1}).status_code == 401
    assert demo_client.post("/api/v1/channels/nope/pins", json={"article_id": 1}, headers=auth(token)).status_code == 404


def test_quality_is_visible_to_the_newsroom(demo_client, demo_portal, token):
    bait = next(a for a in demo_portal.catalog if demo_portal.catalog[a].quality < 0.5)
    q = demo_client.get(f"/api/v1/newsroom/articles/{bait}/quality", headers=auth(token)).json()
    assert q["score"] < 0.5 and q["reasons"] and q["explanation"]
    assert demo_client.get(f"/api/v1/newsroom/articles/{bait}/quality").status_code == 401


def test_source_trust_changes_scores(demo_client, demo_portal, token):
    art = ext(demo_portal, "demo-house-001")
    key = demo_portal.sources[demo_portal.catalog[art].source_id].key
    before = demo_portal.catalog[art].quality
    r = demo_client.put(f"/api/v1/sources/{key}/trust", json={"trust": 0.1}, headers=auth(token))
    assert r.status_code == 200 and demo_portal.catalog[art].quality < before
    demo_client.put(f"/api/v1/sources/{key}/trust", json={"trust": 0.75}, headers=auth(token))
    assert demo_client.put(f"/api/v1/sources/{key}/trust", json={"trust": 3}, headers=auth(token)).status_code == 422
    assert demo_client.put("/api/v1/sources/nobody/trust", json={"trust": 0.5}, headers=auth(token)).status_code == 404


def test_search_api_and_page(demo_client):
    r = demo_client.get("/api/v1/search", params={"q": "高铁"}).json()
    assert r["total"] >= 3 and "高铁" in r["items"][0]["title"] + r["items"][0]["summary"]
    assert demo_client.get("/api/v1/search", params={"q": ""}).status_code == 422
    assert demo_client.get("/api/v1/search", params={"q": "x" * 101}).status_code == 422
    page = demo_client.get("/search", params={"q": "马拉松"})
    assert page.status_code == 200 and 'role="search"' in page.text and "马拉松" in page.text
    assert "没有找到" in demo_client.get("/search", params={"q": "完全不存在的词语组合"}).text
    assert demo_client.get("/care/search", params={"q": "芯片"}).status_code == 200
