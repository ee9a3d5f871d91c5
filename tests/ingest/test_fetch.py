"""The fetcher against a real local HTTP server: conditional GET, limits, redirects, slow partners."""

from __future__ import annotations

import gzip
import random
import socket
from datetime import datetime

import pytest

from newsportal.ingest.fetch import USER_AGENT, Backoff, Fetcher, FetchError, FetchLimits
from tests.ingest.partner_server import PartnerServer, Route

FEED = "<rss version='2.0'><channel><title>江州日报</title></channel></rss>".encode()
# Short limits keep the slow-server tests well under two seconds each.
FAST = FetchLimits(connect_timeout=1.0, read_timeout=0.5, total_timeout=1.0, max_bytes=64 * 1024,
                   max_redirects=3)


def _fetch_error(fetcher: Fetcher, url: str, **kwargs: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url, **kwargs)
    return info.value


def test_plain_fetch_returns_body_headers_and_names_the_portal(partner: PartnerServer) -> None:
    url = partner.add("/feed.xml", Route(FEED, headers={"Content-Type": "application/rss+xml; charset=utf-8"},
                                         etag='"v1"', last_modified="Sat, 28 Nov 2026 01:00:00 GMT"))
    with Fetcher(FAST) as fetcher:
        result = fetcher.fetch(url)
    assert result.status == 200 and not result.not_modified
    assert result.body == FEED
    assert result.url == url
    assert result.etag == '"v1"'
    assert result.last_modified == "Sat, 28 Nov 2026 01:00:00 GMT"
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert partner.requests[-1][1]["user-agent"] == USER_AGENT
    assert "newsportal" in USER_AGENT


def test_conditional_get_with_etag_comes_back_not_modified(partner: PartnerServer) -> None:
    url = partner.add("/feed.xml", Route(FEED, etag='"v1"'))
    with Fetcher(FAST) as fetcher:
        result = fetcher.fetch(url, etag='"v1"')
        changed = fetcher.fetch(url, etag='"v0"')
    assert result.not_modified and result.status == 304 and result.body == b""
    assert partner.requests[0][1]["if-none-match"] == '"v1"'
    assert not changed.not_modified and changed.body == FEED


def test_conditional_get_with_last_modified(partner: PartnerServer) -> None:
    stamp = "Sat, 28 Nov 2026 01:00:00 GMT"
    url = partner.add("/feed.xml", Route(FEED, last_modified=stamp))
    with Fetcher(FAST) as fetcher:
        result = fetcher.fetch(url, last_modified=stamp)
    assert result.not_modified
    assert partner.requests[0][1]["if-modified-since"] == stamp


def test_error_status_has_its_own_reason(partner: PartnerServer) -> None:
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, partner.url("/gone.xml"))
    assert error.reason == "http_404" and error.status == 404
    assert "404" in error.message


def test_retry_after_is_passed_on(partner: PartnerServer) -> None:
    url = partner.add("/busy.xml", Route(b"busy", status=503, headers={"Retry-After": "120"}))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.reason == "http_503"
    assert error.retry_after == 120.0


def test_redirects_are_followed_to_the_final_url(partner: PartnerServer) -> None:
    partner.add("/old.xml", Route(status=301, headers={"Location": "/moved.xml"}))
    partner.add("/moved.xml", Route(status=302, headers={"Location": partner.url("/feed.xml")}))
    final = partner.add("/feed.xml", Route(FEED))
    with Fetcher(FAST) as fetcher:
        result = fetcher.fetch(partner.url("/old.xml"))
    assert result.url == final
    assert result.redirects == (partner.url("/moved.xml"), final)
    assert result.body == FEED


def test_redirect_loop_is_detected(partner: PartnerServer) -> None:
    partner.add("/a.xml", Route(status=302, headers={"Location": "/b.xml"}))
    partner.add("/b.xml", Route(status=302, headers={"Location": "/a.xml"}))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, partner.url("/a.xml"))
    assert error.reason == "redirect_loop"
    assert len(partner.requests) == 2


def test_redirect_chain_longer_than_the_limit_is_cut(partner: PartnerServer) -> None:
    for i in range(6):
        partner.add(f"/r{i}", Route(status=307, headers={"Location": f"/r{i + 1}"}))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, partner.url("/r0"))
    assert error.reason == "too_many_redirects"
    assert len(partner.requests) == FAST.max_redirects + 1


def test_declared_length_over_the_cap_is_refused_before_reading(partner: PartnerServer) -> None:
    url = partner.add("/huge.xml", Route(b"x" * (FAST.max_bytes + 1)))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.reason == "too_large"


def test_undeclared_endless_body_is_cut_while_streaming(partner: PartnerServer) -> None:
    url = partner.add("/endless.xml", Route(endless=50 * 1024 * 1024))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.reason == "too_large"


def test_compressed_body_is_capped_after_decompression(partner: PartnerServer) -> None:
    bomb = gzip.compress(b"<item>" + b"0" * (4 * FAST.max_bytes) + b"</item>")
    assert len(bomb) < FAST.max_bytes
    url = partner.add("/bomb.xml", Route(bomb, headers={"Content-Encoding": "gzip"}))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.reason == "too_large"


def test_server_silent_before_answering_times_out(partner: PartnerServer) -> None:
    url = partner.add("/slow.xml", Route(FEED, delay=1.5))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.reason == "timeout"


def test_trickling_server_is_cut_off_by_the_total_deadline(partner: PartnerServer) -> None:
    # Every byte arrives well inside the read timeout and the whole body would take ten seconds, so only
    # the total deadline can turn this into an error.
    url = partner.add("/trickle.xml", Route(b"y" * 200, trickle=0.05))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.reason == "timeout"
    assert "过慢" in error.message


def test_body_shorter_than_its_content_length_is_a_protocol_error(partner: PartnerServer) -> None:
    url = partner.add("/cut.xml", Route(FEED, short_by=500))
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.reason == "protocol"


def test_refused_connection() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, f"http://127.0.0.1:{port}/feed.xml")
    assert error.reason == "connection"


@pytest.mark.parametrize(
    "url", ["ftp://partner.test/feed.xml", "file:///etc/passwd", "javascript:alert(1)", "不是网址"])
def test_only_http_urls_are_fetched(url: str) -> None:
    with Fetcher(FAST) as fetcher:
        error = _fetch_error(fetcher, url)
    assert error.reason == "bad_url"


NOW = datetime(2026, 11, 28, 12, 0, 0)


def _backoff(seed: int = 7) -> Backoff:
    return Backoff(base=60, factor=2, cap=3600, rng=random.Random(seed), clock=lambda: NOW)


def test_healthy_source_keeps_its_interval() -> None:
    assert _backoff().delay(0, interval=900) == 900
    assert _backoff().next_poll(0, interval=900) == datetime(2026, 11, 28, 12, 15, 0)


def test_failures_back_off_exponentially_with_jitter_inside_bounds() -> None:
    backoff = _backoff()
    for failures, raw in [(1, 60), (2, 120), (3, 240), (4, 480), (5, 960), (6, 1920), (7, 3600), (30, 3600)]:
        delay = backoff.delay(failures, interval=900)
        assert raw / 2 <= delay <= raw


def test_jitter_is_deterministic_for_a_seed_and_differs_between_seeds() -> None:
    first = [_backoff(1).delay(n, interval=900) for n in range(1, 6)]
    again = [_backoff(1).delay(n, interval=900) for n in range(1, 6)]
    other = [_backoff(2).delay(n, interval=900) for n in range(1, 6)]
    assert first == again
    assert first != other


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    assert _backoff().delay(1, interval=900, retry_after=1800) == 1800
    assert _backoff().delay(1, interval=900, retry_after=86400) == 3600


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.0.0.8", "169.254.169.254", "[::1]"])
def test_internal_addresses_are_refused_when_blocking_is_on(host: str) -> None:
    limits = FetchLimits(connect_timeout=0.5, read_timeout=0.5, total_timeout=1.0, block_private=True)
    with Fetcher(limits) as fetcher:
        error = _fetch_error(fetcher, f"http://{host}/feed.xml")
    assert error.reason == "blocked_address"
    assert error.reason_code == "blocked_address"

