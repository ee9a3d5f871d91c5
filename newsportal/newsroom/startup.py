"""Start-up: fill this process's in-memory views from the store, and repair what a crash or bulk load left.

    load_catalogue → sync_index (index holds exactly the published articles) → load_stories (fill the
    clustering window; cluster articles without a story) → index.settle
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from newsportal.newsroom.sources import SourceBook
from newsportal.newsroom.tail import PublishTail
from newsportal.recommend.catalog import Catalog
from newsportal.recommend.stories import StoryClusterer
from newsportal.recommend.story_match import fingerprints
from newsportal.search import TextIndex
from newsportal.store import Store
from newsportal.timeutil import utcnow

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
BULK_LOAD = 10_000  # articles read from the store per bulk-clustering round


def load_catalogue(store: Store, sources: SourceBook, catalog: Catalog) -> None:
    for row in store.catalog_rows():
        sources.put_row(catalog, row)


def sync_index(store: Store, index: TextIndex, catalog: Catalog, progress: Progress | None = None) -> None:
    """Make the on-disk index hold exactly the published articles (after a crash or a schema change)."""
    if not index.writable:
        return  # the process that writes the index keeps it in line
    indexed = index.ids()
    live = set(iter(catalog))
    if indexed - live:
        index.delete(*(indexed - live))
    missing = sorted(live - indexed)
    if missing:
        log.info("indexing %d articles", len(missing))
        for start in range(0, len(missing), 2000):
            docs = store.index_docs_by_ids(missing[start:start + 2000])
            index.add_many(docs, progress)


def load_stories(store: Store, stories: StoryClusterer, catalog: Catalog, tail: PublishTail,
                 progress: Progress | None = None) -> None:
    """Fill the clustering window with recent articles; cluster any article that has no story yet.

    Unclustered articles (a bulk load, older data) are clustered in bulk, oldest first: bulk MinHash,
    corpus statistics read once per batch, story ids written in one statement per batch — the same
    stories as one-at-a-time clustering on publish, minutes instead of tens of minutes at 100,000.
    """
    since = utcnow() - timedelta(seconds=stories.window)
    unclustered = store.catalog_rows_without_story()
    recent = [doc for doc in store.recent_index_docs(since) if doc.story_id is not None]
    for doc, fp in zip(recent, fingerprints(recent), strict=True):
        stories.add(doc.id, fp, doc.story_id)  # type: ignore[arg-type]  # filtered above
    if not unclustered:
        return
    log.info("clustering %d articles into stories", len(unclustered))
    for start in range(0, len(unclustered), BULK_LOAD):
        docs = store.index_docs_by_ids(unclustered[start:start + BULK_LOAD])
        assigned = stories.cluster_bulk(docs, tail.index.doc_freqs, progress)
        store.set_stories(assigned)
        for article_id, story in assigned.items():
            catalog.set_story(article_id, story)
    stories.expire(time.time())
