from datetime import datetime, timedelta

from newsportal.newsroom import save_article
from tests.conftest import BROWSER_UA, sample_draft

TOPICS = ["湿地公园迎来越冬候鸟", "地铁新线开通试运营", "老旧小区加装电梯", "社区食堂开门迎客",
          "夜市经济持续升温"]


def publish_n(portal, n, channel="domestic"):
    out = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        a, _ = save_article(
            portal,
            sample_draft(title=f"{topic}（{channel}）", external_id=f"{channel}-{i}", channel_slug=channel,
                         body_html=f"<p>{topic}。{channel}频道第{i * 7 + 11}期报道。</p>",
                         published_at=datetime(2026, 11, 1) + timedelta(minutes=i)),
            actor="t", publish_now=True)
        out.append(a)
    return out


def test_engagement_orders_the_hot_list_and_shares_weigh_more(portal):
    a, b, c = publish_n(portal, 3)
    for i in range(6):
        portal.counters.record(portal.event(a.id, "view", f"r{i}", BROWSER_UA))
    for i in range(2):
        portal.counters.record(portal.event(b.id, "view", f"r{i}", BROWSER_UA))
        portal.counters.record(portal.event(b.id, "share", f"r{i}",
                                            BROWSER_UA))  # 2 views + 2 shares > 6 views
    cards = portal.hot.cards(3)
    assert [x.id for x in cards] == [b.id, a.id, c.id]  # c has no engagement: topped up by recency
    assert cards[0].source_name == "海河日报" and cards[0].published_at is not None


def test_per_channel_lists_and_unpublished_articles(portal):
    news = publish_n(portal, 2, "domestic")
    sports = publish_n(portal, 2, "sports")
    for art in news + sports:
        portal.counters.record(portal.event(art.id, "view", "r", BROWSER_UA))
    portal.counters.record(portal.event(sports[1].id, "view", "r2", BROWSER_UA))
    got = [x.id for x in portal.hot.cards(5, portal.channels.by_slug("sports").id)]
    assert got == [sports[1].id, sports[0].id]
    news = {a.id for a in news}  # 新闻中心's list includes its section 国内
    assert {x.id for x in portal.hot.cards(5, portal.channels.by_slug("news").id)} == news
    assert {x.id for x in portal.hot.cards(5, portal.channels.by_slug("domestic").id)} == news


def test_empty_site_gives_an_empty_list(portal):
    assert portal.hot.cards(10) == []
