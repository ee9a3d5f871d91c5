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
from newsportal.recommend.stories import StoryClusterer, fingerprint
from newsportal.search import TextIndex
from newsportal.store import Store
from newsportal.timeutil import utcnow

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


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
    """Fill the clustering window with recent articles; cluster any article that has no story yet."""
    since = utcnow() - timedelta(seconds=stories.window)
    unclustered = store.catalog_rows_without_story()
    for doc in store.recent_index_docs(since):
        if doc.story_id is not None:
            stories.add(doc.id, fingerprint(doc), doc.story_id)
    if not unclustered:
        return
    log.info("clustering %d articles into stories", len(unclustered))
    for start in range(0, len(unclustered), 1000):
        for doc in store.index_docs_by_ids(unclustered[start:start + 1000]):
            tail.cluster(doc)
            if progress:
                progress(1)
        if stories:
            last = catalog.get(unclustered[min(len(unclustered), start + 1000) - 1])
            if last is not None:
                stories.expire(last.published)
    stories.expire(time.time())
