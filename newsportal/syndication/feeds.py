"""RSS 2.0 and Atom feeds of a channel or a source, written with feedgen.

Pure functions over ``FeedChannel`` + ``FeedEntry`` values and an injected ``now``: the caller decides which
articles go in (and their absolute URLs); this module makes the XML right for what readers and the W3C
feed validator expect:

* every URL absolute (http/https), the feed's own address as ``atom:link rel="self"``;
* RSS dates in RFC 822 form with the newsroom's offset (``Wed, 02 Dec 2026 22:10:00 +0800``), Atom dates
  in RFC 3339; naive datetimes are refused rather than guessed;
* one ``guid`` per item (duplicates dropped, first kept), ``isPermaLink="true"`` only when it is the link;
  Atom ids must be IRIs, so a non-URI guid becomes a ``tag:`` URI, stable because it uses the publish date;
* no control characters: XML 1.0 forbids most of them and feed readers choke on the rest.

Bodies: the plain-text summary goes to ``description``/``summary``; with ``full_text=True`` the entry's
sanitised HTML also goes to ``content:encoded`` (RSS) / ``content type="html"`` (Atom), escaped rather than
in CDATA so a ``]]>`` in an article cannot end it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

PUBLICATION = "山海新闻"
LANGUAGE = "zh-cn"
NEWSROOM_TZ = ZoneInfo("Asia/Shanghai")
MAX_ENTRIES = 100
GENERATOR = "newsportal"

# C0 controls except tab/newline/CR, DEL, C1 controls, lone surrogates and the two XML non-characters
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_URI_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")


class FeedError(ValueError):
    """The feed cannot be written from this input (a relative URL, a naive date, an empty title)."""


@dataclass(frozen=True)
class FeedChannel:
    """What the feed describes: a channel (本地, 财经…) or a source (新华社…)."""

    title: str
    link: str  # absolute URL of the HTML page the feed mirrors
    self_url: str  # absolute URL the feed itself is served at
    description: str
    language: str = LANGUAGE
    publisher: str = PUBLICATION


@dataclass(frozen=True)
class FeedEntry:
    """One article in a feed. ``summary`` is plain text; ``content_html`` is already-sanitised HTML."""

    title: str
    link: str
    published: datetime
    updated: datetime | None = None
    guid: str | None = None  # defaults to the link
    author: str | None = None
    source: str | None = None  # the originating outlet, credited when there is no author
    summary: str = ""
    content_html: str | None = None
    categories: tuple[str, ...] = field(default_factory=tuple)


def clean_text(text: str | None) -> str:
    """Text without the control characters XML cannot carry."""
    return _CONTROL.sub("", text or "")


def _absolute(url: str, what: str) -> str:
    url = clean_text(url).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FeedError(f"{what} must be an absolute http(s) URL: {url!r}")
    return url


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise FeedError(f"{what} has no time zone: {value!r}")
    return value.astimezone(NEWSROOM_TZ)


def _required(text: str, what: str) -> str:
    text = " ".join(clean_text(text).split())
    if not text:
        raise FeedError(f"{what} is empty")
    return text


def _atom_id(guid: str, link_host: str, published: datetime) -> str:
    if _URI_SCHEME.match(guid):
        return guid
    # RFC 4151 tag URI: the host and a date the id was minted on make it unique and permanent
    return f"tag:{link_host},{published.date().isoformat()}:{re.sub(r'[^A-Za-z0-9._~/-]', '-', guid)}"


def _generator(channel: FeedChannel, entries: Iterable[FeedEntry], now: datetime, full_text: bool,
               max_entries: int, atom: bool) -> FeedGenerator:
    now = _aware(now, "now")
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # RSS <author> must be an e-mail; dc:creator takes a name
    link = _absolute(channel.link, "channel link")
    self_url = _absolute(channel.self_url, "feed self URL")
    fg.id(self_url)
    fg.title(_required(channel.title, "channel title"))
    fg.description(_required(channel.description, "channel description"))
    fg.subtitle(_required(channel.description, "channel description"))
    fg.link(href=self_url, rel="self", type="application/atom+xml" if atom else "application/rss+xml")
    fg.link(href=link, rel="alternate", type="text/html")  # the last link set is RSS's <link>
    fg.language(channel.language)
    fg.author({"name": _required(channel.publisher, "publisher")})
    fg.generator(GENERATOR)
    fg.docs("https://www.rssboard.org/rss-specification")

    seen: set[str] = set()
    newest: datetime | None = None
    for entry in entries:
        if len(seen) >= max_entries:
            break
        entry_link = _absolute(entry.link, "entry link")
        guid = clean_text(entry.guid).strip() or entry_link
        if guid in seen:
            continue
        seen.add(guid)
        published = _aware(entry.published, "entry published")
        updated = _aware(entry.updated, "entry updated") if entry.updated else published
        updated = max(updated, published)
        newest = updated if newest is None else max(newest, updated)

        fe = fg.add_entry(order="append")
        fe.title(_required(entry.title, "entry title"))
        fe.link(href=entry_link, rel="alternate", type="text/html")
        if atom:  # guid() and id() overwrite each other in feedgen: one per format
            fe.id(_atom_id(guid, urlsplit(entry_link).hostname or "localhost", published))
        else:
            fe.guid(guid, permalink=guid == entry_link)
        fe.published(published)
        fe.updated(updated)
        fe.pubDate(published)
        credit = " ".join(clean_text(entry.author or entry.source or "").split())
        if credit:
            fe.author({"name": credit})
            fe.dc.dc_creator(credit)
        summary = " ".join(clean_text(entry.summary).split())
        if summary:  # RSS descriptions are HTML to readers: plain text goes in escaped (as Atom type="html")
            fe.summary(html.escape(summary, quote=False), type="html")
        if full_text and entry.content_html:
            fe.content(clean_text(entry.content_html), type="html")
        for category in entry.categories:
            term = " ".join(clean_text(category).split())
            if term:
                fe.category(term=term, label=term)

    fg.updated(newest or now)  # also RSS lastBuildDate: when the channel's content last changed
    return fg


def rss_feed(channel: FeedChannel, entries: Iterable[FeedEntry], now: datetime, full_text: bool = False,
             max_entries: int = MAX_ENTRIES) -> bytes:
    """RSS 2.0 document (UTF-8 bytes) of the first ``max_entries`` entries, in the order given."""
    return _generator(channel, entries, now, full_text, max_entries, atom=False).rss_str(pretty=True)


def atom_feed(channel: FeedChannel, entries: Iterable[FeedEntry], now: datetime, full_text: bool = False,
              max_entries: int = MAX_ENTRIES) -> bytes:
    """Atom 1.0 document (UTF-8 bytes) of the first ``max_entries`` entries, in the order given."""
    return _generator(channel, entries, now, full_text, max_entries, atom=True).atom_str(pretty=True)


RSS_MEDIA_TYPE = "application/rss+xml; charset=utf-8"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
