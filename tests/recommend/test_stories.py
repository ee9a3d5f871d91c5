"""Story clustering on the hand-written demo: every syndicated set becomes one story, nothing else merges."""

from collections import defaultdict

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
