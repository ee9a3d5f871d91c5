"""The tail of the publish flow in one place: after a write reaches the store, bring derived views in line.

    article_saved(article, previous)
      published → index_doc → cluster (story id, persisted) → quality of title and body → catalogue entry
                → index.upsert → sentence vector queued (the embedding queue embeds it in the background
                  and keeps it in memory and in the side file; until then lists fall back to BM25/story ids)
      otherwise → index.delete, story window, catalogue, hot lists (forget) → re-lead its story
      → ledger.note (so cross-process sync skips this process's own write)
      → signals.article_saved(ArticleSaved(article, previous))  (page cache purge and later listeners)

    articles_saved([(article, previous), …])  the same for a batch: clustering per article in memory, then
      one story-id transaction, one index commit, one put on the embedding queue, one signal per article


Start-up (:mod:`newsportal.newsroom.startup`) and cross-process sync (:mod:`newsportal.newsroom.sync`) use
:meth:`PublishTail.cluster` for articles that arrive without a story.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from newsportal.counters import Counters
from newsportal.domain import Article, ArticleStatus
from newsportal.domain.channels import ChannelTree
from newsportal.newsroom.signals import ArticleSaved, PublishSignals
from newsportal.newsroom.sources import SourceBook, base_quality
from newsportal.recommend.catalog import Catalog
from newsportal.recommend.embedding import EmbedQueue, Item
from newsportal.recommend.stories import StoryClusterer
from newsportal.search import IndexDoc, TextIndex
from newsportal.store import Store


class Version(NamedTuple):
    """What this process last wrote or saw of an article; sync compares it with the store's row."""

    updated_at: datetime
    status: str
    story_id: int | None
    channel_id: int


class WriteLedger:
    """Article id → the version this process last wrote or took in (so sync does not redo its own writes)."""

    def __init__(self) -> None:
        self._seen: dict[int, Version] = {}
        self.lock = threading.RLock()

    def note(self, article_id: int, version: Version) -> None:
        self._seen[article_id] = version

    def get(self, article_id: int) -> Version | None:
        return self._seen.get(article_id)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._seen


class PublishTail:
    """Cluster, index, catalogue, signal for one written article; the newsroom calls it after each write."""

    def __init__(self, store: Store, index: TextIndex, catalog: Catalog, stories: StoryClusterer,
                 counters: Counters, channels: ChannelTree, sources: SourceBook, signals: PublishSignals,
                 ledger: WriteLedger, embedding: EmbedQueue | None = None):
        self.store = store
        self.index = index
        self.catalog = catalog
        self.stories = stories
        self.counters = counters
        self.channels = channels
        self.sources = sources
        self.signals = signals
        self.ledger = ledger
        self.embedding = embedding

    def article_saved(self, article: Article, previous: Article | None = None) -> None:
        """Bring story, index and catalogue in line with one written article, then fire ``article_saved``."""
        with self.ledger.lock:
            story = article.story_id
            if article.status is ArticleStatus.PUBLISHED:
                doc = self.store.index_doc(article)
                story = self.cluster(doc)
                self.index.upsert(doc)
            else:
                self.unpublish(article)
            self.ledger.note(article.id, Version(article.updated_at, article.status.value, story,
                                                 article.channel_id))
        self.signals.article_saved.send(ArticleSaved(article, previous))

    def articles_saved(self, saved: Sequence[tuple[Article, Article | None]]) -> None:
        """:meth:`article_saved` for a batch (a big partner feed): each article is clustered in memory in
        turn (so a reworded copy joins a story started earlier in the same batch), then the story ids are
        persisted in one transaction, the index committed once and the sentence vectors queued together
        (the embedding queue embeds them in one call, off this path). Listeners still hear one
        ``article_saved`` per article; ``pending`` counts the events of the batch still to come, so a purge
        can wait for the last one."""
        with self.ledger.lock:
            docs: list[IndexDoc] = []
            stories: dict[int, int] = {}
            embed: list[Item] = []
            for article, previous in saved:
                story = article.story_id
                if article.status is ArticleStatus.PUBLISHED:
                    doc = self.store.index_doc(article)
                    story, base = self._cluster_in_memory(doc)
                    if story != doc.story_id:
                        stories[doc.id] = story
                    embed.append((doc.id, doc.title, doc.text, base))
                    docs.append(doc)
                elif article.id in self.catalog or (previous is not None
                                                    and previous.status is ArticleStatus.PUBLISHED):
                    self.unpublish(article)  # (an index commit each; a story never live has nothing to undo)
                self.ledger.note(article.id, Version(article.updated_at, article.status.value, story,
                                                     article.channel_id))
            if stories:
                self.store.set_stories(stories)
            if docs:
                self.index.add_many(docs)
            self._embed(embed)
        for left, (article, previous) in enumerate(saved, start=1):
            self.signals.article_saved.send(ArticleSaved(article, previous, pending=len(saved) - left))

    def cluster(self, doc: IndexDoc, *, embed: bool = True) -> int:
        """Join the article to a story (or start one); persist the story id; update catalogue and window;
        with ``embed``, queue its sentence vector."""
        story, base = self._cluster_in_memory(doc)
        if story != doc.story_id:
            self.store.set_story(doc.id, story)
        if embed:
            self._embed([(doc.id, doc.title, doc.text, base)])
        return story

    def _embed(self, items: list[Item]) -> None:
        """Hand published articles to the embedding queue (never waits for the model)."""
        if self.embedding is not None and items:
            self.embedding.put(items)

    def _cluster_in_memory(self, doc: IndexDoc) -> tuple[int, tuple[float, bool]]:
        """The story of ``doc`` (story window and catalogue updated, nothing persisted) and its base
        quality; the caller persists the story id and queues the vector, one by one or for a batch."""
        story, fp = self.stories.assign(doc, self.index.doc_freqs)
        if doc.story_id is not None and doc.story_id != doc.id and doc.story_id in self.catalog:
            story = doc.story_id  # an edit keeps the story it already joined
        self.stories.add(doc.id, fp, story)
        base = base_quality(doc.title, doc.text)  # the body rules (calls to like and share, no text) apply
        self.catalog.put(doc.id, self.sources.entry(doc.channel_id, story, doc.published_at, doc.source_id,
                                                    doc.title, base=base))
        return story, base

    def unpublish(self, article: Article) -> None:
        """Take an article that is no longer published out of every derived view."""
        entry = self.catalog.get(article.id)
        self.remove(article.id, article.channel_id)
        if entry is not None and entry.story_id == article.id:
            lead = self.store.relead_story(article.id)  # the story lives on under its next article
            if lead is not None:
                for member in self.catalog.story_members(article.id):
                    self.catalog.set_story(member, lead)
                    self.stories.set_story(member, lead)

    def remove(self, article_id: int, channel_id: int) -> None:
        """Drop one article from the index, the story window, the catalogue and the hot lists."""
        self.index.delete(article_id)
        self.stories.remove(article_id)
        self.catalog.drop(article_id)
        if self.embedding is not None:
            self.embedding.discard(article_id)
        self.counters.forget(article_id, self.channels.scopes(channel_id))
