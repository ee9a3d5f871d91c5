from datetime import datetime

from newsportal.newsroom import save_article, withdraw
from newsportal.recommend import RelatedIndex
from newsportal.store import IndexDoc
from tests.conftest import sample_draft


def doc(i, title, text, tags=(), channel=1, day=1):
    return IndexDoc(i, title, text, tuple(tags), channel, 1, datetime(2026, 11, day))


def test_never_itself_and_topic_matches_first():
    idx = RelatedIndex()
    idx.add(doc(1, "国产芯片企业发布新一代推理芯片", "芯片 推理 算力 芯片 制程", ["芯片"]))
    idx.add(doc(2, "芯片产业园再迎三家封装企业", "芯片 封装 晶圆 芯片", ["芯片"]))
    idx.add(doc(3, "城市马拉松鸣枪开跑", "马拉松 跑者 赛道 补给", ["马拉松"], channel=2))
    idx.add(doc(4, "算力中心投运支撑推理需求", "算力 推理 数据中心", ["算力"]))
    got = [i for i, _ in idx.related(1, 10)]
    assert 1 not in got
    assert got[0] in (2, 4) and 3 not in got


def test_same_channel_and_recency_break_ties():
    idx = RelatedIndex()
    idx.add(doc(1, "新能源汽车电池技术突破", "电池 续航 快充", ["电池"], channel=1, day=20))
    idx.add(doc(2, "电池企业扩产", "电池 续航 快充", ["电池"], channel=2, day=20))
    idx.add(doc(3, "电池企业扩产计划", "电池 续航 快充", ["电池"], channel=1, day=20))
    idx.add(doc(4, "电池企业扩产计划公布", "电池 续航 快充", ["电池"], channel=1, day=1))
    # same channel and same day first; a 19-day-old article loses to a same-day one from another channel
    assert [i for i, _ in idx.related(1, 3)] == [3, 2, 4]


def test_incremental_updates_and_exclusions():
    idx = RelatedIndex()
    idx.add(doc(1, "湿地候鸟数量创新高", "湿地 候鸟 保护", ["湿地"]))
    idx.add(doc(2, "湿地公园开放", "湿地 公园 开放", ["湿地"]))
    assert [i for i, _ in idx.related(1)] == [2]
    assert idx.related(1, exclude={2}) == []
    idx.add(doc(2, "篮球联赛开幕", "篮球 联赛", ["篮球"]))  # an edit changes the topic
    assert idx.related(1) == []
    idx.remove(2)
    assert 2 not in idx and idx.related(2) == []


def test_empty_and_single_article_corpus_give_empty_lists():
    idx = RelatedIndex()
    assert idx.related(1) == []
    idx.add(doc(1, "唯一的一篇文章标题", "正文"))
    assert idx.related(1) == []


def test_publish_flow_keeps_the_index_current(portal):
    a, _ = save_article(portal, sample_draft(title="智慧公交线路开通运营"), actor="t", publish_now=True)
    b, _ = save_article(portal, sample_draft(title="第二条智慧公交线路开通", external_id="b"), actor="t",
                        publish_now=True)
    assert [i for i, _ in portal.related.related(a.id)] == [b.id]
    withdraw(portal, b.id)
    assert portal.related.related(a.id) == []
