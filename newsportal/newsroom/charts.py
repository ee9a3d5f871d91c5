"""Views and shares over time as an accessible, script-free SVG chart plus the same numbers as table rows.

Why server-side SVG: the newsroom runs under a strict Content-Security-Policy (no inline script or style),
needs no chart library, and a test can compare the output byte for byte. Accessibility: the ``<svg>`` is
``role="img"`` labelled by its ``<title>`` and a ``<desc>`` that states the totals and peaks in words; the
two series differ by dash pattern and marker shape as well as colour; and the page shows the numbers as a
table too (:attr:`Chart.rows`), which is what screen-reader users and anyone copying figures actually use.

Only presentation attributes are used (no ``style=``), so the CSP needs no ``'unsafe-inline'``; colours can
be overridden from the site stylesheet through the ``chart-*`` classes.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from newsportal.timeutil import iso_beijing, to_beijing

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 36, 56
MAX_X_LABELS = 6
SERIES = (("views", "阅读量", "#1f5fa8", ""), ("shares", "分享数", "#c2410c", "6 4"))
TABLE_HEADERS = ("时间（北京时间）", "阅读量", "分享数")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,40}$")


class ChartError(ValueError):
    pass


@dataclass(frozen=True)
class Point:
    at: datetime  # naive UTC bucket start
    views: int
    shares: int


@dataclass(frozen=True)
class TableRow:
    time_label: str  # "2026-12-02 14:00", Beijing time (the column header says so)
    iso: str  # for <time datetime="...">
    views: int
    shares: int


@dataclass(frozen=True)
class Chart:
    svg: str
    rows: tuple[TableRow, ...]
    headers: tuple[str, str, str] = TABLE_HEADERS


def nice_ceiling(value: int) -> int:
    """The smallest 1/2/5 × 10^k at or above ``value`` (at least 1), so the axis shows round numbers."""
    if value <= 1:
        return 1
    exp = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp  # pragma: no cover - the loop always returns


def _f(x: float) -> str:
    """Fixed one-decimal coordinates: deterministic text and small files."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _label(at: datetime, same_day: bool) -> str:
    local = to_beijing(at)
    return local.strftime("%H:%M") if same_day else local.strftime("%m-%d %H:%M")


def _describe(points: Sequence[Point]) -> str:
    first, last = to_beijing(points[0].at), to_beijing(points[-1].at)
    parts = [f"{first:%Y-%m-%d %H:%M} 至 {last:%Y-%m-%d %H:%M}（北京时间），共 {len(points)} 个时段。"]
    for key, name, _, _ in SERIES:
        values = [getattr(p, key) for p in points]
        peak = max(range(len(points)), key=lambda i: (values[i], -i))
        parts.append(
            f"{name}合计 {sum(values)}，最高 {values[peak]}（{to_beijing(points[peak].at):%m-%d %H:%M}）。"
        )
    return "".join(parts)


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "views":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3"/>'
    return f'<rect x="{_f(x - 3)}" y="{_f(y - 3)}" width="6" height="6"/>'


def render(
    points: Sequence[Point],
    *,
    chart_id: str = "article-chart",
    title: str = "阅读量与分享数",
    kind: Literal["line", "bar"] = "line",
) -> Chart:
    """Render ``points`` (any order) as SVG and table rows. ``chart_id`` prefixes the element ids."""
    if not _ID.match(chart_id):
        raise ChartError(f"invalid chart id {chart_id!r}")
    if any(p.views < 0 or p.shares < 0 for p in points):
        raise ChartError("counts must not be negative")
    pts = sorted(points, key=lambda p: p.at)
    rows = tuple(
        TableRow(to_beijing(p.at).strftime("%Y-%m-%d %H:%M"), iso_beijing(p.at), p.views, p.shares)
        for p in pts
    )
    t_id, d_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc = _describe(pts) if pts else "暂无数据。"
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}" role="img" aria-labelledby="{t_id} {d_id}" class="chart chart-{kind}">'
        ),
        f'<title id="{t_id}">{html.escape(title)}</title>',
        f'<desc id="{d_id}">{html.escape(desc)}</desc>',
    ]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    x0, y0 = LEFT, TOP + plot_h
    peak = max([p.views for p in pts] + [p.shares for p in pts] + [0])
    top = 4 * nice_ceiling(math.ceil(peak / 4))  # four equal steps of a round size: integer tick labels

    def y_of(v: int) -> float:
        return y0 - plot_h * v / top

    # grid and y axis
    out.append('<g class="chart-axis" fill="#333" font-size="11" stroke="none">')
    for i in range(5):
        v = top * i / 4
        label = _f(v) if v != int(v) else str(int(v))
        out.append(
            f'<text x="{LEFT - 6}" y="{_f(y_of(0) - plot_h * i / 4 + 4)}" text-anchor="end">{label}</text>'
        )
    out.append(
        f'<text x="14" y="{_f(TOP + plot_h / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_f(TOP + plot_h / 2)})">次数</text>'
    )
    out.append(
        f'<text x="{_f(LEFT + plot_w / 2)}" y="{HEIGHT - 8}" text-anchor="middle">时间（北京时间）</text>'
    )
    out.append("</g>")
    out.append('<g class="chart-grid" stroke="#ddd" stroke-width="1">')
    for i in range(5):
        y = _f(y0 - plot_h * i / 4)
        out.append(f'<line x1="{x0}" y1="{y}" x2="{x0 + plot_w}" y2="{y}"/>')
    out.append("</g>")
    out.append(
        f'<line class="chart-baseline" x1="{x0}" y1="{y0}" x2="{x0 + plot_w}" y2="{y0}" stroke="#333"/>'
    )

    # legend: colour, dash and marker shape, so the series are told apart without colour
    for n, (key, name, colour, dash) in enumerate(SERIES):
        lx = LEFT + n * 110
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<g class="chart-legend chart-{key}" fill="{colour}" stroke="{colour}">'
            f'<line x1="{lx}" y1="14" x2="{lx + 24}" y2="14" stroke-width="2"{dash_attr}/>'
            f"{_marker(key, lx + 12, 14)}"
            f'<text x="{lx + 30}" y="18" font-size="12" stroke="none" fill="#333">{name}</text></g>'
        )

    if not pts:
        out.append(
            f'<text x="{_f(LEFT + plot_w / 2)}" y="{_f(TOP + plot_h / 2)}" text-anchor="middle" '
            f'font-size="14" fill="#666">暂无数据</text>'
        )
        out.append("</svg>")
        return Chart("\n".join(out), rows)

    # x positions by time, so a gap in the data shows as a gap on the axis
    t0, t1 = pts[0].at, pts[-1].at
    span = (t1 - t0).total_seconds()
    slot = plot_w / len(pts)
    inner_w = plot_w - slot  # keep half a slot free at both ends for bars and markers

    def x_of(at: datetime) -> float:
        if span == 0:
            return LEFT + plot_w / 2
        return LEFT + slot / 2 + inner_w * (at - t0).total_seconds() / span

    same_day = to_beijing(t0).date() == to_beijing(t1).date()
    step = max(1, math.ceil(len(pts) / MAX_X_LABELS))
    out.append('<g class="chart-axis" fill="#333" font-size="11" text-anchor="middle">')
    for i in range(0, len(pts), step):
        out.append(f'<text x="{_f(x_of(pts[i].at))}" y="{y0 + 16}">{_label(pts[i].at, same_day)}</text>')
    out.append("</g>")

    for n, (key, _name, colour, dash) in enumerate(SERIES):
        values = [getattr(p, key) for p in pts]
        if kind == "bar":
            bar_w = max(1.0, min(24.0, slot * 0.8 / 2))
            out.append(f'<g class="chart-series chart-{key}" fill="{colour}">')
            for p, v in zip(pts, values, strict=True):
                x = x_of(p.at) - bar_w + n * bar_w
                out.append(
                    f'<rect x="{_f(x)}" y="{_f(y_of(v))}" width="{_f(bar_w)}" height="{_f(y0 - y_of(v))}"/>'
                )
            out.append("</g>")
            continue
        coords = " ".join(f"{_f(x_of(p.at))},{_f(y_of(v))}" for p, v in zip(pts, values, strict=True))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<g class="chart-series chart-{key}" fill="{colour}" stroke="{colour}">'
            f'<polyline points="{coords}" fill="none" stroke-width="2"{dash_attr}/>'
            + "".join(_marker(key, x_of(p.at), y_of(v)) for p, v in zip(pts, values, strict=True))
            + "</g>"
        )
    out.append("</svg>")
    return Chart("\n".join(out), rows)
