"""Article vectors and body-aware quality at start-up and after other processes' writes.

The publish tail embeds each article it publishes (:meth:`PublishTail.cluster`) and keeps the vector with
the article's trust-free quality in the side file (:mod:`newsportal.recommend.vectors`). This module fills
the in-memory matrix from that file when a process starts, embeds whatever the file lacks (a bulk load, a
first start), and takes in the vectors of articles another process published (the ``synced`` signal).
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable, Sequence

from newsportal.newsroom.signals import ArticlesSyncedFromElsewhere, PublishSignals
from newsportal.newsroom.sources import SourceBook, base_quality, scale_quality
from newsportal.recommend.catalog import Catalog
from newsportal.recommend.vectors import ArticleVectors
from newsportal.store import Store

log = logging.getLogger(__name__)

BATCH = 256  # articles embedded per call (batches embed ~2x faster per article than one at a time)

Progress = Callable[[int], None]


def _set_base(catalog: Catalog, sources: SourceBook, article_id: int, base: tuple[float, bool]) -> None:
    entry = catalog.get(article_id)
    if entry is not None:
        entry.base_quality, entry.clickbait = base
        entry.quality = scale_quality(base[0], sources.trust(entry.source_id))


def embed_missing(store: Store, vectors: ArticleVectors, catalog: Catalog, sources: SourceBook,
                  ids: Sequence[int], progress: Progress | None = None) -> int:
    """Read, assess (title and body) and embed the given published articles; returns how many."""
    done = 0
    for start in range(0, len(ids), BATCH):
        docs = [d for d in store.index_docs_by_ids(ids[start:start + BATCH]) if d.id in catalog]
        items = []
        for doc in docs:
            base = base_quality(doc.title, doc.text)
            _set_base(catalog, sources, doc.id, base)
            items.append((doc.id, doc.title, doc.text, base))
        vectors.add_articles(items)
        done += len(items)
        if progress:
            progress(len(items))
    return done


def load_vectors(store: Store, vectors: ArticleVectors, catalog: Catalog, sources: SourceBook,
                 progress: Progress | None = None) -> int:
    """Fill the matrix from the side file, then embed what it lacks among the newest published articles.

    Only the newest ``vectors.window`` published articles are embedded at start: that is all a
    nearest-neighbour scan covers, and new articles (embedded on publish) push the rest out of it anyway.
    An older article without a vector (a bulk load: a million would take an hour of CPU and 2 GB of matrix)
    is still found by its words: related lists rank it by BM25 alone, the copy guard judges it by story
    id, and its quality comes from its title (``SourceBook.put_row``) instead of title and body. Returns
    how many were embedded.
    """
    for aid, stored in vectors.file.load():
        if aid in catalog:
            vectors.put(aid, stored.vector, stored.digest)
            _set_base(catalog, sources, aid, (stored.base_quality, stored.clickbait))
    missing = sorted(newest_without_vector(vectors, catalog), key=lambda a: catalog[a].published)
    if missing:
        log.info("embedding %d articles (once; the vectors are kept in %s)", len(missing), vectors.file.path)
    return embed_missing(store, vectors, catalog, sources, missing, progress)


def newest_without_vector(vectors: ArticleVectors, catalog: Catalog) -> list[int]:
    """Published articles among the newest ``vectors.window`` (by publication time) that have no vector."""
    ids = list(catalog)
    if len(ids) > vectors.window:
        ids = heapq.nlargest(vectors.window, ids, key=lambda a: (catalog[a].published, a))
    return [a for a in ids if a not in vectors]


def follow_sync(signals: PublishSignals, store: Store, vectors: ArticleVectors, catalog: Catalog,
                sources: SourceBook) -> None:
    """Take in vectors (from the side file, else by embedding) of articles other processes published."""

    def taken(event: ArticlesSyncedFromElsewhere) -> None:
        live = [a for a in event.article_ids if a in catalog]
        for aid in event.article_ids:
            if aid not in catalog:
                vectors.drop(aid)
        found = set()
        for aid, stored in vectors.file.load(live):
            if vectors.digest_of(aid) != stored.digest:
                vectors.put(aid, stored.vector, stored.digest)
            _set_base(catalog, sources, aid, (stored.base_quality, stored.clickbait))
            found.add(aid)
        embed_missing(store, vectors, catalog, sources, [a for a in live if a not in found])

    signals.synced.connect(taken)
