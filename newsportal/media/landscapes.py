"""Landscape motifs for channel illustrations: sea, mountains, globe, pitch, road and skyline.

Split from ``motifs`` only to keep modules small; the registry lives there.
"""

from __future__ import annotations

import math
import random

from PIL import ImageDraw

from newsportal.media.palette import RGB, Palette, mix

WHITE = (255, 255, 255)


def sun(
    draw: ImageDraw.ImageDraw, rng: random.Random, w: float, h: float, colour: RGB, alpha: int = 230
) -> None:
    """A sun (or moon) with a soft halo, somewhere in the upper right."""
    x, y, r = w * rng.uniform(0.62, 0.86), h * rng.uniform(0.14, 0.3), h * rng.uniform(0.08, 0.12)
    for k in range(4, 0, -1):
        draw.ellipse(
            (x - r * (1 + k * 0.35), y - r * (1 + k * 0.35), x + r * (1 + k * 0.35), y + r * (1 + k * 0.35)),
            fill=colour + (18,),
        )
    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour + (alpha,))


def waves(draw, rng, w, h, p: Palette) -> None:
    sun(draw, rng, w, h, p.accent)
    layers = 7
    for i in range(layers):
        t = i / (layers - 1)
        base = h * (0.42 + 0.075 * i)
        amp = h * rng.uniform(0.025, 0.055)
        freq = rng.uniform(1.2, 2.4) * math.tau / w
        phase = rng.uniform(0, math.tau)
        pts = [
            (x, base + amp * math.sin(freq * x + phase) + amp * 0.4 * math.sin(2.7 * freq * x + phase))
            for x in range(0, w + 8, 8)
        ]
        draw.polygon([(0, h), *pts, (w, h)], fill=mix(p.second, p.main, t) + (150 + 15 * i,))
        draw.line(pts, fill=WHITE + (90,), width=max(2, h // 300))


def mountains(draw, rng, w, h, p: Palette) -> None:
    sun(draw, rng, w, h, p.accent)
    for i in range(4):
        t = i / 3
        base = h * (0.45 + 0.09 * i)
        x, pts = 0.0, [(0.0, base)]
        while x < w:
            x += w * rng.uniform(0.06, 0.16)
            pts.append((x, base - h * rng.uniform(0.02, 0.22) * (1.2 - t * 0.5)))
        draw.polygon([(0, h), *pts, (w, h)], fill=mix(mix(p.top, p.main, 0.35), p.main, t) + (200,))
    for i in range(5):  # sea in front
        y = h * (0.82 + 0.035 * i)
        pts = [(x, y + h * 0.008 * math.sin(x / w * math.tau * 3 + i)) for x in range(0, w + 8, 8)]
        draw.polygon([(0, h), *pts, (w, h)], fill=mix(p.second, WHITE, 0.15 * (4 - i)) + (170,))


def globe(draw, rng, w, h, p: Palette) -> None:
    cx, cy, r = w * rng.uniform(0.42, 0.58), h * 0.5, h * 0.36
    draw.ellipse(
        (cx - r, cy - r, cx + r, cy + r), fill=mix(p.top, p.second, 0.5), outline=p.main, width=h // 200
    )
    lw = max(2, h // 350)
    for k in range(1, 6):
        rx = r * math.cos(k * math.pi / 12 + rng.uniform(-0.05, 0.05))
        draw.ellipse((cx - rx, cy - r, cx + rx, cy + r), outline=p.main + (140,), width=lw)
    for k in range(-3, 4):
        y = cy + r * math.sin(k * math.pi / 8)
        half = math.sqrt(max(0.0, r * r - (y - cy) ** 2))
        draw.line((cx - half, y, cx + half, y), fill=p.main + (140,), width=lw)
    for _ in range(4):  # flight arcs across the canvas
        x1, x2 = rng.uniform(0.05, 0.35) * w, rng.uniform(0.65, 0.95) * w
        y1, y2, lift = rng.uniform(0.3, 0.8) * h, rng.uniform(0.3, 0.8) * h, rng.uniform(0.15, 0.3) * h
        pts = [
            (x1 + (x2 - x1) * s / 40, y1 + (y2 - y1) * s / 40 - lift * math.sin(math.pi * s / 40))
            for s in range(41)
        ]
        for a, b in zip(pts[::2], pts[1::2], strict=False):
            draw.line((a, b), fill=p.accent + (220,), width=lw * 2)
        for x, y in (pts[0], pts[-1]):
            draw.ellipse((x - lw * 4, y - lw * 4, x + lw * 4, y + lw * 4), fill=p.accent)


def pitch(draw, rng, w, h, p: Palette) -> None:
    stripes = rng.choice((8, 10, 12))
    for i in range(stripes):
        if i % 2:
            draw.rectangle((w * i / stripes, 0, w * (i + 1) / stripes, h), fill=p.second + (120,))
    lw = max(3, h // 160)
    m = h * 0.08
    draw.rectangle((m, m, w - m, h - m), outline=p.main, width=lw)
    draw.line((w / 2, m, w / 2, h - m), fill=p.main, width=lw)
    r = h * 0.15
    draw.ellipse((w / 2 - r, h / 2 - r, w / 2 + r, h / 2 + r), outline=p.main, width=lw)
    for side in (0, 1):
        x0 = m if side == 0 else w - m
        sign = 1 if side == 0 else -1
        box, small = (
            (x0, h * 0.25, x0 + sign * w * 0.13, h * 0.75),
            (x0, h * 0.38, x0 + sign * w * 0.05, h * 0.62),
        )
        for rect in (box, small):
            draw.rectangle(
                (min(rect[0], rect[2]), rect[1], max(rect[0], rect[2]), rect[3]), outline=p.main, width=lw
            )
    bx, by, br = w * rng.uniform(0.58, 0.78), h * rng.uniform(0.3, 0.6), h * 0.045
    for k in range(6):  # motion trail
        draw.ellipse(
            (bx - br - k * br * 0.9, by - br * 0.3, bx - k * br * 0.9, by + br * 0.3),
            fill=WHITE + (70 - k * 10,),
        )
    draw.ellipse((bx - br, by - br, bx + br, by + br), fill=WHITE, outline=(30, 30, 30), width=lw // 2 + 1)
    draw.regular_polygon((bx, by, br * 0.45), 5, fill=(30, 30, 30))


def road(draw, rng, w, h, p: Palette) -> None:
    horizon = h * 0.5
    sun(draw, rng, w, h * 0.9, p.accent)
    draw.rectangle((0, horizon, w, h), fill=mix(p.bottom, p.main, 0.5))
    vx = w * rng.uniform(0.42, 0.58)
    draw.polygon(
        [(vx - w * 0.01, horizon), (vx + w * 0.01, horizon), (w * 0.85, h), (w * 0.15, h)], fill=p.main
    )
    for k in range(9):
        t0, t1 = (k / 9) ** 2, ((k + 0.5) / 9) ** 2
        y0, y1 = horizon + (h - horizon) * t0, horizon + (h - horizon) * t1
        x0, x1 = vx + (w * 0.5 - vx) * t0, vx + (w * 0.5 - vx) * t1
        draw.polygon(
            [(x0 - 2 - 10 * t0, y0), (x0 + 2 + 10 * t0, y0), (x1 + 2 + 10 * t1, y1), (x1 - 2 - 10 * t1, y1)],
            fill=p.accent,
        )
    for _ in range(14):
        y = rng.uniform(h * 0.1, h * 0.45)
        x = rng.uniform(0, w * 0.7)
        draw.line((x, y, x + rng.uniform(0.08, 0.25) * w, y), fill=WHITE + (150,), width=max(2, h // 250))


def skyline(draw, rng, w, h, p: Palette) -> None:
    sun(draw, rng, w, h, p.accent)
    for layer in range(3):
        t = layer / 2
        x = -rng.uniform(0, w * 0.05)
        colour = mix(mix(p.top, p.main, 0.3), p.main, t)
        while x < w:
            bw = w * rng.uniform(0.04, 0.09)
            bh = h * rng.uniform(0.2, 0.55) * (1.15 - 0.25 * t)
            top = h * 0.92 - bh
            draw.rectangle((x, top, x + bw, h), fill=colour)
            if rng.random() < 0.3:
                draw.polygon([(x, top), (x + bw / 2, top - bh * 0.12), (x + bw, top)], fill=colour)
            if layer == 2:
                for wy in range(int(top + h * 0.03), int(h * 0.9), int(h * 0.045)):
                    for wx in range(int(x + bw * 0.15), int(x + bw * 0.8), int(max(4, bw * 0.22))):
                        if rng.random() < 0.45:
                            draw.rectangle((wx, wy, wx + bw * 0.1, wy + h * 0.018), fill=p.accent + (200,))
            x += bw + w * rng.uniform(0.0, 0.015)
    draw.rectangle((0, h * 0.92, w, h), fill=mix(p.main, (0, 0, 0), 0.25))
