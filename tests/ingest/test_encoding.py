"""Chinese charsets in every declaration style, including wrong and conflicting ones, decode cleanly."""

from __future__ import annotations

import pytest

from newsportal.ingest.encoding import (
    UndecodableError,
    declared_charsets,
    decode_bytes,
    normalise_charset,
    strip_xml_declaration,
)
from tests.ingest.conftest import render

SIMPLIFIED = "江州市图书馆延长周末开放时间"
TRADITIONAL = "碼頭夜市重新開放 攤販數量增至六十個"
RARE = "刘䶮"  # U+4DAE: in GB18030, not in GBK
SUPPLEMENTARY = "咬𬌗"  # U+2C317: a four-byte GB18030 sequence


def _xml(decl: str | None) -> str:
    return f'<?xml version="1.0" encoding="{decl}"?>' if decl else '<?xml version="1.0"?>'


@pytest.mark.parametrize(
    ("codec", "header", "decl", "expected_codec", "source"),
    [
        ("gbk", "application/rss+xml; charset=GBK", None, "gb18030", "http"),
        ("gbk", "application/xml", "gbk", "gb18030", "xml"),
        ("gb2312", "text/xml", "gb2312", "gb18030", "xml"),
        ("gbk", None, None, "gb18030", "detected"),
        ("gbk", "application/xml; charset=utf-8", "utf-8", "gb18030", "detected"),  # says utf-8, is GBK
        ("gbk", "application/xml; charset=big5", "gbk", "gb18030", "xml"),  # two charsets, the right one wins
        ("utf-8", "application/xml; charset=gbk", None, "utf-8", "utf8"),  # says GBK, is UTF-8
        ("utf-8", None, "utf-8", "utf-8", "xml"),
        ("utf-8", None, None, "utf-8", "utf8"),
    ],
)
def test_simplified_feed_in_every_declaration_style(codec, header, decl, expected_codec, source) -> None:
    text = render("city_daily.rss.xml", xml_decl=_xml(decl))
    decoded = decode_bytes(text.encode(codec), header)
    assert SIMPLIFIED in decoded.text
    assert "滨江公交新线开通" in decoded.text
    assert decoded.encoding == expected_codec
    assert decoded.source == source


def test_gb18030_keeps_characters_gbk_lacks_even_when_declared_gb2312() -> None:
    text = render("museum_gb18030.rss.xml", xml_decl=_xml("gb2312"))
    data = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    decoded = decode_bytes(data, "text/xml; charset=GB2312")
    assert RARE in decoded.text and SUPPLEMENTARY in decoded.text
    assert decoded.encoding == "gb18030"


@pytest.mark.parametrize(
    ("header", "meta", "source"),
    [
        ("text/html; charset=big5", "", "http"),
        (None, '<meta charset="big5">', "meta"),
        (None, '<meta http-equiv="Content-Type" content="text/html; charset=Big5">', "meta"),
        (None, "", "detected"),
        ("text/html; charset=gbk", '<meta charset="big5">', "meta"),  # header wrong, meta right
        ("text/html; charset=iso-8859-1", "", "detected"),  # single-byte declaration proves nothing
    ],
)
def test_big5_page_in_every_declaration_style(header, meta, source) -> None:
    page = render("harbour_page.html", meta=meta)
    decoded = decode_bytes(page.encode("big5"), header)
    assert TRADITIONAL in decoded.text
    assert "經過三個月的整修" in decoded.text
    assert decoded.encoding in ("big5hkscs", "cp950")
    assert decoded.source == source


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="utf-8">',  # template says utf-8, articles saved in GBK
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "",
    ],
)
def test_simplified_page_in_gbk(meta) -> None:
    page = render("article_page.html", meta=meta)
    decoded = decode_bytes(page.encode("gbk"), "text/html")
    assert SIMPLIFIED in decoded.text
    assert "责任编辑：陈默" in decoded.text


def test_bom_wins_over_declarations() -> None:
    text = render("city_daily.rss.xml", xml_decl=_xml("gbk"))
    decoded = decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "text/xml; charset=big5")
    assert decoded.source == "bom"
    assert SIMPLIFIED in decoded.text


def test_declarations_are_collected_in_priority_order() -> None:
    page = render("article_page.html", meta='<meta charset="gb2312"><meta charset="utf-8">')
    found = declared_charsets(page.encode("gbk"), "text/html; charset=Big5")
    assert found == [("http", "big5hkscs"), ("meta", "gb18030"), ("meta", "utf-8")]


def test_charset_labels_normalise_to_supersets() -> None:
    assert normalise_charset("GB2312") == "gb18030"
    assert normalise_charset("x-gbk") == "gb18030"
    assert normalise_charset("BIG5") == "big5hkscs"
    assert normalise_charset("no-such-charset") is None


def test_binary_garbage_is_refused() -> None:
    data = bytes(range(256)) * 4 + b"\x00\xff\xfe\x00" * 50
    with pytest.raises(UndecodableError) as info:
        decode_bytes(data)
    assert info.value.reason == "undecodable"


def test_xml_declaration_is_stripped_after_decoding() -> None:
    assert strip_xml_declaration('<?xml version="1.0" encoding="gbk"?>\n<rss/>') == "<rss/>"


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_download_cut_inside_a_character_still_decodes(codec: str) -> None:
    data = "<rss><channel><title>江州日报</title>".encode(codec)[:-8]  # ends inside 报 or </title>
    cut = "<rss><channel><title>江州日报".encode(codec)[:-1]
    for chunk in (data, cut):
        decoded = decode_bytes(chunk, f"text/xml; charset={codec}")
        assert decoded.text.startswith("<rss><channel><title>江州")
