import pytest
from PIL import Image, ImageCms

from newsportal.media.backends.filesystem import FilesystemStorage
from newsportal.media.pictures import StoredImage
from newsportal.media.process import ingest_image, process_image, target_widths
from newsportal.media.validate import ImageRejected
from tests.media.helpers import decode, encode, two_tone

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def _exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE] = "SecretCam"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (31.0, 14.0, 5.5)
    gps[3] = "E"
    gps[4] = (121.0, 28.0, 9.25)
    return exif


def test_exif_and_gps_are_stripped_from_every_variant():
    source = encode(two_tone(400, 200), "JPEG", exif=_exif_with_gps().tobytes(), comment=b"shot at home")
    assert b"SecretCam" in source  # the fixture really carries the metadata
    assert Image.open(__import__("io").BytesIO(source)).getexif().get_ifd(GPS_IFD)
    processed = process_image(source, widths=(120, 400))
    assert len(processed.files) == 4
    for item in processed.files:
        assert b"SecretCam" not in item.data and b"shot at home" not in item.data
        assert b"Exif" not in item.data
        image = decode(item.data)
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert MAKE not in exif and ORIENTATION not in exif
        assert "icc_profile" not in image.info and "comment" not in image.info


def test_orientation_is_applied_before_exif_is_dropped():
    # EXIF orientation 6 means "rotate 90° clockwise to display": the red left half ends up on top.
    source = encode(two_tone(400, 200), "JPEG", quality=95, exif=_exif_with_gps(orientation=6).tobytes())
    processed = process_image(source, widths=(200,))
    assert (processed.width, processed.height) == (200, 400)
    image = decode(processed.files[0].data).convert("RGB")
    assert image.size == (200, 400)
    top = image.getpixel((100, 60))
    bottom = image.getpixel((100, 340))
    assert top[0] > 180 and top[2] < 80
    assert bottom[2] > 180 and bottom[0] < 80


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        (1600, (320, 640, 960, 1440)),
        (2000, (320, 640, 960, 1440)),
        (800, (320, 640, 800)),
        (200, (200,)),
        (1440, (320, 640, 960, 1440)),
        (320, (320,)),
    ],
)
def test_target_widths_never_upscale(original, expected):
    assert target_widths(original) == expected


def test_variants_keep_the_aspect_ratio_and_report_true_sizes(tmp_path):
    storage = FilesystemStorage(tmp_path)
    stored = ingest_image(encode(two_tone(1000, 600), "PNG"), alt="两色色块", storage=storage)
    assert (stored.width, stored.height) == (1000, 600)
    widths = sorted({v.width for v in stored.variants})
    assert widths == [320, 640, 960, 1000]
    assert {v.mime for v in stored.variants} == {"image/webp", "image/jpeg"}
    for variant in stored.variants:
        assert variant.height == round(600 * variant.width / 1000)
        data = storage.open(variant.key)
        assert len(data) == variant.size_bytes
        image = decode(data)
        assert image.size == (variant.width, variant.height)
        assert image.format == {"image/webp": "WEBP", "image/jpeg": "JPEG"}[variant.mime]
        assert variant.url == "/media/" + variant.key
        suffix = "webp" if variant.mime == "image/webp" else "jpg"
        assert variant.key == f"{stored.id[:2]}/{stored.id}-{variant.width}.{suffix}"


def test_same_bytes_give_same_names_and_different_bytes_differ():
    a = encode(two_tone(64, 32), "PNG")
    b = encode(two_tone(64, 32, left=(0, 200, 0)), "PNG")
    first, again, other = (process_image(x, widths=(64,)) for x in (a, a, b))
    assert first.id == again.id and [f.data for f in first.files] == [f.data for f in again.files]
    assert first.id != other.id


def test_animated_gif_keeps_its_first_frame():
    frames = [Image.new("RGB", (32, 32), (230, 20, 20)), Image.new("RGB", (32, 32), (20, 20, 230))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    processed = process_image(data, widths=(32,))
    image = decode(processed.files[0].data)
    assert getattr(image, "n_frames", 1) == 1
    red, _green, blue = image.convert("RGB").getpixel((16, 16))
    assert red > 180 and blue < 80


def test_transparency_is_flattened_onto_white_and_output_is_rgb():
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    image.paste((10, 120, 10, 255), (0, 0, 20, 40))
    processed = process_image(encode(image, "PNG"), widths=(40,))
    for item in processed.files:
        out = decode(item.data)
        assert out.mode == "RGB"
        assert min(out.getpixel((35, 20))) > 240  # transparent half became white
        assert out.getpixel((5, 20))[1] > 90


def test_embedded_colour_profile_is_converted_and_dropped():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()  # deliberately odd
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for icc in (srgb, profile, b"not a profile"):
        data = encode(two_tone(40, 20), "PNG", icc_profile=icc)
        for item in process_image(data, widths=(40,)).files:
            out = decode(item.data)
            assert out.mode == "RGB" and "icc_profile" not in out.info


def test_cmyk_jpeg_becomes_rgb():
    data = encode(two_tone(40, 20).convert("CMYK"), "JPEG")
    out = decode(process_image(data, widths=(40,)).files[1].data)
    assert out.mode == "RGB"


def test_upload_needs_alt_text_before_any_work(tmp_path):
    storage = FilesystemStorage(tmp_path)
    with pytest.raises(ImageRejected) as caught:
        ingest_image(encode(two_tone(), "PNG"), alt="   ", storage=storage)
    assert caught.value.code == "missing_alt" and "替代文字" in caught.value.message_zh
    assert not any(tmp_path.iterdir())


def test_rejected_upload_stores_nothing(tmp_path):
    storage = FilesystemStorage(tmp_path)
    with pytest.raises(ImageRejected):
        ingest_image(b"GIF89a not really", alt="说明", storage=storage)
    assert not any(tmp_path.iterdir())


def test_srcset_picture_data_and_round_trip(tmp_path):
    stored = ingest_image(
        encode(two_tone(1000, 500), "JPEG"), alt="  红蓝  色块 ", storage=FilesystemStorage(tmp_path, "/img")
    )
    assert stored.alt == "红蓝 色块"
    webp = stored.srcset("image/webp")
    parts = webp.split(", ")
    assert [p.rsplit(" ", 1)[1] for p in parts] == ["320w", "640w", "960w", "1000w"]
    assert all(p.startswith("/img/") and ".webp " in p for p in parts)
    picture = stored.picture(sizes="(max-width: 600px) 100vw, 640px", caption="图说", credit="山海新闻")
    assert picture.sources[0].mime == "image/webp" and picture.sources[0].srcset == webp
    assert picture.src.endswith("-960.jpg") and (picture.width, picture.height) == (960, 480)
    assert picture.srcset == stored.srcset("image/jpeg") and "1000w" in picture.srcset
    assert picture.alt == "红蓝 色块" and picture.loading == "lazy"
    assert stored.picture(lazy=False, fallback_width=100).src.endswith("-320.jpg")
    assert stored.picture(lazy=False).loading == "eager"
    with pytest.raises(ImageRejected):
        stored.picture(alt="")
    assert StoredImage.from_dict(stored.to_dict()) == stored


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_every_allowed_type_is_re_encoded(fmt, tmp_path):
    stored = ingest_image(encode(two_tone(700, 350), fmt), alt="色块", storage=FilesystemStorage(tmp_path))
    assert sorted({v.width for v in stored.variants}) == [320, 640, 700]
    for variant in stored.variants:
        left = decode(FilesystemStorage(tmp_path).open(variant.key)).convert("RGB").getpixel((5, 5))
        assert left[0] > 170 and left[2] < 90  # the red half is still red whatever the source format


def test_sixteen_bit_greyscale_keeps_its_tones():
    grey = Image.new("I;16", (40, 20), 0x8000)  # mid grey in 16 bits
    out = decode(process_image(encode(grey, "PNG"), widths=(40,)).files[0].data).convert("RGB")
    assert 110 < out.getpixel((20, 10))[0] < 145
