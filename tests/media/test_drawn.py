import pytest

from newsportal.media.backends.filesystem import FilesystemStorage
from newsportal.media.drawn import draw_article_image
from newsportal.media.fonts import Fonts
from newsportal.media.palette import CHANNELS
from newsportal.media.pictures import require_alt
from newsportal.media.process import ingest_image
from tests.media.helpers import decode

SMALL = (320, 180)
SERIES = "2023年全市地铁客运量2.6亿人次。2024年客运量3.2亿人次。2025年客运量3.6亿人次。"


def _draw(**overrides):
    args = {
        "article_id": "demo-1",
        "title": "海河两岸晨练的人多了",
        "channel": "society",
        "body": "",
        "size": SMALL,
    }
    args.update(overrides)
    return draw_article_image(**args)


def test_same_article_draws_the_same_bytes():
    assert _draw().png == _draw().png
    assert _draw(body=SERIES).png == _draw(body=SERIES).png


def test_different_articles_draw_different_illustrations():
    assert _draw(article_id="demo-1").png != _draw(article_id="demo-2").png


@pytest.mark.parametrize("channel", [*CHANNELS, "no-such-channel"])
def test_every_channel_draws_a_16_by_9_png(channel):
    drawn = _draw(channel=channel)
    image = decode(drawn.png)
    assert image.format == "PNG" and image.size == SMALL == (drawn.width, drawn.height)
    assert drawn.kind == "illustration"
    assert len(image.convert("RGB").getcolors(1 << 20)) > 20  # a picture, not a flat fill


def test_chart_is_chosen_from_the_articles_figures():
    line = _draw(body=SERIES)
    assert line.kind == "line"
    assert line.alt.startswith("折线图：2023至2025年")
    assert "2.6亿人次" in line.alt and "3.6亿人次" in line.alt
    assert "2023—2025年" in line.caption
    assert _draw(body="上证指数微跌0.12%，深证成指上涨0.35%。").kind == "hbar"
    assert _draw(body="<p>机器人身高1.7米，可搬运15公斤。</p>").kind == "figures"


def test_alt_caption_and_credit_are_present_and_valid():
    for drawn in (_draw(), _draw(body=SERIES), _draw(body="身高1.7米，可搬运15公斤。")):
        assert require_alt(drawn.alt) == drawn.alt
        assert drawn.caption and drawn.credit == "山海新闻制图"
    illustration = _draw()
    assert "海浪" in illustration.alt and "海河两岸晨练的人多了" in illustration.alt
    assert "非新闻现场照片" in illustration.caption


def test_without_a_cjk_font_images_are_still_drawn():
    no_fonts = Fonts(dirs=("/nonexistent-font-dir",))
    assert not no_fonts.available
    for body in ("", SERIES):
        drawn = _draw(body=body, fonts=no_fonts)
        assert decode(drawn.png).size == SMALL
        assert "图上文字" not in drawn.alt


def test_system_font_is_found():
    fonts = Fonts()
    if not fonts.available:
        pytest.skip("fonts-noto-cjk is not installed")
    assert fonts.get(20, bold=True).getname()[0].endswith("SC")


def test_drawn_image_goes_through_the_upload_pipeline(tmp_path):
    drawn = _draw(body=SERIES, size=(800, 450))
    stored = ingest_image(drawn.png, alt=drawn.alt, storage=FilesystemStorage(tmp_path))
    assert sorted({v.width for v in stored.variants}) == [320, 640, 800]
    assert all(v.height * 16 == v.width * 9 for v in stored.variants)
    assert stored.picture(caption=drawn.caption, credit=drawn.credit).credit == "山海新闻制图"


def test_tiny_sizes_are_refused():
    with pytest.raises(ValueError):
        _draw(size=(8, 4))
