"""Story clustering on the hand-written demo: every syndicated set becomes one story, nothing else merges."""

from collections import defaultdict
from datetime import datetime as _dt
from datetime import timedelta as _td

import pytest

from newsportal.demo.load import demo_items
from newsportal.recommend.stories import StoryClusterer, fingerprint, same_story
from newsportal.search.docs import IndexDoc


def truth_and_predicted(portal):
    truth, predicted = {}, {}
    for item in demo_items():
        a = portal.store.get_article_by_external_id(item["external_id"])
        truth[a.id] = item.get("story") or f"own-{a.id}"
        predicted[a.id] = portal.catalog.story_of(a.id)
    return truth, predicted


def test_demo_stories_are_found_exactly(demo_portal):
    truth, predicted = truth_and_predicted(demo_portal)
    groups = defaultdict(set)
    for aid, story in predicted.items():
        groups[story].add(aid)
    true_groups = defaultdict(set)
    for aid, story in truth.items():
        true_groups[story].add(aid)
    assert sorted(map(sorted, groups.values())) == sorted(map(sorted, true_groups.values()))
    assert sum(1 for g in groups.values() if len(g) >= 3) >= 7


def test_story_ids_are_persisted(demo_portal):
    for aid in demo_portal.catalog:
        assert demo_portal.store.get_article(aid).story_id == demo_portal.catalog.story_of(aid)


def test_article_page_says_how_many_sources_carry_the_story(demo_client, demo_portal):
    a = demo_portal.store.get_article_by_external_id("demo-tech-002")
    html = demo_client.get(f"/article/{a.id}").text
    assert "3家媒体报道" in html
    others = [c for c in demo_portal.store.story_cards(a.story_id) if c.id != a.id]
    assert len(others) == 2 and all(f"/a/{c.slug}.html" in html for c in others)
    single = demo_portal.store.get_article_by_external_id("demo-tech-005")
    assert "家媒体报道" not in demo_client.get(f"/article/{single.id}").text


def test_no_list_on_any_page_shows_one_story_twice(demo_client, demo_portal):
    import re

    story_of = {}
    for aid in demo_portal.catalog:
        story_of[demo_portal.store.get_article(aid).slug] = demo_portal.catalog.story_of(aid)
    pages = ["/", "/channel/news", "/channel/domestic", "/channel/money", "/channel/tech", "/channel/auto",
             "/channel/edu", "/channel/sports", "/source/haihe-daily", "/search?q=高铁", "/foryou"]
    pages += [f"/article/{aid}" for aid in list(demo_portal.catalog)[:40]]
    for path in pages:
        html = demo_client.get(path).text
        for block in re.findall(r"<ol class=\"cards[^\"]*\">(.*?)</ol>", html, re.S) + re.findall(
                r"<ol class=\"lead-list\">(.*?)</ol>", html, re.S):
            slugs = re.findall(r"/a/(\w+)\.html", block)
            stories = [story_of[s] for s in slugs]
            assert len(stories) == len(set(stories)), (path, slugs)


def test_different_figures_mean_a_different_event():
    from datetime import datetime

    t = datetime(2026, 11, 25)
    base = "海河市 暴雨 预警 积水 公交 绕行 地铁 限流 通勤 市民"
    a = fingerprint(IndexDoc(1, "海河暴雨", base + " 37处 积水点 12条 线路 68.5毫米", (), 1, 1, t))
    b = fingerprint(IndexDoc(2, "海河暴雨", base + " 37处 积水点 12条 线路 68.5毫米 记者", (), 1, 1, t))
    c = fingerprint(IndexDoc(3, "海河暴雨", base + " 5处 积水点 8条 线路 21.4毫米", (), 1, 1, t))
    assert same_story(a, b, {}, 100) > 0
    assert same_story(a, c, {}, 100) == 0


def test_window_expiry_bounds_memory():
    from datetime import datetime, timedelta

    cl = StoryClusterer(window_hours=1)
    t = datetime(2026, 11, 25)
    for i in range(5):
        doc = IndexDoc(i + 1, f"第{i}条", f"内容 {i} 不同 词语{i}", (), 1, 1, t + timedelta(hours=i))
        story, fp = cl.assign(doc, lambda terms: ({}, 10))
        cl.add(doc.id, fp, story)
    assert cl.expire(fp.published) == 3 and len(cl) == 2


# -- verification on hand-written reports (issue 10: copies, follow-ups, bad input) ------------------------

T0 = _dt(2026, 11, 20, 2, 0)
BRIDGE = IndexDoc(
    1, "临溪跨江大桥今日通车 全长4.6公里设双向六车道",
    "11月20日上午10时，临溪市跨江大桥正式通车。大桥全长4.6公里，主跨780米，设计为双向六车道，总投资约38亿元，"
    "由临溪路桥集团承建，历时46个月建成。\n\n通车后，临溪东岸的柳塘镇到市中心的车程由原来的70分钟缩短至25分钟。"
    "大桥桥面设有观光步道，夜间将开启景观照明。\n\n据临溪市交通运输局介绍，大桥通车首日预计车流量约1.2万辆次，"
    "交警部门已在两岸引桥增设了临时疏导岗，提醒市民错峰出行。", (), 1, 1, T0)
NUMERALS = IndexDoc(
    2, "临溪跨江大桥今日通车 全长四点六公里设双向六车道",
    "十一月二十日上午十时，临溪市跨江大桥正式通车。大桥全长四点六公里，主跨七百八十米，设计为双向六车道，"
    "总投资约三十八亿元，由临溪路桥集团承建，历时四十六个月建成。\n\n通车后，临溪东岸的柳塘镇到市中心的车程由原来的"
    "七十分钟缩短至二十五分钟。大桥桥面设有观光步道，夜间将开启景观照明。", (), 1, 2, T0 + _td(hours=3))
BRIEF = IndexDoc(
    3, "临溪跨江大桥通车",
    "据临溪电视台报道，临溪市跨江大桥日前正式通车。这座由临溪路桥集团承建的跨江大桥设双向六车道，桥面设有观光步道，"
    "夜间将开启景观照明。通车后，柳塘镇到市中心的车程大幅缩短，交警部门在两岸引桥增设了临时疏导岗，提醒市民错峰出行。",
    (), 1, 3, T0 + _td(hours=5))
FOLLOWUP = IndexDoc(
    4, "临溪跨江大桥通车首周车流超9万辆次 柳塘镇公交线路将加密",
    "临溪市交通运输局11月27日通报，跨江大桥通车首周累计通行车辆9.3万辆次，早晚高峰东岸引桥一度出现排队。"
    "为此，柳塘镇至市中心将新开3条公交线路，高峰时段15分钟一班，并在东岸桥头增设一处换乘停车场。\n\n"
    "这座大桥全长4.6公里，主跨780米，总投资约38亿元。交警部门表示，下月起将根据车流调整引桥信号灯配时。",
    (), 1, 1, T0 + _td(days=7))
SIBLING = IndexDoc(
    5, "桐川大桥主体合龙 预计明年6月通车",
    "11月20日，桐川市桐川大桥主桥顺利合龙。大桥全长2.9公里，主跨460米，设计为双向四车道，总投资约21亿元，"
    "由桐川城建集团承建。\n\n桐川市住建局表示，大桥接下来将进行桥面铺装和附属设施施工，预计明年6月建成通车，"
    "届时桐川南北两岸的通行时间将由40分钟缩短至10分钟左右。", (), 1, 4, T0 + _td(hours=2))
FESTIVAL = ("第三届青岚美食节在滨江广场开幕，80多家本地餐馆摆出招牌菜，"
            "主办方准备了非遗面点展示和亲子烘焙课程，开幕当天吸引了大批市民。")


def _cluster(docs, bulk=False):
    from collections import Counter

    from newsportal.recommend.story_match import features

    df = Counter()
    for d in docs:
        df.update(features(d)[0])
    stats = lambda terms: ({t: df[t] for t in terms if t in df}, len(docs))  # noqa: E731
    cl = StoryClusterer()
    if bulk:
        return cl.cluster_bulk(docs, stats)
    out = {}
    for d in docs:
        story, fp = cl.assign(d, stats)
        cl.add(d.id, fp, story)
        out[d.id] = story
    return out


@pytest.mark.parametrize("bulk", [False, True])
def test_copies_join_and_followup_and_sibling_stay_apart(bulk):
    stories = _cluster([BRIDGE, NUMERALS, BRIEF, FOLLOWUP, SIBLING], bulk)
    assert stories[NUMERALS.id] == stories[BRIEF.id] == stories[BRIDGE.id] == BRIDGE.id
    assert stories[FOLLOWUP.id] == FOLLOWUP.id  # repeats three figures, but a week later with new facts
    assert stories[SIBLING.id] == SIBLING.id  # another bridge, other figures


def test_a_brief_without_figures_is_joined_by_containment():
    a, b = fingerprint(BRIDGE), fingerprint(BRIEF)
    assert not b.numbers and same_story(a, b, {}, 100) > 0


def test_a_copy_in_chinese_numerals_shares_the_figures():
    a, b = fingerprint(BRIDGE), fingerprint(NUMERALS)
    assert {"4.6", "780", "3800000000", "46", "70", "25"} <= a.numbers & b.numbers


def test_a_late_verbatim_reprint_still_joins():
    late = IndexDoc(6, BRIDGE.title, BRIDGE.text, (), 1, 5, T0 + _td(hours=30))
    assert same_story(fingerprint(BRIDGE), fingerprint(late), {}, 100) > 0


def test_one_hundred_identical_articles_are_one_story_either_way():
    docs = [IndexDoc(10 + i, BRIDGE.title, BRIDGE.text, (), 1, 1 + i % 5, T0 + _td(minutes=i))
            for i in range(100)]
    for bulk in (False, True):
        assert set(_cluster(docs, bulk).values()) == {10}


@pytest.mark.parametrize("bulk", [False, True])
def test_bad_input_neither_fails_nor_joins_unrelated_stories(bulk):
    odd = [
        IndexDoc(20, "", "", (), 1, 1, T0),
        IndexDoc(21, "桥", "。。。！！……？", (), 1, 1, T0),
        IndexDoc(22, "！", "😀😀🎉🎉👍", (), 1, 1, T0),
        IndexDoc(23, "Bridge", "A bridge opened today in a river city; traffic was light in the morning.",
                 (), 1, 1, T0),
        IndexDoc(24, BRIDGE.title, FESTIVAL, (), 1, 2, T0 + _td(hours=1)),  # the title and body disagree
        IndexDoc(25, "青岚美食节开幕", FESTIVAL, (), 1, 3, T0 + _td(hours=2)),
        IndexDoc(26, "", "", (), 1, 1, T0),
        IndexDoc(27, "桥", "。。。！！……？", (), 1, 2, T0),
    ]
    stories = _cluster([BRIDGE, *odd], bulk)
    for d in odd[:4] + odd[6:]:
        assert stories[d.id] == d.id  # too little text to call anything a copy
    assert stories[24] != BRIDGE.id  # a borrowed title does not make a copy
    for d in [BRIDGE, *odd]:
        assert same_story(fingerprint(d), fingerprint(d), {}, 10) >= 0


def test_bulk_clustering_at_start_up_persists_stories(portal):
    """Articles loaded in bulk (no story) are clustered by the next start: copies share the original's id."""
    from newsportal.config import Settings
    from newsportal.demo.synthetic import generate
    from newsportal.newsroom.publish import prepare
    from newsportal.portal import Portal
    from newsportal.store import bulk_create

    items = list(generate(300, seed=7, now=_dt(2026, 11, 25, 12)))
    bulk_create(portal.store, [prepare(portal, i.draft) for i in items], actor="test")
    assert len(portal.store.catalog_rows_without_story()) == 300
    again = Portal(Settings(site_url="http://testserver", index_in_memory=True), portal.store).start()
    assert portal.store.catalog_rows_without_story() == []
    truth = {}
    for item in items:
        a = portal.store.get_article_by_external_id(item.draft.external_id)
        assert again.catalog.story_of(a.id) == a.story_id
        truth.setdefault(item.story, set()).add(a.story_id)
    assert all(len(ids) == 1 for ids in truth.values())  # every labelled story kept one id
    assert len({s for ids in truth.values() for s in ids}) == len(truth)  # and no two stories share one
