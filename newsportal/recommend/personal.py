"""为你推荐: a personal feed for anonymous readers, from what they read recently.

A reader is an opaque id in a cookie. Their recent reads (kept for a set number of days, then dropped) make
a content profile: the signature terms of those articles, newer reads weighing more. Candidates come from
the search index by BM25 on that profile; each is scored by match, freshness and quality, and the list is
diversified with maximal marginal relevance so it is not ten versions of one topic. Nothing already read
appears, nor another source's copy of a story already read, nor two articles of one story. A reader with no
history gets the hot list.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from newsportal.recommend.catalog import Catalog, one_per_story
from newsportal.recommend.hot import HotList
from newsportal.search import TextIndex
from newsportal.store.rows import Read
from newsportal.timeutil import to_epoch, utcnow

PROFILE_READS = 30
PROFILE_TERMS = 30
CANDIDATES = 120
MMR_LAMBDA = 0.7  # 1.0 = pure relevance, 0.0 = pure diversity
FRESH_DAYS = 3.0


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class ReadHistory(Protocol):
    """The part of the store that keeps reader history (:class:`~newsportal.store.readers.ReaderStore`)."""

    def add_history(self, reads: Sequence[tuple[str, int, datetime]]) -> None: ...
    def history(self, reader: str, limit: int = 200) -> list[Read]: ...
    def clear_history(self, reader: str) -> int: ...
    def prune_history(self, before: datetime) -> int: ...


#: How often :meth:`PersonalFeed.flush` also drops expired history.
PRUNE_EVERY = timedelta(hours=1)


class PersonalFeed:
    """Reads buffered in memory and written by :meth:`flush`; ``clock`` gives "now" (tests pass their own)."""

    def __init__(self, reads: ReadHistory, catalog: Catalog, index: TextIndex, hot: HotList,
                 history_days: float = 30.0, clock: Callable[[], datetime] = utcnow):
        self.reads = reads
        self.catalog = catalog
        self.index = index
        self.hot = hot
        self.history_days = history_days
        self.clock = clock
        self._pending: list[tuple[str, int, datetime]] = []
        self._lock = threading.Lock()
        self._last_prune: datetime | None = None

    # -- history ---------------------------------------------------------------------------------------
    def record_read(self, reader: str, article_id: int, at: datetime | None = None) -> None:
        with self._lock:
            self._pending.append((reader, article_id, at or self.clock()))

    def flush(self) -> int:
        """Write buffered reads; the first time and then hourly, drop history past the retention period."""
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            try:
                self.reads.add_history(batch)
            except Exception:
                with self._lock:
                    self._pending = batch + self._pending
                raise
        now = self.clock()
        if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
            self._last_prune = now
            self.prune(now)
        return len(batch)

    def prune(self, now: datetime | None = None) -> int:
        return self.reads.prune_history((now or self.clock()) - timedelta(days=self.history_days))

    def history(self, reader: str, limit: int = 200) -> list[int]:
        """The reader's reads, newest first, within the retention period (unflushed reads included)."""
        cutoff = self.clock() - timedelta(days=self.history_days)
        with self._lock:
            pending = [(a, t) for r, a, t in self._pending if r == reader]
        stored = self.reads.history(reader, limit)
        merged: dict[int, datetime] = {}
        for aid, at in [*stored, *pending]:
            if at >= cutoff and (aid not in merged or at > merged[aid]):
                merged[aid] = at
        return [a for a, _ in sorted(merged.items(), key=lambda kv: kv[1], reverse=True)][:limit]

    def clear(self, reader: str) -> int:
        with self._lock:
            before = len(self._pending)
            self._pending = [p for p in self._pending if p[0] != reader]
            dropped = before - len(self._pending)
        return dropped + self.reads.clear_history(reader)

    # -- recommendations -------------------------------------------------------------------------------
    def recommend(self, reader: str, n: int = 10) -> list[tuple[int, float]]:
        catalog = self.catalog
        read = self.history(reader)
        read_set = set(read)
        read_stories = {catalog.story_of(a) for a in read} - {None}
        if not read:
            return self.hot.ranked(n)

        profile: dict[str, float] = {}
        for rank, aid in enumerate(read[:PROFILE_READS]):
            sig = self.index.signature(aid)
            if sig is None:
                continue
            weight = 1.0 / (1.0 + rank / 5.0)  # the latest reads shape the profile most
            for term, count in sig[0].items():
                profile[term] = profile.get(term, 0.0) + weight * count
        if not profile:
            return self.hot.ranked(n, exclude=read_set)
        strongest = sorted(profile.items(), key=lambda tw: -tw[1])[:PROFILE_TERMS]
        query = {t: max(1, round(w)) for t, w in strongest}
        hits = self.index.more_like(query, CANDIDATES)
        now = to_epoch(self.clock())
        scored: list[tuple[int, float]] = []
        top = max((s for _, s in hits), default=1.0) or 1.0
        for aid, s in hits:
            entry = catalog.get(aid)
            if entry is None or aid in read_set or entry.story_id in read_stories:
                continue
            age_days = max(0.0, now - entry.published) / 86400.0
            scored.append((aid, (s / top) * entry.quality / (1.0 + age_days / FRESH_DAYS)))
        scored.sort(key=lambda kv: -kv[1])
        scored = [(a, s) for a, s in scored if a in set(one_per_story([a for a, _ in scored], catalog))]
        picked = self._mmr(scored, n)
        if len(picked) < n:  # thin profile: top up with what is hot
            have = {a for a, _ in picked} | read_set
            for aid, s in self.hot.ranked(n * 2, exclude=have):
                if catalog.story_of(aid) not in read_stories | {catalog.story_of(a) for a, _ in picked}:
                    picked.append((aid, s * 0.01))
                if len(picked) >= n:
                    break
        return picked[:n]

    def _mmr(self, scored: list[tuple[int, float]], n: int) -> list[tuple[int, float]]:
        """Greedy maximal marginal relevance over signature-term overlap."""
        pool = scored[: n * 4]
        terms: dict[int, set[str]] = {}
        for aid, _ in pool:
            sig = self.index.signature(aid)
            terms[aid] = set(sig[0]) if sig else set()
        chosen: list[tuple[int, float]] = []
        while pool and len(chosen) < n:
            best_i, best_val = 0, -math.inf
            for i, (aid, rel) in enumerate(pool):
                sim = max((_jaccard(terms[aid], terms[c]) for c, _ in chosen), default=0.0)
                val = MMR_LAMBDA * rel - (1 - MMR_LAMBDA) * sim
                if val > best_val:
                    best_i, best_val = i, val
            chosen.append(pool.pop(best_i))
        return chosen
