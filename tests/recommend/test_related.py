"""相关推荐 through the real publish flow: BM25 on the article's words, blended, never itself or its story."""

from datetime import datetime, timedelta

from newsportal.newsroom import save_article, withdraw
from tests.conftest import sample_draft

T0 = datetime(2026, 11, 20, 8, 0)


def pub(portal, ext, title, body, channel="tech", tags=(), hours=0, source="xinchao-tech"):
    a, _ = save_article(
        portal,
        sample_draft(external_id=ext, title=title, body_html=f"<p>{body}</p>", channel_slug=channel,
                     tags=tags, source_key=source, published_at=T0 + timedelta(hours=hours)),
        actor="t", publish_now=True)
    return a


def ids(portal, a, n=8):
    portal.embedding.drain()  # the vectors, as the server's embedding thread computes them after a publish
    return [x for x, _ in portal.related.related(a.id, n)]


def test_topic_matches_rank_first_and_never_the_article_itself(portal):
    a = pub(portal, "a", "国产芯片企业发布新一代推理芯片",
            "芯片 推理 算力 芯片 制程 晶圆 芯片企业 研发 投入", tags=("芯片",))
    b = pub(portal, "b", "芯片产业园再迎三家封装企业", "芯片 封装 晶圆 芯片 园区 企业 入驻", tags=("芯片",),
            hours=1)
    c = pub(portal, "c", "城市马拉松鸣枪开跑", "马拉松 跑者 赛道 补给 完赛 选手", channel="sports",
            source="xingcheng-sports")
    d = pub(portal, "d", "算力中心投运支撑推理需求", "算力 推理 数据中心 机柜 服务器 芯片", tags=("算力",),
            hours=2)
    got = ids(portal, a)
    assert a.id not in got and c.id not in got
    assert set(got[:2]) == {b.id, d.id}


def test_meaning_outranks_a_single_shared_word(portal):
    a = pub(portal, "a", "火山喷发 附近机场暂时关闭",
            "北京时间凌晨，岛上一座火山再次喷发，火山灰升至八千米高空，附近机场暂停起降，部分航班取消。",
            channel="world", source="haihe-daily")
    lava = pub(portal, "b", "火山持续喷发 岛上居民连夜撤离",
               "火山喷发进入第二天，岩浆涌出山口，火山灰飘落村庄，数千名居民连夜转移到避难所。",
               channel="world", source="city-radio", hours=1)
    pitch = pub(portal, "c", "北京一球场草皮翻新完工",
                "北京一座足球场完成草皮翻新，场地将于下周起向市民开放。",
                channel="sports", source="xingcheng-sports", hours=2)
    got = ids(portal, a)
    assert lava.id in got
    assert pitch.id not in got  # only 北京 in common, and the meaning does not agree


def test_excludes_own_story_and_shows_one_per_story(portal):
    fact = "滨云高铁今天开通 全长286公里 设计时速350公里 沿线设9座车站 每日开行38对列车"
    a = pub(portal, "a", "滨云高铁今日开通运营", fact + " 首发列车 乘客", channel="domestic",
            source="zhongyuan-net")
    b = pub(portal, "b", "家门口通高铁了 滨云高铁开通", fact + " 市民 体验", channel="domestic",
            source="haihe-daily", hours=1)
    c = pub(portal, "c", "高铁网络加密 沿线城市迎机遇", "高铁 网络 沿线 城市 机遇 旅游 时速",
            channel="domestic", source="jiangcheng-evening", hours=2)
    d = pub(portal, "d", "高铁开通带火周末游", "高铁 周末 旅游 沿线 车站 乘客", channel="domestic",
            source="city-radio", hours=3)
    assert portal.catalog.story_of(b.id) == portal.catalog.story_of(a.id) == a.id
    got = ids(portal, c)
    assert c.id not in got and len([x for x in got if x in (a.id, b.id)]) == 1  # the story once
    assert a.id not in ids(portal, b) and b.id not in ids(portal, a) and d.id in ids(portal, a)


def test_edits_and_withdrawals_update_incrementally(portal):
    a = pub(portal, "a", "湿地候鸟数量创新高", "湿地 候鸟 保护 观鸟 越冬", channel="domestic",
            source="haihe-daily")
    b = pub(portal, "b", "湿地公园开放观鸟季", "湿地 候鸟 观鸟 公园 开放", channel="domestic",
            source="haihe-daily")
    assert ids(portal, a) == [b.id]
    pub(portal, "b", "篮球联赛开幕战落幕", "篮球 联赛 开幕 比分 球员", channel="sports",
        source="xingcheng-sports")
    assert ids(portal, a) == []  # the edit changed b's topic
    withdraw(portal, b.id)
    assert ids(portal, b) == [] and ids(portal, a) == []


def test_empty_and_single_article_corpus(portal):
    assert portal.related.related(12345) == []
    a = pub(portal, "a", "唯一的一篇文章标题", "正文 内容")
    assert portal.related.related(a.id) == [] and portal.related.baseline(a.id) == []


def test_clickbait_ranks_below_a_sober_candidate_of_equal_relevance(portal):
    """Two candidates with the same text (kept as separate stories) differ only in quality."""
    portal.set_source_trust("haihe-daily", 1.0)
    portal.set_source_trust("city-radio", 0.0)
    # The query is on the same subject but not a copy of the candidates (a near copy of the article itself
    # is dropped from its own related list, which would hide what this test compares).
    q = pub(portal, "q", "保护区志愿者开始今冬候鸟监测",
            "志愿者 每天 清晨 记录 候鸟 种类 数量 水位 湿地 保护区 监测 数据 上报")
    body = "湿地 候鸟 越冬 白鹭 观鸟 保护区 巡护 志愿者"
    bait = pub(portal, "b", "震惊！湿地里竟然出现这种鸟，99%的人都没见过", body, source="haihe-daily",
               hours=30)
    sober = pub(portal, "s", "湿地公园观鸟季开启", body, source="city-radio", hours=30)
    for art in (bait, sober):  # the same text would join one story; keep them apart to compare
        portal.catalog.set_story(art.id, art.id)
    assert portal.catalog[bait.id].clickbait
    got = ids(portal, q)
    assert sober.id in got  # the sober one wins; the bait, reading as its copy, is then skipped or below
    assert bait.id not in got or got.index(sober.id) < got.index(bait.id)
    assert got[0] == sober.id


def test_top_up_fills_to_length_one_per_story_never_the_article(portal):
    from newsportal.recommend.related import top_up

    a = pub(portal, "a", "湿地候鸟数量创新高", "湿地 候鸟 保护 观鸟 越冬", channel="domestic")
    b = pub(portal, "b", "湿地公园开放观鸟季", "湿地 候鸟 观鸟 公园 开放", channel="domestic", hours=1)
    c = pub(portal, "c", "篮球联赛开幕战落幕", "篮球 联赛 开幕 比分 球员", channel="sports", hours=2)
    d = pub(portal, "d", "城市马拉松鸣枪开跑", "马拉松 跑者 赛道 补给 完赛", channel="sports", hours=3)
    portal.catalog.set_story(d.id, c.id)  # d reads as a copy of c
    got = top_up([b.id], [a.id, b.id, c.id, d.id], portal.catalog, {a.id}, 3)
    assert got == [b.id, c.id]  # a is the article itself, b already picked, d is c's story
    assert top_up([b.id, c.id], [d.id], portal.catalog, {a.id}, 1) == [b.id]
