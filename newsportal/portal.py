"""The composition root: one object wiring the store, counters, recommendation lists and page cache.

The web app, the CLI and the tests all build a :class:`Portal` from :class:`~newsportal.config.Settings`,
so every entry point runs the same parts. Per-process state that the pages read on every request (the
channel tree, which articles are published and in which channel) lives here in memory and is kept current
by the publish flow.
"""

from __future__ import annotations

import logging
import threading
import time

from newsportal.config import Settings
from newsportal.counters import EmbeddedCounters
from newsportal.domain import Article, ArticleStatus, ChannelKind, Source
from newsportal.domain.channels import ChannelTree
from newsportal.recommend import HotList, RelatedIndex
from newsportal.store import Store, open_store

log = logging.getLogger(__name__)


class Portal:
    def __init__(self, settings: Settings, store: Store | None = None):
        self.settings = settings
        self.store = store or open_store(settings.resolved_database_url)
        self.counters = EmbeddedCounters(
            self.store, settings.hot_half_life_hours, settings.event_dedupe_seconds
        )
        self.related = RelatedIndex()
        self.hot = HotList(self.store, self.counters.top)
        self.channels = ChannelTree([])
        self.sources: dict[int, Source] = {}
        self.sources_by_key: dict[str, Source] = {}
        #: published article id -> channel id; answers "is this a live article" without a query.
        self.published: dict[int, int] = {}
        self._listeners: list = []
        self._lock = threading.Lock()

    # -- start-up ------------------------------------------------------------------------------------
    def start(self) -> "Portal":
        """Load the in-memory views of the store. Call after migrations."""
        t = time.perf_counter()
        self.reload_catalog()
        n = 0
        for doc in self.store.iter_index_docs():
            self.related.add(doc)
            self.published[doc.id] = doc.channel_id
            n += 1
        events = self.counters.load()
        log.info("portal ready: %d articles indexed, %d events replayed in %.2fs", n, events,
                 time.perf_counter() - t)
        return self

    def reload_catalog(self) -> None:
        self.channels = ChannelTree(self.store.channels())
        sources = self.store.sources()
        self.sources = {s.id: s for s in sources}
        self.sources_by_key = {s.key: s for s in sources}

    def close(self) -> None:
        try:
            self.counters.flush()
        finally:
            self.store.close()

    # -- publish-flow hooks --------------------------------------------------------------------------
    def on_change(self, listener) -> None:
        """Register ``listener(article)`` to run after any article write (e.g. purge the page cache)."""
        self._listeners.append(listener)

    def article_changed(self, article: Article) -> None:
        """Bring every in-memory view in line with one written article."""
        if article.status is ArticleStatus.PUBLISHED:
            self.related.add(self.store.index_doc(article))
            self.published[article.id] = article.channel_id
        else:
            self.related.remove(article.id)
            self.published.pop(article.id, None)
            self.counters.forget(article.id)
        for listener in self._listeners:
            listener(article)

    # -- small lookups used by pages and API ---------------------------------------------------------
    def channel_of(self, article_id: int) -> int | None:
        return self.published.get(article_id)

    def top_channels(self) -> list:
        return self.channels.of_kind(ChannelKind.TOP)

    def vertical_channels(self) -> list:
        return self.channels.of_kind(ChannelKind.VERTICAL)


def build_portal(settings: Settings, *, migrate: bool = True) -> Portal:
    store = open_store(settings.resolved_database_url)
    if migrate:
        store.upgrade()
    return Portal(settings, store).start()
