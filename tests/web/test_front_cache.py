"""Which pages a change refreshes in the front cache, and that a dead front never fails a publish."""

from __future__ import annotations

from dataclasses import replace

from newsportal.comments.signals import CommentCountChanged, CommentSignals
from newsportal.domain import ArticleStatus
from newsportal.newsroom import save_article
from newsportal.newsroom.signals import ArticleSaved, VectorsReady
from newsportal.web.context import PageKey
from newsportal.web.front_cache import VECTOR_REFRESH_MAX, FrontCacheRefresher, article_paths, for_portal
from newsportal.web.pages.common import surrogate_keys
from tests.conftest import sample_draft


def test_an_edit_refreshes_the_article_in_both_modes_then_its_listings(portal):
    article = save_article(portal, sample_draft(), actor="t", publish_now=True)[0]
    seen: list[str] = []
    front = for_portal(portal, "http://front.invalid")
    front.fetch = lambda url: seen.append(url.removeprefix("http://front.invalid")) or 200
    front.on_saved(ArticleSaved(article, article))
    own = article_paths(article)
    assert seen[:4] == own and set(own) == {f"/article/{article.id}", f"/a/{article.slug}.html",
                                             f"/care/article/{article.id}", f"/care/a/{article.slug}.html"}
    rest = seen[4:]
    assert {"/", "/care/", "/channel/news", "/channel/domestic", "/source/haihe-daily",
            "/rss/channel/domestic.xml", "/sitemaps/news.xml"} <= set(rest), rest
    assert len(seen) == len(set(seen))  # each page once


def test_vectors_coming_after_a_push_refresh_its_own_pages_again(portal):
    """The publish refreshed the article's pages before its vector existed (related from words alone); when
    the embedding round brings it, those copies are fetched again. A big feed's round refreshes nothing more:
    its pages take the new related lists when their copies expire."""
    article = save_article(portal, sample_draft(), actor="t", publish_now=True)[0]
    seen: list[str] = []
    front = for_portal(portal, "http://front.invalid")
    front.fetch = lambda url: seen.append(url.removeprefix("http://front.invalid")) or 200
    front.subscribe(portal.signals)
    portal.embedding.drain()
    assert seen == article_paths(article)
    seen.clear()
    front.on_vectors(VectorsReady(tuple(range(1000, 1001 + VECTOR_REFRESH_MAX))))
    assert seen == []
    front.unsubscribe()


def test_a_draft_saved_over_a_draft_refreshes_nothing(portal):
    draft = save_article(portal, sample_draft(), actor="t")[0]
    assert draft.status is ArticleStatus.DRAFT
    seen: list[str] = []
    front = FrontCacheRefresher("http://front.invalid", lambda _: [], lambda _: None,
                                fetch=lambda url: seen.append(url) or 200)
    front.on_saved(ArticleSaved(draft, replace(draft, title="改过的草稿")))
    assert seen == []


def test_a_comment_count_change_refreshes_only_the_articles_own_pages(portal):
    article = save_article(portal, sample_draft(), actor="t", publish_now=True)[0]
    draft = save_article(portal, sample_draft(external_id="draft-1", title="还没发布的稿子"), actor="t")[0]
    seen: list[str] = []
    front = for_portal(portal, "http://front.invalid")
    front.fetch = lambda url: seen.append(url.removeprefix("http://front.invalid")) or 200
    signals = CommentSignals()
    front.subscribe(portal.signals, signals)
    signals.announce(article.id)
    assert seen == article_paths(article)  # in line, before the comment call returns; no listing
    seen.clear()
    signals.announce(draft.id)  # no reader page shows a draft
    signals.announce(999_999)  # nor an article that is not there
    assert seen == []
    front.unsubscribe()
    signals.announce(article.id)
    assert seen == [] and len(signals.count_changed) == 0


def test_a_refresher_without_an_article_lookup_ignores_comment_counts():
    seen: list[str] = []
    front = FrontCacheRefresher("http://front.invalid", lambda _: [], lambda _: None,
                                fetch=lambda url: seen.append(url) or 200)
    front.on_comment_count(CommentCountChanged(1))
    assert seen == []


def test_a_front_that_does_not_answer_is_counted_and_never_raises():
    def refuse(url: str) -> int:
        raise ConnectionRefusedError("nothing listens there")

    front = FrontCacheRefresher("http://127.0.0.1:9", lambda _: [], lambda _: None, fetch=refuse)
    assert front.refresh("/") is False and front.failed == 1


def test_the_real_fetch_reports_an_unreachable_front_as_a_failure():
    front = FrontCacheRefresher("http://127.0.0.1:9", lambda _: [], lambda _: None, timeout=2)
    assert front.refresh("/article/1") is False


def test_surrogate_keys_are_ascii_for_chinese_tags():
    keys = surrogate_keys(PageKey(False, "tag", ("新能源", 1)))
    assert keys.isascii() and keys.startswith("tag tag-%E6")
    assert surrogate_keys(PageKey(True, "article", ("id", 12))) == "article article-12"
    assert surrogate_keys(PageKey(False, "home")) == "home"


def _app_with_stale_copy(store, front_url: str):
    """An app over its own portal, whose page cache holds an old copy of an article's page (as a worker
    that has not yet taken in another worker's edit does)."""
    from newsportal.web.app import create_app
    from newsportal.web.context import web_context
    from newsportal.web.parts import PageParts
    from tests.conftest import make_portal

    portal = make_portal(store, front_url=front_url)
    article = save_article(portal, sample_draft(), actor="t", publish_now=True)[0]
    app = create_app(portal=portal)
    key = PageKey(False, "article", ("id", article.id))
    old = PageParts.from_render("<p>旧的副本</p>")
    return app, key, article, lambda: web_context(app).pages.put(key, old)


def test_nginx_refreshing_a_page_rebuilds_this_workers_copy(store):
    """The worker that saw a change asks nginx to fetch the page again, and nginx may ask another worker:
    that worker rebuilds the page instead of handing nginx its old copy."""
    from starlette.testclient import TestClient

    from tests.conftest import BROWSER_UA

    app, key, article, stale = _app_with_stale_copy(store, "http://127.0.0.1:9")
    with TestClient(app, headers={"user-agent": BROWSER_UA}) as client:
        stale()
        assert "旧的副本" in client.get(f"/article/{article.id}").text  # a reader gets the cached copy
        fresh = client.get(f"/article/{article.id}", headers={"x-np-refresh": "1"})
        assert fresh.status_code == 200 and "旧的副本" not in fresh.text and article.title in fresh.text
        assert article.title in client.get(f"/article/{article.id}").text  # the new copy is kept


def test_the_refresh_header_means_nothing_without_a_front(store):
    """Without nginx in front, nothing sets the header for the app, so a client's header is ignored."""
    from starlette.testclient import TestClient

    from tests.conftest import BROWSER_UA

    app, key, article, stale = _app_with_stale_copy(store, "")
    with TestClient(app, headers={"user-agent": BROWSER_UA}) as client:
        stale()
        assert "旧的副本" in client.get(f"/article/{article.id}", headers={"x-np-refresh": "1"}).text


def test_the_nginx_configuration_overwrites_a_readers_refresh_header():
    from pathlib import Path

    from newsportal.deploy.nginx import NginxSite, render

    site = NginxSite(listen="127.0.0.1:8080", upstreams=("127.0.0.1:8000",), static_dir=Path("/s"),
                     media_dir=Path("/m"), cache_dir=Path("/c"), prefix=Path("/p"))
    conf = render(site)
    assert "proxy_set_header X-NP-Refresh $np_refresh;" in conf
    assert '"1:1" 1;' in conf  # 1 only for a trusted address that sent 1
