"""Validate an uploaded image from its bytes alone.

An upload's file name and declared content type are chosen by the sender, so neither is trusted: the
type is decided by Pillow parsing the content, limited to the four formats a reader's browser shows
(JPEG, PNG, WebP, GIF).  Size limits are checked in the order that costs least: byte length first, then
the dimensions declared in the header (Pillow's ``open`` is lazy and allocates no pixels), and only then
is the first frame decoded, so a file that declares a huge canvas is refused before any memory is spent
on it (a "decompression bomb").
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

#: Formats accepted, as Pillow names them.  A JPEG with an MPO index (many phone cameras) is a JPEG.
ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF")
_FORMAT_ALIASES = {"MPO": "JPEG"}
MIME_BY_FORMAT = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """Caps for one upload; the defaults suit newsroom photos and charts."""

    max_bytes: int = 10 * 1024 * 1024
    max_side: int = 8000
    max_pixels: int = 40_000_000


DEFAULT_LIMITS = ImageLimits()

# Pillow's own guard warns above MAX_IMAGE_PIXELS and raises above twice that, for every image this
# process opens.  Pin it to our cap so the guard is on even if nobody calls validate_image first, and so a
# header declaring more than 2x the cap fails inside Image.open itself.
Image.MAX_IMAGE_PIXELS = DEFAULT_LIMITS.max_pixels


class ImageRejected(ValueError):
    """An upload was refused; ``message_zh`` is shown to the editor as is, ``code`` is for programs."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


@dataclass(frozen=True, slots=True)
class ValidatedImage:
    """What validation learned about an accepted upload."""

    format: str
    mime: str
    width: int
    height: int
    animated: bool
    byte_size: int


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _limits_text(limits: ImageLimits) -> str:
    return f"每边不超过 {limits.max_side} 像素、总计不超过 {limits.max_pixels // 10_000} 万像素"


def _refuse_bomb(limits: ImageLimits) -> ImageRejected:
    return ImageRejected(
        "decompression_bomb",
        f"图片声明的像素数量异常巨大，疑似“解压炸弹”，已拒绝。图片须{_limits_text(limits)}。",
    )


def open_validated(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> tuple[Image.Image, ValidatedImage]:
    """Check ``data`` and return its first frame, decoded, with what was learned about it.

    The caller owns the returned image.  Raises ImageRejected for anything that is not an acceptable
    image; never lets a Pillow exception escape, because a hostile file can provoke many kinds.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImageRejected("empty", "没有收到图片文件，请重新选择。")
    data = bytes(data)
    if not data:
        raise ImageRejected("empty", "图片文件是空的，请重新选择。")
    if len(data) > limits.max_bytes:
        raise ImageRejected(
            "too_large_file", f"图片文件过大（{_mb(len(data))} MB），上限为 {_mb(limits.max_bytes)} MB。"
        )
    guard = max(DEFAULT_LIMITS.max_pixels, limits.max_pixels)
    if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > guard:
        # Someone switched the guard off or loosened it; restore it.  Never *lower* the process-wide guard
        # to a caller's tighter cap: it also guards every image Pillow draws (fonts render through it), so a
        # small per-call cap would break unrelated work.  The explicit pixel check below enforces that cap.
        Image.MAX_IMAGE_PIXELS = guard

    # 1. Identify from content, header only.
    try:
        with warnings.catch_warnings():
            # Between 1x and 2x the cap Pillow only warns; the explicit check below gives a precise message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as probe:
                fmt = _FORMAT_ALIASES.get(probe.format or "", probe.format or "")
                width, height = probe.size
                # is_animated looks at one more frame only; n_frames would walk a hostile GIF's every frame.
                animated = bool(getattr(probe, "is_animated", False))
    except Image.DecompressionBombError:
        raise _refuse_bomb(limits) from None
    except UnidentifiedImageError:
        raise ImageRejected(
            "unsupported_type",
            "无法识别为图片：只接受 JPEG、PNG、WebP 和 GIF 格式（按文件内容判断，与扩展名无关）。",
        ) from None
    except Exception:  # a crafted header can raise anything from struct.error to ValueError
        raise ImageRejected("corrupt", "图片文件已损坏或不完整，无法读取。") from None

    if fmt not in ALLOWED_FORMATS:
        raise ImageRejected("unsupported_type", "只接受 JPEG、PNG、WebP 和 GIF 格式的图片。")

    # 2. Dimensions, before a single pixel is decoded.
    if width < 1 or height < 1:
        raise ImageRejected("corrupt", "图片尺寸无效，无法读取。")
    if width > limits.max_side or height > limits.max_side or width * height > limits.max_pixels:
        raise ImageRejected(
            "too_large_dimensions", f"图片尺寸过大（{width}×{height} 像素）：图片须{_limits_text(limits)}。"
        )

    # 3. Structural check (CRCs, chunk order), then a full decode of the first frame: verify() alone does
    #    not find a truncated JPEG, and a file must be reopened after verify().
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as checker:
                checker.verify()
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            try:
                image.seek(0)
                image.load()
            except BaseException:
                image.close()
                raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse_bomb(limits) from None
    except Exception:  # same reason as above
        raise ImageRejected("corrupt", "图片文件已损坏或不完整，无法读取。") from None
    if image.size != (width, height):
        image.close()
        raise ImageRejected("corrupt", "图片文件的尺寸信息前后不一致，无法读取。")
    info = ValidatedImage(
        format=fmt,
        mime=MIME_BY_FORMAT[fmt],
        width=width,
        height=height,
        animated=animated,
        byte_size=len(data),
    )
    return image, info


def validate_image(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> ValidatedImage:
    """Check ``data`` is an acceptable image and say what it is; raises ImageRejected otherwise."""
    image, info = open_validated(data, limits)
    image.close()
    return info
