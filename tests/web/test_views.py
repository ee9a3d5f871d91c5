"""Page view models, checked as plain values (no rendering): what each page shows and where it links."""

import dataclasses
import json

import pytest

from newsportal.domain import ArticleStatus, SourceKind
from newsportal.web import views


def ext(portal, external_id):
    return portal.store.get_article_by_external_id(external_id)


@pytest.mark.parametrize(
    "path, care, other",
    [
        ("/", False, "/care/"),
        ("/care/", True, "/"),
        ("/article/7", False, "/care/article/7"),
        ("/care/channel/sports", True, "/channel/sports"),
        ("/care", True, "/"),
    ],
)
def test_care_switch_points_at_the_same_page_in_the_other_mode(path, care, other):
    assert views.care_switch(path, care) == other


def test_frame_carries_the_mode_into_every_link(demo_portal):
    std = views.frame(demo_portal, care=False, kind="home", path="/", canonical="http://testserver/")
    care = views.frame(demo_portal, care=True, kind="home", path="/care/", canonical="http://testserver/")
    assert std.prefix == "" and care.prefix == "/care"
    assert std.care_switch == "/care/" and care.care_switch == "/"
    assert [c.slug for c in std.nav] == [c.slug for c in demo_portal.channels.navigation()]
    assert set(std.context()) >= {
        "care",
        "prefix",
        "page_kind",
        "nav",
        "current_top",
        "canonical",
        "care_switch",
    }


def test_published_article_by_id_and_slug(demo_portal):
    a = ext(demo_portal, "demo-news-001")
    assert views.published_article(demo_portal, article_id=a.id).id == a.id
    assert views.published_article(demo_portal, slug=a.slug).id == a.id
    assert views.published_article(demo_portal, article_id=10**12) is None
    assert views.published_article(demo_portal, slug="nothing") is None
    with pytest.raises(TypeError):
        views.published_article(demo_portal)


def test_drafts_and_withdrawn_articles_are_not_published(portal):
    from newsportal.newsroom import save_article, withdraw
    from tests.conftest import sample_draft

    draft, _ = save_article(portal, sample_draft(external_id="v-draft"), actor="t")
    assert (
        draft.status is ArticleStatus.DRAFT and views.published_article(portal, article_id=draft.id) is None
    )
    live, _ = save_article(
        portal, sample_draft(external_id="v-live", title="另一条新闻：地铁开通"), actor="t", publish_now=True
    )
    assert views.published_article(portal, article_id=live.id) is not None
    withdraw(portal, live.id)
    assert views.published_article(portal, article_id=live.id) is None


def test_article_view(demo_portal):
    a = ext(demo_portal, "demo-tech-001")
    v = views.article_view(demo_portal, a, "/care")
    assert v.canonical == f"http://testserver/a/{a.slug}.html"
    assert [c.label for c in v.breadcrumb][-1] == "正文" and v.breadcrumb[0].href == "/care/"
    assert v.related and a.id not in {c.id for c in v.related}
    assert all(c.id in demo_portal.published for c in v.related)
    assert len(v.related) <= views.RELATED_SIZE + views.SPARE and "<svg" in v.qr_svg  # spares: see parts.py
    ld = json.loads(v.json_ld)
    assert ld["headline"] == a.title and ld["mainEntityOfPage"]["@id"] == v.canonical


def test_json_ld_cannot_close_its_script_element(demo_portal):
    a = ext(demo_portal, "demo-news-001")
    channel, source = demo_portal.channels.get(a.channel_id), demo_portal.sources[a.source_id]
    hostile = dataclasses.replace(a, title="标题</script><script>alert(1)</script>")
    out = views.json_ld(demo_portal, hostile, channel, source, "http://testserver/a/x.html")
    assert "</script>" not in out and json.loads(out)["headline"] == hostile.title


def test_channel_listing_pages(demo_portal):
    news = demo_portal.channels.by_slug("news")
    first = views.channel_listing(demo_portal, news, 1, "")
    assert (
        first is not None
        and first.heading == "新闻中心"
        and first.canonical == "http://testserver/channel/news"
    )
    assert first.listing.total > 20 and len(first.listing.items) == views.CHANNEL_PAGE_SIZE
    assert {"国内", "国际"} <= {c.name for c in first.subchannels} and first.crumbs[-1].label == "新闻中心"
    second = views.channel_listing(demo_portal, news, 2, "/care")
    assert second.canonical.endswith("/channel/news?page=2") and second.base_path == "/care/channel/news"
    assert views.channel_listing(demo_portal, news, 999, "") is None
    domestic = demo_portal.channels.by_slug("domestic")
    assert views.channel_listing(demo_portal, domestic, 1).current_top.slug == "news"


def test_source_listing_shows_each_story_once(demo_portal):
    src = demo_portal.sources_by_key["haihe-daily"]
    view = views.source_listing(demo_portal, src, 1)
    stories = [c.story_id or c.id for c in view.listing.items]
    assert len(stories) == len(set(stories)) and all(c.source_id == src.id for c in view.listing.items)
    assert views.SOURCE_KINDS[src.kind] in view.description
    assert views.source_listing(demo_portal, src, 999) is None


def test_search_listing(demo_portal):
    found = views.search_listing(demo_portal, "高铁", 1)
    assert found.listing.total >= 2 and "找到约" in found.intro and found.search_form  # total counts stories
    assert found.base_path == "/search?q=%E9%AB%98%E9%93%81"
    empty = views.search_listing(demo_portal, "", 1)
    assert empty.intro is None and empty.listing.items == [] and empty.heading == "搜索"
    none = views.search_listing(demo_portal, "完全不存在的词语组合", 1)
    assert none.intro.startswith("没有找到")


def test_foryou_listing_without_and_with_history(demo_portal):
    anonymous = views.foryou_listing(demo_portal, None)
    hot = [a for a, _ in demo_portal.hot.ranked(views.FORYOU_SIZE)]
    assert [c.id for c in anonymous.listing.items] == [a for a in hot if a in demo_portal.published]
    assert not anonymous.history_form and "还没有阅读记录" in anonymous.intro
    reader = "9" * 32
    demo_portal.personal.clear(reader)
    read = ext(demo_portal, "demo-tech-005").id
    demo_portal.personal.record_read(reader, read)
    demo_portal.personal.flush()
    mine = views.foryou_listing(demo_portal, reader, "/care")
    assert mine.history_form and "根据你最近读过" in mine.intro and mine.base_path == "/care/foryou"
    assert read not in {c.id for c in mine.listing.items}
    demo_portal.personal.clear(reader)


def test_source_groups_in_kind_order(demo_portal):
    groups = views.source_groups(demo_portal)
    assert [g.title for g in groups] == [
        views.SOURCE_KINDS[k] for k in (SourceKind.PORTAL, SourceKind.MEDIA, SourceKind.SELF_MEDIA)
    ]
    assert sum(len(g.sources) for g in groups) == len(demo_portal.sources)


def test_site_modules(demo_portal):
    mods = views.site_modules(demo_portal)
    assert len(mods.tops) == len(demo_portal.top_channels())
    assert len(mods.hot) == views.HOT_SIZE + 2 * views.SPARE  # spares for the page's de-duplication
    assert mods.original.title == "态度原创" and all(c.original for c in mods.original.items)
    assert [m.channel.id for m in mods.verticals] == [c.id for c in demo_portal.vertical_channels()]
