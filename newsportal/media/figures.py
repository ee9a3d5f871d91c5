"""Find the figures an article quotes (numbers with units or percent) and choose a chart for them.

Why a chart only sometimes: bars and lines claim the values are comparable, so they are drawn only for
a time series (same unit, one figure per year) or for same-unit figures stated side by side in one
sentence; other figures become a "key figures" panel instead, which makes no such claim.  Everything is
derived from the article's own text.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

import rjieba

_MULTIPLIERS = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "亿": 1e8, "万": 1e4}
# Units a figure may carry; "个" is weak but common ("9个补给站").  Kept as one string to stay readable.
_UNITS = tuple(
    "% ％ 个百分点 ℃ 元 美元 欧元 人次 人 名 位 户 标准箱 吨 公斤 千克 公里 千米 米 "
    "平方公里 平方米 亩 公顷 千瓦时 千瓦 兆瓦 瓦 毫安时 GB TB 英寸 辆 台 部 套 座 个 "
    "家 所 项 条 架 艘 场 对 件 份 款 张 支 只 倍 小时 分钟 天 秒".split()
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_FIGURE = re.compile(
    r"(?<![A-Za-z0-9.\-:第])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<mult>万亿|千万|百万|亿|万)?(?P<unit>" + _UNIT_ALT + r")(?!半)"
)
_RANGE = re.compile(r"\s*(?:到|至|～|~|—|-)\s*\d")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_CLAUSE_SPLIT = re.compile(r"[，；;：:！!？?、（）()“”\"\n]|,(?!\d{3})")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?\n])")
_COMPOUND_TIME = re.compile(r"\d+小时\d+分(?:\d+秒|钟)?|\d+分\d+秒|\d+时\d+分")
_LEADING = tuple(
    "其中 另外 此外 同时 目前 据介绍 据悉 记者了解到 截至 而且 并且 但是 但 而 且 并 共有".split()
)
# Longest first, so "不超过" is stripped whole rather than leaving a dangling "不".
_TRAILING = tuple(
    sorted(
        (
            "约为 达到 已突破 突破 不超过 超过 不到 只有 共计 分别为 分别有 分别 "
            "约 近 逾 达 为 是 共 已 仅 有 了 至 由"
        ).split(),
        key=len,
        reverse=True,
    )
)
MAX_LABEL = 12
_RATE = (("每小时", "/小时"), ("时速", "/小时"), ("每秒", "/秒"))
_VERB_ONLY = set("提高 提高到 增至 降至 增长 同比增长 上涨 下降 减少 增加 提升 下调 上调".split())


@dataclass(frozen=True, slots=True)
class Figure:
    """A quoted figure: ``text`` as written ("1.2万人"), ``value`` in base units, and a short label."""

    label: str
    text: str
    value: float
    unit: str
    year: int | None
    position: int


@dataclass(frozen=True, slots=True)
class ChartPlan:
    """What to draw: ``kind`` is "line", "bar" (vertical, time series), "hbar" or "figures"."""

    kind: str
    figures: tuple[Figure, ...]
    unit: str
    scale_name: str
    scale: float


def plain_text(body: str) -> str:
    """Article bodies may be HTML; charts need the words only."""
    return html.unescape(re.sub(r"<[^>]+>", "\n", body or ""))


def _clean_label(raw: str) -> str:
    label = _YEAR.sub("", raw).strip(" 　\t的")
    changed = True
    while changed and label:
        changed = False
        for word in _LEADING:
            if label.startswith(word) and len(label) > len(word):
                label, changed = label[len(word) :], True
        for word in _TRAILING:
            if label.endswith(word) and len(label) >= len(word):
                label, changed = label[: -len(word)], True
        label = label.strip(" 　\t的")
    return shorten(label)


def shorten(label: str, limit: int = MAX_LABEL) -> str:
    """Keep the last words of ``label`` that fit ``limit`` characters, cutting between words (jieba), not
    inside one: the words nearest the number say what it measures."""
    if len(label) <= limit:
        return label
    kept = ""
    for word in reversed(rjieba.cut(label)):
        if len(word) + len(kept) > limit:
            break
        kept = word + kept
    return kept or label[-limit:]


def find_figures(body: str) -> list[Figure]:
    """Every number-with-unit in ``body`` in text order, labelled by the words just before it."""
    text = _COMPOUND_TIME.sub(" ", plain_text(body))
    figures: list[Figure] = []
    offset = 0
    for sentence in _SENTENCE_SPLIT.split(text):
        years = {int(y) for y in _YEAR.findall(sentence)}
        sentence_year = years.pop() if len(years) == 1 else None
        previous_label = ""
        position = 0
        for clause in _CLAUSE_SPLIT.split(sentence):
            start = 0
            clause_years = _YEAR.findall(clause)
            skip_next = False
            for match in _FIGURE.finditer(clause):
                # A range ("52%到69%") is not one value: neither end is charted.
                if skip_next or _RANGE.match(clause, match.end()):
                    skip_next = not skip_next
                    start = match.end()
                    continue
                number = float(match.group("num").replace(",", ""))
                multiplier = _MULTIPLIERS.get(match.group("mult") or "", 1.0)
                raw = clause[start : match.start()]
                label = _clean_label(raw)
                if previous_label and (len(label) < 2 or label in _VERB_ONLY):
                    label = shorten(previous_label + label)
                unit = "%" if match.group("unit") == "％" else match.group("unit")
                unit += next((suffix for word, suffix in _RATE if raw.rstrip().endswith(word)), "")
                year = int(clause_years[-1]) if clause_years else sentence_year
                figures.append(
                    Figure(
                        label,
                        match.group(0).replace("％", "%"),
                        number * multiplier,
                        unit,
                        year,
                        offset + position,
                    )
                )
                if len(label) >= 2 and label not in _VERB_ONLY:
                    previous_label = label
                start = match.end()
                position += 1
            position += 1
        offset += 1000
    return figures


def _scale_for(figures: list[Figure]) -> tuple[str, float]:
    counts = Counter(next((m for m in _MULTIPLIERS if m in f.text), "") for f in figures)
    name = counts.most_common(1)[0][0]
    return name, _MULTIPLIERS.get(name, 1.0)


def plan_chart(figures: list[Figure]) -> ChartPlan | None:
    """Choose a chart for the figures, or None when fewer than two figures were quoted."""
    if len(figures) < 2:
        return None
    groups: dict[str, list[Figure]] = {}
    for figure in figures:
        groups.setdefault(figure.unit, []).append(figure)
    # A time series: one figure per distinct year, same unit.
    for unit, group in groups.items():
        by_year: dict[int, Figure] = {}
        for figure in group:
            if figure.year is not None and figure.year not in by_year:
                by_year[figure.year] = figure
        if len(by_year) >= 2:
            series = [by_year[y] for y in sorted(by_year)][-8:]
            name, scale = _scale_for(series)
            return ChartPlan("line" if len(series) >= 3 else "bar", tuple(series), unit, name, scale)
    # Bars only for figures stated side by side: same unit, same sentence ("A上涨0.35%，B上涨0.81%").
    # The same unit scattered over an article often measures different things (a battery's 100% charge
    # and a market share of 5%), which bars would wrongly put on one scale.
    parallel: dict[tuple[str, int], dict[str, Figure]] = {}
    for figure in figures:
        if figure.label:
            parallel.setdefault((figure.unit, figure.position // 1000), {}).setdefault(figure.label, figure)
    comparable = [
        (len(seen), -key[1], key[0], list(seen.values())) for key, seen in parallel.items() if len(seen) >= 2
    ]
    if comparable:
        _count, _sentence, unit, group = max(comparable)
        name, scale = _scale_for(group[:6])
        return ChartPlan("hbar", tuple(group[:6]), unit, name, scale)
    distinct: dict[str, Figure] = {}
    for figure in figures:
        distinct.setdefault(figure.text, figure)
    if len(distinct) < 2:
        return None
    return ChartPlan("figures", tuple(list(distinct.values())[:4]), "", "", 1.0)
