"""为你推荐: a personal feed for anonymous readers, from what they read recently.

A reader is an opaque id in a cookie. Their recent reads (kept for a set number of days, then dropped) make
a profile in three parts, newer reads weighing more:

* words: the signature terms of those articles (their subjects, as BM25 sees them);
* meaning: the centroid of their sentence vectors (:mod:`newsportal.recommend.vectors`);
* channels: the share of reads in each channel (and top channel).

Candidates come from BM25 on the profile terms, the nearest articles to the centroid, and what is hot in the
reader's main channels. Each is scored by a blend of the three matches, times freshness and quality (so
clickbait sinks), and the list is diversified with maximal marginal relevance over vector similarity, so it
is not ten versions of one topic. Nothing already read appears, nor another source's copy of a story already
read, nor two articles of one story. A reader with no history gets the hot list.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np

from newsportal.recommend.catalog import Catalog
from newsportal.recommend.copies import CopyGuard
from newsportal.recommend.hot import HotList
from newsportal.recommend.vectors import ArticleVectors
from newsportal.search import TextIndex
from newsportal.store.rows import Read
from newsportal.timeutil import to_epoch, utcnow

PROFILE_READS = 30
PROFILE_TERMS = 30
CANDIDATES = 120  # BM25 candidates
NEIGHBOURS = 120  # candidates nearest to the reading centroid
CHANNEL_CANDIDATES = 30  # hot articles taken from each of the reader's main channels
MAIN_CHANNELS = 3
W_TERMS, W_MEANING, W_CHANNEL = 0.3, 0.4, 0.3
SIM_FLOOR = 0.2
SAME_CHANNEL_REDUNDANCY = 0.5
MMR_LAMBDA = 0.7  # 1.0 = pure relevance, 0.0 = pure diversity
FRESH_DAYS = 3.0


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _recency_weight(rank: int) -> float:
    return 1.0 / (1.0 + rank / 5.0)  # the latest reads shape the profile most


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
                 history_days: float = 30.0, clock: Callable[[], datetime] = utcnow,
                 vectors: ArticleVectors | None = None,
                 top_channel_of: Callable[[int], int | None] | None = None,
                 copies: CopyGuard | None = None):
        self.reads = reads
        self.catalog = catalog
        self.index = index
        self.hot = hot
        self.history_days = history_days
        self.clock = clock
        self.vectors = vectors
        self.top_channel_of = top_channel_of
        self.copies = copies or CopyGuard(catalog, vectors, index)
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
        read = [a for a in self.history(reader)]
        read_set = set(read)
        read_stories = {catalog.story_of(a) for a in read} - {None}
        if not read:
            return self.hot.ranked(n)
        recent = read[:PROFILE_READS]
        terms = self._term_profile(recent)
        centroid = self._centroid(recent)
        channels, tops = self._channel_profile(recent)
        if not terms and centroid is None and not channels:
            return self.hot.ranked(n, exclude=read_set)

        lexical: dict[int, float] = {}
        if terms:
            strongest = sorted(terms.items(), key=lambda tw: -tw[1])[:PROFILE_TERMS]
            hits = self.index.more_like({t: max(1, round(w)) for t, w in strongest}, CANDIDATES)
            top = max((s for _, s in hits), default=1.0) or 1.0
            lexical = {aid: s / top for aid, s in hits}
        pool = list(lexical)
        if centroid is not None and self.vectors is not None:
            pool += [a for a, _ in self.vectors.nearest(centroid, NEIGHBOURS + len(read_set))]
        for channel_id in sorted(channels, key=lambda c: -channels[c])[:MAIN_CHANNELS]:
            pool += [a for a, _ in self.hot.ranked(CHANNEL_CANDIDATES, channel_id, exclude=read_set)]
        pool = [a for a in dict.fromkeys(pool)
                if a in catalog and a not in read_set and catalog[a].story_id not in read_stories]
        meaning = np.zeros(len(pool), dtype=np.float32)
        if centroid is not None and self.vectors is not None and pool:
            meaning = self.vectors.similarities(centroid, pool)
        now = to_epoch(self.clock())
        scored: list[tuple[int, float]] = []
        for aid, cos in zip(pool, meaning, strict=True):
            entry = catalog[aid]
            follows = channels.get(entry.channel_id, 0.0)
            top_id = self.top_channel_of(entry.channel_id) if self.top_channel_of else None
            follows = max(follows, 0.5 * tops.get(top_id, 0.0)) if top_id is not None else follows
            rel = (W_TERMS * lexical.get(aid, 0.0)
                   + W_MEANING * max(0.0, (float(cos) - SIM_FLOOR) / (1.0 - SIM_FLOOR))
                   + W_CHANNEL * follows)
            age_days = max(0.0, now - entry.published) / 86400.0
            scored.append((aid, rel * entry.quality / (1.0 + age_days / FRESH_DAYS)))
        scored.sort(key=lambda kv: (-kv[1], -kv[0]))
        # One per story, and no near copy of a recent read or of a better candidate (copies the clustering
        # missed); MMR then picks from the first n × 4 of what is left.
        keep = set(self.copies.distinct([a for a, _ in scored], n * 4, against=recent))
        picked = self._mmr([(a, s) for a, s in scored if a in keep], n)
        if len(picked) < n:  # thin profile: top up with what is hot
            have = {a for a, _ in picked} | read_set
            stories = read_stories | {catalog.story_of(a) for a, _ in picked}
            hot = {a: s for a, s in self.hot.ranked(n * 2, exclude=have)
                   if catalog.story_of(a) not in stories}
            fill = self.copies.distinct(hot, n - len(picked), against=[*recent, *(a for a, _ in picked)])
            picked += [(aid, hot[aid] * 0.01) for aid in fill]
        return picked[:n]

    def _term_profile(self, reads: Sequence[int]) -> dict[str, float]:
        profile: dict[str, float] = {}
        for rank, aid in enumerate(reads):
            sig = self.index.signature(aid)
            if sig is None:
                continue
            weight = _recency_weight(rank)
            for term, count in sig[0].items():
                profile[term] = profile.get(term, 0.0) + weight * count
        return profile

    def _centroid(self, reads: Sequence[int]) -> np.ndarray | None:
        if self.vectors is None:
            return None
        total = np.zeros(self.vectors.dim, dtype=np.float32)
        found = False
        for rank, aid in enumerate(reads):
            vec = self.vectors.get(aid)
            if vec is not None:
                total += _recency_weight(rank) * vec
                found = True
        norm = float(np.linalg.norm(total))
        return total / norm if found and norm > 0 else None

    def _channel_profile(self, reads: Sequence[int]) -> tuple[dict[int, float], dict[int, float]]:
        """Share of (recency-weighted) reads per channel and per top channel, each summing to 1."""
        channels: dict[int, float] = {}
        tops: dict[int, float] = {}
        for rank, aid in enumerate(reads):
            entry = self.catalog.get(aid)
            if entry is None:
                continue
            w = _recency_weight(rank)
            channels[entry.channel_id] = channels.get(entry.channel_id, 0.0) + w
            top = self.top_channel_of(entry.channel_id) if self.top_channel_of else None
            if top is not None:
                tops[top] = tops.get(top, 0.0) + w
        total = sum(channels.values()) or 1.0
        top_total = sum(tops.values()) or 1.0
        return ({c: w / total for c, w in channels.items()}, {c: w / top_total for c, w in tops.items()})

    def _mmr(self, scored: list[tuple[int, float]], n: int) -> list[tuple[int, float]]:
        """Greedy maximal marginal relevance: vector similarity when known, else signature-term overlap."""
        pool = scored[: n * 4]
        if not pool:
            return []
        top = pool[0][1] or 1.0
        vecs = {a: self.vectors.get(a) for a, _ in pool} if self.vectors is not None else {}
        terms: dict[int, set[str]] = {}

        def sim(a: int, b: int) -> float:
            va, vb = vecs.get(a), vecs.get(b)
            if va is not None and vb is not None:
                # one channel again counts as some redundancy too, so a channel-heavy profile still varies
                one_channel = self.catalog[a].channel_id == self.catalog[b].channel_id
                same = SAME_CHANNEL_REDUNDANCY if one_channel else 0.0
                return max(0.0, float(va @ vb), same)
            for x in (a, b):
                if x not in terms:
                    sig = self.index.signature(x)
                    terms[x] = set(sig[0]) if sig else set()
            return _jaccard(terms[a], terms[b])

        chosen: list[tuple[int, float]] = []
        while pool and len(chosen) < n:
            best_i, best_val = 0, -math.inf
            for i, (aid, rel) in enumerate(pool):
                redundancy = max((sim(aid, c) for c, _ in chosen), default=0.0)
                val = MMR_LAMBDA * rel / top - (1 - MMR_LAMBDA) * redundancy
                if val > best_val:
                    best_i, best_val = i, val
            chosen.append(pool.pop(best_i))
        return chosen
