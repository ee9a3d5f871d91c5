"""Cross-process sync: take in what other processes (a CLI import, another worker) wrote to the store.

    refresh → store.changed_since(last - 10 s) → skip own writes (ledger) → catalogue put / remove
      → index and cluster the others' articles (if this process holds the index's write lock)
      → reload pins (set elsewhere, or expired) and sources (trust set elsewhere)
      → signals.synced(ArticlesSyncedFromElsewhere(ids)) / signals.pins_changed(PinsChanged())
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from newsportal.domain import ArticleStatus
from newsportal.newsroom.signals import ArticlesSyncedFromElsewhere, PinsChanged, PublishSignals
from newsportal.newsroom.sources import SourceBook, reload_sources
from newsportal.newsroom.tail import PublishTail, Version, WriteLedger
from newsportal.recommend.catalog import Catalog
from newsportal.recommend.pins import Pins
from newsportal.search import TextIndex
from newsportal.store import Store
from newsportal.timeutil import utcnow

#: Rows written this long before the last sync are looked at again, so a story id set just after the
#: article row (by the writing process's clustering) is not missed.
OVERLAP = timedelta(seconds=10)


class CrossProcessSync:
    def __init__(self, store: Store, tail: PublishTail, catalog: Catalog, index: TextIndex, pins: Pins,
                 sources: SourceBook, signals: PublishSignals, ledger: WriteLedger,
                 clock: Callable[[], datetime] = utcnow):
        self.store = store
        self.tail = tail
        self.catalog = catalog
        self.index = index
        self.pins = pins
        self.sources = sources
        self.signals = signals
        self.ledger = ledger
        self.clock = clock
        self.started_at = self.last_sync = clock()

    def mark_started(self) -> None:
        """Start-up loaded everything written before now; later writes are sync's to take in."""
        self.started_at = self.last_sync = self.clock()

    def refresh(self) -> int:
        """Take in articles, pins and source trust written by other processes; returns how many changed.

        Writes this process made itself are recognised by their ``updated_at`` and cost nothing. If this
        process holds the index's write lock it indexes (and if needed clusters) the others' articles, since
        they could not.
        """
        now = self.clock()
        rows = self.store.changed_since(self.last_sync - OVERLAP)
        self.last_sync = now
        taken: list[int] = []
        to_index: list[int] = []
        for row in rows:
            if row.updated_at < self.started_at and row.id not in self.ledger:
                continue  # already loaded by start-up
            version = Version(row.updated_at, row.status, row.story_id, row.channel_id)
            if self.ledger.get(row.id) == version:
                continue
            self.ledger.note(row.id, version)
            taken.append(row.id)
            if row.status == ArticleStatus.PUBLISHED.value:
                self.catalog.put(row.id, self.sources.entry(row.channel_id, row.story_id or row.id,
                                                            row.published_at, row.source_id, row.title))
                to_index.append(row.id)
            elif row.id in self.catalog:
                self.tail.remove(row.id, row.channel_id)
        if to_index and self.index.writable:
            with self.ledger.lock:
                docs = self.store.index_docs_by_ids(to_index)
                for doc in docs:
                    if doc.story_id is None:
                        self.tail.cluster(doc, embed=False)  # vectors: meaning.follow_sync
                self.index.add_many(docs)  # one commit for the batch
        changed = len(taken)
        retrusted = reload_sources(self.store, self.sources, self.catalog)
        pins_changed = self.pins.reload()
        changed += len(retrusted) + int(pins_changed)
        if changed:
            self.index.refresh()
        if taken or retrusted:
            self.signals.synced.send(ArticlesSyncedFromElsewhere(tuple(taken)))
        if pins_changed:
            self.signals.pins_changed.send(PinsChanged())
        return changed
