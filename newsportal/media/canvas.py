"""Drawing helpers shared by the charts and the illustrations: supersampled canvas, gradients, text.

Pillow draws shapes without anti-aliasing, so everything is drawn at twice the size and reduced with a
Lanczos filter at the end; text helpers silently draw nothing when no CJK font is available.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from newsportal.media.palette import RGB, mix

SUPERSAMPLE = 2
Font = ImageFont.FreeTypeFont | None


def vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """An RGB image fading from ``top`` to ``bottom``."""
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        column.putpixel((0, y), mix(top, bottom, y / 255))
    return column.resize(size, Image.Resampling.BILINEAR)


def shade_bottom(image: Image.Image, start: float, strength: int) -> None:
    """Darken the lower part of ``image`` (from ``start`` as a fraction of height) so light text reads."""
    width, height = image.size
    mask_column = Image.new("L", (1, 256))
    for y in range(256):
        t = y / 255
        mask_column.putpixel((0, y), 0 if t < start else round(strength * ((t - start) / (1 - start)) ** 1.2))
    mask = mask_column.resize((width, height), Image.Resampling.BILINEAR)
    image.paste(Image.new("RGB", (width, height), (12, 14, 20)), (0, 0), mask)


def text_width(draw: ImageDraw.ImageDraw, text: str, font: Font) -> float:
    return draw.textlength(text, font=font) if font is not None and text else 0.0


def fit(draw: ImageDraw.ImageDraw, text: str, font: Font, max_width: float) -> str:
    """``text`` shortened with an ellipsis so it fits ``max_width``."""
    if font is None or text_width(draw, text, font) <= max_width:
        return text
    while text and text_width(draw, text + "…", font) > max_width:
        text = text[:-1]
    return text + "…" if text else ""


def wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, max_width: float, max_lines: int) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines (CJK breaks anywhere); the last line is ellipsised."""
    if font is None or not text:
        return [text] if text else []
    lines: list[str] = []
    current = ""
    for index, char in enumerate(text):
        if text_width(draw, current + char, font) <= max_width:
            current += char
            continue
        if len(lines) == max_lines - 1:
            return lines + [fit(draw, current + text[index:], font, max_width)]
        lines.append(current)
        current = char.lstrip()
    return lines + [current] if current else lines


def put(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font: Font, fill, anchor: str = "la"
) -> None:
    """Draw ``text`` if a font is available; drawings stay valid (only wordless) without one."""
    if font is not None and text:
        draw.text(xy, text, font=font, fill=fill, anchor=anchor)


def finish(canvas: Image.Image, size: tuple[int, int]) -> bytes:
    """Reduce the supersampled canvas to ``size`` and encode a metadata-free PNG."""
    out = canvas.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    out.info.clear()
    buffer = io.BytesIO()
    out.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
