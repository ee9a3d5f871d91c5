"""The ingest service end to end: partner HTTP server → fetch/parse → real publish flow → store (both DBs)."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest

from newsportal.domain import ArticleStatus
from newsportal.ingest.fetch import Backoff
from newsportal.ingest.ninjs import NinjsInvalid
from newsportal.ingest.outcomes import SourceConfigError, Unauthorized
from newsportal.ingest.service import IngestService
from tests.ingest.conftest import fixture_text, render
from tests.ingest.partner_server import Route
from tests.ingest.service_kit import ATOM, T0, atom, build_service, bus_entry, library_entry


@pytest.fixture
def service(portal, fetcher, clock) -> IngestService:
    return build_service(portal, fetcher, clock)


def articles(portal) -> list:
    with portal.store.engine.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("select id from articles order by id")]
    return [portal.store.get_article(i) for i in ids]


def test_new_items_publish_for_trusted_and_wait_for_review_otherwise(portal, partner, service):
    partner.add("/a.xml", Route(atom([library_entry()]), headers=ATOM))
    partner.add("/b.xml", Route(atom([bus_entry()]), headers=ATOM))
    trusted = service.add_feed("jz-daily", partner.url("/a.xml"), trusted=True, channel="society")
    untrusted = service.add_feed("jb-weekly", partner.url("/b.xml"))
    polls = {p.source_key: p for p in service.poll_due("p1")}
    assert {k: [i.action for i in p.items] for k, p in polls.items()} == {
        "jz-daily": ["created"], "jb-weekly": ["created"]}
    by_title = {a.title: a for a in articles(portal)}
    lib, bus = by_title["江州市图书馆周末延长开放至晚九点"], by_title["江北街道新开一条社区微循环公交"]
    assert lib.status is ArticleStatus.PUBLISHED and lib.id in portal.published
    assert bus.status is ArticleStatus.REVIEW and bus.id not in portal.published
    assert lib.published_at == T0 - timedelta(hours=2)  # the partner's time, not ours
    assert portal.channels.by_slug("society").id == lib.channel_id
    assert portal.sources_by_key["jz-daily"].id == lib.source_id  # partner created as a media source
    assert service.health(trusted.id)[0].items_taken == 1 and service.health("jb-weekly")[0].status == "ok"
    assert service.repo.item_by_guid(untrusted.id, "jz-bus-0002").article_id == bus.id


def test_same_guid_updates_the_article_and_older_copies_do_not_roll_back(portal, partner, service, clock):
    url = partner.add("/f.xml", Route(atom([library_entry()]), headers=ATOM))
    source = service.add_feed("jz-daily", url, trusted=True)
    (first,) = service.poll_due("p1")
    article_id = first.items[0].article_id
    corrected = library_entry(title="更正：江州市图书馆周末延长开放至晚九点半",
                              updated=T0 - timedelta(minutes=30))
    partner.add("/f.xml", Route(atom([corrected]), headers=ATOM))
    clock.advance(seconds=source.interval_seconds)
    (second,) = service.poll_due("p1")
    assert [(i.action, i.article_id) for i in second.items] == [("updated", article_id)]
    assert portal.store.get_article(article_id).title.startswith("更正") and len(articles(portal)) == 1
    # a mirror still serving the older version: not taken, the correction stays
    partner.add("/f.xml", Route(atom([library_entry()]), headers=ATOM))
    clock.advance(seconds=source.interval_seconds)
    (third,) = service.poll_due("p1")
    assert [i.action for i in third.items] == ["stale"]
    assert portal.store.get_article(article_id).title.startswith("更正")
    assert len(portal.store.revisions(article_id)) == 2


def test_same_url_or_unchanged_content_is_the_same_story(portal, partner, service, clock):
    url = partner.add("/f.xml", Route(atom([library_entry(), bus_entry()]), headers=ATOM))
    source = service.add_feed("jz-daily", url, trusted=True)
    (first,) = service.poll_due("p1")
    lib_id, bus_id = (i.article_id for i in first.items)
    # the partner moved to a new guid scheme: one story keeps its URL, the other its exact text
    renamed = [library_entry(guid="urn:jz:lib:1", paragraphs=("从下周六起，图书馆周末开放到晚九点。",),
                             updated=T0 - timedelta(minutes=10)),
               bus_entry(guid="urn:jz:bus:2", url="http://partner.test/jz/bus-line.html")]
    partner.add("/f.xml", Route(atom(renamed), headers=ATOM))
    clock.advance(seconds=source.interval_seconds)
    (second,) = service.poll_due("p1")
    assert [(i.action, i.article_id) for i in second.items] == [("updated", lib_id), ("unchanged", bus_id)]
    assert len(articles(portal)) == 2
    assert "图书馆周末开放到晚九点" in portal.store.get_article(lib_id).body_html
    # the new guids are in the ledger now, so the next poll recognises them directly
    assert service.repo.item_by_guid(source.id, "urn:jz:bus:2").article_id == bus_id


def test_times_from_the_future_are_clamped_and_ancient_ones_refused(portal, partner, service):
    future = library_entry(published=T0 + timedelta(days=2), updated=T0 + timedelta(days=2))
    ancient = bus_entry(published=T0 - timedelta(days=4000), updated=T0 - timedelta(days=4000))
    url = partner.add("/f.xml", Route(atom([future, ancient]), headers=ATOM))
    source = service.add_feed("jz-daily", url, trusted=True)
    (poll,) = service.poll_due("p1")
    assert [(i.action, i.reason) for i in poll.items] == [("created", ""), ("refused", "too_old")]
    assert portal.store.get_article(poll.items[0].article_id).published_at == T0
    assert service.repo.item_by_guid(source.id, future.guid).original_time == T0
    health = service.health(source.id)[0]
    assert (health.items_taken, health.items_refused) == (1, 1)


def test_conditional_get_and_schedule(portal, partner, service, clock):
    url = partner.add("/f.xml", Route(atom([library_entry()]), headers=ATOM, etag='"v1"'))
    source = service.add_feed("jz-daily", url, interval=900)
    assert len(service.poll_due("p1")) == 1
    assert service.poll_due("p1") == []  # not due again before its interval
    assert service.repo.get(source.id).next_poll_at == T0 + timedelta(seconds=900)
    clock.advance(seconds=900)
    (second,) = service.poll_due("p1")
    assert second.ok and second.not_modified and second.items == []
    assert partner.requests[-1][1].get("if-none-match") == '"v1"'
    assert service.poll_now(service.repo.get(source.id), "p1").not_modified  # forced, not due


def test_failures_back_off_with_jitter_and_recover(portal, partner, service, clock):
    url = partner.add("/f.xml", Route(b"busy", status=503))
    source = service.add_feed("jz-daily", url, interval=600)
    expected = Backoff(rng=random.Random(7))  # the same seed as the service's rng: same jitter
    waits = []
    for failures in (1, 2, 3):
        (poll,) = service.poll_due("p1")
        assert not poll.ok and poll.error_reason == "http_503"
        row = service.repo.get(source.id)
        assert row.failures == failures
        wait = (row.next_poll_at - clock.now).total_seconds()
        assert wait == pytest.approx(expected.delay(failures, interval=600))
        raw = 60 * 2 ** (failures - 1)
        assert raw / 2 <= wait <= raw
        waits.append(wait)
        assert service.poll_due("p1") == []  # backing off: not due yet
        clock.now = row.next_poll_at
    assert waits[0] < waits[2]
    health = service.health("jz-daily")[0]
    assert health.status == "failing" and health.last_error_reason == "http_503"
    assert "503" in health.last_error_message and health.last_success_at is None
    partner.add("/f.xml", Route(atom([library_entry()]), headers=ATOM))
    (poll,) = service.poll_due("p1")
    row = service.repo.get(source.id)
    assert poll.ok and row.failures == 0 and row.next_poll_at == clock.now + timedelta(seconds=600)
    assert row.last_success_at == clock.now and row.last_error_reason == "http_503"  # the last error stays


def test_a_broken_source_never_stops_the_others(portal, partner, service):
    html_page = fixture_text("not_found_page.html").encode()
    partner.add("/html.xml", Route(html_page, headers={"Content-Type": "text/html"}))
    partner.add("/cut.xml", Route(atom([library_entry()])[:-40], headers=ATOM))
    partner.add("/slow.xml", Route(atom([bus_entry()]), delay=1.5))
    partner.add("/good.xml", Route(atom([bus_entry()]), headers=ATOM))
    for key, path in [("a-html", "/html.xml"), ("b-cut", "/cut.xml"), ("c-slow", "/slow.xml"),
                      ("d-gone", "/nothing-here.xml"), ("e-good", "/good.xml")]:
        service.add_feed(key, partner.url(path))
    service.add_feed("f-refused", "http://127.0.0.1:9/feed.xml")  # nothing listens on port 9
    polls = {p.source_key: p for p in service.poll_due("p1")}
    reasons = {k: p.error_reason for k, p in polls.items()}
    assert reasons == {"a-html": "not_a_feed", "b-cut": "truncated", "c-slow": "timeout",
                       "d-gone": "http_404", "e-good": None, "f-refused": "connection"}
    assert [i.action for i in polls["e-good"].items] == ["created"]
    assert [a.title for a in articles(portal)] == ["江北街道新开一条社区微循环公交"]  # nothing half-written
    for health in (h for s in service.list_sources() for h in [s.health]):
        assert health.last_poll_at == T0
        assert (health.last_error_message is None) == (health.source_key == "e-good")


def test_page_source_from_a_list_page(portal, partner, service, clock):
    listing = fixture_text("list_page.html").replace("http://partner.test", partner.base)
    partner.add("/news/", Route(listing.encode(), headers={"Content-Type": "text/html; charset=utf-8"}))
    article = render("article_page.html", meta='<meta charset="gbk">').encode("gbk")
    partner.add("/news/2026/11/28/lib-hours.html", Route(article, headers={"Content-Type": "text/html"}))
    source = service.add_pages("jz-pages", list_url=partner.url("/news/"), trusted=True)
    (poll,) = service.poll_due("p1")
    assert [i.action for i in poll.items] == ["created"] and poll.refused_count == 2
    (article_row,) = articles(portal)
    assert article_row.editors == ("陈默",) and article_row.status is ArticleStatus.PUBLISHED
    clock.advance(seconds=source.interval_seconds)
    before = len(partner.requests)
    service.poll_due("p1")
    paths = [p for p, _ in partner.requests[before:]]
    assert "/news/2026/11/28/lib-hours.html" not in paths  # known: one request for the list page only
    assert service.health("jz-pages")[0].items_refused == 4


def test_full_text_feed_fetches_the_item_page_once(portal, partner, service, clock):
    page = render("article_page.html", meta='<meta charset="gbk">').encode("gbk")
    page_url = partner.add("/p/lib.html", Route(page, headers={"Content-Type": "text/html"}))
    summary_only = library_entry(url=page_url, paragraphs=("图书馆周末延长开放。",))
    source = service.add_feed("jz-daily", partner.add("/f.xml", Route(atom([summary_only]), headers=ATOM)),
                              full_text=True, trusted=True)
    (poll,) = service.poll_due("p1")
    (article_row,) = articles(portal)
    assert poll.items[0].action == "created" and len(article_row.body_html) > 60
    assert article_row.title == summary_only.title  # the feed's title and guid stay the item's identity
    clock.advance(seconds=source.interval_seconds)
    before = len(partner.requests)
    (again,) = service.poll_due("p1")
    assert again.items[0].action == "unchanged"
    assert [p for p, _ in partner.requests[before:]] == ["/f.xml"]


def test_ninjs_push_token_validation_and_cancel(portal, service):
    source, token = service.add_push("youth-daily", trusted=True)
    body = fixture_text("ninjs_v2_valid.json")
    result = service.push_ninjs(token, body)
    article = portal.store.get_article(result.article_id)
    assert result.action == "created" and article.status is ArticleStatus.PUBLISHED
    assert "script" not in article.body_html and "iframe" not in article.body_html
    assert service.push_ninjs(token, body).action == "unchanged"
    with pytest.raises(Unauthorized) as info:
        service.push_ninjs("npi_not-a-token", body)
    assert info.value.reason == "unknown_token"
    bad = json.loads(body) | {"urgency": "high", "pubstatus": "gone"}
    with pytest.raises(NinjsInvalid) as invalid:
        service.push_ninjs(token, json.dumps(bad))
    assert {p.field for p in invalid.value.problems} == {"$.urgency", "$.pubstatus"}
    health = service.health(source.id)[0]
    assert (health.items_taken, health.items_refused, health.last_error_reason) == (1, 1, "ninjs_invalid")
    canceled = json.loads(body) | {"pubstatus": "canceled"}
    assert service.push_ninjs(token, json.dumps(canceled)).action == "withdrawn"
    assert portal.store.get_article(result.article_id).status is ArticleStatus.WITHDRAWN
    assert result.article_id not in portal.published
    new_token = service.rotate_token(source.id)
    with pytest.raises(Unauthorized):
        service.push_ninjs(token, body)
    service.revoke_token(source.id)
    with pytest.raises(Unauthorized) as info:
        service.push_ninjs(new_token, body)
    assert info.value.reason == "revoked_token"


def test_bad_configuration_is_refused_with_a_reason(service):
    cases = [
        (lambda: service.add_feed("k", "ftp://partner.test/feed"), "bad_url"),
        (lambda: service.add_feed("k", "http://partner.test/feed", channel="home"), "bad_channel"),
        (lambda: service.add_feed("k", "http://partner.test/feed", interval=5), "bad_interval"),
        (lambda: service.add_pages("k"), "no_pages"),
        (lambda: service.add_pages("k", list_url="http://partner.test/", link_pattern="(["), "bad_pattern"),
        (lambda: service.disable("nobody"), "unknown_source"),
    ]
    for call, reason in cases:
        with pytest.raises(SourceConfigError) as info:
            call()
        assert info.value.reason == reason and info.value.message
    assert service.list_sources() == []


def test_disabled_sources_are_not_polled(partner, service, clock):
    url = partner.add("/f.xml", Route(atom([library_entry()]), headers=ATOM))
    service.add_feed("jz-daily", url)
    (disabled,) = service.disable("jz-daily")
    assert not disabled.enabled and service.health("jz-daily")[0].status == "disabled"
    assert service.poll_due("p1") == [] and partner.requests == []
    service.enable("jz-daily")
    assert len(service.poll_due("p1")) == 1


def test_an_identical_copy_with_an_older_time_changes_nothing(portal, partner, service, clock):
    url = partner.add("/f.xml", Route(atom([library_entry()]), headers=ATOM))
    source = service.add_feed("jz-daily", url)
    service.poll_due("p1")
    first_seen = clock.now
    older = library_entry(published=T0 - timedelta(days=1), updated=T0 - timedelta(days=1))
    partner.add("/f.xml", Route(atom([older]), headers=ATOM))
    clock.advance(seconds=source.interval_seconds)
    (poll,) = service.poll_due("p1")
    assert [i.action for i in poll.items] == ["unchanged"]
    stored = service.repo.item_by_guid(source.id, older.guid)
    # nothing written: the row keeps its times, and last_seen is refreshed only once it is a day old
    assert stored.original_time == T0 - timedelta(hours=2) and stored.last_seen == first_seen
    clock.advance(days=1)
    (poll,) = service.poll_due("p1")
    stored = service.repo.item_by_guid(source.id, older.guid)
    assert stored.original_time == T0 - timedelta(hours=2) and stored.last_seen == clock.now


def test_poll_loop_ticks_until_stopped(partner, service):
    import threading

    from newsportal.ingest.runner import PollLoop, poller_name

    partner.add("/f.xml", Route(atom([library_entry()]), headers=ATOM))
    service.add_feed("jz-daily", partner.url("/f.xml"))
    loop = PollLoop(service, me=poller_name("test"), every=3600)
    stop, seen = threading.Event(), []

    def after_tick(polls):
        seen.append([p.source_key for p in polls])
        stop.set()

    loop.run(stop, on_tick=after_tick)
    assert seen == [["jz-daily"]]
    assert loop.tick() == []  # nothing due any more
    thread = loop.start()._thread
    loop.stop()
    assert thread is not None and not thread.is_alive()


def test_a_failing_save_is_the_sources_error_and_releases_its_lease(portal, partner, fetcher, clock):
    from newsportal.ingest.writer import PortalArticleWriter
    from newsportal.store.ingest_sources import IngestSources

    writer = PortalArticleWriter(portal)

    def save_breaking_on_buses(draft, **kw):  # the real publish flow, with the database "failing" for one
        if "公交" in draft.title:
            raise RuntimeError("connection to the database lost")
        return writer.save(draft, **kw)

    service = IngestService(IngestSources(portal.store.engine), fetcher, save_breaking_on_buses,
                            withdraw_article=writer.withdraw, clock=clock, rng=random.Random(1))
    partner.add("/a.xml", Route(atom([library_entry(), bus_entry()]), headers=ATOM))
    partner.add("/b.xml", Route(atom([library_entry(guid="other-1")]), headers=ATOM))
    a = service.add_feed("a-daily", partner.url("/a.xml"))
    service.add_feed("b-daily", partner.url("/b.xml"))
    polls = {p.source_key: p for p in service.poll_due("p1")}
    assert (polls["a-daily"].ok, polls["a-daily"].error_reason) == (False, "internal")
    assert [i.action for i in polls["a-daily"].items] == ["created"]  # taken before the failure: kept
    assert polls["b-daily"].ok
    row = service.repo.get(a.id)
    assert row.lease_owner is None and row.failures == 1 and row.etag is None
    assert row.health.last_error_message == "保存稿件时出错：RuntimeError"


def test_embargoed_and_withheld_pushes_wait_for_review(portal, service, clock):
    _, token = service.add_push("youth-daily", trusted=True)
    item = json.loads(fixture_text("ninjs_v2_valid.json"))
    embargoed = item | {"uri": "urn:partner:youth-daily:embargo-1", "embargoed": "2026-11-29T08:00:00+08:00"}
    held = item | {"uri": "urn:partner:youth-daily:held-1", "pubstatus": "withheld",
                   "headlines": [{"role": "main", "value": "青年夜校冬季班开始报名"}],
                   "bodies": [{"role": "main", "contenttype": "text/plain",
                               "value": "青年夜校冬季班开设摄影、书法和急救三门课程，每门课十二个课时。"}],
                   "altids": [{"role": "url", "value": "http://partner.test/youth/2026/11/28/school.html"}]}
    first = service.push_ninjs(token, json.dumps(embargoed), now=clock.now)
    second = service.push_ninjs(token, json.dumps(held), now=clock.now)
    statuses = [portal.store.get_article(r.article_id).status for r in (first, second)]
    assert statuses == [ArticleStatus.REVIEW, ArticleStatus.REVIEW]  # trusted, yet not published
    unknown = held | {"uri": "urn:partner:youth-daily:never-seen", "pubstatus": "canceled",
                      "altids": [{"role": "url", "value": "http://partner.test/youth/never-seen.html"}],
                      "bodies": [{"role": "main", "contenttype": "text/plain",
                                  "value": "一篇本站从未收录的稿件。"}]}
    assert service.push_ninjs(token, json.dumps(unknown)).action == "ignored"
