"""为你推荐: a profile from recent reads, nothing read again, no duplicate stories, diverse, forgettable."""

from datetime import datetime, timedelta

from newsportal.recommend.personal import PersonalFeed


def ext(portal, external_id):
    return portal.store.get_article_by_external_id(external_id).id


def test_recommendations_follow_reads_and_skip_what_was_read(demo_portal):
    feed = demo_portal.personal
    reader = "a" * 32
    feed.clear(reader)
    reads = ["demo-tech-001", "demo-tech-005", "demo-mobile-002"]
    for e in reads:
        feed.record_read(reader, ext(demo_portal, e))
    got = [a for a, _ in feed.recommend(reader, 10)]
    read_ids = {ext(demo_portal, e) for e in reads}
    assert len(got) == 10 and not set(got) & read_ids
    # the other sources' copies of a story already read are not "new"
    chip_story = demo_portal.catalog.story_of(ext(demo_portal, "demo-tech-001"))
    assert not any(demo_portal.catalog.story_of(a) == chip_story for a in got)
    stories = [demo_portal.catalog.story_of(a) for a in got]
    assert len(stories) == len(set(stories))
    channels = {demo_portal.channels.get(demo_portal.catalog[a].channel_id).slug for a in got[:5]}
    assert channels & {"tech", "mobile"}  # the profile leads
    assert len(channels) >= 2  # and MMR keeps it from being one note


def test_history_can_be_cleared_and_expires(demo_portal):
    # A feed of its own with an injected clock: when the shared feed's background flush last pruned does not
    # matter, and "now" is whatever the test says.
    now = [datetime(2026, 11, 25, 12, 0)]
    p = demo_portal
    feed = PersonalFeed(p.store, p.catalog, p.index, p.hot, history_days=30, clock=lambda: now[0])
    reader = "b" * 32
    feed.clear(reader)
    a, b = ext(p, "demo-sports-004"), ext(p, "demo-ent-005")
    feed.record_read(reader, a)
    feed.record_read(reader, b, at=now[0] - timedelta(days=31))
    assert feed.flush() == 2
    assert feed.history(reader) == [a]  # the old read is past the retention period
    # the first flush also prunes: the expired read is gone from storage, not just hidden
    assert [r.article_id for r in p.store.history(reader)] == [a]
    # within the hour of the last prune a flush does not prune again, even once a read has expired
    now[0] += timedelta(minutes=30)
    feed.record_read(reader, b, at=now[0] - timedelta(days=31))
    feed.flush()
    assert sorted(r.article_id for r in p.store.history(reader)) == sorted([a, b])
    assert feed.history(reader) == [a]
    # a month later the first read has expired too: hidden at once, dropped from storage by the next flush
    now[0] += timedelta(days=30)
    assert feed.history(reader) == []
    feed.flush()
    assert p.store.history(reader) == []
    feed.record_read(reader, b)
    assert feed.clear(reader) == 1 and feed.history(reader) == []


def test_no_history_gets_the_hot_list(demo_portal):
    assert [a for a, _ in demo_portal.personal.recommend("c" * 32, 5)] == [a for a,
                                                                           _ in demo_portal.hot.ranked(5)]


def test_personal_api_and_page(demo_client, demo_portal):
    demo_client.cookies.clear()
    art = ext(demo_portal, "demo-auto-004")
    r = demo_client.post("/api/v1/events", json={"article_id": art, "kind": "view"})
    assert r.status_code == 200
    recs = demo_client.get("/api/v1/me/recommendations?limit=5")
    assert recs.status_code == 200 and recs.headers["cache-control"] == "private, no-store"
    assert art not in [x["id"] for x in recs.json()] and len(recs.json()) == 5
    assert [x["id"] for x in demo_client.get("/api/v1/me/history").json()["items"]] == [art]
    page = demo_client.get("/foryou")
    assert page.status_code == 200 and "清除我的阅读记录" in page.text and "为你推荐" in page.text
    cleared = demo_client.post("/foryou/clear", follow_redirects=False)
    assert cleared.status_code == 303
    assert demo_client.get("/api/v1/me/history").json()["items"] == []
    assert demo_client.delete("/api/v1/me/history").status_code == 204


def test_empty_and_one_article_sites_give_empty_lists(portal, client):
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    assert portal.personal.recommend("d" * 32, 10) == [] and portal.hot.ranked(10) == []
    for path in ("/api/v1/me/recommendations", "/api/v1/hot", "/api/v1/search?q=公交", "/foryou",
                 "/search?q=公交"):
        assert client.get(path).status_code == 200, path
    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    portal.personal.record_read("d" * 32, a.id)
    assert portal.personal.recommend("d" * 32, 10) == []  # the only article was read
    assert client.get(f"/api/v1/articles/{a.id}/related").json() == []


SPORTS = [
    ("市青少年游泳锦标赛落幕 两项纪录被改写",
     "为期三天的市青少年游泳锦标赛闭幕，十四岁组男子两百米自由泳和女子蝶泳纪录被刷新。"),
    ("城市篮球联赛常规赛收官 八强名单出炉",
     "城市篮球联赛常规赛最后一轮结束，星城猎豹以小组第一晋级八强。"),
    ("社区网球场夜间开放 市民下班也能挥拍",
     "全市十二处社区网球场延长开放至晚上十点，预约通过小程序完成。"),
    ("女子排球联赛揭幕 卫冕冠军三比一取胜",
     "女子排球联赛揭幕战中，卫冕冠军三比一战胜升班马，主攻手拿下二十二分。"),
    ("山地自行车越野赛在青岚山开赛",
     "两百余名骑手参加青岚山山地自行车越野赛，赛道全长四十二公里。"),
    ("冬季长跑节报名开启 设五公里和十公里组",
     "冬季长跑节开始报名，设五公里和十公里两个组别，名额共六千个。"),
    ("围棋名人战第三局 挑战者中盘胜",
     "围棋名人战挑战赛第三局，挑战者执黑中盘取胜，总比分二比一领先。"),
    ("业余足球联赛冬季赛抽签 三十二队分八组",
     "业余足球联赛冬季赛完成抽签，三十二支球队分为八个小组进行单循环。"),
    ("速度滑冰训练营开营 两百名少年上冰",
     "速度滑冰冬训营开营，两百名少年运动员在室内冰场接受为期一个月的训练。"),
    ("乒乓球俱乐部联赛第十轮 主队三比零完胜",
     "乒乓球俱乐部联赛第十轮，主队三比零完胜来访球队，保持不败。"),
]


def test_eight_sports_reads_make_a_sports_feed(portal):
    from newsportal.demo.load import load_demo
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    load_demo(portal, now=datetime(2026, 11, 20, 12), traffic=False)
    for i, (title, body) in enumerate(SPORTS):
        save_article(portal, sample_draft(title=title, body_html=f"<p>{body}</p>", channel_slug="sports",
                                          source_key="xingcheng-sports", external_id=f"more-sports-{i}",
                                          published_at=datetime(2026, 11, 20, 6) + timedelta(minutes=i)),
                     actor="t", publish_now=True)
    reader = "d" * 32
    reads = [ext(portal, f"demo-sports-{i:03d}") for i in (1, 4, 5, 7, 8, 9, 10, 11)]
    for aid in reads:
        portal.personal.record_read(reader, aid)
    got = [a for a, _ in portal.personal.recommend(reader, 10)]
    sports = portal.channels.by_slug("sports").id
    in_sports = [a for a in got if portal.catalog[a].channel_id == sports]
    assert len(in_sports) >= 6
    read_stories = {portal.catalog.story_of(a) for a in reads}
    assert not set(got) & set(reads) and not {portal.catalog.story_of(a) for a in got} & read_stories
    # clickbait sinks: the flagged sports item is below every sober sports item in the feed
    bait = ext(portal, "demo-sports-006")
    assert portal.catalog[bait].clickbait
    if bait in got:
        assert got.index(bait) > max(got.index(a) for a in in_sports if a != bait)
