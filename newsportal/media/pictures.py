"""Stored-image records and what a template needs to write ``<picture>``.

Kept apart from processing so pages can build markup from a record loaded from the database without
importing Pillow's encoders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsportal.media.validate import ImageRejected

MAX_ALT_LENGTH = 250
WEBP = "image/webp"
JPEG = "image/jpeg"


def require_alt(alt: str | None) -> str:
    """Alt text is mandatory: a reader who cannot see the image gets these words instead."""
    text = " ".join((alt or "").split())
    if not text:
        raise ImageRejected("missing_alt", "请填写图片的替代文字（alt），向看不到图片的读者说明图片内容。")
    if len(text) > MAX_ALT_LENGTH:
        raise ImageRejected(
            "alt_too_long", f"替代文字太长（{len(text)} 字），请控制在 {MAX_ALT_LENGTH} 字以内。"
        )
    return text


@dataclass(frozen=True, slots=True)
class ImageVariant:
    """One stored file: a width in one format."""

    key: str
    url: str
    width: int
    height: int
    mime: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class PictureSource:
    """A ``<source type=… srcset=…>`` line."""

    mime: str
    srcset: str


@dataclass(frozen=True, slots=True)
class PictureData:
    """Everything a template needs for ``<picture>``: WebP source(s), then an ``<img>`` with the JPEG
    fallback, its srcset, intrinsic width/height (reserves the box), alt, and optional caption/credit."""

    sources: tuple[PictureSource, ...]
    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    alt: str
    loading: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class StoredImage:
    """An image as stored: content-hash id, upright original size, its variants and its alt text."""

    id: str
    width: int
    height: int
    variants: tuple[ImageVariant, ...]
    alt: str = ""

    def of_type(self, mime: str) -> tuple[ImageVariant, ...]:
        """Variants in one format, narrowest first."""
        return tuple(sorted((v for v in self.variants if v.mime == mime), key=lambda v: v.width))

    def srcset(self, mime: str = WEBP) -> str:
        """``/media/ab/…-320.webp 320w, /media/ab/…-640.webp 640w``; empty if there is no such format."""
        return ", ".join(f"{v.url} {v.width}w" for v in self.of_type(mime))

    def best(self, mime: str = JPEG, max_width: int = 960) -> ImageVariant:
        """The widest variant of ``mime`` no wider than ``max_width`` (else the narrowest one)."""
        options = self.of_type(mime)
        if not options:
            raise LookupError(f"no {mime} variant of image {self.id}")
        fitting = [v for v in options if v.width <= max_width]
        return fitting[-1] if fitting else options[0]

    def picture(
        self,
        alt: str | None = None,
        *,
        sizes: str = "100vw",
        caption: str = "",
        credit: str = "",
        lazy: bool = True,
        fallback_width: int = 960,
    ) -> PictureData:
        """Template data for this image.  ``alt`` overrides the stored alt; either must be non-empty.
        Use ``lazy=False`` for an image above the fold (the lead), which should load at once."""
        alt_text = require_alt(alt if alt is not None else self.alt)
        fallback = self.best(JPEG, fallback_width)
        sources = (PictureSource(WEBP, self.srcset(WEBP)),) if self.of_type(WEBP) else ()
        return PictureData(
            sources=sources,
            src=fallback.url,
            srcset=self.srcset(JPEG),
            sizes=sizes,
            width=fallback.width,
            height=fallback.height,
            alt=alt_text,
            loading="lazy" if lazy else "eager",
            caption=caption.strip(),
            credit=credit.strip(),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for a database column or a content file."""
        return {
            "id": self.id,
            "width": self.width,
            "height": self.height,
            "alt": self.alt,
            "variants": [
                {
                    "key": v.key,
                    "url": v.url,
                    "width": v.width,
                    "height": v.height,
                    "mime": v.mime,
                    "size_bytes": v.size_bytes,
                }
                for v in self.variants
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoredImage:
        """Inverse of to_dict; raises KeyError/TypeError/ValueError on a malformed record."""
        return cls(
            id=str(data["id"]),
            width=int(data["width"]),
            height=int(data["height"]),
            alt=str(data.get("alt", "")),
            variants=tuple(
                ImageVariant(
                    key=str(v["key"]),
                    url=str(v["url"]),
                    width=int(v["width"]),
                    height=int(v["height"]),
                    mime=str(v["mime"]),
                    size_bytes=int(v["size_bytes"]),
                )
                for v in data["variants"]
            ),
        )
