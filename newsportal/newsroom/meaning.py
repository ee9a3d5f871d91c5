"""Article vectors and body-aware quality at start-up and after other processes' writes.

The publish tail queues each article it publishes on the embedding queue
(:mod:`newsportal.recommend.embedding`), which embeds it in the background and keeps the vector with the
article's trust-free quality in the side file (:mod:`newsportal.recommend.vectors`). This module fills the
in-memory matrix from that file when a process starts and names the published articles the file lacks (a
bulk load, a first start, a queue abandoned at shutdown) so the server can queue them; it also takes in the
vectors of articles another process published (the ``synced`` signal), queueing those not in the file yet.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Sequence

from newsportal.newsroom.signals import ArticlesSyncedFromElsewhere, PublishSignals
from newsportal.newsroom.sources import SourceBook, base_quality, scale_quality
from newsportal.recommend.catalog import Catalog
from newsportal.recommend.embedding import EmbedQueue, Item, Loader
from newsportal.recommend.vectors import ArticleVectors
from newsportal.store import Store

log = logging.getLogger(__name__)


def _set_base(catalog: Catalog, sources: SourceBook, article_id: int, base: tuple[float, bool]) -> None:
    entry = catalog.get(article_id)
    if entry is not None:
        entry.base_quality, entry.clickbait = base
        entry.quality = scale_quality(base[0], sources.trust(entry.source_id))


def article_reader(store: Store, catalog: Catalog, sources: SourceBook) -> Loader:
    """The embedding queue's loader: read the given published articles, assess their title and body (the
    catalogue gets the body-aware quality at once) and return them as items to embed."""

    def read(ids: Sequence[int]) -> list[Item]:
        items: list[Item] = []
        for doc in store.index_docs_by_ids(list(ids)):
            if doc.id not in catalog:
                continue
            base = base_quality(doc.title, doc.text)
            _set_base(catalog, sources, doc.id, base)
            items.append((doc.id, doc.title, doc.text, base))
        return items

    return read


def load_vectors(vectors: ArticleVectors, catalog: Catalog, sources: SourceBook) -> list[int]:
    """Fill the matrix from the side file; returns the articles to embed, oldest first (the server queues
    them; a CLI command that never needs vectors leaves them).

    Only the newest ``vectors.window`` published articles are returned: that is all a nearest-neighbour
    scan covers, and new articles (queued on publish) push the rest out of it anyway. An older article
    without a vector (a bulk load: a million would take hours of CPU and 2 GB of matrix) is still found by
    its words: related lists rank it by BM25 alone, the copy guard judges it by story id, and its quality
    comes from its title (``SourceBook.put_row``) instead of title and body.
    """
    for aid, stored in vectors.file.load():
        if aid in catalog:
            vectors.put(aid, stored.vector, stored.digest)
            _set_base(catalog, sources, aid, (stored.base_quality, stored.clickbait))
    return missing_vectors(vectors, catalog)


def missing_vectors(vectors: ArticleVectors, catalog: Catalog) -> list[int]:
    """The articles a server embeds in the background: the newest window's without a vector, oldest first."""
    return sorted(newest_without_vector(vectors, catalog), key=lambda a: catalog[a].published)


def newest_without_vector(vectors: ArticleVectors, catalog: Catalog) -> list[int]:
    """Published articles among the newest ``vectors.window`` (by publication time) that have no vector."""
    ids = list(catalog)
    if len(ids) > vectors.window:
        ids = heapq.nlargest(vectors.window, ids, key=lambda a: (catalog[a].published, a))
    return [a for a in ids if a not in vectors]


def follow_sync(signals: PublishSignals, store: Store, embedding: EmbedQueue, catalog: Catalog,
                sources: SourceBook) -> None:
    """Take in vectors (from the side file, else queued for embedding) of articles other processes wrote."""
    vectors = embedding.vectors
    read = article_reader(store, catalog, sources)

    def taken(event: ArticlesSyncedFromElsewhere) -> None:
        live = [a for a in event.article_ids if a in catalog]
        for aid in event.article_ids:
            if aid not in catalog:
                embedding.discard(aid)
        found = set()
        for aid, stored in vectors.file.load(live):
            if vectors.digest_of(aid) != stored.digest:
                vectors.put(aid, stored.vector, stored.digest)
            _set_base(catalog, sources, aid, (stored.base_quality, stored.clickbait))
            found.add(aid)
        missing = [a for a in live if a not in found]
        if missing:
            embedding.put(read(missing))

    signals.synced.connect(taken)
