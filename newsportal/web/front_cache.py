"""Exact purge of the front cache (nginx's proxy cache) when an article changes.

Production serves reader pages from nginx's cache (``newsportal deploy nginx`` writes the configuration):
a page is rendered once and then read by nginx for up to a minute, so the shared modules (热点推荐, channel
tops) on a served page are at most 60 s old. A publish, edit or withdrawal must not wait for that minute,
so this subscriber to the publish signal asks nginx to fetch the pages that show the article again, with
the ``X-NP-Refresh`` header that the configuration maps to ``proxy_cache_bypass``: nginx goes to the app and
stores the new response (a 404 for a withdrawn article) in place of the old one. Stock nginx has no purge
command; a refresh through the front door needs none, and leaves a fresh copy behind instead of a hole.

The article's own pages (both URL forms, standard and care mode) are refreshed before the publish call
returns, so the next reader request sees the edit; the listing pages that show it (home, its channel and
the channel's section, its source page, the feeds and the news sitemap) are refreshed in a background
thread. A front that does not answer is logged and never fails the publish: its copies expire on their own.

The article's pages also carry its 跟贴 count, and no listing does: when a comment of it is shown or hidden
(the comments component's ``CommentCountChanged``), those four pages alone are refreshed, before the
moderator's or reader's call returns.
"""

from __future__ import annotations

import logging
import queue
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from newsportal.comments.signals import CommentCountChanged, CommentSignals
from newsportal.domain import Article, ArticleStatus
from newsportal.newsroom.signals import (
    ArticleSaved,
    ArticlesSyncedFromElsewhere,
    PinsChanged,
    PublishSignals,
    VectorsReady,
)

if TYPE_CHECKING:
    from newsportal.portal import Portal

log = logging.getLogger(__name__)

REFRESH_HEADER = "X-NP-Refresh"
CARE = "/care"
#: An embedding round of at most this many articles refreshes their own pages (a push, an editor's save:
#: someone may be reading it now); a big feed's pages take the new related lists when their copies expire.
VECTOR_REFRESH_MAX = 8


def article_paths(article: Article) -> list[str]:
    """The article's own pages, in both modes."""
    own = [f"/article/{article.id}", f"/a/{article.slug}.html"]
    return own + [CARE + p for p in own]


def listing_paths(channel_slugs: Iterable[str], source_key: str | None) -> list[str]:
    """The first pages of the listings that show an article, with their feeds (care versions included)."""
    pages = ["/"] + [f"/channel/{slug}" for slug in channel_slugs]
    if source_key:
        pages.append(f"/source/{source_key}")
    feeds = ["/rss.xml", "/atom.xml", "/sitemaps/news.xml"]
    for slug in channel_slugs:
        feeds += [f"/rss/channel/{slug}.xml", f"/atom/channel/{slug}.xml"]
    if source_key:
        feeds += [f"/rss/source/{source_key}.xml", f"/atom/source/{source_key}.xml"]
    return pages + [CARE + p if p != "/" else CARE + "/" for p in pages] + feeds


class FrontCacheRefresher:
    """Refreshes nginx's cached copies of the pages an article change touches (see the module docstring).

    ``channel_slugs(channel_id)`` gives the channel's slug and its section's; ``source_key(source_id)`` the
    source page key; ``article_of(article_id)`` the article whose 跟贴 count changed (None: refresh none).
    ``fetch(url)`` does one refresh request (the default goes over HTTP; tests may count).
    """

    def __init__(self, front_url: str, channel_slugs: Callable[[int], list[str]],
                 source_key: Callable[[int], str | None], timeout: float = 5.0,
                 fetch: Callable[[str], int] | None = None,
                 article_of: Callable[[int], Article | None] | None = None) -> None:
        self.front_url = front_url.rstrip("/")
        self.channel_slugs = channel_slugs
        self.source_key = source_key
        self.article_of = article_of or (lambda _id: None)
        self.timeout = timeout
        self.fetch = fetch or self._http_fetch
        self._later: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.refreshed = 0
        self.failed = 0
        self._signals: PublishSignals | None = None
        self._comments: CommentSignals | None = None

    # -- wiring ----------------------------------------------------------------------------------------
    def subscribe(self, signals: PublishSignals, comments: CommentSignals | None = None) -> None:
        """Listen after the app's own page-cache purge (connect this second), so nginx fetches fresh pages."""
        signals.article_saved.connect(self.on_saved)
        signals.synced.connect(self.on_synced)
        signals.pins_changed.connect(self.on_pins)
        signals.vectors_ready.connect(self.on_vectors)
        self._signals = signals
        if comments is not None:
            comments.count_changed.connect(self.on_comment_count)
            self._comments = comments

    def unsubscribe(self) -> None:
        if self._signals is not None:
            self._signals.article_saved.disconnect(self.on_saved)
            self._signals.synced.disconnect(self.on_synced)
            self._signals.pins_changed.disconnect(self.on_pins)
            self._signals.vectors_ready.disconnect(self.on_vectors)
            self._signals = None
        if self._comments is not None:
            self._comments.count_changed.disconnect(self.on_comment_count)
            self._comments = None

    def start(self) -> FrontCacheRefresher:
        self._thread = threading.Thread(target=self._run, name="front-cache-refresh", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop listening, then finish the queued refreshes (bounded by ``timeout``)."""
        self.unsubscribe()
        if self._thread is not None:
            self._later.put(None)
            self._thread.join(timeout)
            self._thread = None

    def drain(self) -> None:
        """Wait until every queued refresh is done (tests; a clean shutdown)."""
        self._later.join()

    # -- events ----------------------------------------------------------------------------------------
    def on_saved(self, event: ArticleSaved) -> None:
        published = ArticleStatus.PUBLISHED
        versions = [a for a in (event.article, event.previous) if a is not None]
        if not any(a.status is published for a in versions):
            return  # a draft saved over a draft: no reader page shows it
        for path in dict.fromkeys(p for a in versions for p in article_paths(a)):
            self.refresh(path)
        listings: dict[str, None] = {}
        for a in versions:
            for path in listing_paths(self.channel_slugs(a.channel_id), self.source_key(a.source_id)):
                listings[path] = None
        for path in listings:
            self._queue(path)

    def on_comment_count(self, event: CommentCountChanged) -> None:
        """The article's pages carry its 跟贴 count (no listing does): refresh them now, before returning."""
        article = self.article_of(event.article_id)
        if article is None or article.status is not ArticleStatus.PUBLISHED:
            return
        for path in article_paths(article):
            self.refresh(path)

    def on_synced(self, event: ArticlesSyncedFromElsewhere) -> None:
        """Another process wrote: it refreshed the article pages; the home page here is worth a refresh."""
        self._queue("/")
        self._queue(CARE + "/")

    def on_pins(self, event: PinsChanged) -> None:
        self._queue("/")
        self._queue(CARE + "/")

    def on_vectors(self, event: VectorsReady) -> None:
        """Articles got their sentence vectors after the publish returned: the copies of their own pages
        that the publish refreshed show related lists from words alone, so refresh them again (in the
        background; the embedding thread never waits for the front)."""
        if self.article_of is None or len(event.article_ids) > VECTOR_REFRESH_MAX:
            return
        for aid in event.article_ids:
            article = self.article_of(aid)
            if article is not None and article.status is ArticleStatus.PUBLISHED:
                for path in article_paths(article):
                    self._queue(path)

    # -- work ------------------------------------------------------------------------------------------
    def refresh(self, path: str) -> bool:
        """Refresh one page now; False (logged) if the front did not answer."""
        try:
            status = self.fetch(self.front_url + path)
        except OSError as exc:
            self.failed += 1
            log.warning("front cache refresh of %s failed: %s", path, exc)
            return False
        self.refreshed += 1
        log.debug("front cache refreshed %s (%d)", path, status)
        return True

    def _queue(self, path: str) -> None:
        if self._thread is None:
            self.refresh(path)  # not started (a CLI process, a test): do it in line
        else:
            self._later.put(path)

    def _run(self) -> None:
        while True:
            path = self._later.get()
            try:
                if path is None:
                    return
                self.refresh(path)
            finally:
                self._later.task_done()

    def _http_fetch(self, url: str) -> int:
        req = urllib.request.Request(url, headers={REFRESH_HEADER: "1", "user-agent": "newsportal-refresh"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
                return int(resp.status)
        except urllib.error.HTTPError as exc:  # a 404 for a withdrawn article is a successful refresh
            exc.read()
            return int(exc.code)


def for_portal(portal: Portal, front_url: str) -> FrontCacheRefresher:
    """A refresher that finds channel slugs in the portal's channel tree and source keys in its store."""
    keys: dict[int, str] = {}

    def channel_slugs(channel_id: int) -> list[str]:
        channel = portal.channels.get(channel_id)
        if channel is None:
            return []
        root = portal.channels.root()
        return [c.slug for c in portal.channels.ancestors(channel) if root is None or c.id != root.id]

    def source_key(source_id: int) -> str | None:
        if source_id not in keys:
            keys.update({s.id: s.key for s in portal.store.sources()})
        return keys.get(source_id)

    return FrontCacheRefresher(front_url, channel_slugs, source_key, article_of=portal.store.get_article)
