"""Chinese numerals to Arabic, so that a copy set in print style (三千二百 / 百分之十五 / 二〇二五年)
carries the same figures and number tokens as an original written with digits (3200 / 15% / 2025年).

Story clustering compares the figures two reports share; a copy whose every figure is spelled out in
Chinese would otherwise share none with its original. Only runs that are clearly numbers are rewritten:
runs with a place-value character (十百千万亿), digit strings of three or more (一九九八), and a single
digit before a measure word or after 第 (两艘 → 2艘, 第二次 → 第2次). Words built from numeral characters
(一些, 一起, 千万别, 统一, 十分重要) stay as they are. Both reports go through the same function, so an
occasional over-reading is harmless as long as it is deterministic.
"""

from __future__ import annotations

import re

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_FRACTION_DIGITS = "零〇一二三四五六七八九"
# what may follow a lone digit for it to be a count, an ordinal or a date part
_MEASURE = set("个名人次年月日号天周岁辆座家架艘台条项位场支款所只间种倍套枚颗张批组轮届层级处起例份件户"
               "元吨米斤克秒分时度篇首期")
_RUN = re.compile(
    r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(点[零〇一二三四五六七八九]+)?")


def _parse_integer(run: str) -> int | None:
    """Value of a run such as 三千零五十, 一万二千, 十五, 两百; None if it is not a well-formed number."""
    total = 0  # completed 万/亿 sections
    section = 0  # the section below the current big unit
    digit: int | None = None
    last_small = 1
    for ch in run:
        if ch in _DIGIT:
            if digit is not None and _DIGIT[ch] != 0 and digit != 0:
                return None  # two digits in a row inside a place-value number (三四千): a range, not a figure
            digit = _DIGIT[ch]
        elif ch in _SMALL:
            unit = _SMALL[ch]
            section += (1 if digit is None else digit) * unit
            digit = None
            last_small = unit
        else:
            unit = _BIG[ch]
            section += digit or 0
            if section == 0:
                return None
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, digit, last_small = 0, None, unit
    if digit is not None:
        # 三千二 reads 3200: a trailing digit after a place value is one place below it
        section += digit * (last_small // 10 if last_small >= 100 and last_small < 10_000 else 1)
    return total + section


def _format(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _convert(match: re.Match[str], text: str) -> str:
    percent, run, fraction = match.group(1), match.group(2), match.group(3)
    after = text[match.end()] if match.end() < len(text) else ""
    before = text[match.start() - 1] if match.start() else ""
    has_place = any(ch in _SMALL or ch in _BIG for ch in run)
    if not has_place:
        if len(run) >= 3 or (len(run) >= 2 and after == "年"):
            if "两" in run:
                return match.group(0)
            digits = "".join(str(_DIGIT[ch]) for ch in run)  # 二〇二五, 一九九八: read digit by digit
        elif len(run) == 1 and (fraction or percent or after in _MEASURE or before == "第"):
            digits = str(_DIGIT[run])
        else:
            return match.group(0)
        value_text = digits
    else:
        if not any(ch in _DIGIT for ch in run) and not run.startswith("十"):
            return match.group(0)  # 千万 (by all means), 万亿: place values alone are words
        if run[-1] in _BIG and fraction is None:
            head = run.rstrip("万亿")
            suffix = run[len(head):]
            value = _parse_integer(head) if head else None
            if value is None:
                return match.group(0)
            return f"{value}{suffix}" + ("%" if percent else "")
        value = _parse_integer(run)
        if value is None:
            return match.group(0)
        value_text = str(value)
    if fraction:
        value_text += "." + "".join(str(_DIGIT[ch]) for ch in fraction[1:])
    return value_text + "%" if percent else value_text


def to_arabic(text: str) -> str:
    """``text`` with its Chinese numerals written in Arabic digits (三千二百名 → 3200名, 百分之十五 → 15%)."""
    if not text:
        return text
    return _RUN.sub(lambda m: _convert(m, text), text)


_FIGURE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|万|亿)?")


def figures(text: str) -> list[str]:
    """Every figure of an Arabic-digit text, canonical: 3,200 → 3200, 1.2万 → 12000, 15% → 15%."""
    out = []
    for m in _FIGURE.finditer(text):
        raw, unit = m.group(1).replace(",", ""), m.group(2)
        try:
            value = float(raw)
        except ValueError:
            continue
        if unit == "万":
            out.append(_format(round(value * 10_000, 4)))
        elif unit == "亿":
            out.append(_format(round(value * 100_000_000, 4)))
        elif unit == "%":
            out.append(_format(value) + "%")
        else:
            out.append(_format(value))
    return out
