"""RSS and Atom feeds: parsed back with feedparser and read as plain XML for the validator's rules."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import feedparser
import pytest

from newsportal.syndication.feeds import (
    FeedChannel,
    FeedEntry,
    FeedError,
    atom_feed,
    clean_text,
    rss_feed,
)

NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
BASE = "https://news.example.cn"
CHANNEL = FeedChannel(
    title="山海新闻 · 本地",
    link=f"{BASE}/channel/local",
    self_url=f"{BASE}/channel/local/feed.xml",
    description="本地民生、交通与城市建设报道",
)
ATOM = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d\d:\d\d:\d\d (\+0800|GMT)$")


def _entries() -> list[FeedEntry]:
    return [
        FeedEntry(
            title="三条新公交\x00线路下周开通",
            link=f"{BASE}/a/bus-lines.html",
            published=NOW - timedelta(hours=2),
            updated=NOW - timedelta(hours=1),
            author="林晓",
            summary="早高峰 <b>加密</b> 班次 & 新增站点\x1b。",
            content_html="<p>新线路覆盖东部新区。</p><p>票价 ]]&gt; 不变。</p>",
            categories=("交通", "民生"),
        ),
        FeedEntry(
            title="港口夜间作业噪声获整改",
            link=f"{BASE}/a/port-noise.html",
            published=datetime(2026, 12, 2, 9, 30, tzinfo=timezone(timedelta(hours=8))),
            guid="article-42",
            source="海港日报",
        ),
        FeedEntry(  # a duplicate guid: dropped
            title="重复条目",
            link=f"{BASE}/a/bus-lines.html",
            published=NOW - timedelta(hours=3),
        ),
    ]


def test_rss_parses_back_with_expected_fields():
    xml = rss_feed(CHANNEL, _entries(), NOW, full_text=True)
    feed = feedparser.parse(xml)
    assert not feed.bozo
    assert feed.version == "rss20"
    assert feed.feed.title == "山海新闻 · 本地"
    assert feed.feed.link == f"{BASE}/channel/local"
    assert feed.feed.language == "zh-cn"
    assert [e.title for e in feed.entries] == ["三条新公交线路下周开通", "港口夜间作业噪声获整改"]
    first, second = feed.entries
    assert first.link == f"{BASE}/a/bus-lines.html"
    assert first.author == "林晓" and second.author == "海港日报"
    assert [t.term for t in first.tags] == ["交通", "民生"]
    # plain text survives as text: the reader sees "<b>", not bold
    assert first.summary == "早高峰 &lt;b&gt;加密&lt;/b&gt; 班次 &amp; 新增站点。"
    assert first.content[0].value == "<p>新线路覆盖东部新区。</p><p>票价 ]]&gt; 不变。</p>"
    assert first.published_parsed[:5] == (2026, 12, 2, 12, 0)  # 20:00 +0800


def test_rss_follows_validator_rules():
    xml = rss_feed(CHANNEL, _entries(), NOW)
    channel = ET.fromstring(xml).find("channel")
    self_link = channel.find(f"{ATOM}link")
    assert self_link.get("rel") == "self" and self_link.get("href") == CHANNEL.self_url
    assert self_link.get("type") == "application/rss+xml"
    assert RFC822.match(channel.findtext("lastBuildDate"))
    assert channel.findtext("lastBuildDate") == "Wed, 02 Dec 2026 21:00:00 +0800"  # newest update
    items = channel.findall("item")
    guids = [(i.findtext("guid"), i.find("guid").get("isPermaLink")) for i in items]
    assert guids == [(f"{BASE}/a/bus-lines.html", "true"), ("article-42", "false")]
    assert all(RFC822.match(i.findtext("pubDate")) for i in items)
    assert items[1].findtext("pubDate") == "Wed, 02 Dec 2026 09:30:00 +0800"
    assert items[0].find("author") is None  # RSS <author> must be an e-mail; the name is in dc:creator
    assert items[0].find("{http://purl.org/rss/1.0/modules/content/}encoded") is None  # not full text
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)


def test_atom_parses_back_and_follows_validator_rules():
    xml = atom_feed(CHANNEL, _entries(), NOW, full_text=True)
    feed = feedparser.parse(xml)
    assert not feed.bozo and feed.version == "atom10"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": CHANNEL.self_url, "alternate": CHANNEL.link}
    assert feed.feed.author == "山海新闻"
    assert [e.id for e in feed.entries] == [
        f"{BASE}/a/bus-lines.html", "tag:news.example.cn,2026-12-02:article-42"]
    first = feed.entries[0]
    assert first.content[0].type == "text/html"
    assert first.updated_parsed[:5] == (2026, 12, 2, 13, 0)
    root = ET.fromstring(xml)
    assert root.findtext(f"{ATOM}updated") == "2026-12-02T21:00:00+08:00"  # the newest entry's update
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-cn"
    for entry in root.findall(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}updated") >= entry.findtext(f"{ATOM}published")


def test_empty_feed_uses_now():
    root = ET.fromstring(atom_feed(CHANNEL, [], NOW))
    assert root.findtext(f"{ATOM}updated") == "2026-12-02T22:00:00+08:00"
    assert feedparser.parse(rss_feed(CHANNEL, [], NOW)).entries == []


def test_entry_limit_and_generator_input():
    many = (FeedEntry(title=f"快讯 {i}", link=f"{BASE}/a/{i}.html", published=NOW - timedelta(minutes=i))
            for i in range(500))
    feed = feedparser.parse(rss_feed(CHANNEL, many, NOW, max_entries=30))
    assert len(feed.entries) == 30 and feed.entries[-1].title == "快讯 29"


@pytest.mark.parametrize("bad", [
    {"link": "/a/relative.html"},
    {"link": "javascript:alert(1)"},
    {"published": datetime(2026, 12, 2, 9, 0)},
    {"title": "\x00 \t"},
])
def test_bad_entries_are_refused(bad):
    fields = {"title": "标题", "link": f"{BASE}/a/x.html", "published": NOW} | bad
    with pytest.raises(FeedError):
        rss_feed(CHANNEL, [FeedEntry(**fields)], NOW)


def test_bad_channel_and_clock_are_refused():
    relative = FeedChannel("本地", "/channel/local", f"{BASE}/feed.xml", "本地新闻")
    with pytest.raises(FeedError):
        atom_feed(relative, [], NOW)
    with pytest.raises(FeedError):
        atom_feed(CHANNEL, [], datetime(2026, 12, 2))


def test_clean_text():
    assert clean_text("a\x00b\x0bc\x7fd\x85e\ufffef\tg\nh") == "abcdef\tg\nh"
    assert clean_text(None) == ""
