"""Turn an accepted upload into the files a reader's browser is sent.

Every image is decoded and re-encoded, never passed through: that drops EXIF (camera serial numbers,
GPS positions), XMP, comments and anything smuggled after the image data.  The EXIF orientation is applied
first so a phone photo stands the right way up once its EXIF is gone, and colours are converted to sRGB
because browsers assume sRGB for untagged images.  Each image gets responsive widths (never upscaled)
in WebP plus a JPEG fallback, with width and height recorded so pages reserve the space (no layout shift).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from newsportal.media.pictures import ImageVariant, StoredImage, require_alt
from newsportal.media.storage import ImageStorage, StorageFull
from newsportal.media.validate import DEFAULT_LIMITS, ImageLimits, open_validated

#: Bumped when encoding settings change, so new output never reuses an old file name.
PIPELINE_VERSION = "1"
DEFAULT_WIDTHS: tuple[int, ...] = (320, 640, 960, 1440)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
_BACKGROUND = (255, 255, 255)
_ID_LENGTH = 32


@dataclass(frozen=True, slots=True)
class EncodedFile:
    """One encoded variant held in memory, not yet stored."""

    key: str
    width: int
    height: int
    mime: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """The outcome of processing: an id, the upright size of the original, and the encoded files."""

    id: str
    width: int
    height: int
    files: tuple[EncodedFile, ...]


def image_id(data: bytes) -> str:
    """Content hash naming an image; the same bytes always give the same names (re-uploads dedupe)."""
    digest = hashlib.sha256(b"newsportal-media/" + PIPELINE_VERSION.encode() + b"\0" + bytes(data))
    return digest.hexdigest()[:_ID_LENGTH]


def variant_key(image_id_: str, width: int, ext: str) -> str:
    """``ab/ab12…-640.webp``: sharded by the first two hex digits so no directory grows huge."""
    return f"{image_id_[:2]}/{image_id_}-{width}.{ext}"


def target_widths(original_width: int, widths: tuple[int, ...] = DEFAULT_WIDTHS) -> tuple[int, ...]:
    """The widths to produce: each requested width below the original, plus the original itself when it
    is smaller than the largest requested width.  Never wider than the original (no upscaling)."""
    if not widths or original_width < 1:
        raise ValueError("widths and original_width must be positive")
    largest = max(widths)
    chosen = {w for w in widths if w < original_width}
    chosen.add(min(original_width, largest))
    return tuple(sorted(chosen))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Flatten transparency onto white and convert to 8-bit sRGB RGB."""
    icc = image.info.get("icc_profile")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, _BACKGROUND + (255,))
        flat.alpha_composite(rgba)
        image = flat.convert("RGB")
    elif image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # 16-bit and float greyscale: scale to 8 bits; a plain convert() would clip nearly all to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    elif image.mode not in ("RGB", "CMYK", "L"):
        image = image.convert("RGB")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            srgb = ImageCms.createProfile("sRGB")
            converted = ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or mismatched profile: treat the pixels as sRGB, as a browser would
    return image.convert("RGB")


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # malformed EXIF must not sink an otherwise good photo; keep it as stored
        return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    image.info.clear()  # nothing from the source file may ride along (comments, EXIF, ICC, XMP)
    out = io.BytesIO()
    if fmt == "WEBP":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, subsampling="4:2:0")
    return out.getvalue()


def process_image(
    data: bytes, *, widths: tuple[int, ...] = DEFAULT_WIDTHS, limits: ImageLimits = DEFAULT_LIMITS
) -> ProcessedImage:
    """Validate ``data`` (raises ImageRejected) and encode every variant in memory."""
    decoded, _info = open_validated(data, limits)
    try:
        upright = _upright(decoded)
        rgb = _to_srgb(upright)
    finally:
        decoded.close()
    rgb.info.clear()
    ident = image_id(data)
    width, height = rgb.size
    files: list[EncodedFile] = []
    for target in target_widths(width, widths):
        target_height = max(1, round(height * target / width))
        sized = rgb
        if target != width:
            sized = rgb.resize((target, target_height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for fmt, ext, mime in (("WEBP", "webp", "image/webp"), ("JPEG", "jpg", "image/jpeg")):
            files.append(
                EncodedFile(variant_key(ident, target, ext), target, sized.height, mime, _encode(sized, fmt))
            )
    return ProcessedImage(id=ident, width=width, height=height, files=tuple(files))


def store_processed(processed: ProcessedImage, storage: ImageStorage, *, alt: str) -> StoredImage:
    """Write the files (skipping ones already stored: names are content hashes) and describe them."""
    alt_text = require_alt(alt)
    variants: list[ImageVariant] = []
    written: list[str] = []
    for item in processed.files:
        if not storage.exists(item.key):
            try:
                storage.save(item.key, item.data)
            except OSError as exc:  # a full disk: take back this upload's files, keep nothing half-done
                for key in written:
                    with contextlib.suppress(OSError):
                        storage.delete(key)
                raise StorageFull(exc) from exc
            written.append(item.key)
        variants.append(
            ImageVariant(
                key=item.key,
                url=storage.url_for(item.key),
                width=item.width,
                height=item.height,
                mime=item.mime,
                size_bytes=len(item.data),
            )
        )
    return StoredImage(
        id=processed.id,
        width=processed.width,
        height=processed.height,
        variants=tuple(variants),
        alt=alt_text,
    )


def ingest_image(
    data: bytes,
    *,
    alt: str,
    storage: ImageStorage,
    widths: tuple[int, ...] = DEFAULT_WIDTHS,
    limits: ImageLimits = DEFAULT_LIMITS,
) -> StoredImage:
    """The whole upload path: alt checked first (cheap), then validate, re-encode, store."""
    require_alt(alt)
    return store_processed(process_image(data, widths=widths, limits=limits), storage, alt=alt)
