"""The embedded counters: gate, flood cap and decayed scores in this process; events persisted to the store.

Events are buffered and written in batches (:meth:`flush`, called about once a second by the web app), so a
page view costs a few dict and sorted-list updates, not a database write. Each scope keeps its scores in a
sorted list, so reading a hot list is a slice, whatever the number of articles. On start-up the scores are
rebuilt from the stored events of the last ten half-lives.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sortedcontainers import SortedList

from newsportal.counters.base import (
    BOT,
    READER_EVENTS_PER_MINUTE,
    READER_FLOOD,
    REBASE_EXPONENT,
    REPEAT,
    UNAVAILABLE,
    UNKNOWN_KIND,
    WEIGHTS,
    Counters,
    Event,
    Outcome,
    ScopesOf,
    growth,
)
from newsportal.counters.breadth import BreadthGuard, BreadthRule
from newsportal.counters.gate import EventGate, is_bot
from newsportal.store import Store
from newsportal.timeutil import to_epoch

log = logging.getLogger(__name__)


class _Scope:
    """Scores of one hot list: a dict for lookup and a sorted list of (-score, id) for the top."""

    __slots__ = ("scores", "order")

    def __init__(self) -> None:
        self.scores: dict[int, float] = {}
        self.order = SortedList()

    def add(self, key: int, amount: float) -> None:
        old = self.scores.get(key)
        if old is not None:
            self.order.remove((-old, key))
        new = (old or 0.0) + amount
        self.scores[key] = new
        self.order.add((-new, key))

    def discard(self, key: int) -> None:
        old = self.scores.pop(key, None)
        if old is not None:
            self.order.remove((-old, key))

    def scale(self, factor: float) -> None:
        self.scores = {k: s * factor for k, s in self.scores.items()}
        self.order = SortedList((-s, k) for k, s in self.scores.items())


class EmbeddedCounters(Counters):
    def __init__(
        self,
        store: Store,
        half_life_hours: float = 6.0,
        dedupe_seconds: float = 1800.0,
        reader_events_per_minute: int = READER_EVENTS_PER_MINUTE,
        breadth: BreadthRule | None = None,
    ):
        if half_life_hours <= 0:
            raise ValueError("half-life must be positive")
        self.store = store
        self.half_life = half_life_hours * 3600.0
        self.t0 = time.time()
        self.gate = EventGate(dedupe_seconds)
        self.reader_cap = reader_events_per_minute
        self._rate: dict[tuple[str, int], int] = {}
        self._rate_minute = 0
        self._scopes: dict[int | None, _Scope] = {None: _Scope()}
        self.breadth = BreadthGuard(breadth)
        self._pending: list[tuple[int, str, datetime]] = []
        self._unscored: list[tuple[int, str, datetime]] = []  # counted, kept out of the scores
        self._live: dict[int, list[int]] = {}
        self._lock = threading.Lock()

    # -- ingest ----------------------------------------------------------------------------------------
    def record_many(self, events: Sequence[Event]) -> list[bool]:
        out = []
        with self._lock:
            for ev in events:
                out.append(self._record_locked(ev))
        return out

    def _record_locked(self, ev: Event) -> bool:
        if self._admit_locked(ev) is not None:
            return False
        scored = self._score_event_locked(ev)
        (self._pending if scored else self._unscored).append((ev.article_id, ev.kind, ev.at))
        live = self._live.setdefault(ev.article_id, [0, 0])
        live[0 if ev.kind == "view" else 1] += 1
        return True

    def _admit_locked(self, ev: Event) -> str | None:
        """None when the event counts, else why not (bot, repeat inside the window, reader flood)."""
        if ev.kind not in WEIGHTS:
            return UNKNOWN_KIND
        if is_bot(ev.user_agent):
            return BOT
        ts = to_epoch(ev.at)
        if not self.gate.admit(ev.reader, ev.article_id, ev.kind, ts):
            return REPEAT
        if not self._within_rate(ev.reader, ts):
            return READER_FLOOD
        return None

    def _score_event_locked(self, ev: Event) -> bool:
        """Add a counted event to the hot scores if the breadth rule lets it; returns whether it did."""
        ts = to_epoch(ev.at)
        if not self.breadth.scores(ev.article_id, ev.origin, ts):
            return False
        self._score_locked(ev.article_id, WEIGHTS[ev.kind], ts, ev.scopes)
        return True

    def record_durable(self, event: Event) -> Outcome:
        """Admit, write to the store in this call, then score: an acknowledged event is on disk.

        The write happens before the score so a failed write leaves no trace: the dedupe entry is taken
        back and the reply says the event was not counted (a retry may then count it).
        """
        with self._lock:
            reason = self._admit_locked(event)
        if reason is not None:
            return Outcome(False, reason)
        ts = to_epoch(event.at)
        with self._lock:
            scored = self.breadth.scores(event.article_id, event.origin, ts)
        row = (event.article_id, event.kind, event.at)
        try:
            if scored:
                self.store.add_events([row])
            else:
                self.store.add_events([], unscored=[row])
        except Exception:
            log.exception("event for article %s not stored", event.article_id)
            with self._lock:
                self.gate.forget(event.reader, event.article_id, event.kind)
            return Outcome(False, UNAVAILABLE)
        if scored:
            with self._lock:
                self._score_locked(event.article_id, WEIGHTS[event.kind], ts, event.scopes)
        return Outcome(True)

    def mark_seen(self, reader: str, article_id: int, kind: str, at: datetime) -> None:
        with self._lock:
            self.gate.admit(reader, article_id, kind, to_epoch(at))

    def _within_rate(self, reader: str, ts: float) -> bool:
        minute = int(ts // 60)
        if minute != self._rate_minute:
            # Keep only the current and previous minute: the window slides, memory does not grow.
            self._rate = {k: v for k, v in self._rate.items() if k[1] >= minute - 1}
            self._rate_minute = minute
        key = (reader, minute)
        used = self._rate.get(key, 0)
        if used >= self.reader_cap:
            return False
        self._rate[key] = used + 1
        return True

    def _score_locked(self, article_id: int, weight: float, ts: float, scopes: Sequence[int]) -> None:
        if (ts - self.t0) / self.half_life > REBASE_EXPONENT:
            factor = growth(self.t0, ts, self.half_life)
            for scope in self._scopes.values():
                scope.scale(factor)
            self.t0 = ts
        amount = weight * growth(ts, self.t0, self.half_life)
        for key in (None, *scopes):
            bucket = self._scopes.get(key)
            if bucket is None:
                bucket = self._scopes[key] = _Scope()
            bucket.add(article_id, amount)

    # -- reads -----------------------------------------------------------------------------------------
    def top(self, n: int, scope: int | None = None, now: float | None = None) -> list[tuple[int, float]]:
        now = time.time() if now is None else now
        with self._lock:
            s = self._scopes.get(scope)
            if s is None or n <= 0:
                return []
            decay = math.pow(2.0, -(now - self.t0) / self.half_life)
            return [(k, -neg * decay) for neg, k in s.order[:n]]

    def counts(self, article_id: int) -> tuple[int, int]:
        views, shares = self.store.stats(article_id)
        with self._lock:
            pv, ps = self._live.get(article_id, (0, 0))
        return views + pv, shares + ps

    # -- persistence -----------------------------------------------------------------------------------
    def flush(self) -> int:
        with self._lock:
            batch, self._pending = self._pending, []
            unscored, self._unscored = self._unscored, []
            live, self._live = self._live, {}
        self._maybe_prune_events()
        if not batch and not unscored:
            return 0
        try:
            self.store.add_events(batch, unscored=unscored) if unscored else self.store.add_events(batch)
        except Exception:
            with self._lock:  # keep them for the next try; nothing is lost
                self._pending = batch + self._pending
                self._unscored = unscored + self._unscored
                for aid, (v, s) in live.items():
                    cur = self._live.setdefault(aid, [0, 0])
                    cur[0] += v
                    cur[1] += s
            raise
        return len(batch) + len(unscored)

    def _maybe_prune_events(self) -> None:
        """Once an hour drop stored events older than ten half-lives: they weigh < 0.1% of a score."""
        now = time.monotonic()
        if now - getattr(self, "_last_event_prune", 0.0) < 3600:
            return
        self._last_event_prune = now
        cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=self.half_life * 10)
        self.store.prune_events(cutoff)

    def load(self, now: datetime | None = None, scopes_of: ScopesOf | None = None) -> int:
        """Rebuild scores from stored events; ``scopes_of(article_id)`` gives an article's channel scopes."""
        now = now or datetime.now(UTC).replace(tzinfo=None)
        events = self.store.events_since(now - timedelta(seconds=self.half_life * 10))
        with self._lock:
            for article_id, kind, at in events:
                scopes = scopes_of(article_id) if scopes_of else ()
                if scopes is None:  # no longer published
                    continue
                self._score_locked(article_id, WEIGHTS.get(kind, 1.0), to_epoch(at), scopes)
        return len(events)

    def forget(self, article_id: int, scopes: Sequence[int] = ()) -> None:
        with self._lock:
            for scope in self._scopes.values():
                scope.discard(article_id)

    def prune(self, threshold: float = 0.01, now: float | None = None) -> int:
        """Forget articles whose decayed score fell below ``threshold``; memory follows activity."""
        now = time.time() if now is None else now
        limit = threshold * growth(now, self.t0, self.half_life)
        dropped = 0
        with self._lock:
            for scope in self._scopes.values():
                dead = [k for k, s in scope.scores.items() if s < limit]
                for k in dead:
                    scope.discard(k)
                dropped += len(dead)
        return dropped
