"""Ranked lists: related, hot and search (the search page is checked alongside the search API)."""


def test_search_api_and_page(demo_client):
    r = demo_client.get("/api/v1/search", params={"q": "高铁"}).json()
    first = r["items"][0]
    assert r["total"] >= 2 and "<mark>高铁</mark>" in first["title_html"] + first["snippet_html"]
    assert demo_client.get("/api/v1/search", params={"q": ""}).status_code == 422
    long = demo_client.get("/api/v1/search", params={"q": "rail " * 390})
    assert long.status_code == 200 and long.json()["truncated"] is True
    page = demo_client.get("/search", params={"q": "马拉松"})
    assert page.status_code == 200 and 'role="search"' in page.text and "马拉松" in page.text
    assert "没有找到" in demo_client.get("/search", params={"q": "完全不存在的词语组合"}).text
    assert demo_client.get("/care/search", params={"q": "芯片"}).status_code == 200


def test_related_and_hot_lists(demo_client, demo_portal):
    a = demo_portal.store.get_article_by_external_id("demo-tech-001")
    rel = demo_client.get(f"/api/v1/articles/{a.id}/related", params={"limit": 4}).json()
    ranked = [x for x, _ in demo_portal.related.related(a.id, 4)]
    assert [x["id"] for x in rel] == [x for x in ranked if x in demo_portal.published] and a.id not in ranked
    hot = demo_client.get("/api/v1/hot", params={"limit": 5}).json()
    assert [h["id"] for h in hot] == [c.id for c in demo_portal.hot.cards(5)]
    assert demo_client.get("/api/v1/articles/999999/related").status_code == 404
    assert demo_client.get(f"/api/v1/articles/{a.id}/related?limit=51").status_code == 422
    assert demo_client.get("/api/v1/hot?limit=0").status_code == 422


def test_search_pages(demo_client):
    one = demo_client.get("/api/v1/search", params={"q": "高铁", "per_page": 1}).json()
    two = demo_client.get("/api/v1/search", params={"q": "高铁", "per_page": 1, "page": 2}).json()
    assert one["total"] == two["total"] and one["items"][0]["id"] != two["items"][0]["id"]
    assert demo_client.get("/api/v1/search", params={"q": "高铁", "page": 101}).status_code == 422
