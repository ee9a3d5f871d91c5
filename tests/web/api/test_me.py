"""为你推荐 and reading history through the API: per reader (the cookie), never cached, forgettable."""

from newsportal.web.api.auth import READER_COOKIE, sign_reader_id
from tests.web.api.helpers import ext


def test_a_reader_without_cookie_gets_the_hot_list_and_no_history(demo_client, demo_portal):
    demo_client.cookies.clear()
    recs = demo_client.get("/api/v1/me/recommendations?limit=5")
    hot = [a for a, _ in demo_portal.hot.ranked(5)]
    assert recs.headers["cache-control"] == "private, no-store"
    assert [x["id"] for x in recs.json()] == [a for a in hot if a in demo_portal.published]
    history = demo_client.get("/api/v1/me/history")
    assert (
        history.json()["items"] == []
        and history.json()["retention_days"] == demo_portal.settings.history_days
    )
    assert demo_client.delete("/api/v1/me/history").status_code == 204  # nothing to forget is fine


def test_history_is_newest_first_and_clearable(demo_client, demo_portal):
    reader = "7" * 32
    demo_client.cookies.clear()
    demo_client.cookies.set(READER_COOKIE, sign_reader_id(demo_portal.settings, reader))
    read = [ext(demo_portal, e) for e in ("demo-tech-001", "demo-auto-004")]
    for article_id in read:
        demo_portal.personal.record_read(reader, article_id)
    demo_portal.personal.flush()
    items = demo_client.get("/api/v1/me/history").json()["items"]
    assert sorted(x["id"] for x in items) == sorted(read)
    recs = [x["id"] for x in demo_client.get("/api/v1/me/recommendations?limit=10").json()]
    assert recs and not set(recs) & set(read)
    assert demo_client.delete("/api/v1/me/history").status_code == 204
    assert demo_client.get("/api/v1/me/history").json()["items"] == []
    demo_client.cookies.clear()


def test_bad_limits(demo_client):
    for limit in (0, 31, "x"):
        assert demo_client.get(f"/api/v1/me/recommendations?limit={limit}").status_code == 422
