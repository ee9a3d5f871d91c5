"""Generative illustrations, one motif per channel, drawn from a seeded random generator.

Each motif draws onto an RGB canvas already filled with the channel's gradient, using translucent fills
(``ImageDraw`` in RGBA mode blends onto RGB).  Coordinates are fractions of the canvas so any size works.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

from newsportal.media.landscapes import WHITE, globe, mountains, pitch, road, skyline, waves
from newsportal.media.palette import Palette, mix

Motif = Callable[[ImageDraw.ImageDraw, random.Random, int, int, Palette], None]


def spotlights(draw, rng, w, h, p: Palette) -> None:
    for i in range(4):
        x = w * (0.15 + 0.23 * i + rng.uniform(-0.04, 0.04))
        spread = w * rng.uniform(0.1, 0.16)
        target = x + rng.uniform(-0.15, 0.15) * w
        draw.polygon(
            [(x - 8, 0), (x + 8, 0), (target + spread, h), (target - spread, h)],
            fill=(p.main if i % 2 else p.second) + (70,),
        )
    for _ in range(70):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h * 0.8), rng.uniform(2, h * 0.012)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=p.accent + (rng.randint(90, 220),))
    draw.rectangle((0, h * 0.84, w, h), fill=mix(p.bottom, (0, 0, 0), 0.3))


def market(draw, rng, w, h, p: Palette) -> None:
    lw = max(2, h // 400)
    for k in range(1, 6):
        draw.line((0, h * k / 6, w, h * k / 6), fill=p.main + (35,), width=lw)
    level, pts, n = h * 0.7, [], 22
    for i in range(n):
        x = w * (0.04 + 0.92 * i / (n - 1))
        opening = level
        level = min(h * 0.85, max(h * 0.15, level - h * rng.uniform(-0.04, 0.07)))
        up = level < opening
        top, bottom = min(opening, level), max(opening, level) + 2
        colour = (p.accent if up else p.second) + (200,)
        draw.line((x, top - h * 0.03, x, bottom + h * 0.03), fill=colour, width=lw)
        draw.rectangle((x - w * 0.012, top, x + w * 0.012, bottom), fill=colour)
        pts.append((x, level))
    draw.line(pts, fill=p.main, width=lw * 3, joint="curve")


def circuit(draw, rng, w, h, p: Palette) -> None:
    step = h / 16
    lw = max(2, h // 300)
    cx, cy, half = w * 0.5, h * 0.46, h * 0.16
    for _ in range(46):
        x, y = round(rng.uniform(0, w) / step) * step, round(rng.uniform(0, h) / step) * step
        pts = [(x, y)]
        for _seg in range(rng.randint(2, 5)):
            dx, dy = rng.choice(((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1)))
            length = step * rng.randint(1, 4)
            x, y = x + dx * length, y + dy * length
            pts.append((x, y))
        colour = rng.choice((p.main, p.second)) + (rng.randint(120, 230),)
        draw.line(pts, fill=colour, width=lw)
        for px, py in (pts[0], pts[-1]):
            draw.ellipse((px - lw * 3, py - lw * 3, px + lw * 3, py + lw * 3), outline=colour, width=lw)
    draw.rounded_rectangle(
        (cx - half * 1.6, cy - half * 1.6, cx + half * 1.6, cy + half * 1.6),
        radius=half * 0.2,
        fill=mix(p.top, p.main, 0.12),
    )
    for k in range(8):
        offset = -half * 1.3 + k * half * 2.6 / 7
        for a, b in (
            ((cx + offset, cy - half * 1.6), (cx + offset, cy - half * 2.0)),
            ((cx + offset, cy + half * 1.6), (cx + offset, cy + half * 2.0)),
            ((cx - half * 1.6, cy + offset), (cx - half * 2.0, cy + offset)),
            ((cx + half * 1.6, cy + offset), (cx + half * 2.0, cy + offset)),
        ):
            draw.line((a, b), fill=p.main, width=lw * 2)
    draw.rounded_rectangle(
        (cx - half, cy - half, cx + half, cy + half),
        radius=half * 0.15,
        outline=p.accent,
        width=lw * 2,
        fill=mix(p.top, p.main, 0.22),
    )


def phone(draw, rng, w, h, p: Palette) -> None:
    for _ in range(12):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.03, 0.12) * h
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice((p.second, p.accent)) + (50,))
    pw, ph = h * 0.42, h * 0.8
    x0, y0 = w * rng.uniform(0.38, 0.5), h * 0.1
    draw.rounded_rectangle((x0, y0, x0 + pw, y0 + ph), radius=pw * 0.14, fill=p.main)
    draw.rounded_rectangle(
        (x0 + pw * 0.06, y0 + pw * 0.1, x0 + pw * 0.94, y0 + ph - pw * 0.1),
        radius=pw * 0.08,
        fill=mix(p.top, WHITE, 0.5),
    )
    tile, gap = pw * 0.16, pw * 0.05
    for r in range(5):
        for c in range(4):
            tx, ty = x0 + pw * 0.1 + c * (tile + gap), y0 + pw * 0.22 + r * (tile + gap)
            colour = rng.choice((p.main, p.second, p.accent, mix(p.second, p.accent, 0.5)))
            draw.rounded_rectangle((tx, ty, tx + tile, ty + tile), radius=tile * 0.25, fill=colour + (220,))


def books(draw, rng, w, h, p: Palette) -> None:
    shelf_y = h * 0.72
    draw.rectangle((0, shelf_y, w, shelf_y + h * 0.03), fill=mix(p.main, (0, 0, 0), 0.2))
    x = w * 0.08
    while x < w * 0.72:
        bw, bh = w * rng.uniform(0.025, 0.05), h * rng.uniform(0.25, 0.45)
        colour = rng.choice((p.main, p.second, p.accent, mix(p.main, p.second, 0.5)))
        lean = rng.random() < 0.1
        if lean:
            draw.polygon(
                [
                    (x, shelf_y),
                    (x + bw, shelf_y),
                    (x + bw + bh * 0.35, shelf_y - bh * 0.94),
                    (x + bh * 0.35, shelf_y - bh * 0.94),
                ],
                fill=colour,
            )
            x += bw + bh * 0.35
        else:
            draw.rectangle((x, shelf_y - bh, x + bw, shelf_y), fill=colour)
            draw.rectangle((x, shelf_y - bh * 0.8, x + bw, shelf_y - bh * 0.74), fill=WHITE + (120,))
            x += bw + w * 0.004
    lx = w * 0.84  # desk lamp with a pool of light
    draw.polygon(
        [
            (lx - w * 0.06, h * 0.3),
            (lx + w * 0.06, h * 0.3),
            (lx + w * 0.16, shelf_y),
            (lx - w * 0.16, shelf_y),
        ],
        fill=p.accent + (60,),
    )
    draw.line((lx, h * 0.1, lx, h * 0.22), fill=p.main, width=max(3, h // 150))
    draw.pieslice((lx - w * 0.06, h * 0.2, lx + w * 0.06, h * 0.4), 180, 360, fill=p.main)


def room(draw, rng, w, h, p: Palette) -> None:
    floor = h * 0.74
    draw.rectangle((0, floor, w, h), fill=mix(p.main, p.bottom, 0.4))
    ax0, ax1, atop = w * 0.1, w * 0.36, h * 0.14
    draw.rectangle(
        (ax0, atop + (ax1 - ax0) / 2, ax1, floor - h * 0.08), fill=mix(p.top, (170, 210, 235), 0.7)
    )
    draw.pieslice((ax0, atop, ax1, atop + (ax1 - ax0)), 180, 360, fill=mix(p.top, (170, 210, 235), 0.7))
    draw.line(
        (ax0 + (ax1 - ax0) / 2, atop, ax0 + (ax1 - ax0) / 2, floor - h * 0.08), fill=WHITE, width=h // 120
    )
    lx = w * rng.uniform(0.55, 0.62)
    draw.line((lx, 0, lx, h * 0.2), fill=p.main, width=max(2, h // 300))
    draw.pieslice((lx - h * 0.08, h * 0.17, lx + h * 0.08, h * 0.33), 180, 360, fill=p.accent)
    sx = w * 0.45
    draw.rounded_rectangle((sx, h * 0.5, sx + w * 0.32, floor), radius=h * 0.04, fill=p.second)
    draw.rounded_rectangle(
        (sx - w * 0.02, h * 0.58, sx + w * 0.34, floor), radius=h * 0.04, fill=mix(p.second, (0, 0, 0), 0.15)
    )
    px = w * 0.86
    draw.polygon(
        [
            (px - w * 0.03, floor),
            (px + w * 0.03, floor),
            (px + w * 0.04, floor - h * 0.1),
            (px - w * 0.04, floor - h * 0.1),
        ],
        fill=p.main,
    )
    for k in range(9):
        angle = -math.pi / 2 + rng.uniform(-1.1, 1.1)
        length = h * rng.uniform(0.12, 0.22)
        ex, ey = px + math.cos(angle) * length, floor - h * 0.1 + math.sin(angle) * length
        draw.line((px, floor - h * 0.1, ex, ey), fill=mix(p.second, (0, 0, 0), 0.3), width=max(2, h // 300))
        draw.ellipse(
            (ex - h * 0.03, ey - h * 0.015, ex + h * 0.03, ey + h * 0.015),
            fill=mix(p.second, (0, 60, 0), 0.2 + k * 0.03),
        )


def radar(draw, rng, w, h, p: Palette) -> None:
    cx, cy, r = w * 0.32, h * 0.52, h * 0.4
    lw = max(2, h // 350)
    for k in range(1, 5):
        rr = r * k / 4
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=p.main + (150,), width=lw)
    draw.line((cx - r, cy, cx + r, cy), fill=p.main + (120,), width=lw)
    draw.line((cx, cy - r, cx, cy + r), fill=p.main + (120,), width=lw)
    start = rng.uniform(0, 360)
    for k in range(12):
        draw.pieslice(
            (cx - r, cy - r, cx + r, cy + r), start + k * 4, start + k * 4 + 4, fill=p.main + (12 + k * 8,)
        )
    for _ in range(5):
        a, d = rng.uniform(0, math.tau), rng.uniform(0.2, 0.9) * r
        x, y = cx + math.cos(a) * d, cy + math.sin(a) * d
        draw.ellipse((x - lw * 4, y - lw * 4, x + lw * 4, y + lw * 4), fill=p.accent)
    for _ in range(3):
        x, y, size = w * rng.uniform(0.62, 0.9), h * rng.uniform(0.15, 0.6), h * 0.05
        draw.line((x - w * 0.25, y + size * 0.8, x - size, y), fill=WHITE + (70,), width=lw * 2)
        draw.polygon(
            [(x + size, y), (x - size, y - size * 0.45), (x - size * 0.6, y), (x - size, y + size * 0.45)],
            fill=mix(p.main, WHITE, 0.3),
        )


def circles(draw, rng, w, h, p: Palette) -> None:
    for _ in range(9):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.1, 0.35) * h
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice((p.main, p.second, p.accent)) + (70,))
    for k in range(3):
        y = h * rng.uniform(0.2, 0.8)
        draw.polygon(
            [(0, y), (w, y - h * 0.3), (w, y - h * 0.25), (0, y + h * 0.05)], fill=p.main + (40 + 20 * k,)
        )


def broadcast(draw, rng, w, h, p: Palette) -> None:
    cx, cy = w * rng.uniform(0.25, 0.4), h * 0.55
    for k in range(1, 9):
        r = h * 0.08 * k
        draw.ellipse(
            (cx - r, cy - r, cx + r, cy + r), outline=p.main + (200 - k * 20,), width=max(3, h // 150)
        )
    draw.ellipse((cx - h * 0.04, cy - h * 0.04, cx + h * 0.04, cy + h * 0.04), fill=p.main)
    for i in range(9):
        x = w * (0.58 + i * 0.04)
        bar = h * rng.uniform(0.12, 0.5)
        draw.rounded_rectangle(
            (x, h * 0.8 - bar, x + w * 0.025, h * 0.8),
            radius=w * 0.006,
            fill=(p.second if i % 3 else p.accent) + (210,),
        )


MOTIFS: dict[str, Motif] = {
    "news": broadcast,
    "domestic": mountains,
    "world": globe,
    "society": waves,
    "sports": pitch,
    "ent": spotlights,
    "money": market,
    "tech": circuit,
    "auto": road,
    "mobile": phone,
    "house": skyline,
    "edu": books,
    "homedeco": room,
    "war": radar,
}


def draw_motif(canvas: Image.Image, channel: str, rng: random.Random, palette: Palette) -> None:
    """Draw the channel's motif (a neutral abstract one for unknown channels) onto ``canvas``."""
    draw = ImageDraw.Draw(canvas, "RGBA")
    MOTIFS.get(channel, circles)(draw, rng, canvas.width, canvas.height, palette)
