"""Feeds and discovery out: RSS/Atom per channel, per source and for the whole site, sitemaps, robots.txt.

    /rss.xml  /atom.xml                          the whole site's newest articles
    /rss/channel/<slug>.xml  /atom/channel/<slug>.xml   a channel with its sub-channels
    /rss/source/<key>.xml    /atom/source/<key>.xml     one source (a partner outlet, a self-media account)
    /sitemap.xml                                 sitemap index: article pages + the news sitemap
    /sitemaps/articles-<n>.xml                   article URLs, at most 50,000 per page, in id order
    /sitemaps/news.xml                           Google News: the last 48 hours, at most 1,000
    /robots.txt                                  points at the sitemaps

Documents are written by :mod:`newsportal.syndication` (pure functions); this module reads the store
(:mod:`newsportal.store.syndication_reads`) and serves the bytes from a :class:`~newsportal.web.cache.
PageCache` of its own, purged on the portal's publish signals like the page caches (see
:mod:`newsportal.web.context`), so an edit shows in the feeds at once. Feeds carry the summary, or the full
text when ``Settings.feed_full_text`` is on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from newsportal import SITE_NAME
from newsportal.newsroom.signals import ArticleSaved, ArticlesSyncedFromElsewhere
from newsportal.portal import Portal
from newsportal.store import syndication_reads as reads
from newsportal.syndication import (
    ATOM_MEDIA_TYPE,
    RSS_MEDIA_TYPE,
    XML_MEDIA_TYPE,
    FeedChannel,
    FeedEntry,
    NewsItem,
    SitemapRef,
    SitemapUrl,
    atom_feed,
    news_sitemap,
    page_count,
    robots_txt,
    rss_feed,
    sitemap_index,
    urlset,
)
from newsportal.syndication.sitemaps import MAX_URLS, NEWS_MAX_ITEMS, NEWS_WINDOW
from newsportal.web.cache import PageCache
from newsportal.web.context import WebContext, web_context

FEED_ENTRIES = 50
SITEMAP_PAGE_SIZE = MAX_URLS  # tests lower it to see paging without 50,000 articles
FEED_SECONDS = 300.0  # an upper bound: publishing purges at once
HEADERS = {"cache-control": "public, max-age=60", "x-content-type-options": "nosniff"}
TEXT_MEDIA_TYPE = "text/plain; charset=utf-8"


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class SyndicationCache:
    """Rendered feeds/sitemaps by key, purged whenever readers could see a change."""

    def __init__(self, ctx: WebContext) -> None:
        self.cache: PageCache[tuple[str, ...], tuple[int, bytes, str]] = PageCache(
            FEED_SECONDS, 1024, runner=ctx.run, keep=lambda v: v[0] == 200)
        ctx.portal.signals.article_saved.connect(self._on_saved)
        ctx.portal.signals.synced.connect(self._on_synced)

    def _on_saved(self, event: ArticleSaved) -> None:
        if event.pending == 0:  # a batch write purges once, after its last article
            self.cache.purge_all()

    def _on_synced(self, event: ArticlesSyncedFromElsewhere) -> None:
        self.cache.purge_all()


def syndication_cache(request: Request) -> SyndicationCache:
    """The app's feed cache, made (and subscribed to the portal's signals) on first use."""
    state = request.app.state
    cache = getattr(state, "syndication_cache", None)
    if cache is None:
        cache = state.syndication_cache = SyndicationCache(web_context(request))
    return cache


async def _serve(request: Request, key: tuple[str, ...], build: Callable[[], tuple[int, bytes, str]]
                 ) -> Response:
    status, body, media = await syndication_cache(request).cache.get(key, build)
    return Response(body, status_code=status, media_type=media, headers=HEADERS if status == 200 else None)


def _missing(what: str) -> tuple[int, bytes, str]:
    return 404, f"{what}不存在".encode(), TEXT_MEDIA_TYPE


def _fmt(request: Request) -> str:
    """``rss`` or ``atom``: the first segment of the path (/rss.xml, /atom/channel/…)."""
    return "atom" if request.url.path.startswith("/atom") else "rss"


# -- feeds ---------------------------------------------------------------------------------------------
def _feed(portal: Portal, fmt: str, title: str, page_path: str, feed_path: str, description: str, *,
          channel_ids: list[int] | None = None, source_id: int | None = None) -> tuple[int, bytes, str]:
    site = portal.settings.site_url.rstrip("/")
    full = portal.settings.feed_full_text
    rows = reads.feed_rows(portal.store, channel_ids=channel_ids, source_id=source_id, limit=FEED_ENTRIES,
                           with_body=full)
    entries = []
    for r in rows:
        src = portal.sources.get(r.source_id)
        link = f"{site}/a/{r.slug}.html"
        entries.append(FeedEntry(
            title=r.title, link=link, published=_aware(r.published_at),
            updated=_aware(r.updated_at), guid=link, author=r.byline or None,
            source=src.name if src else None, summary=r.summary, content_html=r.body_html or None,
            categories=r.tags))
    channel = FeedChannel(title=title, link=f"{site}{page_path}", self_url=f"{site}{feed_path}",
                          description=description)
    if fmt == "atom":
        return 200, atom_feed(channel, entries, _now(), full_text=full), ATOM_MEDIA_TYPE
    return 200, rss_feed(channel, entries, _now(), full_text=full), RSS_MEDIA_TYPE


async def site_feed(request: Request) -> Response:
    portal = web_context(request).portal
    fmt = _fmt(request)
    return await _serve(request, (fmt, "site"), lambda: _feed(
        portal, fmt, SITE_NAME, "/", f"/{fmt}.xml", f"{SITE_NAME}最新新闻"))


async def channel_feed(request: Request) -> Response:
    portal = web_context(request).portal
    fmt = _fmt(request)
    slug: str = request.path_params["slug"]

    def build() -> tuple[int, bytes, str]:
        ch = portal.channels.section_by_slug(slug)
        if ch is None:
            return _missing("频道")
        return _feed(portal, fmt, f"{ch.name}_{SITE_NAME}", f"/channel/{slug}", f"/{fmt}/channel/{slug}.xml",
                     f"{SITE_NAME}{ch.name}频道最新文章", channel_ids=portal.channels.subtree_ids(ch))

    return await _serve(request, (fmt, "channel", slug), build)


async def source_feed(request: Request) -> Response:
    portal = web_context(request).portal
    fmt = _fmt(request)
    key: str = request.path_params["key"]

    def build() -> tuple[int, bytes, str]:
        src = portal.sources_by_key.get(key)
        if src is None:
            return _missing("来源")
        return _feed(portal, fmt, f"{src.name}_{SITE_NAME}", f"/source/{key}", f"/{fmt}/source/{key}.xml",
                     f"{src.name}在{SITE_NAME}发布的文章", source_id=src.id)

    return await _serve(request, (fmt, "source", key), build)


# -- sitemaps and robots.txt ---------------------------------------------------------------------------
async def sitemap(request: Request) -> Response:
    portal = web_context(request).portal

    def build() -> tuple[int, bytes, str]:
        site = portal.settings.site_url.rstrip("/")
        pages = page_count(reads.published_count(portal.store), SITEMAP_PAGE_SIZE)
        changed = reads.last_modified(portal.store)
        lastmod = _aware(changed) if changed else None
        refs = [SitemapRef(f"{site}/sitemaps/articles-{n}.xml", lastmod) for n in range(1, pages + 1)]
        refs.append(SitemapRef(f"{site}/sitemaps/news.xml", lastmod))
        return 200, sitemap_index(refs), XML_MEDIA_TYPE

    return await _serve(request, ("sitemap",), build)


async def sitemap_articles(request: Request) -> Response:
    portal = web_context(request).portal
    n: int = request.path_params["n"]

    def build() -> tuple[int, bytes, str]:
        if n < 1 or n > page_count(reads.published_count(portal.store), SITEMAP_PAGE_SIZE):
            return _missing("网站地图分页")
        site = portal.settings.site_url.rstrip("/")
        rows = reads.sitemap_rows(portal.store, (n - 1) * SITEMAP_PAGE_SIZE, SITEMAP_PAGE_SIZE)
        urls = (SitemapUrl(f"{site}/a/{slug}.html", _aware(at)) for slug, at in rows)
        return 200, urlset(urls), XML_MEDIA_TYPE

    return await _serve(request, ("sitemap", str(n)), build)


async def sitemap_news(request: Request) -> Response:
    portal = web_context(request).portal

    def build() -> tuple[int, bytes, str]:
        now = _now()
        site = portal.settings.site_url.rstrip("/")
        since = (now - NEWS_WINDOW).replace(tzinfo=None)
        items = [NewsItem(f"{site}/a/{slug}.html", title, _aware(at))
                 for slug, title, at in reads.news_rows(portal.store, since, NEWS_MAX_ITEMS)]
        return 200, news_sitemap(items, now), XML_MEDIA_TYPE

    return await _serve(request, ("sitemap", "news"), build)


async def robots(request: Request) -> Response:
    site = web_context(request).settings.site_url.rstrip("/")
    body = robots_txt([f"{site}/sitemap.xml", f"{site}/sitemaps/news.xml"])
    return Response(body, media_type=TEXT_MEDIA_TYPE, headers={"cache-control": "public, max-age=3600"})


def syndication_routes() -> list[BaseRoute]:
    """The routes to add to the app (``app.router.routes.extend(syndication_routes())``)."""
    return [
        Route("/rss.xml", site_feed, name="feed_rss"),
        Route("/atom.xml", site_feed, name="feed_atom"),
        Route("/rss/channel/{slug:str}.xml", channel_feed, name="channel_rss"),
        Route("/atom/channel/{slug:str}.xml", channel_feed, name="channel_atom"),
        Route("/rss/source/{key:str}.xml", source_feed, name="source_rss"),
        Route("/atom/source/{key:str}.xml", source_feed, name="source_atom"),
        Route("/sitemap.xml", sitemap, name="sitemap"),
        Route("/sitemaps/articles-{n:int}.xml", sitemap_articles, name="sitemap_articles"),
        Route("/sitemaps/news.xml", sitemap_news, name="sitemap_news"),
        Route("/robots.txt", robots, name="robots"),
    ]

