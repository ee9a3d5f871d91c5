"""Charts of an article's own figures: a line or column chart for a time series, horizontal bars for
same-unit figures, and a "key figures" panel for figures in unrelated units."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from newsportal.media.canvas import fit, put, text_width, wrap
from newsportal.media.figures import ChartPlan, Figure
from newsportal.media.fonts import Fonts
from newsportal.media.palette import SITE_CREDIT, Palette, mix

INK = (34, 34, 38)
GREY = (110, 112, 120)
GRID = (222, 222, 216)
PAPER = (251, 250, 246)


def number(value: float) -> str:
    """Compact display: 3.2, 286, 0.35 (no trailing zeros)."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    text = f"{value:.2f}" if abs(value) < 1 else f"{value:.1f}"
    return text.rstrip("0").rstrip(".")


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at least ``raw``, so axis ticks read as round numbers."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def unit_text(plan: ChartPlan) -> str:
    return f"{plan.scale_name}{plan.unit}"


def subject(plan: ChartPlan) -> str:
    labels = [f.label for f in plan.figures if f.label]
    return min(labels, key=len) if labels else ""


def subtitle(plan: ChartPlan) -> str:
    if plan.kind == "figures":
        return "数读：本文中的关键数字"
    if plan.kind in ("line", "bar"):
        years = [f.year for f in plan.figures]
        return f"{years[0]}—{years[-1]}年{subject(plan)}（单位：{unit_text(plan)}）"
    return f"文中数据对比（单位：{unit_text(plan)}）"


def draw_chart(canvas: Image.Image, plan: ChartPlan, title: str, palette: Palette, fonts: Fonts) -> None:
    """Draw the whole chart (frame, title, plot, footer) onto the supersampled canvas."""
    width, height = canvas.size
    u = height / 100
    margin = width * 0.055
    draw = ImageDraw.Draw(canvas, "RGBA")
    draw.rectangle((0, 0, width, height), fill=PAPER)
    draw.rectangle((0, 0, width, 1.3 * u), fill=palette.main)
    draw.rectangle((margin, 6.2 * u, margin + 1.1 * u, 12.6 * u), fill=palette.main)

    title_font = fonts.get(round(5.4 * u), bold=True)
    y = 5.6 * u
    for line in wrap(draw, title, title_font, width - 2 * margin - 3 * u, 2):
        put(draw, (margin + 2.6 * u, y), line, title_font, INK)
        y += 7.2 * u
    sub_font = fonts.get(round(3.0 * u))
    put(
        draw,
        (margin + 2.6 * u, y + 0.6 * u),
        fit(draw, subtitle(plan), sub_font, width - 2 * margin),
        sub_font,
        GREY,
    )
    plot = (margin, y + 8.5 * u, width - margin, height - 12.5 * u)

    {"line": _series, "bar": _series, "hbar": _hbars, "figures": _panel}[plan.kind](
        draw, plot, plan, palette, fonts, u
    )

    draw.line(
        (margin, height - 8.6 * u, width - margin, height - 8.6 * u), fill=GRID, width=max(1, round(0.25 * u))
    )
    foot = fonts.get(round(2.7 * u))
    put(draw, (margin, height - 4.6 * u), "数据来源：据本文报道整理", foot, GREY, "lm")
    put(
        draw,
        (width - margin, height - 4.6 * u),
        SITE_CREDIT,
        fonts.get(round(2.7 * u), bold=True),
        GREY,
        "rm",
    )


def _series(
    draw: ImageDraw.ImageDraw, plot, plan: ChartPlan, palette: Palette, fonts: Fonts, u: float
) -> None:
    left, top, right, bottom = plot
    values = [f.value / plan.scale for f in plan.figures]
    tick = nice_step(max(values) * 1.1 / 5)
    ticks = max(2, math.ceil(max(values) * 1.1 / tick))
    ceiling = tick * ticks
    axis_font = fonts.get(round(2.6 * u))
    left += 7 * u
    bottom -= 5 * u  # room for the year labels under the axis
    for step in range(ticks + 1):
        gy = bottom - (bottom - top) * step / ticks
        draw.line((left, gy, right, gy), fill=GRID, width=max(1, round(0.2 * u)))
        put(draw, (left - 1.5 * u, gy), number(tick * step), axis_font, GREY, "rm")
    count = len(values)
    slot = (right - left) / count
    xs = [left + slot * (i + 0.5) for i in range(count)]
    ys = [bottom - (bottom - top) * v / ceiling for v in values]
    label_font = fonts.get(round(3.0 * u))
    value_font = fonts.get(round(3.4 * u), bold=True)
    for x, figure in zip(xs, plan.figures, strict=True):
        put(draw, (x, bottom + 3.4 * u), f"{figure.year}年", label_font, INK, "mm")
    if plan.kind == "bar":
        half = min(slot * 0.28, 9 * u)
        for i, (x, y_top) in enumerate(zip(xs, ys, strict=True)):
            colour = palette.main if i == count - 1 else mix(palette.main, PAPER, 0.35)
            draw.rounded_rectangle((x - half, y_top, x + half, bottom), radius=round(0.8 * u), fill=colour)
            put(draw, (x, y_top - 2.2 * u), plan.figures[i].text, value_font, palette.main, "mb")
        return
    area = [(xs[0], bottom), *zip(xs, ys, strict=True), (xs[-1], bottom)]
    draw.polygon(area, fill=palette.main + (38,))
    draw.line(list(zip(xs, ys, strict=True)), fill=palette.main, width=round(0.9 * u), joint="curve")
    r = 1.3 * u
    for i, (x, y_point) in enumerate(zip(xs, ys, strict=True)):
        draw.ellipse(
            (x - r, y_point - r, x + r, y_point + r), fill=PAPER, outline=palette.main, width=round(0.6 * u)
        )
        put(draw, (x, y_point - 2.6 * u), plan.figures[i].text, value_font, palette.main, "mb")


def _hbars(
    draw: ImageDraw.ImageDraw, plot, plan: ChartPlan, palette: Palette, fonts: Fonts, u: float
) -> None:
    left, top, right, bottom = plot
    figures: list[Figure] = list(plan.figures)
    count = len(figures)
    row = (bottom - top) / count
    thickness = min(row * 0.5, 7.5 * u)
    label_right = left + (right - left) * 0.30
    bar_left = label_right + 2.5 * u
    value_font = fonts.get(round(min(3.6, row / u * 0.36) * u), bold=True)
    label_font = fonts.get(round(min(3.0, row / u * 0.3) * u))
    room = right - bar_left - max(text_width(draw, f.text, value_font) for f in figures) - 2.5 * u
    biggest = max(f.value for f in figures) or 1.0
    for i, figure in enumerate(figures):
        centre = top + row * (i + 0.5)
        lines = wrap(draw, figure.label, label_font, label_right - left, 2)
        line_height = 3.8 * u
        first = centre - line_height * (len(lines) - 1) / 2
        for j, line in enumerate(lines):
            put(draw, (label_right, first + j * line_height), line, label_font, INK, "rm")
        length = max(1.2 * u, room * figure.value / biggest)
        colour = palette.main if figure.value == biggest else mix(palette.main, PAPER, 0.3)
        draw.rounded_rectangle(
            (bar_left, centre - thickness / 2, bar_left + length, centre + thickness / 2),
            radius=round(thickness / 4),
            fill=colour,
        )
        put(draw, (bar_left + length + 1.6 * u, centre), figure.text, value_font, palette.main, "lm")


def _panel(
    draw: ImageDraw.ImageDraw, plot, plan: ChartPlan, palette: Palette, fonts: Fonts, u: float
) -> None:
    left, top, right, bottom = plot
    figures = list(plan.figures)
    columns = len(figures) if len(figures) <= 3 else 2
    rows = (len(figures) + columns - 1) // columns
    gap = 2.4 * u
    card_w = (right - left - gap * (columns - 1)) / columns
    card_h = min((bottom - top - gap * (rows - 1)) / rows, 34 * u)
    top += (bottom - top - (card_h * rows + gap * (rows - 1))) / 2  # centre short rows in the plot area
    big = 11 * u if rows == 1 else 9 * u
    card_fill = mix(PAPER, palette.main, 0.07)
    label_font = fonts.get(round(3.3 * u))
    for i, figure in enumerate(figures):
        x = left + (i % columns) * (card_w + gap)
        y = top + (i // columns) * (card_h + gap)
        inner = card_w - 6 * u
        draw.rounded_rectangle((x, y, x + card_w, y + card_h), radius=round(1.8 * u), fill=card_fill)
        size = big
        font = fonts.get(round(size), bold=True)
        while font is not None and text_width(draw, figure.text, font) > inner and size > 3 * u:
            size *= 0.9
            font = fonts.get(round(size), bold=True)
        lines = wrap(draw, figure.label or "文中数据", label_font, inner, 2)
        # Centre the accent bar, number and label as one block in the card.
        block = 2.8 * u + size * 0.9 + 2.8 * u + len(lines) * 4.4 * u
        start = y + (card_h - block) / 2
        draw.rectangle((x + 3 * u, start, x + 8.4 * u, start + 0.6 * u), fill=palette.second)
        baseline = start + 2.8 * u + size * 0.9
        put(draw, (x + 3 * u, baseline), figure.text, font, palette.main, "ls")
        for j, line in enumerate(lines):
            put(draw, (x + 3 * u, baseline + 2.8 * u + j * 4.4 * u), line, label_font, INK, "la")
