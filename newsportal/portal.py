"""The composition root: one object wiring the store, search index, counters and recommendation lists.

The web app, the CLI and the tests all build a :class:`Portal` from :class:`~newsportal.config.Settings`,
so every entry point runs the same parts. Per-process state that pages read on every request (the channel
tree, the catalogue of published articles, pins) lives here in memory and is kept current by
:meth:`Portal.article_changed`, the tail of the publish flow: cluster the article into a story, update the
search index and the catalogue, then tell listeners (the web app purges its page cache).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from newsportal.config import Settings
from newsportal.counters import Event, open_counters
from newsportal.domain import Article, ArticleStatus, ChannelKind, Source
from newsportal.domain.channels import ChannelTree
from newsportal.recommend import HotList
from newsportal.recommend.cards import CardLookup
from newsportal.recommend.catalog import Catalog, Entry, one_per_story, to_epoch
from newsportal.recommend.personal import PersonalFeed
from newsportal.recommend.quality import Quality, assess
from newsportal.recommend.related import RelatedEngine
from newsportal.recommend.stories import StoryClusterer, fingerprint
from newsportal.search import TextIndex
from newsportal.store import IndexDoc, Store, open_store
from newsportal.timeutil import utcnow

log = logging.getLogger(__name__)


class Portal:
    def __init__(self, settings: Settings, store: Store | None = None):
        self.settings = settings
        self.store = store or open_store(settings.resolved_database_url)
        self.counters = open_counters(settings, self.store)
        self.index = TextIndex(settings.index_path)
        self.catalog = Catalog()
        self.stories = StoryClusterer()
        self.related = RelatedEngine(self.index, self.catalog, self._top_channel_id)
        self.hot = HotList(self)
        self.personal = PersonalFeed(self, settings.history_days)
        self.channels = ChannelTree([])
        self.sources: dict[int, Source] = {}
        self.sources_by_key: dict[str, Source] = {}
        self.pins: dict[int, list[int]] = {}
        self._listeners: list[Callable[[Article | None], None]] = []
        self.cards = CardLookup(self.store.cards_by_ids, lambda a: a in self.catalog)
        from newsportal.newsroom import signals  # not at the top: newsroom/__init__ imports this module

        self._events = signals
        self.signals = signals.PublishSignals()
        self._write_lock = threading.RLock()
        self._last_refresh = self._started_at = utcnow()
        #: article id -> (updated_at, status, story, channel) last seen or written by this process
        self._own_writes: dict[int, tuple] = {}

    @property
    def published(self) -> Catalog:
        """The catalogue of published articles (``id in portal.published`` answers "is it live")."""
        return self.catalog

    # -- start-up ------------------------------------------------------------------------------------
    def start(self, progress: Callable[[int], None] | None = None) -> "Portal":
        """Load the in-memory views of the store. Call after migrations."""
        t = time.perf_counter()
        self._last_refresh = self._started_at = utcnow()
        self.reload_catalog()
        rows = self.store.catalog_rows()
        for aid, channel_id, story_id, published, source_id, title in rows:
            self.catalog.put(aid, self._entry(channel_id, story_id or aid, published, source_id, title))
        self._sync_index(progress)
        self._load_stories(progress)
        self.index.settle()
        self.reload_pins()
        events = self.counters.load(scopes_of=self.scopes_of)
        log.info("portal ready: %d articles, %d events replayed in %.2fs", len(self.catalog), events,
                 time.perf_counter() - t)
        return self

    def _entry(self, channel_id, story_id, published, source_id, title) -> Entry:
        source = self.sources.get(source_id)
        quality = assess(title, source.trust if source else 0.7).score
        return Entry(channel_id, story_id, to_epoch(published), source_id, quality)

    def _sync_index(self, progress) -> None:
        """Make the on-disk index hold exactly the published articles (after a crash or a schema change)."""
        if not self.index.writable:
            return  # the process that writes the index keeps it in line
        indexed = self.index.ids()
        live = set(iter(self.catalog))
        if indexed - live:
            self.index.delete(*(indexed - live))
        missing = sorted(live - indexed)
        if missing:
            log.info("indexing %d articles", len(missing))
            for start in range(0, len(missing), 2000):
                docs = self.store.index_docs_by_ids(missing[start:start + 2000])
                self.index.add_many(docs, progress)

    def _load_stories(self, progress) -> None:
        """Fill the clustering window with recent articles; cluster any article that has no story yet."""
        since = utcnow() - timedelta(seconds=self.stories.window)
        unclustered = [aid for aid, *_ in self.store.catalog_rows_without_story()]
        for doc in self.store.recent_index_docs(since):
            if doc.story_id is not None:
                self.stories.add(doc.id, fingerprint(doc), doc.story_id)
        if unclustered:
            log.info("clustering %d articles into stories", len(unclustered))
            for start in range(0, len(unclustered), 1000):
                for doc in self.store.index_docs_by_ids(unclustered[start:start + 1000]):
                    self._cluster(doc)
                    if progress:
                        progress(1)
                if self.stories:
                    last = self.catalog.get(unclustered[min(len(unclustered), start + 1000) - 1])
                    if last is not None:
                        self.stories.expire(last.published)
            self.stories.expire(time.time())

    def refresh(self) -> int:
        """Take in articles written by other processes (a CLI import, another worker); returns how many.

        Rows written in the last few seconds are looked at again, so a story id set just after the article
        row is not missed. Writes this process made itself are recognised by their ``updated_at`` and cost
        nothing. If this process holds the index's write lock, it indexes (and if needed clusters) the others'
        articles, since they could not.
        """
        now = utcnow()
        rows = self.store.changed_since(self._last_refresh - timedelta(seconds=10))
        self._last_refresh = now
        changed = 0
        to_index: list[int] = []
        for aid, status, channel_id, story_id, published, source_id, title, updated in rows:
            if updated < self._started_at and aid not in self._own_writes:
                continue  # already loaded by start()
            version = (updated, status, story_id, channel_id)
            if self._own_writes.get(aid) == version:
                continue
            self._own_writes[aid] = version
            changed += 1
            if status == ArticleStatus.PUBLISHED.value:
                self.catalog.put(aid, self._entry(channel_id, story_id or aid, published, source_id, title))
                to_index.append(aid)
            elif aid in self.catalog:
                self.catalog.drop(aid)
                self.stories.remove(aid)
                self.index.delete(aid)
                self.counters.forget(aid, self.channel_scopes(channel_id))
        if to_index and self.index.writable:
            with self._write_lock:
                docs = self.store.index_docs_by_ids(to_index)
                for doc in docs:
                    if doc.story_id is None:
                        self._cluster(doc)
                self.index.add_many(docs)  # one commit for the batch
        pins = self.store.pins()
        if pins != self.pins:  # pins set elsewhere, or expired
            self.pins = pins
            changed += 1
        if changed:
            self.index.refresh()
            for listener in self._listeners:
                listener(None)
            self.signals.synced.send(self._events.ArticlesSyncedFromElsewhere(tuple(a for a, *_ in rows)))
        return changed

    def reload_catalog(self) -> None:
        self.channels = ChannelTree(self.store.channels())
        sources = self.store.sources()
        self.sources = {s.id: s for s in sources}
        self.sources_by_key = {s.key: s for s in sources}

    def reload_pins(self) -> None:
        self.pins = self.store.pins()

    def close(self) -> None:
        try:
            self.counters.flush()
            self.personal.flush()
        finally:
            self.counters.close()
            self.index.close()
            self.store.close()

    # -- the tail of the publish flow ----------------------------------------------------------------
    def on_change(self, listener: Callable[[Article | None], None]) -> None:
        """Register ``listener(article)`` to run after any article write (e.g. purge the page cache)."""
        self._listeners.append(listener)

    def article_changed(self, article: Article) -> None:
        """Bring every derived view in line with one written article: story, index, catalogue, listeners."""
        with self._write_lock:
            story = article.story_id
            if article.status is ArticleStatus.PUBLISHED:
                doc = self.store.index_doc(article)
                story = self._cluster(doc)
                self.index.upsert(doc)
            else:
                self._unpublish(article)
            self._own_writes[article.id] = (article.updated_at, article.status.value, story, article.channel_id)
        for listener in self._listeners:
            listener(article)
        self.signals.article_saved.send(self._events.ArticleSaved(article, None))

    def _cluster(self, doc: IndexDoc) -> int:
        """Join the article to a story (or start one); persist the story id; update catalogue and window."""
        story, fp = self.stories.assign(doc, self.index.doc_freqs)
        if doc.story_id is not None and doc.story_id != doc.id and doc.story_id in self.catalog:
            story = doc.story_id  # an edit keeps the story it already joined
        if story != doc.story_id:
            self.store.set_story(doc.id, story)
        self.stories.add(doc.id, fp, story)
        self.catalog.put(doc.id, self._entry(doc.channel_id, story, doc.published_at, doc.source_id, doc.title))
        return story

    def _unpublish(self, article: Article) -> None:
        entry = self.catalog.get(article.id)
        self.index.delete(article.id)
        self.stories.remove(article.id)
        self.catalog.drop(article.id)
        self.counters.forget(article.id, self.channel_scopes(article.channel_id))
        if entry is not None and entry.story_id == article.id:
            lead = self.store.relead_story(article.id)  # the story lives on under its next article
            if lead is not None:
                for member in self.catalog.story_members(article.id):
                    self.catalog.set_story(member, lead)
                    self.stories.set_story(member, lead)

    # -- small lookups used by pages, API and the recommendation layer -------------------------------
    def channel_of(self, article_id: int) -> int | None:
        entry = self.catalog.get(article_id)
        return entry.channel_id if entry else None

    def _top_channel_id(self, channel_id: int) -> int | None:
        channel = self.channels.get(channel_id)
        return self.channels.top_of(channel).id if channel else None

    def channel_scopes(self, channel_id: int) -> tuple[int, ...]:
        """The hot-list scopes of a channel: itself and every channel above it except the root."""
        channel = self.channels.get(channel_id)
        if channel is None:
            return ()
        return tuple(c.id for c in self.channels.ancestors(channel) if c.parent_id is not None)

    def scopes_of(self, article_id: int) -> tuple[int, ...] | None:
        """Scopes of a published article, or None when it is not (or no longer) published."""
        entry = self.catalog.get(article_id)
        return None if entry is None else self.channel_scopes(entry.channel_id)

    def event(self, article_id: int, kind: str, reader: str, user_agent: str | None, at=None) -> Event:
        return Event(article_id, kind, reader, at or utcnow(), self.scopes_of(article_id) or (), user_agent)

    def quality(self, article: Article) -> Quality:
        source = self.sources.get(article.source_id)
        return assess(article.title, source.trust if source else 0.7)

    def set_source_trust(self, key: str, trust: float) -> Source:
        """Editors' trust in a source (0–1) feeds every article's quality score from that source."""
        if not 0.0 <= trust <= 1.0:
            raise ValueError("trust must be between 0 and 1")
        source = self.store.set_source_trust(key, trust)
        self.reload_catalog()
        for aid, channel_id, story_id, published, source_id, title in self.store.catalog_rows():
            if source_id == source.id:
                self.catalog.put(aid, self._entry(channel_id, story_id or aid, published, source_id, title))
        return source

    def pin(self, channel_id: int, article_id: int, *, actor: str, position: int = 0,
            hours: float | None = None) -> None:
        expires = utcnow() + timedelta(hours=hours) if hours else None
        self.store.pin(channel_id, article_id, actor=actor, position=position, expires_at=expires)
        self._pins_changed()

    def unpin(self, channel_id: int, article_id: int) -> bool:
        removed = self.store.unpin(channel_id, article_id)
        self._pins_changed()
        return removed

    def _pins_changed(self) -> None:
        self.reload_pins()
        for listener in self._listeners:
            listener(None)
        self.signals.pins_changed.send(self._events.PinsChanged())

    def search(self, text: str, page: int = 1, per_page: int = 20):
        """Reader search: BM25 hits, live articles only, one per story; returns (cards, total)."""
        # Stories are merged before paging, so every page is taken from the same deduplicated ranking.
        hits, total = self.index.search(text, limit=min(page * per_page * 3 + 20, 2000))
        ranked = one_per_story([a for a, _ in hits if a in self.catalog], self.catalog)
        ids = ranked[(page - 1) * per_page: page * per_page]
        cards = self.store.cards_by_ids(ids)
        return [cards[a] for a in ids if a in cards], total

    def top_channels(self) -> list:
        return self.channels.of_kind(ChannelKind.TOP)

    def vertical_channels(self) -> list:
        return self.channels.of_kind(ChannelKind.VERTICAL)


def build_portal(settings: Settings, *, migrate: bool = True) -> Portal:
    store = open_store(settings.resolved_database_url)
    if migrate:
        store.upgrade()
    return Portal(settings, store).start()
