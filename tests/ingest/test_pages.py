"""Partner article pages: main text, credits kept as fields, boilerplate and hostile markup removed."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from newsportal.ingest.fetch import Fetcher, FetchLimits
from newsportal.ingest.pages import PageError, extract_page, links_from_list_page
from tests.ingest.conftest import fixture_text, render
from tests.ingest.partner_server import PartnerServer, Route

LIMITS = FetchLimits(connect_timeout=1.0, read_timeout=1.0, total_timeout=1.5, max_bytes=256 * 1024)
ARTICLE_URL = "http://partner.test/news/2026/11/28/lib-hours.html"
BOILERPLATE = ["责任编辑", "来源：", "（完）", "版权所有", "未经授权", "扫码关注", "分享到", "本报记者",
               "相关阅读", "ICP备", "首页"]
HOSTILE = ["<script", "<iframe", "document.write", "广告", "ads.partner.test", "track.js"]


def _fetch_page(partner: PartnerServer, body: bytes, content_type: str):
    url = partner.add("/news/lib-hours.html", Route(body, headers={"Content-Type": content_type}))
    with Fetcher(LIMITS) as fetcher:
        result = fetcher.fetch(url)
    return extract_page(result.body, url=result.url, content_type=result.content_type)


@pytest.mark.parametrize(
    ("codec", "content_type", "meta"),
    [
        ("utf-8", "text/html; charset=utf-8", '<meta charset="utf-8">'),
        ("gbk", "text/html; charset=gbk", ""),
        ("gbk", "text/html", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
        ("gbk", "text/html", '<meta charset="utf-8">'),  # template says utf-8, page saved in GBK
        ("gb18030", "text/html", ""),
        ("gbk", "text/html; charset=utf-8", '<meta charset="gbk">'),  # two declarations disagree
    ],
)
def test_article_page_over_http_in_each_charset(partner, codec, content_type, meta) -> None:
    page = _fetch_page(partner, render("article_page.html", meta=meta).encode(codec), content_type)
    assert page.title == "江州市图书馆延长周末开放时间"
    assert page.byline == "本报记者 林晓 通讯员 周航"
    assert page.editor == "陈默"
    assert page.source_name == "江州日报"
    assert page.published_at == datetime(2026, 11, 28, 1, 30)
    paragraphs = re.findall(r"<p>(.*?)</p>", page.body_html)
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("从十二月一日起，江州市图书馆")
    assert paragraphs[-1] == "据了解，图书馆还计划在明年春节前上线自助借还柜，读者在地铁站也能归还图书。"
    for junk in BOILERPLATE + HOSTILE:
        assert junk not in page.body_html, junk
    assert page.summary == paragraphs[0]


def test_big5_page_with_traditional_credits() -> None:
    page = extract_page(render("harbour_page.html", meta='<meta charset="big5">').encode("big5"),
                        url="http://partner.test/harbour/2026/1127.html")
    assert page.title == "碼頭夜市重新開放 攤販數量增至六十個"
    assert page.byline == "記者 何嘉欣"
    assert page.editor == "梁志遠"
    assert page.published_at == datetime(2026, 11, 27, 11, 0)  # 19:00 Beijing, from the visible time line
    assert "推嬰兒車也不再擠，希望夜市能維持現在的整潔。</p>" in page.body_html  # "（完）" cut off the end
    for junk in ("（完）", "責任編輯", "版權所有", "分享到"):
        assert junk not in page.body_html


def test_page_item_becomes_an_ingest_item() -> None:
    page = extract_page(render("article_page.html", meta='<meta charset="utf-8">'), url=ARTICLE_URL + "#top")
    item = page.to_item("jzrb-pages")
    assert (item.origin, item.guid, item.original_url) == ("page", ARTICLE_URL, ARTICLE_URL + "#top")
    assert (item.byline, item.editor) == ("本报记者 林晓 通讯员 周航", "陈默")
    assert item.original_time == datetime(2026, 11, 28, 1, 30)
    assert item.content_hash == page.content_hash


def test_canonical_link_on_the_same_site_is_the_guid() -> None:
    html = render("article_page.html", meta='<link rel="canonical" href="/news/lib-hours.html">')
    assert extract_page(html, url=ARTICLE_URL + "?from=app").guid == "http://partner.test/news/lib-hours.html"
    foreign = render("article_page.html", meta='<link rel="canonical" href="http://aggregator.test/copy/1">')
    assert extract_page(foreign, url=ARTICLE_URL).guid == ARTICLE_URL


def test_script_and_iframe_heavy_body_keeps_only_text() -> None:
    hostile = ('<p onmouseover="steal()">据了解，<img src=x onerror="alert(1)">'
               '<a href="javascript:x()">链接</a>')
    html = render("article_page.html", meta="").replace("<p>据了解，", hostile)
    page = extract_page(html, url=ARTICLE_URL)
    for bad in ("onmouseover", "onerror", "javascript:", "alert(", "<img"):
        assert bad not in page.body_html
    assert "据了解，" in page.body_html


def test_page_without_an_article_is_refused() -> None:
    with pytest.raises(PageError) as info:
        extract_page(fixture_text("not_found_page.html"), url="http://partner.test/missing.html")
    assert info.value.reason == "not_article"


def test_long_paragraph_mentioning_wechat_is_content_not_boilerplate() -> None:
    long_line = ("市民也可以关注图书馆微信公众号预约座位，" * 3) + "馆方表示预约系统会在周末增加名额。"
    html = render("article_page.html", meta="").replace("<p>据了解，", f"<p>{long_line}</p><p>据了解，")
    assert long_line in extract_page(html, url=ARTICLE_URL).body_html


def test_list_page_links_are_absolute_unique_and_on_site() -> None:
    links = links_from_list_page(fixture_text("list_page.html"), "http://partner.test/news/")
    assert links == [
        "http://partner.test/news/2026/11/28/lib-hours.html",
        "http://partner.test/news/2026/11/27/bus-line.html",
        "http://partner.test/news/2026/11/26/drains.html",
    ]


def test_list_page_links_with_a_configured_pattern() -> None:
    links = links_from_list_page(fixture_text("list_page.html"), "http://partner.test/news/",
                                 pattern=re.compile(r"/list_\d+\.html$"))
    assert links == ["http://partner.test/news/list_2.html", "http://partner.test/news/list_3.html"]


def test_list_page_that_is_not_html_yields_nothing() -> None:
    assert links_from_list_page("", "http://partner.test/news/") == []


def test_site_clock_without_a_time_is_not_taken_for_the_publication_time() -> None:
    html = render("harbour_page.html", meta="").replace(
        '<div class="menu">', '<div class="menu"><span>2026年12月2日 星期三</span>')
    page = extract_page(html, url="http://partner.test/harbour/2026/1127.html")
    assert page.published_at == datetime(2026, 11, 27, 11, 0)
