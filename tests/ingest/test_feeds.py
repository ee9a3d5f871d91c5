"""RSS and Atom from partners, fetched over HTTP, in Chinese charsets, intact, broken and hostile."""

from __future__ import annotations

from datetime import datetime

import pytest

from newsportal.ingest.feeds import FeedError, parse_feed, parse_feed_text
from newsportal.ingest.fetch import Fetcher, FetchError, FetchLimits
from tests.ingest.conftest import FIXTURES, fixture_text, render
from tests.ingest.feedgen import build_feed, parse_generated_feed
from tests.ingest.partner_server import PartnerServer, Route

LIMITS = FetchLimits(connect_timeout=1.0, read_timeout=1.0, total_timeout=1.5, max_bytes=256 * 1024)


def _serve_and_parse(partner: PartnerServer, body: bytes, content_type: str):
    url = partner.add("/feed.xml", Route(body, headers={"Content-Type": content_type}))
    with Fetcher(LIMITS) as fetcher:
        result = fetcher.fetch(url)
    return parse_feed(result.body, content_type=result.content_type, base_url=result.url)


@pytest.mark.parametrize(
    ("codec", "content_type", "decl"),
    [
        ("gbk", "application/rss+xml; charset=gbk", ""),
        ("gb2312", "text/xml", '<?xml version="1.0" encoding="gb2312"?>'),
        ("gb18030", "application/xml", '<?xml version="1.0" encoding="GB18030"?>'),
        ("gbk", "application/rss+xml; charset=utf-8", '<?xml version="1.0" encoding="utf-8"?>'),
        ("gbk", "application/rss+xml", ""),
        ("utf-8", "application/rss+xml", '<?xml version="1.0" encoding="gbk"?>'),
    ],
)
def test_city_daily_rss_over_http_in_each_charset(partner, codec, content_type, decl) -> None:
    feed = _serve_and_parse(partner, render("city_daily.rss.xml", xml_decl=decl).encode(codec), content_type)
    assert feed.version == "rss20"
    assert feed.title == "江州日报要闻频道"
    assert [i.guid for i in feed.items] == ["jzrb-20261128-0001", "jzrb-20261127-0042", "jzrb-20261126-0017"]
    first = feed.items[0]
    assert first.title == "江州市图书馆延长周末开放时间"
    assert first.url == "http://partner.test/news/2026/11/28/lib-hours.html"
    assert first.author == "林晓"
    assert first.categories == ("城市", "文化")
    assert first.published_at == datetime(2026, 11, 28, 1, 30)  # 09:30 Beijing as naive UTC
    assert first.body_html.startswith("<p>从十二月起，江州市图书馆")
    assert first.summary == "从十二月起，市图书馆周六、周日的闭馆时间推迟到晚上九点。"
    assert feed.items[2].body_html.startswith("<p>施工单位表示")  # description-only item keeps its HTML


def test_scripts_iframes_and_handlers_never_survive() -> None:
    feed = parse_feed(render("city_daily.rss.xml").encode())
    body = feed.items[1].body_html
    assert "首班车早上六点发车" in body
    for bad in ("<script", "alert(", "<iframe", "evil.test", "onclick", "steal()"):
        assert bad not in body


def test_atom_resolves_relative_links_and_keeps_both_times() -> None:
    text = render("radio.atom.xml", xml_decl='<?xml version="1.0" encoding="utf-8"?>')
    feed = parse_feed(text.encode(), base_url="http://partner.test/radio/atom.xml")
    assert feed.version == "atom10"
    traffic, weather = feed.items
    assert traffic.url == "http://partner.test/radio/traffic/20261128.html"
    assert traffic.published_at == datetime(2026, 11, 27, 23, 20)
    assert traffic.updated_at == datetime(2026, 11, 28, 0, 5)
    assert traffic.author == "交通广播编辑部"
    assert traffic.categories == ("路况",)
    assert "滨江大道" in traffic.body_html
    assert weather.published_at == weather.updated_at == datetime(2026, 11, 27, 16, 0)


def test_big5_feed_declared_only_in_the_header(partner) -> None:
    data = render("harbour_weekly.rss.xml").encode("big5")
    feed = _serve_and_parse(partner, data, "text/xml; charset=big5")
    titles = [i.title for i in feed.items]
    assert titles == ["港灣社區圖書館週末延長開放", "碼頭夜市重新開放 攤販數量增至六十個"]
    assert feed.encoding in ("big5hkscs", "cp950")


def test_gb18030_only_characters_survive(partner) -> None:
    data = render("museum_gb18030.rss.xml", xml_decl='<?xml version="1.0" encoding="gbk"?>').encode("gb18030")
    feed = _serve_and_parse(partner, data, "application/rss+xml")
    assert feed.items[0].title == "南汉国主刘䶮铜印在市博物馆首次展出"
    assert "咬𬌗" in feed.items[0].summary


def test_partly_broken_feed_keeps_its_good_items() -> None:
    feed = parse_feed((FIXTURES / "partly_broken.rss.xml").read_bytes())
    assert [i.guid for i in feed.items] == ["youth-1", "youth-3"]
    assert feed.items[0].title == "高校志愿者走进社区 & 为老人讲解智能手机"
    assert [(s.index, s.guid, s.reason) for s in feed.skipped] == [(1, "youth-2", "条目缺少标题")]
    assert feed.warning.startswith("XML 格式有误")


def test_malformed_xml_without_entries_is_an_error() -> None:
    with pytest.raises(FeedError) as info:
        parse_feed((FIXTURES / "malformed.xml").read_bytes())
    assert info.value.reason == "malformed"


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_truncated_feed_takes_nothing(fraction: float) -> None:
    data = render("city_daily.rss.xml", xml_decl='<?xml version="1.0" encoding="utf-8"?>').encode()
    with pytest.raises(FeedError) as info:
        parse_feed(data[: int(len(data) * fraction)])
    assert info.value.reason == "truncated"
    assert "截断" in info.value.message


def test_html_page_served_as_a_feed(partner) -> None:
    with pytest.raises(FeedError) as info:
        _serve_and_parse(partner, fixture_text("not_found_page.html").encode(), "application/rss+xml")
    assert info.value.reason == "not_a_feed"
    assert "<html>" in info.value.message


@pytest.mark.parametrize("body", [b"", b"   \n", b'{"error": "not found"}'])
def test_empty_and_non_xml_documents(body: bytes) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(body)
    assert info.value.reason in ("empty_document", "not_a_feed")


def test_feed_over_the_size_cap_is_refused_by_the_fetcher(partner) -> None:
    huge = build_feed(900).encode("gbk")
    assert len(huge) > LIMITS.max_bytes
    url = partner.add("/huge.xml", Route(huge, headers={"Content-Type": "application/rss+xml"}))
    with Fetcher(LIMITS) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    assert info.value.reason == "too_large"


def test_feed_items_become_ingest_items() -> None:
    feed = parse_feed(render("city_daily.rss.xml").encode())
    item = feed.items[0].to_item("jzrb")
    assert (item.source_key, item.origin, item.guid) == ("jzrb", "feed", "jzrb-20261128-0001")
    assert item.original_url == "http://partner.test/news/2026/11/28/lib-hours.html"
    assert item.original_time == datetime(2026, 11, 28, 1, 30)
    assert item.byline == "林晓" and item.tags == ("城市", "文化")
    assert item.content_hash == feed.items[0].content_hash and len(item.content_hash) == 64


def test_content_hash_ignores_markup_but_not_words() -> None:
    base = render("city_daily.rss.xml")
    same = parse_feed_text(base.replace("<p>馆长表示", "<p class='x'>馆长表示")).items[0]
    edited = parse_feed_text(base.replace("八十个", "九十个")).items[0]
    original = parse_feed_text(base).items[0]
    assert same.content_hash == original.content_hash
    assert edited.content_hash != original.content_hash


def test_generated_500_item_feed_parses_completely() -> None:
    feed = parse_generated_feed(500)
    assert len(feed.items) == 500 and not feed.skipped
    assert len({i.guid for i in feed.items}) == 500
    assert feed.items[0].title == "滨江新区社区食堂正式启用（第1期）"
    assert feed.items[499].published_at is not None
    assert all("<p>" in i.body_html for i in feed.items)


def test_entity_expansion_bomb_is_not_expanded() -> None:
    entities = "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    doc = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "江州江州江州江州江州">' + entities + "]>"
           '<rss version="2.0"><channel><title>t</title><item><title>&j;</title><guid>g</guid>'
           "<description>正文</description></item></channel></rss>")
    feed = parse_feed(doc.encode())
    assert len(feed.items[0].title) < 100


def test_guids_stay_as_written_while_links_resolve_against_the_feed_url() -> None:
    absolute = "<link>http://partner.test/news/2026/11/28/lib-hours.html</link>"
    text = render("city_daily.rss.xml").replace(absolute, "<link>2026/11/28/lib-hours.html</link>")
    text = text.replace("<p>馆长表示", '<p><a href="/news/more.html">馆长</a>表示')
    feed = parse_feed_text(text, base_url="http://mirror.partner.test/news/feed.xml")
    first = feed.items[0]
    assert first.guid == "jzrb-20261128-0001"
    assert first.url == "http://mirror.partner.test/news/2026/11/28/lib-hours.html"
    assert 'href="http://mirror.partner.test/news/more.html"' in first.body_html
    youth = parse_feed((FIXTURES / "partly_broken.rss.xml").read_bytes(), base_url="http://partner.test/youth/rss")
    assert [i.guid for i in youth.items] == ["youth-1", "youth-3"]
