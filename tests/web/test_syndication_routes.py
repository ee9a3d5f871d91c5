"""Feeds, sitemaps and robots.txt served by the app (both databases): they parse, carry the expected
fields, page and window correctly, and an edit shows in the feeds at once."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest

from newsportal.newsroom.publish import save_article, withdraw
from newsportal.timeutil import utcnow
from newsportal.web.pages import syndication
from tests.conftest import sample_draft

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def publish(portal, n, *, hours_ago=1.0, channel="domestic", source="haihe-daily", body=None):
    draft = sample_draft(title=f"第{n}号测试稿：河堤步道完成改造", external_id=f"syn-{n}",
                         body_html=body or f"<p>第{n}段正文：步道铺设透水砖，沿线增设照明。</p>",
                         summary=f"第{n}号摘要", channel_slug=channel, source_key=source,
                         published_at=utcnow() - timedelta(hours=hours_ago))
    return save_article(portal, draft, actor="t", publish_now=True)[0]


@pytest.fixture
def articles(portal):
    return [publish(portal, 1, hours_ago=1), publish(portal, 2, hours_ago=30, channel="sports",
                                                     source="xingcheng-sports"),
            publish(portal, 3, hours_ago=60)]


def test_rss_and_atom_per_channel_source_and_site(client, articles):
    for path in ("/rss.xml", "/atom.xml", "/rss/channel/news.xml", "/atom/channel/news.xml",
                 "/rss/source/haihe-daily.xml", "/atom/source/xingcheng-sports.xml"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("application/" + ("atom" if "atom" in path else "rss"))
        feed = feedparser.parse(r.content)
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.feed.title and feed.feed.link.startswith("http://testserver/")
        assert feed.entries, path
        for e in feed.entries:
            assert e.link.startswith("http://testserver/a/") and e.title and e.published_parsed
            assert e.get("summary") and e.get("id")
    news = feedparser.parse(client.get("/rss/channel/news.xml").content)
    assert {e.title[:3] for e in news.entries} == {"第1号", "第3号"}
    assert news.entries[0].title.startswith("第1号")  # newest first
    sports = feedparser.parse(client.get("/atom/source/xingcheng-sports.xml").content)
    assert [e.title for e in sports.entries] == ["第2号测试稿：河堤步道完成改造"]
    assert "content" not in sports.entries[0]  # summary only by default
    assert client.get("/rss/channel/nope.xml").status_code == 404
    assert client.get("/atom/source/nope.xml").status_code == 404


def test_full_text_feeds_when_configured(store, articles):
    from starlette.testclient import TestClient

    from newsportal.web.app import create_app
    from tests.conftest import make_portal

    portal = make_portal(store, feed_full_text=True)
    with TestClient(create_app(portal=portal)) as c:
        feed = feedparser.parse(c.get("/rss/source/haihe-daily.xml").content)
        assert "透水砖" in feed.entries[0].content[0].value


def test_an_edit_shows_in_the_feed_at_once(client, portal, articles):
    assert "第1号" in client.get("/rss.xml").text
    save_article(portal, sample_draft(title="河堤步道改造完工并开放", external_id="syn-1",
                                      published_at=articles[0].published_at), actor="t",
                 article_id=articles[0].id)
    titles = [e.title for e in feedparser.parse(client.get("/rss.xml").content).entries]
    assert "河堤步道改造完工并开放" in titles and "第1号测试稿：河堤步道完成改造" not in titles
    withdraw(portal, articles[0].id)
    assert "河堤步道改造完工并开放" not in client.get("/rss.xml").text


def test_sitemap_index_pages_and_news_window(client, portal, articles, monkeypatch):
    monkeypatch.setattr(syndication, "SITEMAP_PAGE_SIZE", 2)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [e.findtext(f"{SM}loc") for e in index.findall(f"{SM}sitemap")]
    assert locs == ["http://testserver/sitemaps/articles-1.xml", "http://testserver/sitemaps/articles-2.xml",
                    "http://testserver/sitemaps/news.xml"]
    one = ET.fromstring(client.get("/sitemaps/articles-1.xml").content)
    two = ET.fromstring(client.get("/sitemaps/articles-2.xml").content)
    urls = [u.findtext(f"{SM}loc") for page in (one, two) for u in page.findall(f"{SM}url")]
    assert urls == [f"http://testserver/a/{a.slug}.html" for a in articles]
    assert all(u.findtext(f"{SM}lastmod") for u in one.findall(f"{SM}url"))
    assert client.get("/sitemaps/articles-3.xml").status_code == 404
    assert client.get("/sitemaps/articles-0.xml").status_code == 404
    news = client.get("/sitemaps/news.xml")
    assert news.status_code == 200 and "<news:publication_date>" in news.text
    assert articles[0].slug in news.text and articles[1].slug in news.text
    assert articles[2].slug not in news.text  # 60 hours old: outside the 48-hour window


def test_robots_points_at_the_sitemaps(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in r.text
    assert "Sitemap: http://testserver/sitemaps/news.xml" in r.text and "Disallow: /search" in r.text


def test_pages_link_their_feeds(client, articles):
    home = client.get("/").text
    assert '<link rel="alternate" type="application/rss+xml"' in home and 'href="/atom.xml"' in home
    assert 'href="/rss/channel/news.xml"' in client.get("/channel/domestic").text
