"""Comment text: normalise and validate on the way in, escape on the way out.

A comment is plain text. Nothing a reader types is ever interpreted: HTML stays literal text, links stay
text (no auto-linking, so a comment cannot become an advertisement's click target), and the renderer escapes
every character that has a meaning in HTML. Normalisation happens once, when the comment is accepted, so the
stored text, the length limit, the duplicate checks and what the moderator sees all agree:

* line breaks of every flavour become ``\\n``; tabs become a space;
* Unicode NFC, so visually identical input compares and counts the same;
* control characters other than ``\\n`` are dropped, and so are invisible format characters that only serve
  to spoof (bidi overrides and isolates, zero-width spaces, BOM, word joiner) and "blank" filler letters
  used to post empty-looking comments; ZWJ/ZWNJ stay because emoji sequences and some scripts need them;
* trailing spaces on each line go, runs of blank lines are capped, and the whole text is trimmed.

Refusals are :class:`CommentRejected` with a stable ``code`` for the API and a Chinese message for the reader.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup

__all__ = [
    "CommentRejected",
    "TextRules",
    "DEFAULT_RULES",
    "normalise_comment",
    "strip_invisible",
    "render_comment_html",
    "excerpt",
]


class CommentRejected(ValueError):
    """The comment text cannot be accepted; ``message_zh`` is shown to the reader as is."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


@dataclass(frozen=True)
class TextRules:
    #: Longest accepted comment, counted in Unicode code points after normalisation.
    max_chars: int = 500
    #: Longest run of empty lines kept between paragraphs.
    max_blank_lines: int = 2

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise ValueError("max_chars must be at least 1")
        if self.max_blank_lines < 0:
            raise ValueError("max_blank_lines must not be negative")


DEFAULT_RULES = TextRules()

# Format characters that change how text *looks* without being text: bidi embeddings/overrides/isolates,
# marks, zero-width space, word joiner, invisible operators, BOM, interlinear annotation and tag characters.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0e\ufeff\uffa0\ufff0-\ufffb\U000e0000-\U000e007f]"
)
_NEWLINES = re.compile("\r\n|[\r\u0085\u2028\u2029\u000b\u000c]")
_BLANK_RUN_CACHE: dict[int, re.Pattern[str]] = {}


def _drop_control(text: str) -> str:
    """Drop Cc (except newline), lone surrogates and noncharacters."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs"):
            continue
        code = ord(ch)
        if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            continue
        out.append(ch)
    return "".join(out)


def strip_invisible(text: str) -> str:
    """Remove control and spoofing characters but keep newlines; used on input and again on output."""
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    return _INVISIBLE.sub("", _drop_control(text))


def _blank_run(limit: int) -> re.Pattern[str]:
    pattern = _BLANK_RUN_CACHE.get(limit)
    if pattern is None:
        # limit blank lines means limit+1 consecutive newlines at most.
        pattern = re.compile("\n{" + str(limit + 2) + ",}")
        _BLANK_RUN_CACHE[limit] = pattern
    return pattern


def normalise_comment(raw: object, rules: TextRules = DEFAULT_RULES) -> str:
    """Return the text to store, or raise :class:`CommentRejected` saying why it cannot be posted."""
    if not isinstance(raw, str):
        raise CommentRejected("not_text", "跟贴内容必须是文字。")
    if raw == "":
        raise CommentRejected("empty", "跟贴内容不能为空，请写点什么再发布。")
    text = unicodedata.normalize("NFC", strip_invisible(raw))
    lines = [line.rstrip() for line in text.split("\n")]
    text = _blank_run(rules.max_blank_lines).sub("\n" * (rules.max_blank_lines + 1), "\n".join(lines))
    text = text.strip()
    if not text:
        if raw.isspace():
            raise CommentRejected("whitespace_only", "跟贴内容不能只有空格或换行，请输入文字。")
        raise CommentRejected("control_only", "跟贴内容只含不可见的控制字符，请输入可以看到的文字。")
    if len(text) > rules.max_chars:
        raise CommentRejected(
            "too_long", f"跟贴内容最多 {rules.max_chars} 字，当前 {len(text)} 字，请删减后再发布。"
        )
    return text


def render_comment_html(text: str) -> Markup:
    """Safe HTML for a stored comment: every character escaped, line breaks as ``<br>``.

    The invisible characters are stripped again here so text stored before a rule change (or written by
    another tool) still cannot reorder what surrounds it on the page.
    """
    cleaned = strip_invisible(text)
    escaped = html.escape(cleaned, quote=True)
    return Markup("<br>".join(escaped.split("\n")))


def excerpt(text: str, limit: int = 60) -> str:
    """A one-line plain-text excerpt (for a quoted parent or a moderator list); escape it when shown."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    flat = " ".join(strip_invisible(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
