"""Images drawn by code for articles that have no photo (issue 11): never copied photos.

An article that quotes at least two figures gets a chart of them (see ``figures.plan_chart``); any other
gets a generative illustration in its channel's motif and palette, captioned with the title.  Output is
deterministic: the random generator is seeded from the article id, so a page rebuild yields the same
bytes, hence the same content-hash file names in storage.  Alt text describes what the image shows,
including the charted numbers, because a screen-reader user cannot read them off the bars.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw

from newsportal.media.canvas import SUPERSAMPLE, finish, fit, put, shade_bottom, vertical_gradient
from newsportal.media.charts import draw_chart, subject, unit_text
from newsportal.media.figures import ChartPlan, find_figures, plan_chart
from newsportal.media.fonts import Fonts
from newsportal.media.motifs import draw_motif
from newsportal.media.palette import SITE_CREDIT, channel_style, luminance

DEFAULT_SIZE = (1600, 900)
_ALT_LIMIT = 240
_KIND_NAMES = {
    "line": "折线图",
    "bar": "柱状图",
    "hbar": "条形图",
    "figures": "数字信息图",
    "illustration": "示意插图",
}


@dataclass(frozen=True, slots=True)
class DrawnImage:
    """A drawn PNG plus the words that go with it on the page."""

    png: bytes
    width: int
    height: int
    kind: str  # "line" | "bar" | "hbar" | "figures" | "illustration"
    alt: str
    caption: str
    credit: str


def seed_for(article_id: str | int, channel: str) -> int:
    """A stable seed (Python's hash() is randomised per process, so it cannot be used)."""
    digest = hashlib.sha256(f"newsportal-drawn/{article_id}/{channel}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _clip(text: str, limit: int = _ALT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chart_words(plan: ChartPlan, title: str) -> tuple[str, str]:
    kind = _KIND_NAMES[plan.kind]
    if plan.kind in ("line", "bar"):
        years = [f.year for f in plan.figures]
        points = "，".join(f"{f.year}年{f.text}" for f in plan.figures)
        alt = f"{kind}：{years[0]}至{years[-1]}年{subject(plan)}（{unit_text(plan)}）：{points}"
        caption = f"{years[0]}—{years[-1]}年{subject(plan)}变化（数据据本文报道整理）"
    elif plan.kind == "hbar":
        points = "；".join(f"{f.label or '文中数据'}{f.text}" for f in plan.figures)
        alt = f"{kind}：《{title}》文中数据对比（单位：{unit_text(plan)}）：{points}"
        caption = f"文中数据对比（单位：{unit_text(plan)}，据本文报道整理）"
    else:
        points = "；".join(f"{f.label or '文中数据'}{f.text}" for f in plan.figures)
        alt = f"{kind}：《{title}》中的关键数字：{points}"
        caption = "数读：本文中的关键数字"
    return _clip(alt), caption


def _illustrate(canvas: Image.Image, channel: str, title: str, rng: random.Random, fonts: Fonts) -> None:
    name, palette, _desc = channel_style(channel)
    width, height = canvas.size
    canvas.paste(vertical_gradient(canvas.size, palette.top, palette.bottom))
    draw_motif(canvas, channel, rng, palette)
    if not fonts.available:
        return
    shade_bottom(canvas, 0.62, 185)
    draw = ImageDraw.Draw(canvas, "RGBA")
    u = height / 100
    margin = width * 0.05
    chip_font = fonts.get(round(3.0 * u), bold=True)
    chip_w = draw.textlength(name, font=chip_font) + 3.2 * u
    chip = palette.main if luminance(palette.main) < 0.6 else palette.second
    draw.rounded_rectangle((margin, 76 * u, margin + chip_w, 81.5 * u), radius=round(0.8 * u), fill=chip)
    ink = (255, 255, 255) if luminance(chip) < 0.6 else (20, 20, 20)
    put(draw, (margin + chip_w / 2, 78.75 * u), name, chip_font, ink, "mm")
    title_font = fonts.get(round(5.6 * u), bold=True)
    put(
        draw,
        (margin, 90 * u),
        fit(draw, title, title_font, width - 2 * margin - 14 * u),
        title_font,
        (255, 255, 255),
        "ls",
    )
    put(draw, (width - margin, 90 * u), SITE_CREDIT, fonts.get(round(2.4 * u)), (255, 255, 255, 200), "rs")


def draw_article_image(
    *,
    article_id: str | int,
    title: str,
    channel: str,
    body: str,
    size: tuple[int, int] = DEFAULT_SIZE,
    fonts: Fonts | None = None,
) -> DrawnImage:
    """Draw the lead image for an article; ``body`` may be plain text or HTML.

    ``size`` is the output size (16:9 by default; tests pass a small one).  ``fonts`` defaults to the
    system's Noto Sans CJK; without it the image is drawn with no text rather than failing.
    """
    width, height = size
    if width < 16 or height < 9:
        raise ValueError("drawn images must be at least 16x9 pixels")
    fonts = fonts or Fonts()
    title = " ".join((title or "").split()) or "山海新闻"
    rng = random.Random(seed_for(article_id, channel))
    canvas = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), (255, 255, 255))
    plan = plan_chart(find_figures(body))
    name, palette, description = channel_style(channel)
    if plan is not None:
        draw_chart(canvas, plan, title, palette, fonts)
        alt, caption = _chart_words(plan, title)
        kind = plan.kind
    else:
        _illustrate(canvas, channel, title, rng, fonts)
        kind = "illustration"
        shown = f"，图上文字为“{name}”和标题“{title}”" if fonts.available else ""
        alt = _clip(f"示意插图：{name}频道配图，画面是{description}{shown}")
        caption = f"示意图：{title}（非新闻现场照片）"
    return DrawnImage(
        png=finish(canvas, size),
        width=width,
        height=height,
        kind=kind,
        alt=alt,
        caption=caption,
        credit=SITE_CREDIT,
    )
