"""What the web layer shares between requests, as one typed object on ``app.state``.

One :class:`WebContext` per app holds the portal, the template environment, the two page caches and the
limit on concurrent page builds. Handlers reach it with :func:`web_context`, never through loose
``app.state`` attributes, so every shared thing has one declared type and one place it is made.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

import anyio
import anyio.to_thread
from jinja2 import Environment
from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from newsportal.comments.signals import CommentCountChanged, CommentsChangedElsewhere
from newsportal.config import Settings
from newsportal.domain import ArticleStatus
from newsportal.newsroom.signals import ArticleSaved, ArticlesSyncedFromElsewhere, PinsChanged, VectorsReady
from newsportal.portal import Portal
from newsportal.store.reader_content import ReaderContent
from newsportal.web.cache import Clock, PageCache
from newsportal.web.images import ImageBook
from newsportal.web.parts import PageParts, SharedFragments
from newsportal.web.rendering import make_environment

T = TypeVar("T")
#: Page builds share one interpreter with the event loop; two at a time keep cached pages flowing while a
#: burst of cold pages is rendered.
BUILDS_AT_ONCE = 2
#: An embedding round of at most this many articles purges the page caches (see ``_on_vectors``); the front
#: cache refreshes the articles' own pages under the same bound.
VECTOR_PURGE_MAX = 8


class PageKey(NamedTuple):
    """Which page: mode, page kind and what picks the page (id, slug, page number, query).

    A NamedTuple rather than a dataclass: it is hashed on every request, and tuples hash in C.
    """

    care: bool
    kind: str
    args: tuple[object, ...] = ()


class NotStarted(RuntimeError):
    """A request arrived before the app's start-up built the portal."""


@dataclass(eq=False)
class WebContext:
    """The web layer's shared state: portal, templates, page caches, build limiter."""

    settings: Settings
    templates: Environment
    #: each page's own part, long-lived (purged by the publish flow)
    pages: PageCache[PageKey, PageParts]
    #: 热点推荐 and the channel modules per mode (key: care?), rebuilt about once a second
    fragments: PageCache[bool, SharedFragments]
    limiter: anyio.CapacityLimiter
    #: articles' lead images, for every card on every page (reloaded after a purge)
    images: ImageBook = field(default_factory=ImageBook)
    #: the reader portal's tables (reports, tag listings, 阅读下一篇); set when the portal is attached
    reader_content: ReaderContent | None = field(default=None, repr=False)
    _portal: Portal | None = field(default=None, repr=False)
    #: an article of the batch being announced was seen by readers: purge after the batch's last event
    _purge_due: bool = field(default=False, repr=False)

    @classmethod
    def create(cls, settings: Settings, clock: Clock | None = None) -> WebContext:
        """The context for an app on ``settings``; ``clock`` drives cache expiry (monotonic by default)."""
        limiter = anyio.CapacityLimiter(BUILDS_AT_ONCE)
        run = _runner(limiter)
        clock = clock or time.monotonic
        return cls(
            settings=settings,
            templates=make_environment(),
            pages=PageCache(settings.fragment_cache_seconds, settings.page_cache_entries, runner=run,
                            keep=lambda parts: parts.status == 200, clock=clock),
            fragments=PageCache(settings.page_cache_seconds, 8, runner=run, clock=clock),
            limiter=limiter,
        )

    @property
    def portal(self) -> Portal:
        if self._portal is None:
            raise NotStarted("the portal is not built yet (the app's start-up has not run)")
        return self._portal

    @property
    def started(self) -> bool:
        return self._portal is not None

    async def run(self, build: Callable[[], T]) -> T:
        """Run a blocking page build in a worker thread, sharing the caches' limit on builds at once."""
        return await anyio.to_thread.run_sync(build, limiter=self.limiter)

    def attach(self, portal: Portal) -> None:
        """Serve ``portal`` and purge the page caches on its publish signals and its 跟贴 count changes."""
        if self._portal is portal:
            return
        self._portal = portal
        self.reader_content = ReaderContent(portal.store.engine)
        self.images.bind(self.reader_content)
        portal.signals.article_saved.connect(self._on_saved)
        portal.signals.synced.connect(self._on_synced)
        portal.signals.pins_changed.connect(self._on_pins)
        portal.signals.vectors_ready.connect(self._on_vectors)
        portal.comments.signals.count_changed.connect(self._on_comment_count)
        portal.comments.signals.changed_elsewhere.connect(self._on_comments_elsewhere)

    def purge_all(self) -> None:
        """Forget every cached page and fragment (an edit must show at once)."""
        self.pages.purge_all()
        self.fragments.purge_all()
        self.images.invalidate()

    def _on_saved(self, event: ArticleSaved) -> None:
        # a batch purges once, after its last article, if any article of it was seen by readers
        self._purge_due = self._purge_due or _seen_by_readers(event)
        if self._purge_due and event.pending == 0:
            self._purge_due = False
            self.purge_all()

    def _on_synced(self, event: ArticlesSyncedFromElsewhere) -> None:
        self.purge_all()

    def _on_pins(self, event: PinsChanged) -> None:
        self.purge_all()

    def _on_vectors(self, event: VectorsReady) -> None:
        """Pages built between a publish and its vectors showed related lists from words alone and judged
        near copies by story id only: a small embedding round (a push, an editor's save: someone may be
        reading it now) purges so they are rebuilt at once.

        A big round is a feed or the start-up's backfill, which comes in rounds of hundreds, one after the
        other for minutes; purging on each kept every page uncached under load (the warmed article page of
        ``bench/million.py`` at 10,000 articles fell from ~2,300 to 37 requests/s with timeouts). Those
        pages take the vectors when their copies expire (``fragment_cache_seconds``, a minute).
        """
        if len(event.article_ids) <= VECTOR_PURGE_MAX:
            self.purge_all()

    def _on_comment_count(self, event: CommentCountChanged) -> None:
        """Only the article's own pages show its 跟贴 count: both URL forms, both modes; nothing else."""
        self.purge_article(event.article_id)

    def _on_comments_elsewhere(self, event: CommentsChangedElsewhere) -> None:
        """Another worker changed these articles' shown 跟贴: drop this worker's copies of their pages."""
        for article_id in event.article_ids:
            self.purge_article(article_id)

    def purge_article(self, article_id: int) -> None:
        """Forget the article's own pages (by id and by slug, standard and care mode)."""
        article = self.portal.store.get_article(article_id)
        picks: list[tuple[str, int | str]] = [("id", article_id)]
        if article is not None:
            picks.append(("slug", article.slug))
        for care in (False, True):
            for pick in picks:
                self.pages.purge(PageKey(care, "article", pick))


def _runner(limiter: anyio.CapacityLimiter) -> Callable[[Callable[[], T]], Awaitable[T]]:
    """Page builds run in worker threads, at most :data:`BUILDS_AT_ONCE` at a time."""

    async def run(build: Callable[[], T]) -> T:
        return await anyio.to_thread.run_sync(build, limiter=limiter)

    return run


def _seen_by_readers(event: ArticleSaved) -> bool:
    """False only for a draft saved over a draft: no page shows it, so nothing needs purging.

    Any write touching a published article (publish, edit, withdraw) changes lists on many pages (home,
    channel pages, related lists elsewhere), so those purge everything. Without ``previous`` we cannot
    know, and purge.
    """
    published = ArticleStatus.PUBLISHED
    return event.previous is None or event.article.status is published or event.previous.status is published


def web_context(source: HTTPConnection | Starlette) -> WebContext:
    """The :class:`WebContext` of an app, or of the app serving a request."""
    app = source.app if isinstance(source, HTTPConnection) else source
    ctx = app.state.web
    assert isinstance(ctx, WebContext)
    return ctx
