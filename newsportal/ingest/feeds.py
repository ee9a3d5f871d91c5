"""RSS 2.0 and Atom feeds to :class:`FeedItem` via feedparser.

feedparser gets text we already decoded (see :mod:`newsportal.ingest.encoding`), re-encoded as UTF-8 with the
XML declaration removed and the content type saying so: left to itself it would trust a wrong declaration.
It is also never handed a ``str``, which it would try to open as a file name or URL.

What counts as broken: a document that is not a feed at all (an HTML page, a JSON error), a truncated file
(the root element never closes: the last item may be cut mid-sentence, so nothing is taken), and malformed XML
from which no entry could be recovered. A feed that is malformed somewhere but still yields entries keeps
every entry that has a title and an identity; the rest are reported in ``skipped``.
"""

from __future__ import annotations

import calendar
import html
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from newsportal.ingest.encoding import decode_bytes, strip_xml_declaration
from newsportal.ingest.items import IngestError, IngestItem, content_hash, normalise_text
from newsportal.text.sanitize import BodyTooLarge, html_to_text, sanitize_html

SUMMARY_CHARS = 300

_ROOT = re.compile(r"<(?!\?|!)([A-Za-z_][\w.:-]*)")
_COMMENT_OR_PI = re.compile(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", re.S | re.I)
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_LINK_ATTR = re.compile(r'\b(href|src)="([^"]*)"')


class FeedError(IngestError):
    """The document cannot be read as a feed; ``reason`` is one of ``not_a_feed``, ``truncated``,
    ``malformed``, ``empty_document`` or ``undecodable``."""


@dataclass(frozen=True)
class FeedItem:
    guid: str
    url: str | None
    title: str
    summary: str
    body_html: str
    author: str
    published_at: datetime | None  # naive UTC
    updated_at: datetime | None  # naive UTC
    categories: tuple[str, ...]
    content_hash: str

    def to_item(self, source_key: str) -> IngestItem:
        return IngestItem(
            source_key=source_key, origin="feed", guid=self.guid, original_url=self.url,
            original_time=self.published_at, updated_time=self.updated_at, title=self.title,
            summary=self.summary, body_html=self.body_html, byline=self.author, tags=self.categories,
            content_hash=self.content_hash,
        )


@dataclass(frozen=True)
class SkippedEntry:
    index: int  # position in the feed, 0-based
    guid: str
    reason: str  # Chinese, for the source's health view


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str | None
    version: str  # feedparser's name: rss20, atom10, ...
    encoding: str
    items: list[FeedItem]
    skipped: list[SkippedEntry] = field(default_factory=list)
    warning: str = ""  # set when the XML was malformed but entries were recovered


def _root_name(text: str) -> str:
    head = _COMMENT_OR_PI.sub("", text[:4096])
    match = _ROOT.search(head)
    return match.group(1).lower() if match else ""


def _is_closed(text: str, root: str) -> bool:
    tail = _COMMENT_OR_PI.sub("", text[-4096:]).rstrip()
    return tail.lower().endswith(f"</{root}>")


def _utc(parsed: Any) -> datetime | None:
    """feedparser's ``*_parsed`` are UTC struct_times; anything unusable becomes None, never an exception."""
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC).replace(tzinfo=None)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _absolute_links(body_html: str, base_url: str | None) -> str:
    """Resolve relative ``href``/``src`` in sanitized HTML (nh3 always writes double-quoted attributes)."""
    if not base_url:
        return body_html

    def resolve(match: re.Match[str]) -> str:
        target = urljoin(base_url, html.unescape(match.group(2)))
        return f'{match.group(1)}="{html.escape(target)}"'

    return _LINK_ATTR.sub(resolve, body_html)


def _entry_to_item(entry: Any, base_url: str | None) -> FeedItem:
    title = normalise_text(html_to_text(entry.get("title", "")))
    contents = entry.get("content") or []
    html_parts = [c.get("value", "") for c in contents if "html" in (c.get("type") or "text/html")]
    raw_body = max(html_parts, key=len) if html_parts else ""
    raw_summary = entry.get("summary", "") or ""
    if not raw_body:
        raw_body = raw_summary if "<" in raw_summary else "".join(
            f"<p>{line}</p>" for line in raw_summary.splitlines() if line.strip())
    body_html = _absolute_links(sanitize_html(raw_body), base_url)
    summary_text = normalise_text(html_to_text(sanitize_html(raw_summary))) if raw_summary else ""
    if not summary_text:
        summary_text = normalise_text(html_to_text(body_html))
    link = entry.get("link") or None
    if link and base_url:
        link = urljoin(base_url, link)
    guid = (entry.get("id") or link or "").strip()
    categories = tuple(dict.fromkeys(
        normalise_text(t.get("term") or t.get("label") or "") for t in entry.get("tags", []) or []))
    return FeedItem(
        guid=guid, url=link, title=title, summary=summary_text[:SUMMARY_CHARS], body_html=body_html,
        author=normalise_text(entry.get("author", "")),
        published_at=_utc(dict.get(entry, "published_parsed")) or _utc(dict.get(entry, "updated_parsed")),
        updated_at=_utc(dict.get(entry, "updated_parsed")),
        categories=tuple(c for c in categories if c), content_hash=content_hash(title, body_html),
    )


def parse_feed_text(text: str, *, base_url: str | None = None, encoding: str = "utf-8") -> ParsedFeed:
    """Parse an already-decoded feed document."""
    text = strip_xml_declaration(text)
    if not text.strip():
        raise FeedError("empty_document", "订阅源内容为空")
    root = _root_name(text)
    if root == "html" or (root and root not in _FEED_ROOTS and root != "rdf:rdf"):
        raise FeedError("not_a_feed", f"这不是 RSS/Atom 订阅源（根元素是 <{root}>），可能是网页或错误页")
    if not root:
        raise FeedError("not_a_feed", "这不是 RSS/Atom 订阅源：找不到 XML 根元素")
    # No content-location: feedparser would resolve ``<guid>`` values against it as if they were URLs, and a
    # guid must stay exactly as the partner wrote it. Links are resolved here instead.
    headers = {"content-type": "application/xml; charset=utf-8"}
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=headers)
    warning = ""
    if parsed.get("bozo"):
        if not _is_closed(text, root):
            raise FeedError("truncated", "订阅源文件不完整（被截断），本次不导入任何条目")
        exc = parsed.get("bozo_exception")
        warning = f"XML 格式有误：{exc}"
        if not parsed.entries:
            raise FeedError("malformed", f"订阅源 XML 格式错误，无法读出条目：{exc}")
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("not_a_feed", "无法识别为 RSS 或 Atom 订阅源")
    items: list[FeedItem] = []
    skipped: list[SkippedEntry] = []
    seen: set[str] = set()
    for index, entry in enumerate(parsed.entries):
        try:
            item = _entry_to_item(entry, base_url)
        except BodyTooLarge as exc:
            skipped.append(SkippedEntry(index, entry.get("id", ""), str(exc)))
            continue
        if not item.title:
            skipped.append(SkippedEntry(index, item.guid, "条目缺少标题"))
        elif not item.guid:
            skipped.append(SkippedEntry(index, "", "条目既没有 guid/id 也没有链接"))
        elif not item.body_html and not item.summary:
            skipped.append(SkippedEntry(index, item.guid, "条目没有正文也没有摘要"))
        elif item.guid in seen:
            skipped.append(SkippedEntry(index, item.guid, "同一订阅源中 guid 重复"))
        else:
            seen.add(item.guid)
            items.append(item)
    if warning and not items:
        raise FeedError("malformed", f"订阅源 XML 格式错误，没有可用的条目：{parsed.get('bozo_exception')}")
    feed = parsed.get("feed", {})
    return ParsedFeed(
        title=normalise_text(feed.get("title", "")), link=feed.get("link") or None,
        version=parsed.get("version") or "", encoding=encoding, items=items, skipped=skipped, warning=warning,
    )


def parse_feed(data: bytes, *, content_type: str | None = None, base_url: str | None = None) -> ParsedFeed:
    """Decode (header, XML declaration, detection) and parse a fetched feed body."""
    if not data.strip():
        raise FeedError("empty_document", "订阅源内容为空")
    decoded = decode_bytes(data, content_type)
    return parse_feed_text(decoded.text, base_url=base_url, encoding=decoded.encoding)
