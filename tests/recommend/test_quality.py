import pytest

from newsportal.recommend.quality import FLOOR, assess


@pytest.mark.parametrize("title", ["震惊！这家店竟然这样做", "刚刚，新机入网信息曝光：电池直接干到7500毫安时",
                                   "99%的人都不知道，手机这几个设置一关续航多一小时", "太离谱了！！票价翻倍"])
def test_clickbait_is_demoted_with_reasons(title):
    q = assess(title, 0.7)
    plain = assess("江城地铁新线开通试运营", 0.7)
    assert q.score < plain.score and q.reasons and q.score >= FLOOR
    assert all(why for _, _, why in q.reasons) and "来源可信度" in q.explain()


def test_sober_titles_keep_their_score_and_trust_scales_it():
    assert assess("专家：今冬供暖保障平稳有序", 1.0).score == 1.0
    assert assess("专家：今冬供暖保障平稳有序", 0.0).score == 0.5
    assert assess("专家：今冬供暖保障平稳有序", 7).trust == 1.0  # clamped


def test_demotes_never_hides():
    worst = assess("震惊！！刚刚，99%的人都不知道，真相竟然是这样！！", 0.0)
    assert worst.score == FLOOR


def test_clickbait_sinks_in_the_hot_list(portal):
    from newsportal.newsroom import save_article
    from tests.conftest import BROWSER_UA, sample_draft

    bait, _ = save_article(portal, sample_draft(title="震惊！这家店竟然这样做！！", external_id="bait",
                                                body_html="<p>某店 促销 活动 引发 排队</p>",
                                                source_key="yule-bayibaba"),
                           actor="t", publish_now=True)
    sober, _ = save_article(portal, sample_draft(title="社区食堂开门迎客", external_id="sober",
                                                 body_html="<p>社区 食堂 老人 助餐 开业</p>"),
                            actor="t", publish_now=True)
    for i in range(10):
        portal.counters.record(portal.event(bait.id, "view", f"b{i}", BROWSER_UA))
    for i in range(6):
        portal.counters.record(portal.event(sober.id, "view", f"s{i}", BROWSER_UA))
    assert [a for a, _ in portal.hot.ranked(2)] == [sober.id, bait.id]  # demoted, still listed
