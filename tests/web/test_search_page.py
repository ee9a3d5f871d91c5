"""Reader search through the page and the API, on SQLite and PostgreSQL: search-mode matches, phrases,
highlights, filters, sort, pagination, one result per story, the no-results page and hostile queries."""

from datetime import UTC, datetime, timedelta

import pytest

from newsportal.newsroom.publish import save_article, withdraw
from newsportal.search.query import parse_query
from newsportal.search.ranking import SearchFilters
from tests.conftest import sample_draft

DAY = datetime(2026, 11, 20, 2, 0)  # naive UTC, as the store keeps times
BUS_TEXT = "从下周起，夜间公交车将延长运营，覆盖三个新建小区。"


def publish(portal, title, body, *, channel="domestic", source="haihe-daily", days=0, tags=(), ext=None):
    draft = sample_draft(title=title, body_html=f"<p>{body}</p>", summary=body[:30], channel_slug=channel,
                         source_key=source, tags=tags, published_at=DAY + timedelta(days=days),
                         external_id=ext or f"t-{title}")
    article, _ = save_article(portal, draft, actor="t", publish_now=True)
    return article


@pytest.fixture
def corpus(portal):
    a = {
        "pending": publish(portal, "市民热线待处理事项清单公布",
                           "热线中心公布了本周待处理的诉求，涉及道路维修和噪声。", days=0),
        "bus": publish(portal, "夜间公交车新增三条线路", BUS_TEXT, days=1, source="jiangcheng-evening"),
        "smart": publish(portal, "智慧公交站台上线", "新站台可以显示智慧公交到站时间，并提供充电接口。",
                         days=2),
        "apart": publish(portal, "智慧城市论坛召开", "与会者讨论了城市管理，也谈到公交线网的调整。", days=3,
                         channel="tech", source="xinchao-tech"),
        "sport": publish(portal, "马拉松赛道公布", "马拉松赛道沿途设有二十个补给站，公交将临时绕行。", days=4,
                         channel="sports", source="xingcheng-sports"),
        "xss": publish(portal, "标点<测试>稿件",
                       "正文里写着 &lt;script&gt;alert(1)&lt;/script&gt; 和 &amp; 符号的公交说明。", days=5),
    }
    return a


def api(client, **params):
    return client.get("/api/v1/search", params=params)


def test_search_mode_words_match_inside_compounds(client, corpus):
    page = client.get("/search", params={"q": "处理"})
    assert page.status_code == 200 and "市民热线待<mark>处理</mark>事项清单公布" in page.text
    ids = [i["id"] for i in api(client, q="公交").json()["items"]]
    assert corpus["bus"].id in ids and corpus["smart"].id in ids  # 公交 finds 公交车
    assert corpus["pending"].id not in ids


def test_phrases_need_consecutive_words(client, corpus):
    ids = {i["id"] for i in api(client, q='"智慧公交"').json()["items"]}
    assert ids == {corpus["smart"].id}  # 智慧城市 … 公交 is not the phrase
    loose = {i["id"] for i in api(client, q="智慧 公交").json()["items"]}
    assert {corpus["smart"].id, corpus["apart"].id} <= loose
    assert {i["id"] for i in api(client, q="“乘坐公交”").json()["items"]} == set()


def test_highlights_escape_the_text_and_mark_the_words(client, corpus):
    r = api(client, q="公交 说明").json()
    hit = next(i for i in r["items"] if i["id"] == corpus["xss"].id)
    assert "<script>" not in hit["snippet_html"] and "&lt;script&gt;" in hit["snippet_html"]
    assert "<mark>公交</mark>" in hit["snippet_html"] and "<mark>说明</mark>" in hit["snippet_html"]
    assert "标点&lt;测试&gt;稿件" == hit["title_html"]
    page = client.get("/search", params={"q": "公交 说明"}).text
    assert "<script>alert" not in page and "<mark>说明</mark>" in page


def test_filters_by_channel_source_and_dates(client, corpus, portal):
    by_channel = {i["id"] for i in api(client, q="公交", channel="sports").json()["items"]}
    assert by_channel == {corpus["sport"].id}
    top = {i["id"] for i in api(client, q="公交", channel="news").json()["items"]}  # 新闻中心 holds 国内
    assert corpus["bus"].id in top and corpus["sport"].id not in top
    by_source = {i["id"] for i in api(client, q="公交", source="jiangcheng-evening").json()["items"]}
    assert by_source == {corpus["bus"].id}
    dated = api(client, **{"q": "公交", "from": "2026-11-22", "to": "2026-11-24"}).json()
    assert {i["id"] for i in dated["items"]} == {corpus["smart"].id, corpus["apart"].id, corpus["sport"].id}
    bad = api(client, **{"q": "公交", "from": "2026-13-40", "channel": "nope"}).json()
    assert len(bad["notices"]) == 2 and bad["total"] >= 4
    page = client.get("/search", params={"q": "公交", "to": "2026-11-20", "from": "2026-11-25"})
    assert page.status_code == 200 and "开始日期晚于结束日期" in page.text
    # the library: filters go into the index query, so the count is exact
    only_bus = SearchFilters(source_id=corpus["bus"].source_id)
    found = portal.searcher.find(parse_query("公交"), filters=only_bus)
    assert found.total == 1


def test_sort_by_time_and_by_relevance_with_recency(client, corpus, portal):
    newest = [i["id"] for i in api(client, q="公交", sort="time").json()["items"]]
    assert newest[:3] == [corpus["xss"].id, corpus["sport"].id, corpus["apart"].id]
    relevant = [i["id"] for i in api(client, q="公交").json()["items"]]
    assert sorted(relevant) == sorted(newest) and relevant != newest
    page = client.get("/search", params={"q": "公交", "sort": "time"}).text
    assert '<span aria-current="true">按时间</span>' in page
    # recency: the same text published a year apart, the newer one ranks first
    ferry = "轮渡码头改造完成，候船厅扩大一倍。"
    old = publish(portal, "轮渡码头改造完成", ferry, days=-365, ext="old-ferry")
    new = publish(portal, "轮渡码头改造完成了", ferry, days=5, ext="new-ferry",
                  source="city-radio")
    found = portal.searcher.find(parse_query("候船厅"), now=datetime(2026, 11, 26, tzinfo=UTC))
    ids = [h.card.id for h in found.hits]
    assert ids[0] == new.id or portal.catalog.story_of(old.id) == portal.catalog.story_of(new.id)
    assert api(client, q="公交", sort="sideways").json()["notices"]


def test_pagination_and_one_result_per_story(client, corpus, portal):
    one = api(client, q="公交", per_page=2).json()
    two = api(client, q="公交", per_page=2, page=2).json()
    assert one["total"] == two["total"] >= 5
    assert not {i["id"] for i in one["items"]} & {i["id"] for i in two["items"]}
    assert client.get("/search", params={"q": "公交"}).status_code == 200
    assert client.get("/search", params={"q": "公交", "page": 2}).status_code == 404  # past the last page
    # a second outlet's copy of the same report joins the story: one result for both
    copy = publish(portal, "夜间公交车新增三条线路", BUS_TEXT, days=1, source="city-radio", ext="copy-bus")
    assert portal.catalog.story_of(copy.id) == portal.catalog.story_of(corpus["bus"].id)
    ids = [i["id"] for i in api(client, q="夜间 公交车").json()["items"]]
    assert len([x for x in ids if x in (copy.id, corpus["bus"].id)]) == 1


def test_no_results_page_suggests_the_hot_list(client, corpus):
    page = client.get("/search", params={"q": "火星基地"})
    assert page.status_code == 200
    assert "没有找到与“火星基地”相关的文章" in page.text and "看看大家都在读的热点" in page.text
    assert api(client, q="火星基地").json()["items"] == []


@pytest.mark.parametrize("q", ["", "   ", "！？。，、", '"()":', "AND OR NOT", "((公交 AND 线路) OR:\"",
                               "x" * 1990, "公交" * 100, "\x00\ufeff公交"])
def test_hostile_queries_never_fail(client, corpus, q):
    page = client.get("/search", params={"q": q})
    assert page.status_code in (200, 414), q
    if page.status_code == 200:
        assert "搜索" in page.text
    r = api(client, q=q)
    assert r.status_code in (200, 414, 422), q
    if r.status_code == 422:
        assert r.json()["error"]["message"]
    if '"()":' == q or "！？" in q:
        assert "请输入要搜索的字词" in page.text


def test_edits_and_withdrawals_show_at_once(client, corpus, portal):
    assert api(client, q="噪声").json()["total"] == 1
    assert "噪声" in client.get("/search", params={"q": "噪声"}).text
    edited = sample_draft(title="热线待处理事项清单更新", body_html="<p>本周的诉求主要是停车。</p>",
                          external_id="t-市民热线待处理事项清单公布")
    save_article(portal, edited, actor="t", article_id=corpus["pending"].id)
    assert api(client, q="噪声").json()["total"] == 0 and api(client, q="停车").json()["total"] == 1
    assert "没有找到" in client.get("/search", params={"q": "噪声"}).text  # the cached page was purged
    withdraw(portal, corpus["pending"].id)
    assert api(client, q="停车").json()["total"] == 0
