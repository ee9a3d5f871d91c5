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


def test_clickbait_ranks_below_sober_of_equal_engagement_but_is_never_hidden(portal):
    portal.set_source_trust("haihe-daily", 1.0)
    portal.set_source_trust("city-radio", 0.0)
    bait, _ = save_article(portal, sample_draft(
        title="震惊！这个小区竟然发生了这种事，99%的人都不知道", external_id="bait", channel_slug="domestic",
        source_key="haihe-daily", body_html="<p>小区门口新开一家菜市场。看完点赞转发，让更多人看到！</p>",
        published_at=datetime(2026, 11, 1, 9)), actor="t", publish_now=True)
    sober, _ = save_article(portal, sample_draft(
        title="城东新区一座社区菜市场开业", external_id="sober", channel_slug="domestic",
        source_key="city-radio", body_html="<p>城东新区社区菜市场今日开业，设摊位六十个。</p>",
        published_at=datetime(2026, 11, 1, 8)), actor="t", publish_now=True)
    assert portal.catalog[bait.id].clickbait and not portal.catalog[sober.id].clickbait
    for art in (bait, sober):
        for i in range(3):
            portal.counters.record(portal.event(art.id, "view", f"r{i}", BROWSER_UA))
    domestic = portal.channels.by_slug("domestic").id
    assert portal.hot.ids(5) == [sober.id, bait.id]  # trusted source, yet below the untrusted sober one
    assert portal.hot.ids(5, domestic) == [sober.id, bait.id]
    assert [c.id for c in portal.hot.top_stories(domestic, 5)] == [sober.id, bait.id]
    # demoted, not hidden: the channel listing and search still carry it
    listing = portal.store.list_cards(channel_ids=portal.channels.subtree_ids(portal.channels.get(domestic)))
    assert bait.id in {c.id for c in listing.items}
    assert bait.id in {c.id for c in portal.search("小区")[0]}
