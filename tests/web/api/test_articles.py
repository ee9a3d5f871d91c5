"""Reading articles, the OpenAPI document, and 4xx (never 500) for bad ids and parameters."""

from tests.web.api.helpers import GOOD, assert_error, auth


def test_read_endpoints(demo_client, demo_portal):
    chans = demo_client.get("/api/v1/channels").json()
    assert {"news", "sports", "war"} <= {c["slug"] for c in chans}
    assert next(c for c in chans if c["slug"] == "domestic")["parent"] == "news"
    page = demo_client.get("/api/v1/articles", params={"channel": "sports", "per_page": 5}).json()
    assert page["per_page"] == 5 and page["total"] >= 10 and len(page["items"]) == 5
    assert page["total_exact"] is True  # the demo's channels are far below the list cap
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
    for path in (
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/hot",
        "/api/v1/events",
        "/api/v1/articles/{article_id}/publish",
        "/api/v1/channels",
        "/api/v1/articles/{article_id}/related",
    ):
        assert path in doc["paths"], path
    assert demo_client.get("/api/v1/docs").status_code == 200


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
