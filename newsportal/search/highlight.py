"""Search result snippets and titles with the reader's words marked.

Text is cut first and escaped second, so the HTML entities escaping creates can never be split, and
whatever the article text contains (``<script>``, ``<mark>``, ``&amp;lt;``) comes out as visible text; only
the ``<mark>`` elements added here are markup. Cuts never fall inside a user-perceived character: not
between an emoji and its modifier, variation selector or zero-width joiner, not inside a flag's pair of
regional indicators, not before a combining mark, not inside an entity-looking string of the text, and not
in the middle of a Latin word when a space is near.

Matching is case- and width-insensitive (each character is NFKC-normalised and lower-cased, as the query
is) and maps back to the original characters, so the snippet shows the article's own spelling.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

SNIPPET_CHARS = 120
LEAD_CHARS = 20  # context kept before the first match of a window
MAX_MATCHES = 400  # window search cost is quadratic in matches; long articles have plenty before this
ELLIPSIS = "…"

_ENTITY = re.compile(r"&#?[0-9a-zA-Z]{1,31};")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_ASCII_WORD = re.compile(r"[0-9a-z]")
# characters whose NFKC + lower-case is exactly one character, whatever their neighbours
_ONE_TO_ONE = re.compile(
    "[\x20-\x7e\u4e00-\u9fff\uff01-\uff5e\u3001\u3002\u3008-\u3011\u3014\u3015"
    "\u2018\u2019\u201c\u201d\u00b7\u2014\u3000]*")


def _extends(ch: str) -> bool:
    """Characters that attach to the one before them and so must not start a cut piece."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or cp == 0x200D  # zero-width joiner
        or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF  # variation selectors
        or 0x1F3FB <= cp <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # emoji tag sequences (subdivision flags)
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _is_boundary(text: str, i: int) -> bool:
    """May ``text`` be cut between ``text[i-1]`` and ``text[i]``?"""
    if i <= 0 or i >= len(text):
        return True
    if _extends(text[i]) or text[i - 1] == "\u200d":
        return False
    if _regional(text[i]) and _regional(text[i - 1]):
        run = 0  # a flag is an even/odd pair: cut only after an even number of indicators
        while i - 1 - run >= 0 and _regional(text[i - 1 - run]):
            run += 1
        if run % 2:
            return False
    for m in _ENTITY.finditer(text, max(0, i - 32), min(len(text), i + 32)):
        if m.start() < i < m.end():
            return False
    return True


def _snap(text: str, i: int, direction: int, word_slack: int = 12) -> int:
    """The nearest safe cut at or beyond ``i`` moving in ``direction`` (-1 left, +1 right)."""
    i = max(0, min(len(text), i))
    if 0 < i < len(text) and text[i - 1].isascii() and text[i].isascii() \
            and text[i - 1].isalnum() and text[i].isalnum():
        for step in range(1, word_slack + 1):  # prefer a space within reach to half a Latin word
            j = i + direction * step
            if 0 < j < len(text) and text[j - 1].isspace() != text[j].isspace():
                i = j
                break
    while not _is_boundary(text, i):
        i += direction
    return i


def _normalised(text: str) -> tuple[str, Sequence[int]]:
    """Per-character NFKC + lower-case of ``text`` and, for each normalised character, its source index.

    Most news text is ASCII, CJK ideographs, full-width forms and common CJK punctuation, each of which
    normalises to exactly one character and none of which combines with its neighbour: that text is
    normalised in one call and maps back one to one (a per-character loop costs ~1 µs a character).
    """
    if _ONE_TO_ONE.fullmatch(text):
        return unicodedata.normalize("NFKC", text).lower(), range(len(text))
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch).lower() or ch
        out.append(norm)
        origin.extend([i] * len(norm))
    return "".join(out), origin


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation over the terms, longest first; phrase words may be separated by spaces/punctuation.

    Built once per distinct set of terms (a results page marks twenty titles and snippets with the same
    query's terms; building the pattern was a third of the marking cost)."""
    return _compiled(tuple(terms))


@functools.lru_cache(maxsize=256)
def _compiled(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives = []
    for term in dict.fromkeys(t.strip() for t in terms):
        words = [unicodedata.normalize("NFKC", w).lower() for w in term.split()]
        if not words:
            continue
        body = r"[\W_]*".join(re.escape(w) for w in words)
        if _ASCII_WORD.match(words[0][0]):
            body = r"(?<![0-9a-z])" + body
        if _ASCII_WORD.match(words[-1][-1]):
            body += r"(?![0-9a-z])"
        alternatives.append((len(term), body))
    if not alternatives:
        return None
    alternatives.sort(key=lambda a: -a[0])
    return re.compile("|".join(f"(?:{b})" for _, b in alternatives))


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub("", text or "")).strip()


def find_matches(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) character spans of the terms in ``text``, in order."""
    pattern = _pattern(terms)
    if pattern is None or not text:
        return []
    norm, origin = _normalised(text)
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(norm):
        if m.end() == m.start():
            continue
        start, end = origin[m.start()], origin[m.end() - 1] + 1
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
        if len(spans) >= MAX_MATCHES:
            break
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    parts: list[str] = []
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        parts.append(str(escape(text[pos:s])))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    parts.append(str(escape(text[pos:end])))
    return Markup("".join(parts))


def highlight(text: str, terms: Iterable[str]) -> Markup:
    """The whole text (a title) escaped, with every match of the terms in ``<mark>``."""
    text = _clean(text)
    return _render(text, find_matches(text, terms), 0, len(text))


def _best_window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The window of ``width`` characters with the most distinct matched words, then the most matches."""
    if not spans:
        return 0, width
    keys = [text[s:e].lower() for s, e in spans]
    best, best_score = spans[0][0], (-1, -1, 0)
    for i, (anchor, _) in enumerate(spans):
        start = max(0, anchor - LEAD_CHARS)
        inside = [j for j in range(i, len(spans)) if spans[j][1] <= start + width]
        score = (len({keys[j] for j in inside}), len(inside), -anchor)
        if score > best_score:
            best, best_score = start, score
    return best, best + width


def snippet(text: str, terms: Iterable[str], width: int = SNIPPET_CHARS) -> Markup:
    """About ``width`` characters of ``text`` around the densest cluster of the terms, marked and escaped.

    With no match the snippet is the start of the text (the article's lead). Cut ends get "…".
    """
    text = _clean(text)
    if not text:
        return Markup("")
    spans = find_matches(text, terms)
    start, end = _best_window(text, spans, width)
    if end >= len(text):  # near the end: use the room left over before the matches instead
        start, end = max(0, len(text) - width), len(text)
    start = _snap(text, start, -1)
    end = _snap(text, end, +1)
    for s, e in spans:  # never cut a mark in two
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    body = _render(text, spans, start, end)
    head = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if end < len(text) else ""
    return Markup(head) + body + Markup(tail)
