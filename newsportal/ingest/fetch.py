"""Fetching partner feeds and pages politely and defensively.

A partner server is untrusted: it may be slow, trickle bytes forever, answer with a gigabyte, or redirect in
a circle. Every way a fetch can go wrong ends in a :class:`FetchError` with a stable ``reason`` code (for the
source's health record) and a Chinese message (for the newsroom), never in a hung worker or a half-read body.

* conditional GET (If-None-Match / If-Modified-Since) so an unchanged feed costs one short 304;
* a connect timeout, a per-read timeout and a *total* deadline checked while streaming, so a server that
  sends one byte a second is cut off even though no single read is slow;
* a size cap enforced while streaming (on decompressed bytes, so a gzip bomb is stopped too);
* redirects followed by hand, with a hop limit and loop detection;
* :class:`Backoff` spaces out polls of a failing source (exponential, capped, jittered) with an injected
  random source and clock so tests are deterministic.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx2 as httpx

from newsportal.ingest.items import IngestError
from newsportal.timeutil import to_utc_naive, utcnow

USER_AGENT = "newsportal-ingest/0.1 (+partner feed reader of the newsportal news site)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
    "text/html;q=0.8, */*;q=0.5"
)
REDIRECT_CODES = {301, 302, 303, 307, 308}

# Reason codes recorded on a source; ``http_<status>`` is added for error statuses.
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
REDIRECT_LOOP = "redirect_loop"
TOO_MANY_REDIRECTS = "too_many_redirects"
BAD_REDIRECT = "bad_redirect"
CONNECTION = "connection"
PROTOCOL = "protocol"
BAD_URL = "bad_url"
BLOCKED_ADDRESS = "blocked_address"

_MESSAGES = {
    TIMEOUT: "请求超时：对方服务器响应过慢",
    TOO_LARGE: "内容过大，超过上限",
    REDIRECT_LOOP: "重定向形成循环",
    TOO_MANY_REDIRECTS: "重定向次数过多",
    BAD_REDIRECT: "重定向缺少目标地址",
    CONNECTION: "无法连接对方服务器",
    PROTOCOL: "对方服务器的响应不完整或不符合 HTTP 协议",
    BAD_URL: "地址无效，只支持 http 和 https",
    BLOCKED_ADDRESS: "目标是内网或本机地址，已拒绝访问",
}


class FetchError(IngestError):
    """A fetch that produced no usable body. ``retry_after`` carries a server's Retry-After in seconds."""

    def __init__(self, reason: str, message: str | None = None, *, url: str = "",
                 status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason, message or _MESSAGES.get(reason, reason))
        self.url = url
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchResult:
    status: int
    url: str  # final URL after redirects
    headers: Mapping[str, str]
    body: bytes
    not_modified: bool = False
    redirects: tuple[str, ...] = ()

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 15.0  # longest silence between two chunks
    total_timeout: float = 60.0  # the whole fetch, redirects included
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    # Production sets this: a source URL or a redirect must not reach loopback, private or link-local
    # addresses (cloud metadata, the database). Off by default because tests and the embedded set-up
    # serve partners from 127.0.0.1.
    block_private: bool = False


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date (compared with naive-UTC ``now``)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = to_utc_naive(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, (when - now).total_seconds())


def _is_internal(host: str, port: int) -> bool:
    """True when any address the host resolves to is not a public one (unresolvable hosts pass: the
    request then fails as a connection error with its own reason)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            return True
    return False


class Fetcher:
    """One HTTP client per poller; ``fetch`` is safe to call for many sources in turn (not concurrently)."""

    def __init__(self, limits: FetchLimits | None = None, *, user_agent: str = USER_AGENT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or FetchLimits()
        self.clock = clock
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": ACCEPT},
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url``; a 304 to our conditional headers comes back as ``not_modified=True`` with no body."""
        deadline = self.clock() + self.limits.total_timeout
        seen = [url]
        current = url
        while True:
            self._check_url(current)
            headers: dict[str, str] = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            status, resp_headers, body, location = self._one(current, headers, deadline)
            if location is None:
                break
            target = urljoin(current, location)
            if target in seen:
                raise FetchError(REDIRECT_LOOP, url=url, status=status)
            if len(seen) > self.limits.max_redirects:
                raise FetchError(TOO_MANY_REDIRECTS, url=url, status=status)
            seen.append(target)
            current = target
        redirects = tuple(seen[1:])
        if status == 304:
            return FetchResult(304, current, resp_headers, b"", not_modified=True, redirects=redirects)
        return FetchResult(status, current, resp_headers, body, redirects=redirects)

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(BAD_URL, url=url)
        if self.limits.block_private and _is_internal(parts.hostname, parts.port or 80):
            raise FetchError(BLOCKED_ADDRESS, url=url)

    def _one(self, url: str, headers: dict[str, str], deadline: float
             ) -> tuple[int, dict[str, str], bytes, str | None]:
        remaining = deadline - self.clock()
        if remaining <= 0:
            raise FetchError(TIMEOUT, url=url)
        timeout = httpx.Timeout(min(self.limits.read_timeout, remaining),
                                connect=min(self.limits.connect_timeout, remaining))
        try:
            with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                status = response.status_code
                resp_headers = {k.lower(): v for k, v in response.headers.items()}
                if status in REDIRECT_CODES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(BAD_REDIRECT, url=url, status=status)
                    return status, resp_headers, b"", location
                if status == 304:
                    return status, resp_headers, b"", None
                if status >= 400 or status < 200:
                    raise FetchError(
                        f"http_{status}", f"对方服务器返回错误 HTTP {status}", url=url, status=status,
                        retry_after=_retry_after(response.headers.get("retry-after"), utcnow()),
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.limits.max_bytes:
                    raise FetchError(TOO_LARGE, f"内容过大：{declared} 字节，上限 {self.limits.max_bytes}",
                                     url=url, status=status)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.limits.max_bytes:
                        raise FetchError(TOO_LARGE, f"内容超过上限 {self.limits.max_bytes} 字节",
                                         url=url, status=status)
                    if self.clock() > deadline:
                        raise FetchError(TIMEOUT, "读取超时：对方服务器发送过慢", url=url, status=status)
                    chunks.append(chunk)
                return status, resp_headers, b"".join(chunks), None
        except httpx.TimeoutException as exc:
            raise FetchError(TIMEOUT, url=url) from exc
        except (httpx.RemoteProtocolError, httpx.LocalProtocolError, httpx.DecodingError) as exc:
            raise FetchError(PROTOCOL, url=url) from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FetchError(BAD_URL, url=url) from exc
        except httpx.TransportError as exc:
            raise FetchError(CONNECTION, url=url) from exc


@dataclass
class Backoff:
    """When to poll a source next. Healthy sources keep their interval; each consecutive failure doubles
    the wait (``base * factor**(failures-1)``) up to ``cap``, and "equal jitter" keeps a crowd of sources that
    failed together (a partner's outage) from retrying in lock-step. A server's Retry-After is honoured up to
    the cap. ``rng`` and ``clock`` are injected so tests need no sleeping and no luck.
    """

    base: float = 60.0
    factor: float = 2.0
    cap: float = 6 * 3600.0
    rng: random.Random = field(default_factory=random.Random)
    clock: Callable[[], datetime] = utcnow

    def delay(self, failures: int, *, interval: float, retry_after: float | None = None) -> float:
        """Seconds to wait after ``failures`` consecutive failures (0 means the last poll succeeded)."""
        if failures <= 0:
            return interval
        raw = min(self.cap, self.base * self.factor ** min(failures - 1, 64))
        jittered = raw / 2 + self.rng.uniform(0, raw / 2)
        if retry_after is not None:
            jittered = max(jittered, min(retry_after, self.cap))
        return jittered

    def next_poll(self, failures: int, *, interval: float, retry_after: float | None = None) -> datetime:
        """Naive-UTC time of the next poll."""
        wait = self.delay(failures, interval=interval, retry_after=retry_after)
        return self.clock() + timedelta(seconds=wait)
