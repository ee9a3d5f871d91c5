"""A whole poll of a feed source and of a page source against the local partner server."""

from __future__ import annotations

import pytest

from newsportal.ingest.feeds import FeedError
from newsportal.ingest.fetch import Fetcher, FetchLimits
from newsportal.ingest.poll import poll_feed, poll_pages
from tests.ingest.conftest import fixture_text, render
from tests.ingest.partner_server import PartnerServer, Route

LIMITS = FetchLimits(connect_timeout=1.0, read_timeout=1.0, total_timeout=1.5, max_bytes=256 * 1024)


def test_feed_poll_then_conditional_poll(partner: PartnerServer) -> None:
    body = render("city_daily.rss.xml").encode("gbk")
    url = partner.add("/feed.xml", Route(body, headers={"Content-Type": "application/rss+xml; charset=gbk"},
                                         etag='"jz-1"'))
    with Fetcher(LIMITS) as fetcher:
        first = poll_feed(fetcher, url, "jzrb")
        second = poll_feed(fetcher, url, "jzrb", etag=first.etag, last_modified=first.last_modified)
    assert [i.guid for i in first.items] == ["jzrb-20261128-0001", "jzrb-20261127-0042", "jzrb-20261126-0017"]
    assert all(i.source_key == "jzrb" and i.origin == "feed" for i in first.items)
    assert first.etag == '"jz-1"' and not first.refused
    assert second.not_modified and second.items == [] and second.etag == '"jz-1"'


def test_feed_poll_reports_refused_entries(partner: PartnerServer) -> None:
    url = partner.add("/youth.xml", Route(fixture_text("partly_broken.rss.xml").encode()))
    with Fetcher(LIMITS) as fetcher:
        outcome = poll_feed(fetcher, url, "youth")
    assert [i.guid for i in outcome.items] == ["youth-1", "youth-3"]
    assert [(r.ref, r.message) for r in outcome.refused] == [("youth-2", "条目缺少标题")]
    assert outcome.warning


def test_broken_feed_poll_raises_and_takes_nothing(partner: PartnerServer) -> None:
    url = partner.add("/feed.xml", Route(fixture_text("not_found_page.html").encode()))
    with Fetcher(LIMITS) as fetcher, pytest.raises(FeedError) as info:
        poll_feed(fetcher, url, "jzrb")
    assert info.value.reason == "not_a_feed"


def test_page_poll_from_a_list_page(partner: PartnerServer) -> None:
    listing = fixture_text("list_page.html").replace("http://partner.test", partner.base)
    partner.add("/news/", Route(listing.encode(), headers={"Content-Type": "text/html; charset=utf-8"}))
    article = render("article_page.html", meta='<meta charset="gbk">').encode("gbk")
    partner.add("/news/2026/11/28/lib-hours.html", Route(article, headers={"Content-Type": "text/html"}))
    partner.add("/news/2026/11/27/bus-line.html", Route(fixture_text("not_found_page.html").encode()))
    # drains.html is not served at all: a 404 for one page must not sink the poll
    with Fetcher(LIMITS) as fetcher:
        outcome = poll_pages(fetcher, "jzrb-pages", list_url=partner.url("/news/"),
                             known={partner.url("/news/2026/11/26/drains.html")})
    assert [i.title for i in outcome.items] == ["江州市图书馆延长周末开放时间"]
    assert outcome.items[0].editor == "陈默" and outcome.items[0].origin == "page"
    refused = [(r.ref.rsplit("/", 1)[-1], r.reason) for r in outcome.refused]
    assert refused == [("bus-line.html", "not_article")]
    requested = [path for path, _ in partner.requests]
    assert "/news/2026/11/26/drains.html" not in requested  # already known: not fetched again


def test_page_poll_records_http_errors_per_page(partner: PartnerServer) -> None:
    with Fetcher(LIMITS) as fetcher:
        outcome = poll_pages(fetcher, "p", urls=[partner.url("/gone.html")])
    assert outcome.items == []
    assert [r.reason for r in outcome.refused] == ["http_404"]
