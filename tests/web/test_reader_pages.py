"""Reader-portal pages on the demo with a few drawn images: pictures, 头条, top bar, tags, 阅读下一篇, 举报,
footer documents in both modes, care mode's short article page, one story per page, the server's reader id."""

import re
from collections import Counter

import pytest
from starlette.testclient import TestClient

from newsportal.demo.images import add_article_image, add_demo_images, demo_storage
from newsportal.demo.load import demo_items, load_demo
from newsportal.store.reader_content import ReaderContent
from newsportal.web.app import create_app
from tests.conftest import BACKENDS, BROWSER_UA, make_portal, make_store

ILLUSTRATED = 6
ARTICLE_LINK = re.compile(r'href="(?:/care)?/a/([0-9a-f]+)\.html"')


@pytest.fixture(scope="module", params=BACKENDS)
def portal(request, tmp_path_factory):
    store, dispose = make_store(request.param, tmp_path_factory)
    p = make_portal(store, data_dir=tmp_path_factory.mktemp("data"))
    load_demo(p)
    ids = [item["external_id"] for item in demo_items()][:2]  # demo-news-001 first
    assert add_demo_images(p, ids, demo_storage(p), every=1) == 2
    assert add_demo_images(p, ids, demo_storage(p), every=1) == 0  # idempotent
    for card in p.store.list_cards(per_page=ILLUSTRATED).items:  # the newest: home page and lists
        add_article_image(p, p.store.get_article(card.id), demo_storage(p))
    yield p
    p.counters.flush()
    dispose()


@pytest.fixture(scope="module")
def client(portal):
    with TestClient(create_app(portal=portal), headers={"user-agent": BROWSER_UA}) as c:
        yield c


def article(portal, external_id="demo-news-001"):
    return portal.store.get_article_by_external_id(external_id)


def main_of(html):
    return html[html.index('<main'):html.index('</main>')]


def test_article_page_has_a_lead_picture_and_the_reader_links(client, portal):
    a = article(portal)
    html = client.get(f"/a/{a.slug}.html").text
    fig = html[html.index('<figure class="figure lead-figure">'):]
    fig = fig[:fig.index("</figure>")]
    assert '<source type="image/webp"' in fig and 'srcset="/media/' in fig and "sizes=" in fig
    assert re.search(r'<img src="/media/[^"]+\.jpg" srcset="[^"]+" sizes="[^"]+"'
                     r' width="\d+" height="\d+" alt="[^"]+"'
                     r' loading="eager"', fig)
    assert "<figcaption>" in fig and "山海新闻" in fig  # caption and credit
    img = re.search(r'src="(/media/[^"]+)"', fig).group(1)
    r = client.get(img)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert "max-age=31536000" in r.headers["cache-control"]
    assert client.get("/media/../newsportal.sqlite3").status_code == 404
    # 举报 on the article, tags link to tag pages, 阅读下一篇 and 返回首页
    assert f'/report?article={a.id}' in html and ">举报<" in html.replace("</svg>", "")
    assert all('href="/tag/' in html for _ in a.tags)
    nav = html[html.index('class="article-next"'):]
    assert "阅读下一篇" in nav[:600] and 'href="/">返回首页' in nav[:900]
    # full date-time on the article, relative in lists with the absolute time in title and datetime
    assert re.search(r'<time class="meta-time" datetime="[^"]+">'
                     r'\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}</time>', html)
    assert re.search(r'<time datetime="[^"]+\+08:00" title="\d{4}-\d{2}-\d{2} [\d:]+"'
                     r' data-rel>[^<]+</time>', html)


def test_no_story_twice_on_a_page(client, portal):
    a = article(portal)
    for path in ("/", "/channel/news", f"/a/{a.slug}.html", f"/care/a/{a.slug}.html", "/care/"):
        body = main_of(client.get(path).text)
        # an article's links are the title and (with a thumbnail or 头条) the picture: count list items
        lists = re.findall(r'<li(?: class="has-thumb")?>\s*(?:<a class="thumb"[^>]*>.*?</a>)?\s*'
                           r'<a class="card-title" href="(?:/care)?/a/([0-9a-f]+)\.html"', body, re.S)
        counts = Counter(lists)
        assert lists and max(counts.values()) == 1, (path, counts.most_common(3))
        if "/a/" in path:
            assert a.slug not in lists


def test_home_has_a_headline_with_a_large_image_and_thumbnails(client):
    html = client.get("/").text
    head = html[html.index('class="headline"'):]
    assert ("头条" in head[:2000] and 'class="lead-picture"' in head[:2000]
            and 'loading="eager"' in head[:2000])
    assert 'class="has-thumb"' in html and 'loading="lazy"' in html


def test_top_bar_on_every_page_in_both_modes(client):
    for path in ("/", "/care/", "/sources", "/care/about", "/report", "/accessibility"):
        html = client.get(path).text
        bar = html[html.index('class="topbar"'):html.index('class="site-header"')]
        assert "无障碍浏览" in bar and ("退出关怀版" if path.startswith("/care") else "进入关怀版") in bar
        assert re.search(r'<form class="search-box" role="search"'
                         r'[^>]*action="(/care)?/search" method="get">', bar)
        assert '<label for="top-search-q">' in bar
        foot = html[html.index("<footer"):]
        for word in ("关于我们", "联系我们", "违法和不良信息举报", "用户协议", "无障碍浏览"):
            assert word in foot, (path, word)


def test_every_standard_page_has_a_care_page_and_the_switch_keeps_the_query(client):
    for path in ("/accessibility", "/about", "/contact", "/terms", "/report", "/sources"):
        assert client.get(path).status_code == 200 and client.get("/care" + path).status_code == 200, path
    html = client.get("/search?q=学校&page=1&utm=x").text
    assert 'href="/care/search?q=%E5%AD%A6%E6%A0%A1&amp;page=1"' in html
    assert 'href="/channel/news?page=2"' in client.get("/care/channel/news?page=2").text
    bad = client.get("/care//evil.example/x").text
    assert 'href="//' not in bad and 'href="/evil.example/x"' in bad


def test_tag_pages(client, portal):
    a = article(portal)
    tag = a.tags[0]
    r = client.get(f"/tag/{tag}")
    assert r.status_code == 200 and f"标签：{tag}" in r.text and f"/a/{a.slug}.html" in r.text
    assert client.get(f"/care/tag/{tag}").status_code == 200
    for bad in ("/tag/没有这个标签", f"/tag/{tag}?page=2", f"/tag/{tag}?page=x", "/tag/" + "长" * 41):
        r = client.get(bad)
        assert r.status_code == 404 and "页面不存在" in r.text, bad


def test_report_form_stores_reports_and_keeps_input_on_errors(client, portal):
    a = article(portal)
    r = client.get(f"/report?article={a.id}")
    assert r.status_code == 200 and f'value="{a.id}"' in r.text
    r = client.post("/report", data={"article": "9999999", "category": "", "description": "写了一半的说明"})
    assert r.status_code == 400 and "没有编号为 9999999 的文章" in r.text and "请选择举报类型" in r.text
    assert "写了一半的说明</textarea>" in r.text and 'aria-invalid="true"' in r.text
    r = client.post("/report", data={"category": "rumor", "description": "字" * 1001})
    assert r.status_code == 400 and "举报内容太长" in r.text
    r = client.post("/report", data={"article": str(a.id), "category": "rumor", "description": "标题夸大",
                                     "contact": "reader@example.org"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/report?done=1"
    assert "举报已收到" in client.get("/report?done=1").text
    latest = ReaderContent(portal.store.engine).reports(1)[0]
    assert (latest.article_id, latest.category, latest.description) == (a.id, "rumor", "标题夸大")


def test_care_article_is_one_column_with_at_most_three_modules(client, portal):
    a = article(portal)
    html = main_of(client.get(f"/care/a/{a.slug}.html").text)
    modules = re.findall(r'<section class="module[^"]*"', html)
    assert len(modules) <= 3 and "为你推荐" not in html and 'class="module-grid"' not in html
    assert "相关推荐" in html and "热点推荐" in html
    std = main_of(client.get(f"/a/{a.slug}.html").text)
    assert len(html) < len(std) / 2


def test_foryou_sets_a_reader_id_from_the_server(client):
    client.cookies.clear()
    r = client.get("/foryou")
    assert r.status_code == 200 and "np_rid=" in r.headers.get("set-cookie", "")
    again = client.get("/foryou")
    assert "np_rid=" not in again.headers.get("set-cookie", "")
