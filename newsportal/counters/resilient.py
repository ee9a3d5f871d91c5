"""Reads that outlive a Redis outage: the last known hot lists, and counts from the store.

Redis holds the shared hot lists and the unflushed counts. When it stops answering, a reader page must not
fail: it shows the 热点推荐 it showed a moment ago (the last list each scope returned, kept here in memory),
and counts come from the store, which holds every event Redis had acknowledged up to the last flush. Writes
are not faked: the beacon's ``record_durable`` already answers "not counted" (reason ``unavailable``), and
``mark_seen`` / ``heal`` simply wait for Redis to return. When it does, reads go back to Redis at once and
the app's periodic ``heal`` rebuilds the hot lists from the stored events if Redis came back empty.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsportal.counters.base import Counters, Event, Outcome, ScopesOf
from newsportal.counters.redis import RedisCounters, RedisUnavailable

log = logging.getLogger(__name__)

#: At most one warning per this many seconds while Redis is down (a busy site would log every request).
WARN_EVERY = 30.0


class ResilientCounters(Counters):
    """Wraps :class:`RedisCounters`; every call goes to Redis first (see the module docstring)."""

    def __init__(self, inner: RedisCounters, clock: Any = time.monotonic) -> None:
        self.inner = inner
        self.half_life = inner.half_life
        self._clock = clock
        self._last_top: dict[tuple[int, int | None], list[tuple[int, float]]] = {}
        self._lock = threading.Lock()
        self._warned_at: float | None = None
        self.outage_reads = 0

    def __getattr__(self, name: str) -> Any:  # prefix, drop_all, store … of the Redis counters
        return getattr(self.inner, name)

    def _down(self, what: str, exc: RedisUnavailable) -> None:
        self.outage_reads += 1
        now = self._clock()
        if self._warned_at is None or now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning("%s served without Redis: %s", what, exc)

    # -- reads that fall back ------------------------------------------------------------------------
    def top(self, n: int, scope: int | None = None, now: float | None = None) -> list[tuple[int, float]]:
        try:
            found = self.inner.top(n, scope, now)
        except RedisUnavailable as exc:
            self._down("hot list", exc)
            with self._lock:
                last = self._last_top.get((n, scope))
                if last is None:  # a longer list asked before serves a shorter one
                    longer = [v for (m, s), v in self._last_top.items() if s == scope and m >= n]
                    last = longer[0][:n] if longer else []
            return list(last)
        with self._lock:
            self._last_top[(n, scope)] = found
        return found

    def counts(self, article_id: int) -> tuple[int, int]:
        try:
            return self.inner.counts(article_id)
        except RedisUnavailable as exc:
            self._down("counts", exc)
            stats = self.inner.store.stats(article_id)
            return stats.views, stats.shares

    def mark_seen(self, reader: str, article_id: int, kind: str, at: datetime) -> None:
        try:
            self.inner.mark_seen(reader, article_id, kind, at)
        except RedisUnavailable as exc:
            self._down("dedupe mark", exc)

    def heal(self, scopes_of: ScopesOf | None = None, now: datetime | None = None) -> int:
        try:
            return self.inner.heal(scopes_of, now)
        except RedisUnavailable as exc:
            self._down("hot-list rebuild check", exc)
            return 0

    # -- everything else goes straight through -------------------------------------------------------
    def record_many(self, events: Sequence[Event]) -> list[bool]:
        return self.inner.record_many(events)

    def record_durable(self, event: Event) -> Outcome:
        return self.inner.record_durable(event)

    def flush(self) -> int:
        return self.inner.flush()

    def load(self, now: datetime | None = None, scopes_of: ScopesOf | None = None) -> int:
        return self.inner.load(now, scopes_of)

    def forget(self, article_id: int, scopes: Sequence[int] = ()) -> None:
        """Drop from the last known lists too; during an outage the withdrawal still goes through (the hot
        lists only show catalogue articles, so a stale Redis entry is never shown)."""
        with self._lock:  # a withdrawn article must not come back from the last known lists
            for key, items in self._last_top.items():
                self._last_top[key] = [(aid, s) for aid, s in items if aid != article_id]
        try:
            self.inner.forget(article_id, scopes)
        except RedisUnavailable as exc:
            self._down("withdrawal from the hot lists", exc)

    def close(self) -> None:
        self.inner.close()
