"""Article HTML is untrusted until it passes through here (partner feeds, the API, self-media accounts).

nh3 (ammonia, a Rust HTML sanitizer) keeps a fixed allow-list of tags and attributes and drops scripts,
event handlers and ``javascript:`` URLs. The allow-list is narrower than nh3's default: a news body needs
paragraphs, sub-headings, emphasis, quotes, lists, links, images and tables, and nothing that could change
the page around it (no ``h1``, forms, styles or iframes).
"""

from __future__ import annotations

import html
import re

import nh3

from newsportal.domain.limits import MAX_BODY_CHARS

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sub", "sup", "small",
    "blockquote", "q", "cite", "ul", "ol", "li", "a", "img", "figure", "figcaption", "picture", "source",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "hr", "span", "abbr", "time", "pre", "code",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title", "srcset", "sizes", "loading", "decoding"},
    # inline images as <figure><picture><source type srcset sizes><img …></picture><figcaption>
    "source": {"type", "srcset", "sizes", "media", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|figcaption|tr)>|<br\s*/?>", re.I)
_SPACE = re.compile(r"[ \t\r\f\v]+")


class BodyTooLarge(ValueError):
    """The body exceeds :data:`MAX_BODY_CHARS`; refused rather than truncated so nothing is silently lost."""


def sanitize_html(raw: str) -> str:
    if len(raw) > MAX_BODY_CHARS:
        raise BodyTooLarge(f"正文过长：{len(raw)} 字符，上限 {MAX_BODY_CHARS}")
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs (demo content, JSON imports) to escaped ``<p>`` markup."""
    return "\n".join(f"<p>{html.escape(p.strip(), quote=False)}</p>" for p in paragraphs if p.strip())


def html_to_text(body_html: str) -> str:
    """Readable text of a sanitized body, one line per block, for tokens, summaries and search."""
    text = _BLOCK_END.sub("\n", body_html)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
