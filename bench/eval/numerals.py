"""Arabic → Chinese numeral rewriting for the ``numerals`` copies of the story corpus.

Portals that carry another outlet's report in print style write 三千二百 / 百分之十五 / 二〇二六年 where the
original had 3200 / 15% / 2026年. A copy like that shares almost no number tokens with its original, which is
exactly the case the clustering must survive, so the corpus needs such copies; this module writes them from
the hand-written originals so the figures stay identical to the original's. Digits glued to Latin letters
(model names such as "A320" or "5G") are left alone, as an editor would.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_YEAR_DIGITS = "〇一二三四五六七八九"
_SMALL_UNITS = ["", "十", "百", "千"]
_BIG_UNITS = ["", "万", "亿"]
_LIANG_BEFORE = set("个名辆座家架艘台条项位场支款所只间部万千人次种倍套枚颗周天年小张批组轮届")
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


def _section(n: int) -> str:
    """Read a number below 10000 (no leading 一 suppression, no trailing zeros)."""
    out: list[str] = []
    zero = False
    for power in range(3, -1, -1):
        digit = (n // 10**power) % 10
        if digit == 0:
            if out:
                zero = True
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[power])
    return "".join(out)


def integer_to_chinese(n: int) -> str:
    """Read a non-negative integer the way a Chinese news text writes it (3050 → 三千零五十, 12 → 十二)."""
    if n < 0:
        raise ValueError("negative numbers are not used in the corpus")
    if n == 0:
        return "零"
    parts: list[str] = []
    sections = []
    while n:
        sections.append(n % 10000)
        n //= 10000
    if len(sections) > len(_BIG_UNITS):
        raise ValueError("number too large for the corpus")
    need_zero = False
    for index in range(len(sections) - 1, -1, -1):
        value = sections[index]
        if value == 0:
            need_zero = bool(parts)
            continue
        if parts and (need_zero or value < 1000):
            parts.append("零")
        parts.append(_section(value) + _BIG_UNITS[index])
        need_zero = False
    text = "".join(parts)
    if text.startswith("一十"):
        text = text[1:]
    return text


def number_to_chinese(token: str, following: str = "", preceding: str = "") -> str:
    """Rewrite one numeric token ("3200", "15%", "3.5", "2026" before 年) in Chinese numerals.

    A lone 2 before a measure word reads 两 (两小时, 两艘), except as an ordinal (第二次).
    """
    percent = token.endswith("%")
    core = token[:-1] if percent else token
    if not percent and following == "年" and len(core) == 4 and core.isdigit():
        return "".join(_YEAR_DIGITS[int(d)] for d in core)
    whole, _, fraction = core.partition(".")
    text = integer_to_chinese(int(whole))
    if fraction:
        text += "点" + "".join(_DIGITS[int(d)] for d in fraction)
    if percent:
        return "百分之" + text
    if text == "二" and following in _LIANG_BEFORE and preceding != "第":
        return "两"
    if len(text) > 1 and text[0] == "二" and text[1] in "千万亿":
        return "两" + text[1:]
    return text


def to_chinese_numerals(text: str) -> str:
    """Rewrite every stand-alone Arabic number of ``text``; numbers touching Latin letters stay."""

    def replace(match: re.Match[str]) -> str:
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
            return match.group(0)
        return number_to_chinese(match.group(0), after, before)

    return _NUMBER.sub(replace, text)
