"""Sitemaps for search engines: an index, paged URL sitemaps and a Google News sitemap.

The sitemap protocol caps a file at 50,000 URLs (and 50 MB), so article URLs are served in pages listed by a
sitemap index; pages are cut from an iterable so the caller can stream rows from the store without holding
100,000 articles in memory. Google News reads only articles from the last two days, at most 1,000 per
sitemap, each with the publication's name and language.

Written as strings rather than through an XML library: the documents are flat, the only escaping needed is
XML's five characters, and a 50,000-URL page costs a few milliseconds this way. URLs must be absolute
http(s); non-ASCII in them (Chinese slugs) is percent-encoded as RFC 3986 and the protocol require.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from urllib.parse import quote, urlsplit, urlunsplit
from xml.sax.saxutils import escape

from newsportal.syndication.feeds import LANGUAGE, PUBLICATION, clean_text

MAX_URLS = 50_000
NEWS_MAX_ITEMS = 1_000
NEWS_WINDOW = timedelta(hours=48)
XML_MEDIA_TYPE = "application/xml; charset=utf-8"

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_ENTITIES = {'"': "&quot;", "'": "&apos;"}
_CHANGEFREQ = frozenset({"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"})
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# already in the form absolute_url produces: ASCII host, nothing to encode (the common case, checked fast)
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9/:@!$&'()*+,;=._~?-]*")


class SitemapError(ValueError):
    """A URL or date a sitemap cannot carry (relative URL, naive datetime, bad page number)."""


@dataclass(frozen=True)
class SitemapUrl:
    """One page for the URL sitemap."""

    loc: str
    lastmod: datetime | None = None
    changefreq: str | None = None
    priority: float | None = None


@dataclass(frozen=True)
class SitemapRef:
    """One sitemap listed in the sitemap index."""

    loc: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class NewsItem:
    """One article for the Google News sitemap."""

    loc: str
    title: str
    published: datetime


def _x(text: str) -> str:
    return escape(clean_text(text), _ENTITIES)


def absolute_url(url: str) -> str:
    """The URL as a sitemap wants it: absolute http(s), IDNA host, percent-encoded path and query."""
    if _PLAIN_URL.fullmatch(url):
        return url
    parts = urlsplit(clean_text(url).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SitemapError(f"sitemap URLs must be absolute http(s): {url!r}")
    netloc = parts.netloc
    if not netloc.isascii():
        host = parts.hostname.encode("idna").decode("ascii")
        netloc = host + (f":{parts.port}" if parts.port else "")
    path = quote(_PERCENT.sub("%25", parts.path), safe=_SAFE_PATH)
    query = quote(_PERCENT.sub("%25", parts.query), safe=_SAFE_PATH + "?")
    return urlunsplit((parts.scheme, netloc, path or "/", query, ""))


def w3c_datetime(value: datetime) -> str:
    """W3C Datetime with seconds and offset (2026-12-02T22:10:00+08:00); naive datetimes are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise SitemapError(f"sitemap dates need a time zone: {value!r}")
    return value.replace(microsecond=0).isoformat()


def page_count(total: int, per_page: int = MAX_URLS) -> int:
    """How many sitemap pages ``total`` URLs need (at least one: an empty sitemap is still valid)."""
    return max(1, -(-total // per_page))


def pages(urls: Iterable[SitemapUrl], per_page: int = MAX_URLS) -> Iterator[list[SitemapUrl]]:
    """The URLs in consecutive pages of at most ``per_page`` (for writing all pages in one pass)."""
    if not 0 < per_page <= MAX_URLS:
        raise SitemapError(f"per_page must be between 1 and {MAX_URLS}")
    it = iter(urls)
    while chunk := list(islice(it, per_page)):
        yield chunk


def _url_entry(u: SitemapUrl) -> str:
    parts = [f"<url><loc>{_x(absolute_url(u.loc))}</loc>"]
    if u.lastmod is not None:
        parts.append(f"<lastmod>{w3c_datetime(u.lastmod)}</lastmod>")
    if u.changefreq is not None:
        if u.changefreq not in _CHANGEFREQ:
            raise SitemapError(f"unknown changefreq {u.changefreq!r}")
        parts.append(f"<changefreq>{u.changefreq}</changefreq>")
    if u.priority is not None:
        if not 0.0 <= u.priority <= 1.0:
            raise SitemapError(f"priority must be within 0.0–1.0: {u.priority}")
        parts.append(f"<priority>{u.priority:.1f}</priority>")
    parts.append("</url>")
    return "".join(parts)


def urlset(urls: Iterable[SitemapUrl]) -> bytes:
    """One sitemap file; more than ``MAX_URLS`` URLs is an error (use ``sitemap_page``)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_SITEMAP_NS}">\n'
    body = []
    for n, u in enumerate(urls, 1):
        if n > MAX_URLS:
            raise SitemapError(f"a sitemap holds at most {MAX_URLS} URLs")
        body.append(_url_entry(u))
    return (head + "\n".join(body) + ("\n" if body else "") + "</urlset>\n").encode("utf-8")


def sitemap_page(urls: Iterable[SitemapUrl], page: int, per_page: int = MAX_URLS) -> bytes:
    """Page ``page`` (1-based) of the URLs, at most ``per_page`` of them; reads the iterable lazily.

    Page 1 always exists (possibly empty); a later page with no URLs raises ``SitemapError`` (a 404).
    """
    if page < 1 or not 0 < per_page <= MAX_URLS:
        raise SitemapError(f"no sitemap page {page}")
    chunk = list(islice(iter(urls), (page - 1) * per_page, page * per_page))
    if not chunk and page > 1:
        raise SitemapError(f"no sitemap page {page}")
    return urlset(chunk)


def sitemap_index(sitemaps: Iterable[SitemapRef]) -> bytes:
    """The sitemap index listing every sitemap (article pages, the news sitemap, channel pages…)."""
    rows = []
    for n, ref in enumerate(sitemaps, 1):
        if n > MAX_URLS:
            raise SitemapError(f"a sitemap index holds at most {MAX_URLS} sitemaps")
        lastmod = f"<lastmod>{w3c_datetime(ref.lastmod)}</lastmod>" if ref.lastmod else ""
        rows.append(f"<sitemap><loc>{_x(absolute_url(ref.loc))}</loc>{lastmod}</sitemap>")
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_SITEMAP_NS}">\n'
    return (head + "".join(r + "\n" for r in rows) + "</sitemapindex>\n").encode("utf-8")


def news_sitemap(
    items: Iterable[NewsItem],
    now: datetime,
    publication: str = PUBLICATION,
    language: str = LANGUAGE,
    window: timedelta = NEWS_WINDOW,
    limit: int = NEWS_MAX_ITEMS,
) -> bytes:
    """Google News sitemap: articles published within ``window`` before ``now``, newest first, ≤ ``limit``.

    Articles dated in the future (scheduled, or a clock skew) are left out until their time comes.
    """
    w3c_datetime(now)
    since = now - window
    fresh = [i for i in items if since <= _aware(i.published) <= now]
    fresh.sort(key=lambda i: i.published, reverse=True)
    seen: set[str] = set()
    rows = []
    for item in fresh:
        loc = absolute_url(item.loc)
        title = " ".join(clean_text(item.title).split())
        if loc in seen or not title:
            continue
        seen.add(loc)
        rows.append(
            f"<url><loc>{_x(loc)}</loc><news:news><news:publication>"
            f"<news:name>{_x(publication)}</news:name><news:language>{_x(language)}</news:language>"
            f"</news:publication><news:publication_date>{w3c_datetime(item.published)}"
            f"</news:publication_date><news:title>{_x(title)}</news:title></news:news></url>"
        )
        if len(rows) >= min(limit, NEWS_MAX_ITEMS):
            break
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="{_SITEMAP_NS}" xmlns:news="{_NEWS_NS}">\n')
    return (head + "".join(r + "\n" for r in rows) + "</urlset>\n").encode("utf-8")


def _aware(value: datetime) -> datetime:
    w3c_datetime(value)
    return value
