"""The embedded counters: gate and decayed scores in this process, counted events persisted to the store.

Events are buffered and written in batches (:meth:`flush`, called about once a second by the web app), so a
page view costs a dict update, not a database write. On start-up the decayed scores are rebuilt from the
stored events of the last few half-lives.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

from newsportal.counters.decay import DecayedScores
from newsportal.counters.gate import EventGate, is_bot
from newsportal.store import Store

WEIGHTS = {"view": 1.0, "share": 5.0}  # a share is a stronger signal of interest than a view


def _epoch(dt: datetime) -> float:
    return dt.replace(tzinfo=timezone.utc).timestamp()


class EmbeddedCounters:
    def __init__(self, store: Store, half_life_hours: float = 6.0, dedupe_seconds: float = 1800.0):
        self.store = store
        self.scores = DecayedScores(half_life_hours * 3600.0, t0=time.time())
        self.gate = EventGate(dedupe_seconds)
        self._pending: list[tuple[int, str, datetime]] = []
        self._live: dict[int, list[int]] = {}  # counted but not yet flushed, per article: [views, shares]
        self._lock = threading.Lock()

    def load(self, now: datetime | None = None) -> int:
        """Rebuild decayed scores from stored events; events older than 10 half-lives weigh < 0.1%."""
        now = now or datetime.now(timezone.utc).replace(tzinfo=None)
        since = now - timedelta(seconds=self.scores.half_life * 10)
        events = self.store.events_since(since)
        with self._lock:
            for article_id, kind, at in events:
                self.scores.add(article_id, WEIGHTS.get(kind, 1.0), _epoch(at))
        return len(events)

    def record(
        self,
        article_id: int,
        kind: str,
        reader: str,
        user_agent: str | None,
        at: datetime | None = None,
    ) -> bool:
        """Count one event if it passes the gate; returns whether it was counted."""
        if kind not in WEIGHTS or is_bot(user_agent):
            return False
        at = at or datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
        ts = _epoch(at)
        with self._lock:
            if not self.gate.admit(reader, article_id, kind, ts):
                return False
            self.scores.add(article_id, WEIGHTS[kind], ts)
            self._pending.append((article_id, kind, at))
            live = self._live.setdefault(article_id, [0, 0])
            live[0 if kind == "view" else 1] += 1
        return True

    def flush(self) -> int:
        """Write buffered events to the store; on failure they are kept for the next flush."""
        with self._lock:
            batch, self._pending = self._pending, []
            live, self._live = self._live, {}
        if not batch:
            return 0
        try:
            self.store.add_events(batch)
        except Exception:
            with self._lock:
                self._pending = batch + self._pending
                for aid, (v, s) in live.items():
                    cur = self._live.setdefault(aid, [0, 0])
                    cur[0] += v
                    cur[1] += s
            raise
        return len(batch)

    def counts(self, article_id: int) -> tuple[int, int]:
        """Views and shares including events not yet flushed."""
        views, shares = self.store.stats(article_id)
        with self._lock:
            pv, ps = self._live.get(article_id, (0, 0))
        return views + pv, shares + ps

    def pending_delta(self, article_id: int) -> tuple[int, int]:
        with self._lock:
            pv, ps = self._live.get(article_id, (0, 0))
        return pv, ps

    def top(self, n: int, keep=None, now: float | None = None) -> list[tuple[int, float]]:
        with self._lock:
            return self.scores.top(n, time.time() if now is None else now, keep)

    def forget(self, article_id: int) -> None:
        with self._lock:
            self.scores.discard(article_id)
