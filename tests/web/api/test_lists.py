"""Ranked lists: related, hot and search (the search page is checked alongside the search API)."""


def test_search_api_and_page(demo_client):
    r = demo_client.get("/api/v1/search", params={"q": "高铁"}).json()
    assert r["total"] >= 3 and "高铁" in r["items"][0]["title"] + r["items"][0]["summary"]
    assert demo_client.get("/api/v1/search", params={"q": ""}).status_code == 422
    assert demo_client.get("/api/v1/search", params={"q": "x" * 101}).status_code == 422
    page = demo_client.get("/search", params={"q": "马拉松"})
    assert page.status_code == 200 and 'role="search"' in page.text and "马拉松" in page.text
    assert "没有找到" in demo_client.get("/search", params={"q": "完全不存在的词语组合"}).text
    assert demo_client.get("/care/search", params={"q": "芯片"}).status_code == 200
