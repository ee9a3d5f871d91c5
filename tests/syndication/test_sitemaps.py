"""Sitemaps: paging at 50,000, the index, the Google News window and limit, escaping; and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsportal.syndication.robots import robots_txt
from newsportal.syndication.sitemaps import (
    MAX_URLS,
    NewsItem,
    SitemapError,
    SitemapRef,
    SitemapUrl,
    absolute_url,
    news_sitemap,
    page_count,
    pages,
    sitemap_index,
    sitemap_page,
    urlset,
)

NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
BASE = "https://news.example.cn"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _urls(n: int) -> Iterator[SitemapUrl]:
    return (SitemapUrl(f"{BASE}/article/{i}") for i in range(n))


def _locs(xml: bytes) -> list[str]:
    return [e.text for e in ET.fromstring(xml).iter(f"{SM}loc")]


def test_paging_at_50000():
    assert page_count(0) == 1 and page_count(MAX_URLS) == 1 and page_count(MAX_URLS + 1) == 2
    first = sitemap_page(_urls(MAX_URLS + 1), 1)
    locs = _locs(first)
    assert len(locs) == MAX_URLS and locs[-1] == f"{BASE}/article/{MAX_URLS - 1}"
    assert _locs(sitemap_page(_urls(MAX_URLS + 1), 2)) == [f"{BASE}/article/{MAX_URLS}"]
    with pytest.raises(SitemapError):
        sitemap_page(_urls(MAX_URLS + 1), 3)
    with pytest.raises(SitemapError):
        urlset(_urls(MAX_URLS + 1))
    assert len(first) < 50 * 1024 * 1024


def test_small_pages_and_empty_first_page():
    assert [len(p) for p in pages(_urls(7), per_page=3)] == [3, 3, 1]
    assert _locs(sitemap_page(_urls(7), 3, per_page=3)) == [f"{BASE}/article/6"]
    assert _locs(sitemap_page(iter(()), 1)) == []
    with pytest.raises(SitemapError):
        sitemap_page(_urls(3), 0)
    with pytest.raises(SitemapError):
        list(pages(_urls(3), per_page=MAX_URLS + 1))


def test_url_fields_and_escaping():
    xml = urlset([
        SitemapUrl(f"{BASE}/channel/local?page=2&sort=new", lastmod=NOW, changefreq="hourly", priority=0.8),
        SitemapUrl(f"{BASE}/a/公交线路.html"),
    ])
    assert b"?page=2&amp;sort=new" in xml
    root = ET.fromstring(xml)
    first, second = root.findall(f"{SM}url")
    assert first.findtext(f"{SM}loc") == f"{BASE}/channel/local?page=2&sort=new"
    assert first.findtext(f"{SM}lastmod") == "2026-12-02T14:00:00+00:00"
    assert first.findtext(f"{SM}changefreq") == "hourly" and first.findtext(f"{SM}priority") == "0.8"
    assert second.findtext(f"{SM}loc") == f"{BASE}/a/%E5%85%AC%E4%BA%A4%E7%BA%BF%E8%B7%AF.html"
    with pytest.raises(SitemapError):
        urlset([SitemapUrl(f"{BASE}/x", changefreq="sometimes")])
    with pytest.raises(SitemapError):
        urlset([SitemapUrl(f"{BASE}/x", priority=2.0)])


def test_absolute_url():
    assert absolute_url("https://例子.中国/a b?q=新闻") == \
        "https://xn--fsqu00a.xn--fiqs8s/a%20b?q=%E6%96%B0%E9%97%BB"
    assert absolute_url(f"{BASE}/a%20b%zz") == f"{BASE}/a%20b%25zz"  # a stray % is encoded, escapes kept
    assert absolute_url(BASE) == f"{BASE}/"
    for bad in ("/relative", "ftp://news.example.cn/x", "javascript:alert(1)", ""):
        with pytest.raises(SitemapError):
            absolute_url(bad)


def test_sitemap_index():
    refs = [SitemapRef(f"{BASE}/sitemaps/articles-{n}.xml", lastmod=NOW) for n in (1, 2)]
    refs.append(SitemapRef(f"{BASE}/sitemaps/news.xml"))
    root = ET.fromstring(sitemap_index(refs))
    assert root.tag == f"{SM}sitemapindex"
    assert [s.findtext(f"{SM}loc") for s in root] == [r.loc for r in refs]
    assert [s.findtext(f"{SM}lastmod") for s in root] == ["2026-12-02T14:00:00+00:00"] * 2 + [None]
    with pytest.raises(SitemapError):
        sitemap_index([SitemapRef(f"{BASE}/x.xml", lastmod=datetime(2026, 1, 1))])


def _news(n: int, step: timedelta, start: datetime = NOW) -> list[NewsItem]:
    return [NewsItem(f"{BASE}/a/{i}.html", f"第{i}条：港区作业整改", start - i * step) for i in range(n)]


def test_news_sitemap_window_and_fields():
    beijing = timezone(timedelta(hours=8))
    items = [
        NewsItem(f"{BASE}/a/old.html", "两天前的旧闻", NOW - timedelta(hours=48, seconds=1)),
        NewsItem(f"{BASE}/a/edge.html", "恰好四十八小时", NOW - timedelta(hours=48)),
        NewsItem(f"{BASE}/a/new.html", "港区<夜间>作业&整改", datetime(2026, 12, 2, 21, 30, tzinfo=beijing)),
        NewsItem(f"{BASE}/a/later.html", "定时发布的稿件", NOW + timedelta(minutes=5)),
        NewsItem(f"{BASE}/a/new.html", "同一地址的重复条目", NOW - timedelta(hours=3)),
    ]
    xml = news_sitemap(items, NOW)
    assert b"&lt;\xe5\xa4\x9c\xe9\x97\xb4&gt;" in xml and b"&amp;" in xml
    root = ET.fromstring(xml)
    urls = root.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == [f"{BASE}/a/new.html", f"{BASE}/a/edge.html"]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "山海新闻"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "zh-cn"
    assert news.findtext(f"{NEWS}publication_date") == "2026-12-02T21:30:00+08:00"
    assert news.findtext(f"{NEWS}title") == "港区<夜间>作业&整改"


def test_news_sitemap_limit_and_clock():
    items = _news(1500, timedelta(minutes=1))  # 25 hours of news, one a minute
    urls = ET.fromstring(news_sitemap(items, NOW)).findall(f"{SM}url")
    assert len(urls) == 1000
    assert urls[0].findtext(f"{SM}loc") == f"{BASE}/a/0.html"  # newest first
    assert urls[-1].findtext(f"{SM}loc") == f"{BASE}/a/999.html"
    # the same items seen from three days later: all too old
    assert ET.fromstring(news_sitemap(items, NOW + timedelta(days=3))).findall(f"{SM}url") == []
    assert len(ET.fromstring(news_sitemap(items, NOW, limit=10)).findall(f"{SM}url")) == 10
    with pytest.raises(SitemapError):
        news_sitemap(items, datetime(2026, 12, 2, 14, 0))


def test_robots_txt():
    text = robots_txt([f"{BASE}/sitemap.xml", f"{BASE}/sitemaps/news.xml"])
    lines = text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /search" in lines and "Disallow: /api/" in lines
    assert lines[-2:] == [f"Sitemap: {BASE}/sitemap.xml", f"Sitemap: {BASE}/sitemaps/news.xml"]
    assert text.endswith("\n")
    assert robots_txt([f"{BASE}/sitemap.xml"], disallow=()).splitlines()[:2] == ["User-agent: *", "Disallow:"]
    with pytest.raises(ValueError):
        robots_txt([f"{BASE}/sitemap.xml"], disallow=["/a\nUser-agent: evil"])
    with pytest.raises(SitemapError):
        robots_txt(["/sitemap.xml"])
