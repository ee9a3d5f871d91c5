"""为你推荐: a profile from recent reads, nothing read again, no duplicate stories, diverse, forgettable."""

from datetime import datetime, timedelta

from newsportal.recommend.personal import PersonalFeed


def ext(portal, external_id):
    return portal.store.get_article_by_external_id(external_id).id


def test_recommendations_follow_reads_and_skip_what_was_read(demo_portal):
    feed = demo_portal.personal
    reader = "a" * 32
    feed.clear(reader)
    reads = ["demo-tech-001", "demo-tech-005", "demo-mobile-002"]
    for e in reads:
        feed.record_read(reader, ext(demo_portal, e))
    got = [a for a, _ in feed.recommend(reader, 10)]
    read_ids = {ext(demo_portal, e) for e in reads}
    assert len(got) == 10 and not set(got) & read_ids
    # the other sources' copies of a story already read are not "new"
    chip_story = demo_portal.catalog.story_of(ext(demo_portal, "demo-tech-001"))
    assert not any(demo_portal.catalog.story_of(a) == chip_story for a in got)
    stories = [demo_portal.catalog.story_of(a) for a in got]
    assert len(stories) == len(set(stories))
    channels = {demo_portal.channels.get(demo_portal.catalog[a].channel_id).slug for a in got[:5]}
    assert channels & {"tech", "mobile"}  # the profile leads
    assert len(channels) >= 2  # and MMR keeps it from being one note


def test_history_can_be_cleared_and_expires(demo_portal):
    # A feed of its own with an injected clock: when the shared feed's background flush last pruned does not
    # matter, and "now" is whatever the test says.
    now = [datetime(2026, 11, 25, 12, 0)]
    p = demo_portal
    feed = PersonalFeed(p.store, p.catalog, p.index, p.hot, history_days=30, clock=lambda: now[0])
    reader = "b" * 32
    feed.clear(reader)
    a, b = ext(p, "demo-sports-004"), ext(p, "demo-ent-005")
    feed.record_read(reader, a)
    feed.record_read(reader, b, at=now[0] - timedelta(days=31))
    assert feed.flush() == 2
    assert feed.history(reader) == [a]  # the old read is past the retention period
    # the first flush also prunes: the expired read is gone from storage, not just hidden
    assert [r.article_id for r in p.store.history(reader)] == [a]
    # within the hour of the last prune a flush does not prune again, even once a read has expired
    now[0] += timedelta(minutes=30)
    feed.record_read(reader, b, at=now[0] - timedelta(days=31))
    feed.flush()
    assert sorted(r.article_id for r in p.store.history(reader)) == sorted([a, b])
    assert feed.history(reader) == [a]
    # a month later the first read has expired too: hidden at once, dropped from storage by the next flush
    now[0] += timedelta(days=30)
    assert feed.history(reader) == []
    feed.flush()
    assert p.store.history(reader) == []
    feed.record_read(reader, b)
    assert feed.clear(reader) == 1 and feed.history(reader) == []


def test_no_history_gets_the_hot_list(demo_portal):
    assert [a for a, _ in demo_portal.personal.recommend("c" * 32, 5)] == [a for a,
                                                                           _ in demo_portal.hot.ranked(5)]


def test_personal_api_and_page(demo_client, demo_portal):
    demo_client.cookies.clear()
    art = ext(demo_portal, "demo-auto-004")
    r = demo_client.post("/api/v1/events", json={"article_id": art, "kind": "view"})
    assert r.status_code == 200
    recs = demo_client.get("/api/v1/me/recommendations?limit=5")
    assert recs.status_code == 200 and recs.headers["cache-control"] == "private, no-store"
    assert art not in [x["id"] for x in recs.json()] and len(recs.json()) == 5
    assert [x["id"] for x in demo_client.get("/api/v1/me/history").json()["items"]] == [art]
    page = demo_client.get("/foryou")
    assert page.status_code == 200 and "清除我的阅读记录" in page.text and "为你推荐" in page.text
    cleared = demo_client.post("/foryou/clear", follow_redirects=False)
    assert cleared.status_code == 303
    assert demo_client.get("/api/v1/me/history").json()["items"] == []
    assert demo_client.delete("/api/v1/me/history").status_code == 204


def test_empty_and_one_article_sites_give_empty_lists(portal, client):
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    assert portal.personal.recommend("d" * 32, 10) == [] and portal.hot.ranked(10) == []
    for path in ("/api/v1/me/recommendations", "/api/v1/hot", "/api/v1/search?q=公交", "/foryou",
                 "/search?q=公交"):
        assert client.get(path).status_code == 200, path
    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    portal.personal.record_read("d" * 32, a.id)
    assert portal.personal.recommend("d" * 32, 10) == []  # the only article was read
    assert client.get(f"/api/v1/articles/{a.id}/related").json() == []
