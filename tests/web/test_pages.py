"""Reader pages, rendered from the demo store: every module of the reference article page is present."""

import json
import re
from html.parser import HTMLParser

import pytest

from newsportal.domain import ArticleStatus

TOP_MODULES = ["头条要闻", "体育要闻", "娱乐要闻", "财经要闻", "科技要闻", "汽车要闻"]
VERTICALS = ["手机要闻", "房产要闻", "教育要闻", "家居要闻", "军事航空要闻"]
TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


class Outline(HTMLParser):
    """Collects what the tests look for: headings, landmarks, the html lang, meta tags, JSON-LD."""

    def __init__(self):
        super().__init__()
        self.tags, self.h1, self.meta, self.ld, self.lang = [], 0, {}, [], None
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "meta" and a.get("property"):
            self.meta.setdefault(a["property"], a.get("content"))
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_endtag(self, tag):
        self._in_ld = False if tag == "script" else self._in_ld

    def handle_data(self, data):
        if self._in_ld:
            self.ld.append(json.loads(data))


def outline(html):
    o = Outline()
    o.feed(html)
    return o


def an_article(portal, external_id="demo-news-001"):
    return portal.store.get_article_by_external_id(external_id)


def test_article_page_has_every_reference_module(demo_client, demo_portal):
    a = an_article(demo_portal)
    r = demo_client.get(f"/article/{a.id}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    o = outline(html)
    assert o.lang == "zh-CN" and o.h1 == 1
    # breadcrumb 首页 > 新闻中心 > (section) > 正文, as a nav
    crumb = html[html.index('class="breadcrumb"') : html.index("</nav>", html.index('class="breadcrumb"'))]
    assert re.findall(r">([^<>\s]+)</(?:a|span)>", crumb) == ["首页", "新闻中心", "国内", "正文"]
    assert 'aria-label="当前位置"' in html and '<span aria-current="page">正文</span>' in crumb
    assert f'<h1 id="article-title">{a.title}</h1>' in html
    source = demo_portal.sources[a.source_id]
    assert f'来源：<a href="/source/{source.key}">{source.name}</a>' in html
    # share control with its live count and every target
    assert "分享至" in html and 'id="share-count"' in html
    for label in ("复制链接", "微信", "微博", "QQ"):
        assert label in html
    assert "<svg" in html and "用微信扫一扫" in html  # the QR code is drawn on the server
    assert "service.weibo.com/share/share.php?" in html and "connect.qq.com/widget/shareqq" in html
    # body, editors, lists, modules, footer
    assert a.body_html.split("</p>")[0] in html
    assert "（责编：" + "、".join(a.editors) + "）" in html
    assert "相关推荐" in html and "热点推荐" in html and "态度原创" in html
    for title in TOP_MODULES + VERTICALS:
        assert f">{title}<" in html, title
    assert "无障碍浏览" in html and "进入关怀版" in html
    assert len(TIME.findall(html)) > 20  # every list item shows its Beijing time


def test_article_metadata_canonical_og_and_json_ld(demo_client, demo_portal):
    a = an_article(demo_portal)
    o = outline(demo_client.get(f"/article/{a.id}").text)
    canonical = [t[1]["href"] for t in o.tags if t[0] == "link" and t[1].get("rel") == "canonical"]
    assert canonical == [f"http://testserver/a/{a.slug}.html"]
    assert o.meta["og:type"] == "article" and o.meta["og:title"] == a.title
    assert o.meta["og:url"] == canonical[0] and o.meta["og:locale"] == "zh_CN"
    assert o.meta["article:published_time"].endswith("+08:00")
    (ld,) = o.ld
    assert ld["@type"] == "NewsArticle" and ld["headline"] == a.title
    assert ld["datePublished"].endswith("+08:00") and ld["mainEntityOfPage"]["@id"] == canonical[0]
    assert ld["author"][0]["name"] in a.reporters or ld["author"][0]["@type"] == "Organization"


def test_related_list_never_shows_the_article_itself(demo_client, demo_portal):
    for ext in ("demo-tech-001", "demo-sports-001", "demo-edu-004", "demo-war-003"):
        a = an_article(demo_portal, ext)
        html = demo_client.get(f"/article/{a.id}").text
        related = html[
            html.index('id="related-heading"') : html.index("</section>", html.index('id="related-heading"'))
        ]
        assert f"/a/{a.slug}.html" not in related
        assert related.count("<li>") >= 3, ext


def test_slug_url_serves_the_same_article(demo_client, demo_portal):
    a = an_article(demo_portal)
    by_slug = demo_client.get(f"/a/{a.slug}.html")
    assert by_slug.status_code == 200 and a.title in by_slug.text


def test_times_are_beijing_time(demo_client, demo_portal):
    from newsportal.timeutil import format_beijing

    a = an_article(demo_portal)
    assert format_beijing(a.published_at) in demo_client.get(f"/article/{a.id}").text


def test_home_page_has_modules_and_hot_list(demo_client):
    r = demo_client.get("/")
    assert r.status_code == 200
    o = outline(r.text)
    assert o.lang == "zh-CN" and o.h1 == 1
    for title in TOP_MODULES + VERTICALS + ["热点推荐", "态度原创", "最新新闻"]:
        assert title in r.text
    hot = r.text[r.text.index('id="hot-heading"') :]
    assert hot.count('class="card-title"') >= 20


def test_channel_pages_paginate(demo_client, demo_portal):
    r = demo_client.get("/channel/news")
    assert r.status_code == 200 and '<h1 id="listing-heading">新闻中心</h1>' in r.text
    assert "国内" in r.text and "国际" in r.text  # sub-channel navigation
    total = demo_portal.store.list_cards(
        channel_ids=demo_portal.channels.subtree_ids(demo_portal.channels.by_slug("news"))
    ).total
    assert total > 20 and f"共 {total} 篇" in r.text and 'rel="next" href="/channel/news?page=2"' in r.text
    p2 = demo_client.get("/channel/news?page=2")
    assert p2.status_code == 200 and 'rel="prev"' in p2.text
    assert demo_client.get("/channel/news?page=1", follow_redirects=False).status_code == 301
    assert demo_client.get("/channel/news?page=999").status_code == 404
    assert demo_client.get("/channel/news?page=abc").status_code == 404
    assert demo_client.get("/channel/war").status_code == 200


def test_source_pages(demo_client, demo_portal):
    r = demo_client.get("/source/shuma-laozhou")
    assert r.status_code == 200 and "数码老周" in r.text and "自媒体账号" in r.text
    assert demo_client.get("/sources").status_code == 200
    assert demo_client.get("/source/nobody").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/article/999999999",
        "/article/abc",
        "/article/-1",
        "/article/99999999999999999999999",
        "/a/nothing.html",
        "/channel/nope",
        "/channel/home",
        "/no/such/page",
        "/care/article/999999",
    ],
)
def test_unknown_pages_get_the_chinese_404(demo_client, path):
    r = demo_client.get(path)
    assert r.status_code == 404
    assert "页面不存在" in r.text and 'lang="zh-CN"' in r.text and "返回首页" in r.text


def test_care_mode_pages_exist_and_point_back(demo_client, demo_portal):
    a = an_article(demo_portal)
    for path, std in (
        ("/care/", "/"),
        (f"/care/article/{a.id}", f"/article/{a.id}"),
        ("/care/channel/sports", "/channel/sports"),
        ("/care/source/haihe-daily", "/source/haihe-daily"),
    ):
        r = demo_client.get(path)
        assert r.status_code == 200, path
        assert 'class="care"' in r.text and "退出关怀版" in r.text and f'href="{std}"' in r.text
    std = demo_client.get(f"/article/{a.id}").text
    assert f'href="/care/article/{a.id}"' in std and "进入关怀版" in std
    assert demo_client.get("/accessibility").status_code == 200


def test_withdrawn_articles_disappear(portal, client):
    from newsportal.newsroom import save_article, withdraw
    from tests.conftest import sample_draft

    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    assert client.get(f"/article/{a.id}").status_code == 200
    withdraw(portal, a.id)  # the publish flow purges the cached page
    assert portal.store.get_article(a.id).status is ArticleStatus.WITHDRAWN
    assert client.get(f"/article/{a.id}").status_code == 404


def test_edits_show_at_once_despite_the_page_cache(portal, client):
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    a, _ = save_article(portal, sample_draft(external_id="e1"), actor="t", publish_now=True)
    assert "智慧公交线路" in client.get(f"/article/{a.id}").text
    save_article(
        portal, sample_draft(external_id="e1", title="更正后的标题：公交开通"), actor="t", publish_now=True
    )
    assert "更正后的标题：公交开通" in client.get(f"/article/{a.id}").text


def test_empty_site_renders(client):
    for path in ("/", "/channel/sports", "/care/"):
        r = client.get(path)
        assert r.status_code == 200
    assert "这里还没有文章" in client.get("/channel/sports").text


def test_hostile_body_is_inert_on_the_page(portal, client):
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    a, _ = save_article(
        portal,
        sample_draft(
            body_html='<p>正文</p><script>alert("x")</script><img src=x onerror=alert(1)>',
            title="标题<script>alert(1)</script>",
        ),
        actor="t",
        publish_now=True,
    )
    html = client.get(f"/article/{a.id}").text
    assert "<script>alert" not in html and "onerror" not in html
    assert "标题&lt;script&gt;" in html  # titles are escaped, not interpreted


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=芯片",
        "/foryou",
        "/sources",
        "/channel/news?page=2",
        "/source/haihe-daily",
        "/article/{id}",
        "/a/{slug}.html",
    ],
)
def test_every_reader_page_has_a_care_twin(demo_client, demo_portal, path):
    """One route table serves both modes: the /care twin of each page keeps its links in care mode."""
    a = an_article(demo_portal)
    path = path.format(id=a.id, slug=a.slug)
    std, care = demo_client.get(path), demo_client.get("/care" + path)
    assert std.status_code == care.status_code == 200, path
    assert 'class="standard"' in std.text and 'class="care"' in care.text
    assert '<a class="logo" href="/care/">' in care.text and '<a class="logo" href="/">' in std.text
    assert 'href="/care/channel/sports"' in care.text  # the channel navigation stays in care mode
    for page in (std.text, care.text):
        assert "<!--slot:" not in page and "<!--np:" not in page  # every slot was filled
        assert ("热点推荐" in page) is (path != "/sources")  # 媒体与账号 is the one page without the hot list


def test_care_mode_404_and_root_redirect(demo_client):
    r = demo_client.get("/care/no/such/page")
    assert r.status_code == 404 and 'class="care"' in r.text and "页面不存在" in r.text
    assert 'href="/care/"' in r.text  # 返回首页 stays in care mode
    bare = demo_client.get("/care", follow_redirects=False)
    assert bare.status_code == 308 and bare.headers["location"] == "/care/"


def test_article_ids_beyond_the_store_are_404_not_500(demo_client):
    for path in ("/article/2147483648", "/article/3000000000", "/care/article/9223372036854775807"):
        r = demo_client.get(path)
        assert r.status_code == 404 and "页面不存在" in r.text, path
    assert demo_client.get("/api/v1/articles/3000000000").status_code == 422
    assert (
        demo_client.post("/api/v1/events", json={"article_id": 3000000000, "kind": "view"}).status_code == 422
    )


def test_a_cached_page_is_served_without_rebuilding(demo_client, demo_portal):
    from newsportal.web.context import web_context

    ctx = web_context(demo_client.app)
    a = an_article(demo_portal, "demo-sports-001")
    first = demo_client.get(f"/article/{a.id}")
    builds = ctx.pages.builds
    again = demo_client.get(f"/article/{a.id}")
    assert again.status_code == 200 and ctx.pages.builds == builds
    assert again.headers["cache-control"] == "public, max-age=5"
    body = first.text
    assert body[: body.index('class="assembled"')] == again.text[: again.text.index('class="assembled"')]


def test_foryou_is_private_and_shares_the_fragments(demo_client):
    from newsportal.web.context import web_context

    ctx = web_context(demo_client.app)
    demo_client.cookies.clear()
    r = demo_client.get("/foryou")
    assert r.status_code == 200 and r.headers["cache-control"] == "private, no-store"
    assert "热点推荐" in r.text and "<!--slot:" not in r.text
    size = len(ctx.pages)
    demo_client.get("/foryou")
    assert len(ctx.pages) == size  # never stored: it is one reader's page


def test_a_capped_channel_list_says_it_shows_only_the_newest(portal, client, monkeypatch):
    """Past MAX_LIST_PAGES the pager gives the floor it counted, not a false total, and deeper pages 404."""
    from datetime import timedelta

    from newsportal.store import catalog_reads
    from tests.store.helpers import T0, write

    monkeypatch.setattr(catalog_reads, "MAX_LIST_PAGES", 2)
    for i in range(41):
        write(portal.store, channel="sports", now=T0 + timedelta(minutes=i), title=f"体育快讯第{i}条")
    r = client.get("/channel/sports")
    assert r.status_code == 200 and "第 1 / 2 页，显示最新 40 篇" in r.text and "共 41 篇" not in r.text
    assert client.get("/channel/sports?page=2").status_code == 200
    assert client.get("/channel/sports?page=3").status_code == 404
    page = client.get("/api/v1/articles", params={"channel": "sports", "per_page": 20}).json()
    assert (page["total"], page["pages"], page["total_exact"]) == (40, 2, False)
    assert client.get("/api/v1/articles", params={"channel": "sports", "per_page": 30}).json()["total_exact"]
