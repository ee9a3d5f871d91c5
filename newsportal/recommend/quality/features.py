"""Title features for the clickbait classifier: character n-grams, lexicon devices and title shape.

Chinese has no spaces, and clickbait lives in short hooks (看完、竟然、！), so character 1–3-grams with start
and end markers capture both words and position ("^刚刚", "!$") without a segmenter. Digits collapse to one
symbol so "3万" and "30万" look alike; full-width punctuation folds to ASCII so "！" and "!" are one signal.
"""

from __future__ import annotations

import re
import unicodedata

from newsportal.recommend.quality.lexicon import hits

_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_SPACE = re.compile(r"\s+")
_HAN = re.compile(r"[\u4e00-\u9fff]")

# Shape of the title: what a sub-editor notices before reading the words.
_SHAPES: tuple[tuple[str, re.Pattern], ...] = (
    ("excl_end", re.compile(r"!$")),
    ("q_end", re.compile(r"\?$")),
    ("excl_open", re.compile(r"^[\u4e00-\u9fff]{1,4}!")),  # "炸裂！…", "心疼！…"
    ("excl_any", re.compile(r"!")),
    ("quoted_excl", re.compile(r"“[^”]*!”")),  # a slogan quoted in a report: "请系好安全带！"
    ("source_colon", re.compile(r"^[\u4e00-\u9fff·]{2,10}[:：]")),  # "国家统计局：…", "专家：…"
    ("two_commas", re.compile(r",.*,")),
)


def normalise(text: str) -> str:
    """NFKC fold (full-width → ASCII), lower-case Latin, digits as "0", single spaces."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = _DIGITS.sub("0", t)
    return _SPACE.sub(" ", t).strip()


def han_count(text: str) -> int:
    return len(_HAN.findall(text or ""))


def ngrams(text: str, low: int = 1, high: int = 3) -> set[str]:
    """Character n-grams of the normalised text with ^ and $ markers (spaces dropped)."""
    t = "^" + normalise(text).replace(" ", "") + "$"
    out = set()
    for n in range(low, high + 1):
        for i in range(len(t) - n + 1):
            g = t[i:i + n]
            if g not in ("^", "$"):
                out.add("g:" + g)
    return out


def title_features(title: str) -> set[str]:
    """Every active feature name of a title: n-grams (g:), devices (d:) and shape (s:)."""
    norm = normalise(title)
    feats = ngrams(title)
    feats.update("d:" + device.code for device, _ in hits(title))
    feats.update("s:" + name for name, pattern in _SHAPES if pattern.search(norm))
    n = len(norm)
    if n < 8:
        feats.add("s:short")
    elif n > 24:
        feats.add("s:long")
    return feats
