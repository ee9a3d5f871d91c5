"""The near-copy guard: a copy the clustering missed never puts one story twice into a list.

The texts are written for this test: a bridge closure report, a reworded copy of it with an intro line and
no figures (three hours later), a follow-up with new facts (days later) and another engineering story of
the same day. The vectors come from the shipped embedder and the words from a real search index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pytest

from newsportal.newsroom import save_article
from newsportal.recommend.catalog import Catalog, Entry
from newsportal.recommend.copies import COPY_COS_ALONE, CopyGuard
from newsportal.recommend.semantic import default_embedder
from newsportal.recommend.vectors import ArticleVectors
from newsportal.search import IndexDoc, TextIndex
from newsportal.timeutil import to_epoch
from newsportal.web import views
from tests.conftest import BROWSER_UA, sample_draft

T0 = datetime(2026, 11, 20, 8, 0)

ORIGINAL = (
    "岚江跨海大桥今日合龙 主桥全长十一公里",
    "岚江跨海大桥主桥今天上午完成最后一段钢箱梁吊装，全桥顺利合龙。大桥连接岚江新港与对岸的鹭屿岛，主桥长约"
    "十一公里，采用双塔斜拉结构，通航孔可供五万吨级货轮通过。\n\n施工方介绍，工程团队在台风季前抢出关键工期，"
    "钢箱梁在港区工厂预制后由浮吊整段吊装，误差控制在毫米级。\n\n大桥通车后，岚江新港到鹭屿岛的车程将由轮渡的"
    "一个半小时缩短到二十分钟左右，岛上的水产和果蔬可以更快运往内地市场。")
COPY = (
    "鹭屿岛人盼了多年的跨海大桥合龙了",
    "据岚江日报消息，岚江跨海大桥主桥完成最后一段钢箱梁吊装，全桥合龙。这座双塔斜拉桥连接岚江新港和鹭屿岛，"
    "通航孔能让大型货轮通过。\n\n钢箱梁在港区工厂预制，再由浮吊整段吊装，施工方赶在台风季前完成了关键工期。"
    "\n\n岛上居民说，以后去岚江新港不用再等轮渡，岛上的水产和果蔬也能更快运到内地市场。")
FOLLOWUP = (
    "岚江跨海大桥通车首周车流破十万辆",
    "岚江跨海大桥通车一周，累计通行车辆超过十万辆次，高峰时段每小时车流约四千辆。交通部门在鹭屿岛一侧增设了"
    "两条收费车道，并在岚江新港入口开通了货车专用通道。\n\n鹭屿岛的民宿经营者说，大桥通车后周末客房提前一周"
    "订满，岛上新开了三家海鲜餐馆。轮渡公司则把航班从每天二十班减少到六班，保留夜间和恶劣天气时的运输。")
OTHER = (
    "桐川城际铁路隧道全线贯通 预计明年通车",
    "桐川城际铁路最长的凤鸣山隧道今天全线贯通，标志着这条城际铁路的土建工程进入收尾阶段。隧道长约六公里，"
    "穿越断层破碎带，施工方采用超前地质预报和分段注浆加固，保证了掘进安全。\n\n线路建成后，桐川到省城的通勤"
    "时间将缩短到四十分钟，沿线五个站点周边的产业园区也将接入城际公交网络。铁路部门表示，接下来将进行铺轨和"
    "电气化施工。")


@dataclass
class World:
    catalog: Catalog
    vectors: ArticleVectors
    index: TextIndex

    def add(self, aid: int, text: tuple[str, str], hours: float, story: int | None = None) -> None:
        at = T0 + timedelta(hours=hours)
        self.catalog.put(aid, Entry(channel_id=1, story_id=story or aid, published=to_epoch(at), source_id=1))
        self.vectors.add_articles([(aid, text[0], text[1], (1.0, False))])
        self.index.upsert(IndexDoc(aid, text[0], text[1], (), 1, 1, at))


@pytest.fixture
def world() -> World:
    w = World(Catalog(), ArticleVectors(default_embedder()), TextIndex(None))
    w.add(1, ORIGINAL, 0)
    w.add(2, COPY, 3)  # its own story: the copy the clusterer missed
    w.add(3, FOLLOWUP, 24 * 6)
    w.add(4, OTHER, 1)
    return w


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs + (0.0,) * (512 - len(xs)), dtype=np.float32)
    return v / np.linalg.norm(v)


def test_a_missed_copy_is_skipped_a_follow_up_and_another_story_are_kept(world):
    guard = CopyGuard(world.catalog, world.vectors, world.index)
    assert guard.is_copy(1, 2) and guard.is_copy(2, 1)
    assert not guard.is_copy(1, 3)  # days later with new facts: a follow-up, its own story
    assert not guard.is_copy(1, 4) and not guard.is_copy(2, 4)
    assert guard.distinct([1, 2, 3, 4]) == [1, 3, 4]
    assert guard.distinct([2, 4, 1, 3]) == [2, 4, 3]  # whichever telling ranks first is the one shown
    assert guard.distinct([4, 1, 2, 3], n=2) == [4, 1]


def test_against_keeps_copies_of_the_page_article_and_of_reads_out(world):
    guard = CopyGuard(world.catalog, world.vectors, world.index)
    assert guard.distinct([2, 3, 4, 1], against=[1]) == [3, 4]  # neither the article nor its copy
    assert guard.distinct([1, 2, 3], against=[4]) == [1, 3]


def test_the_same_text_days_apart_is_no_copy(world):
    world.add(5, COPY, 24 * 3)  # one text again, three days on: the time test keeps it
    guard = CopyGuard(world.catalog, world.vectors, world.index)
    assert not guard.is_copy(1, 5)
    assert guard.distinct([1, 5]) == [1, 5]


def test_story_ids_still_count_and_unknown_ids_stay_once(world):
    world.add(6, FOLLOWUP, 24 * 6 + 2, story=3)  # clustered with the follow-up
    guard = CopyGuard(world.catalog, world.vectors, world.index)
    assert guard.distinct([3, 6, 99, 99, 4]) == [3, 99, 4]


def test_short_items_are_judged_by_story_only(world):
    """Two headline-length items on one subject an hour apart are not called copies on meaning alone."""
    world.add(7, ("芯片产业园再迎三家封装企业", "芯片 封装 晶圆 园区 企业 入驻"), 2)
    world.add(8, ("国产芯片企业发布新一代推理芯片", "芯片 推理 算力 制程 晶圆 研发"), 2.5)
    guard = CopyGuard(world.catalog, world.vectors, world.index)
    assert guard.distinct([7, 8]) == [7, 8]


def test_without_an_index_meaning_alone_needs_the_stricter_cosine():
    catalog, vectors = Catalog(), ArticleVectors(default_embedder())
    for aid, vec in ((1, unit(1, 0)), (2, unit(1, 1.2)), (3, unit(1, 0.3))):
        catalog.put(aid, Entry(channel_id=1, story_id=aid, published=to_epoch(T0), source_id=1))
        vectors.put(aid, vec)
    guard = CopyGuard(catalog, vectors)
    assert float(vectors.get(1) @ vectors.get(2)) < COPY_COS_ALONE <= float(vectors.get(1) @ vectors.get(3))
    assert guard.distinct([1, 2, 3]) == [1, 2]
    assert CopyGuard(catalog).distinct([1, 2, 3]) == [1, 2, 3]  # no vectors: story ids only


def test_cards_keep_their_order(world):
    @dataclass(frozen=True)
    class Card:
        id: int

    guard = CopyGuard(world.catalog, world.vectors, world.index)
    assert guard.distinct_cards([Card(4), Card(2), Card(1), Card(3)]) == [Card(4), Card(2), Card(3)]


# -- through a real portal: every list the reader sees ------------------------------------------------
def publish(portal, ext: str, text: tuple[str, str], hours: float, source: str):
    body = "".join(f"<p>{p}</p>" for p in text[1].split("\n\n"))
    article, _ = save_article(portal, sample_draft(
        external_id=ext, title=text[0], body_html=body, summary="", tags=(), channel_slug="domestic",
        source_key=source, published_at=T0 + timedelta(hours=hours)), actor="t", publish_now=True)
    return article


def test_every_list_shows_the_missed_copy_once(portal):
    original = publish(portal, "orig", ORIGINAL, 0, "haihe-daily")
    copy = publish(portal, "copy", COPY, 3, "city-radio")
    follow = publish(portal, "follow", FOLLOWUP, 24 * 6, "haihe-daily")
    other = publish(portal, "other", OTHER, 1, "zhongyuan-net")
    portal.embedding.drain()  # the guard reads vectors; the server's embedding thread computes them
    # Make the clusterer's miss: the copy becomes its own story everywhere a story id is kept.
    portal.store.set_story(copy.id, copy.id)
    portal.catalog.set_story(copy.id, copy.id)
    portal.stories.set_story(copy.id, copy.id)
    pair = {original.id, copy.id}

    def once(ids: list[int]) -> bool:
        return len(pair & set(ids)) <= 1

    related = [a for a, _ in portal.related.related(follow.id, 8)]
    assert once(related) and pair & set(related)
    assert not pair & {a for a, _ in portal.related.related(original.id, 8)} - {original.id}
    channel = portal.channels.by_slug("domestic")
    listing = views.channel_page(portal, channel, 1)
    assert once([c.id for c in listing.items]) and follow.id in [c.id for c in listing.items]
    assert once([c.id for c in views.home_lead(portal, 12)])
    now = T0 + timedelta(days=7)
    for a in (original.id, copy.id, other.id):
        for r in range(5):
            portal.counters.record(portal.event(a, "view", f"r{r}", BROWSER_UA))
    hot = portal.hot.ids(10)
    assert once(hot) and other.id in hot
    assert once([c.id for c in portal.search("岚江跨海大桥", 1, 10)[0]])
    portal.personal.clock = lambda: now
    portal.personal.record_read("r" * 32, original.id)
    assert copy.id not in [a for a, _ in portal.personal.recommend("r" * 32, 10)]
