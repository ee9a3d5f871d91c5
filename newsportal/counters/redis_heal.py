"""Rebuilding the Redis hot scores from the stored events, after Redis lost its data.

The scores live only in Redis; every counted event is also written to the store (``Store.add_events``).
When the ``built`` marker is gone (a Redis restart without persistence, a flush of the database), the
scores in Redis are partial at best, so one worker, under the ``rebuild`` lock, deletes them and replays
the events of the last ten half-lives through the same scoring code the record script uses
(:data:`~newsportal.counters.redis_lua.REPLAY`), in chunks of :data:`REPLAY_CHUNK` events per call.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import redis

from newsportal.counters.base import REBASE_EXPONENT, WEIGHTS, ScopesOf
from newsportal.counters.redis_lua import scopes_arg
from newsportal.store import Store, StoredEvent
from newsportal.timeutil import to_epoch

__all__ = ["REPLAY_CHUNK", "ScoreRebuild"]

#: Events per replay call when scores are rebuilt from the store.
REPLAY_CHUNK = 2000
#: How long the rebuild lock is held at most (seconds), should its holder die half-way.
LOCK_SECONDS = 600

Script = Callable[..., Any]


class ScoreRebuild:
    """Heals one prefix's scores: ``replay`` and ``unlock`` are the registered Lua scripts of the counters."""

    def __init__(self, client: redis.Redis, store: Store, *, prefix: str, worker_id: str, half_life: float,
                 replay: Script, unlock: Script) -> None:
        self._r = client
        self.store = store
        self.prefix = prefix
        self.worker_id = worker_id
        self.half_life = half_life
        self._replay = replay
        self._unlock = unlock

    def heal(self, scopes_of: ScopesOf | None = None, now: datetime | None = None) -> int:
        """Rebuild when the marker is gone; events replayed (0 when nothing was due or another worker did)."""
        marker = f"{self.prefix}built"
        if self._r.exists(marker):
            return 0
        now = now or datetime.now(UTC).replace(tzinfo=None)
        lock, token = f"{self.prefix}rebuild", uuid.uuid4().hex
        if not self._r.set(lock, token, nx=True, ex=LOCK_SECONDS):
            return 0  # another worker is rebuilding
        try:
            if self._r.exists(marker):
                return 0  # rebuilt by a worker that held the lock just before us
            events = self.store.events_since(now - timedelta(seconds=self.half_life * 10))
            keys = [k for k in self._r.smembers(f"{self.prefix}hot:keys")]
            self._r.delete(*keys, f"{self.prefix}hot:g", f"{self.prefix}t0", f"{self.prefix}hot:keys")
            replayed = self.replay(events, scopes_of) if events else 0
            self._r.set(marker, str(time.time()))
            return replayed
        finally:
            self._unlock(args=[lock, token])

    def replay(self, events: Sequence[StoredEvent], scopes_of: ScopesOf | None) -> int:
        """Score ``events`` into the sorted sets (articles no longer published are skipped)."""
        scopes_cache: dict[int, tuple[int, ...] | None] = {}
        header: list[str | int | float] = [self.prefix, self.worker_id, self.half_life, REBASE_EXPONENT]
        args, in_chunk, replayed = list(header), 0, 0
        for article_id, kind, at in events:
            if article_id not in scopes_cache:
                scopes_cache[article_id] = scopes_of(article_id) if scopes_of else ()
            scopes = scopes_cache[article_id]
            if scopes is None:  # no longer published
                continue
            args += (article_id, WEIGHTS.get(kind, 1.0), to_epoch(at), scopes_arg(tuple(scopes)))
            in_chunk += 1
            if in_chunk >= REPLAY_CHUNK:
                replayed += self._replay(args=args)
                args, in_chunk = list(header), 0
        if in_chunk:
            replayed += self._replay(args=args)
        return replayed
