"""Images made on the fly for the media tests; all small so the suite stays fast."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def two_tone(width: int = 40, height: int = 20, left=(220, 30, 30), right=(30, 30, 220)) -> Image.Image:
    """Left half one colour, right half another: orientation is visible in the pixels."""
    image = Image.new("RGB", (width, height), right)
    image.paste(left, (0, 0, width // 2, height))
    return image


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_declaring(width: int, height: int, rows_of_data: int = 8) -> bytes:
    """A tiny 1-bit greyscale PNG whose header declares width x height; only a few rows of real data
    follow (a decoder that trusted the header would allocate the whole canvas first)."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = zlib.compress(row * min(rows_of_data, height), 9)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
