"""Partner article pages to :class:`PageItem`: main text, title, byline, editor and time.

trafilatura finds the main text (it already drops navigation, footers and most share bars); what it keeps
of a Chinese publisher's furniture is removed here line by line: "本报记者 …" bylines and "责任编辑：…"
lines are *moved* into their own fields (the portal credits them), while "（完）", "来源：…", copyright and
"扫码关注" lines are dropped. The body comes out as escaped paragraphs and passes nh3, so scripts, iframes
and event handlers in the partner's markup never reach the store.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document

from newsportal.ingest.encoding import decode_bytes, strip_xml_declaration
from newsportal.ingest.items import IngestError, IngestItem, content_hash, normalise_text
from newsportal.text.sanitize import BodyTooLarge, sanitize_html
from newsportal.timeutil import to_utc_naive

PARTNER_TZ = ZoneInfo("Asia/Shanghai")  # partner pages give wall-clock Beijing time without a zone
MIN_BODY_CHARS = 40
SUMMARY_CHARS = 200
SHORT_LINE = 60  # boilerplate lines are short; a long paragraph that mentions 公众号 is content

_PRUNE = [
    "//*[contains(@class,'share') or contains(@id,'share') or contains(@class,'bdsharebuttonbox')]",
    "//*[contains(@class,'qrcode') or contains(@class,'erweima') or contains(@class,'copyright')]",
    "//script", "//style", "//iframe", "//noscript", "//form",
]

# Traditional forms are matched too: Big5 partners print 記者, 來源 and 責任編輯.
_BYLINE = re.compile(
    r"^[（(【\[]?\s*((?:本[报報台刊网網]|新[华華]社|中新社)?(?:特[约約])?[记記]者\s*[^\s，。：:].{0,40}?|"
    r"文\s*[/／｜|]\s*.{1,30}?|(?:作者|撰文)\s*[：:]\s*.{1,30}?)\s*[）)】\]]?$"
)
_EDITOR = re.compile(
    r"[（(【\[]?\s*(?:[责責]任[编編][辑輯]|[责責][编編]|[编編][辑輯])\s*[：:]\s*([^）)】\]\n]{1,30}?)\s*[）)】\]]?\s*$"
)
_SOURCE = re.compile(r"^(?:\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*)?"
                     r"[（(]?(?:[来來]源|稿源|出[处處]|[来來]自)\s*[：:]\s*([^）)]{1,30}?)[）)]?$")
_END_MARK = re.compile(r"\s*[（(【\[]\s*(?:完|全文完|END)\s*[）)】\]]\s*$", re.I)
_JUNK = re.compile(
    r"版[权權]所有|copyright|©|未[经經].{0,8}授[权權].{0,8}(?:不得|禁止|[严嚴]禁)|[转轉][载載][请請]注明|"
    r"[扫掃][码碼][关關]注|[扫掃]一[扫掃]|[关關]注.{0,12}(?:公[众眾][号號]|微信|微博)|分享到|打印本[页頁]|"
    r"[关關][闭閉]窗口|【[纠糾][错錯]】|\[[纠糾][错錯]\]|返回[顶頂]部|相[关關][阅閱][读讀]|ICP[备備]|"
    r"[网網]友[评評][论論]|[点點][击擊][进進]入|[阅閱][读讀]原文",
    re.I,
)
_DATETIME = re.compile(
    r"(20\d{2})[-年/.](\d{1,2})[-月/.](\d{1,2})日?(?:\s*(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2}))?)?"
)
_DATE_META = (
    "article:published_time", "og:article:published_time", "pubdate", "publishdate", "publish_date",
    "PubDate", "datePublished", "dc.date", "DC.date.issued", "weibo:article:create_at",
)
_ARTICLE_PATH = re.compile(r"(20\d{2}[-/_]?\d{2}[-/_]?\d{2}|\d{5,}|/t20\d{6}_|\.s?html?$)", re.I)


class PageError(IngestError):
    """The page has no article to take: ``not_article`` (no main text), ``undecodable`` or ``too_large``."""


@dataclass(frozen=True)
class PageItem:
    url: str
    guid: str  # the canonical URL when the page names one on the same site
    title: str
    body_html: str
    summary: str
    byline: str  # "本报记者 林晓 通讯员 周航", or the page's author meta
    editor: str  # the original 责任编辑
    source_name: str  # "来源：…" as printed
    published_at: datetime | None  # naive UTC
    content_hash: str

    def to_item(self, source_key: str) -> IngestItem:
        return IngestItem(
            source_key=source_key, origin="page", guid=self.guid, original_url=self.url,
            original_time=self.published_at, updated_time=None, title=self.title, summary=self.summary,
            body_html=self.body_html, byline=self.byline, editor=self.editor, content_hash=self.content_hash,
        )


def _text(el: etree._Element) -> str:
    return normalise_text("".join(el.itertext()))


def _blocks(body: etree._Element) -> list[tuple[str, str | list[str]]]:
    """trafilatura's XML body as (kind, text) blocks: p, h2, quote, list (items) and table (rows)."""
    blocks: list[tuple[str, str | list[str]]] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            blocks.append(("h2", _text(el)))
        elif tag == "quote":
            blocks.append(("quote", _text(el)))
        elif tag == "list":
            blocks.append(("list", [_text(i) for i in el.iter("item") if _text(i)]))
        elif tag == "table":
            rows = [" | ".join(_text(c) for c in row.iter("cell")) for row in el.iter("row")]
            blocks.append(("table", [r for r in rows if r.strip(" |")]))
        elif tag:
            blocks.append(("p", _text(el)))
    return [(k, v) for k, v in blocks if v]


def _to_html(blocks: list[tuple[str, str | list[str]]]) -> str:
    out: list[str] = []
    for kind, value in blocks:
        if isinstance(value, list):
            if kind == "list":
                items = "".join(f"<li>{html.escape(v, quote=False)}</li>" for v in value)
                out.append(f"<ul>{items}</ul>")
            else:
                out.append("".join(f"<p>{html.escape(v, quote=False)}</p>" for v in value))
        elif kind == "h2":
            out.append(f"<h2>{html.escape(value, quote=False)}</h2>")
        elif kind == "quote":
            out.append(f"<blockquote><p>{html.escape(value, quote=False)}</p></blockquote>")
        else:
            out.append(f"<p>{html.escape(value, quote=False)}</p>")
    return "\n".join(out)


@dataclass
class _Credits:
    byline: str = ""
    editor: str = ""
    source_name: str = ""


def _strip_boilerplate(blocks: list[tuple[str, str | list[str]]]) -> tuple[list, _Credits]:
    credits = _Credits()
    kept: list[tuple[str, str | list[str]]] = []
    for position, (kind, value) in enumerate(blocks):
        if kind != "p" or not isinstance(value, str):
            kept.append((kind, value))
            continue
        text = _END_MARK.sub("", value).strip()
        editor = _EDITOR.search(text)
        if editor and len(text) <= SHORT_LINE:
            credits.editor = credits.editor or normalise_text(editor.group(1))
            text = text[: editor.start()].strip()
        if not text:
            continue
        byline = _BYLINE.match(text)
        if byline and position < 3 and not credits.byline and len(text) <= SHORT_LINE:
            credits.byline = normalise_text(byline.group(1))
            continue
        source = _SOURCE.match(text)
        if source:
            credits.source_name = credits.source_name or normalise_text(source.group(1))
            continue
        if len(text) <= SHORT_LINE and _JUNK.search(text):
            continue
        kept.append(("p", text))
    return kept, credits


def _first_paragraph(blocks: list[tuple[str, str | list[str]]]) -> str:
    return next((v for k, v in blocks if k == "p" and isinstance(v, str)), "")


def _published(tree: lxml.html.HtmlElement, fallback: str | None) -> datetime | None:
    for name in _DATE_META:
        query = f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content"
        for value in tree.xpath(query):
            when = _parse_time(value)
            if when:
                return when
    for value in tree.xpath("//time/@datetime"):
        when = _parse_time(value)
        if when:
            return when
    head_text = " ".join(tree.xpath("//body//text()")[:80])
    # the first date *with* a time: a bare date near the top is usually the site's "today" clock
    for match in _DATETIME.finditer(head_text):
        if match.group(4):
            return _from_match(match)
    return _parse_time(fallback) if fallback else None


def _from_match(match: re.Match[str]) -> datetime | None:
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
    try:
        return to_utc_naive(datetime(y, mo, d, h, mi, s, tzinfo=PARTNER_TZ))
    except ValueError:
        return None


def _parse_time(value: str) -> datetime | None:
    value = value.strip()
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        match = _DATETIME.search(value)
        return _from_match(match) if match else None
    if when.tzinfo is None:
        when = when.replace(tzinfo=PARTNER_TZ)
    return to_utc_naive(when)


def _canonical(tree: lxml.html.HtmlElement, url: str) -> str:
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        target = urldefrag(urljoin(url, href.strip()))[0]
        if urlsplit(target).hostname == urlsplit(url).hostname:
            return target
    return urldefrag(url)[0]


def extract_page(data: bytes | str, *, url: str, content_type: str | None = None) -> PageItem:
    """Extract one partner article page (bytes are decoded with the header, meta tags and detection)."""
    text = data if isinstance(data, str) else decode_bytes(data, content_type).text
    text = strip_xml_declaration(text)
    try:
        tree = lxml.html.fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise PageError("not_article", "网页无法解析") from exc
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_formatting=True,
        include_tables=True, include_images=False, prune_xpath=_PRUNE,
    )
    if not isinstance(doc, Document) or doc.body is None:
        raise PageError("not_article", "网页中没有找到正文")
    blocks, credits = _strip_boilerplate(_blocks(doc.body))
    body_html = _to_html(blocks)
    plain = normalise_text(" ".join(v if isinstance(v, str) else " ".join(v) for _, v in blocks))
    if len(plain) < MIN_BODY_CHARS:
        raise PageError("not_article", f"正文过短（{len(plain)} 字），可能不是文章页")
    try:
        body_html = sanitize_html(body_html)
    except BodyTooLarge as exc:
        raise PageError("too_large", str(exc)) from exc
    title = normalise_text(doc.title or "")
    if not title:
        raise PageError("not_article", "网页没有标题")
    author_meta = tree.xpath("//meta[@name='author']/@content")
    byline = credits.byline or normalise_text(doc.author or (author_meta[0] if author_meta else ""))
    return PageItem(
        url=url, guid=_canonical(tree, url), title=title, body_html=body_html,
        summary=normalise_text(doc.description or "") or _first_paragraph(blocks)[:SUMMARY_CHARS],
        byline=byline,
        editor=credits.editor, source_name=credits.source_name, published_at=_published(tree, doc.date),
        content_hash=content_hash(title, body_html),
    )


def links_from_list_page(html_text: str, base_url: str, *, pattern: re.Pattern[str] | None = None,
                         same_host: bool = True) -> list[str]:
    """Article URLs on a partner's list page, absolute, without fragments, deduplicated in page order.

    With ``pattern`` (from the source's configuration) a URL is kept when the pattern matches it. Without
    one, a link counts as an article when its path looks like one (a date, a long number or a .html file)
    and its anchor text reads like a headline (at least six characters): that skips navigation, pagers and
    "更多" links on the list pages partners actually have.
    """
    try:
        tree = lxml.html.fromstring(strip_xml_declaration(html_text))
    except (etree.ParserError, ValueError):
        return []
    host = urlsplit(base_url).hostname
    found: list[str] = []
    seen: set[str] = {urldefrag(base_url)[0]}
    for anchor in tree.xpath("//a[@href]"):
        href = anchor.get("href", "").strip()
        target = urldefrag(urljoin(base_url, href))[0]
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or target in seen:
            continue
        if same_host and parts.hostname != host:
            continue
        if pattern is not None:
            keep = bool(pattern.search(target))
        else:
            label = normalise_text(anchor.text_content())
            keep = bool(_ARTICLE_PATH.search(parts.path)) and len(label) >= 6
        if keep:
            seen.add(target)
            found.append(target)
    return found
