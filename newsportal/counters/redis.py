"""The Redis counters: gate, flood cap and decayed hot scores shared by every web worker through one Redis.

Same semantics as :class:`~newsportal.counters.embedded.EmbeddedCounters`; the state that the embedded
counters keep in one process lives in Redis instead, so any number of workers (and hosts) act as one.

Round trips
    :meth:`record_many` filters bots and unknown kinds in Python, then sends the whole batch to one Lua
    script (``EVALSHA``, all events as ARGV): dedupe, flood cap, scoring and live counts happen atomically
    on the server, so a batch of 1000 events costs one round trip. Inside the script, score increments
    are summed per (set, article) and written once per batch, so a popular article costs one ``ZINCRBY``
    per scope per batch. :meth:`top`, :meth:`counts`, :meth:`forget` and the post-flush sync are one
    script call each.

Keys (all under ``prefix``, ``np:`` by default)
    ``hot:g``                 sorted set, global scope: article id -> score
    ``hot:c:{channel}``       sorted set per channel scope
    ``hot:keys``              set of the sorted-set keys ever written (for rebase, forget and prune)
    ``t0``                    reference time (epoch seconds) of the stored scores
    ``seen:{reader}``         hash ``{article}:{kind}`` -> event time of the last *counted* event; expires
                              ``dedupe_seconds + 60`` s after the reader's last event. One hash per reader
                              rather than one key per (reader, article, kind): far less memory, and a
                              heavy reader's stale fields are pruned in the script once the hash grows.
    ``rate:{reader}:{minute}`` counted events of a reader in one minute of event time; expires after 120 s
    ``workers``               sorted set: worker id -> last heartbeat (Redis ``TIME``)
    ``pending:{worker}``      hash ``{article}:{kind}`` -> events this worker counted but has not yet
                              written to the store
    ``rebuild``               lock held while one worker rebuilds lost scores from the store

Decay
    A counted event adds ``WEIGHTS[kind] * 2 ** ((at - t0) / half_life)`` to the global set and to the set
    of each of its scopes; ``top`` multiplies by ``2 ** (-(now - t0) / half_life)``. ``t0`` is set by the
    first scored event. When an event's exponent passes ``REBASE_EXPONENT`` the script rescales every set
    listed in ``hot:keys`` and moves ``t0``, in the same atomic call (scores that underflow to zero are
    dropped). Dedupe and flood cap compare event times (``at``), as the embedded counters do; key expiry
    uses the wall clock only to bound memory.

Counts across workers
    The database (``store.stats``) holds the flushed totals; what is missing there are the events each
    worker has counted and not yet flushed (about a second's worth). Each worker mirrors its own unflushed
    per-article deltas in ``pending:{worker}`` (the record script increments it in the same atomic call
    that counts the event), so ``counts(a) = store.stats(a) + sum over live workers of pending[a]``: every
    worker sees every other worker's events immediately, and nothing is counted twice once it is flushed,
    because a flush commits to the database first and then replaces ``pending:{worker}`` with what is still
    unflushed locally. The local buffer is the source of truth for that hash (the record call and the sync
    run under the same lock), so the hash heals itself on the next flush after any error.

    A worker that dies loses its unflushed events (as the embedded counters would); its ``pending`` hash
    keeps counting them until its heartbeat (refreshed by every record and by every flush while it holds
    events) is older than ``worker_timeout`` (60 s), and is deleted by the next flush of any worker. A
    live worker found reaped (idle longer than the timeout while holding events) republishes its buffer on
    its next call. Otherwise the only inexactness is the moment of a flush: the database commit and the
    sync are two steps and ``counts`` reads the database and Redis one after the other, so a concurrent
    read may see one batch twice or not at all for a few milliseconds. Totals never drift.

Restart and data loss
    Scores live in Redis, so :meth:`load` after a worker restart does nothing. If the global set is gone
    (Redis lost its data) and the store has events from the last ten half-lives, one worker (under the
    ``rebuild`` lock) replays them into the sorted sets (:mod:`newsportal.counters.redis_heal`).

The Lua scripts are in :mod:`newsportal.counters.redis_lua`. Scripts build key names from the prefix, so
they suit a single Redis (or a primary with replicas), not Redis Cluster. A dead Redis raises
:class:`RedisUnavailable` after the socket timeouts (2 s to connect, 5 s per call), never hangs.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from newsportal.counters import redis_lua as lua
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
)
from newsportal.counters.breadth import BreadthRule
from newsportal.counters.gate import is_bot
from newsportal.counters.redis_heal import ScoreRebuild
from newsportal.counters.redis_lua import scopes_arg
from newsportal.store import Store
from newsportal.timeutil import to_epoch

log = logging.getLogger(__name__)
#: Seconds after its last heartbeat at which a worker's unflushed counts stop counting (and are reaped).
WORKER_TIMEOUT = 60.0


class RedisUnavailable(ConnectionError):
    """Redis did not answer (refused, timed out or dropped the connection)."""


def _glob_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


def _decayed(score: float, exponent: float) -> float:
    """``score * 2 ** exponent`` without overflow in the intermediate power."""
    try:
        return score * math.pow(2.0, exponent)
    except OverflowError:
        if score <= 0:
            return 0.0
        try:
            return math.pow(2.0, math.log2(score) + exponent)
        except OverflowError:
            return math.inf


class RedisCounters(Counters):
    def __init__(
        self,
        url: str,
        store: Store,
        half_life_hours: float = 6.0,
        dedupe_seconds: float = 1800.0,
        reader_events_per_minute: int = READER_EVENTS_PER_MINUTE,
        breadth: BreadthRule | None = None,
        *,
        prefix: str = "np:",
        worker_timeout: float = WORKER_TIMEOUT,
        socket_timeout: float = 5.0,
        connect_timeout: float = 2.0,
    ):
        if half_life_hours <= 0:
            raise ValueError("half-life must be positive")
        self.store = store
        self.half_life = half_life_hours * 3600.0
        self.dedupe_seconds = float(dedupe_seconds)
        self.reader_cap = int(reader_events_per_minute)
        self.breadth = breadth or BreadthRule()
        self.prefix = prefix
        self.worker_timeout = float(worker_timeout)
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        parts = urlsplit(url)
        self._where = f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else parts.path
        self._r = redis.Redis.from_url(
            url,
            decode_responses=False,
            socket_timeout=socket_timeout,
            socket_connect_timeout=connect_timeout,
            # One immediate retry covers a pooled connection that went stale (Redis restarted); more would
            # only delay the error when Redis is down.
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.exceptions.ConnectionError,)),
            retry_on_timeout=False,
            health_check_interval=30,
        )
        self._record = self._r.register_script(lua.RECORD)
        self._replay = self._r.register_script(lua.REPLAY)
        self._top = self._r.register_script(lua.TOP)
        self._counts = self._r.register_script(lua.COUNTS)
        self._sync = self._r.register_script(lua.SYNC)
        self._forget = self._r.register_script(lua.FORGET)
        self._prune = self._r.register_script(lua.PRUNE)
        self._rebuild = ScoreRebuild(self._r, store, prefix=prefix, worker_id=self.worker_id,
                                     half_life=self.half_life, replay=self._replay,
                                     unlock=self._r.register_script(lua.UNLOCK))
        weights: list = [len(WEIGHTS)]
        for kind, weight in WEIGHTS.items():
            weights += [kind, weight]
        self._header = [
            prefix,
            self.worker_id,
            self.half_life,
            REBASE_EXPONENT,
            self.dedupe_seconds,
            self.reader_cap,
            max(1, math.ceil(self.dedupe_seconds)) + 60,
            self.breadth.min_origins,
            self.breadth.cap,
            self.breadth.window,
            *weights,
        ]
        self._pending: list[tuple[int, str, datetime]] = []  # counted and scored, not yet in the store
        self._unscored: list[tuple[int, str, datetime]] = []  # counted, kept out of the scores, not stored
        self._live: dict[int, list[int]] = {}  # the same per article, [views, shares]: mirrors pending:{wid}
        self._registered = False  # this worker has put itself in the workers set before
        self._dirty = False  # pending:{wid} may differ from self._live (a call failed half-way)
        self._lock = threading.Lock()  # held across the Redis calls that touch pending:{wid}

    # -- plumbing ----------------------------------------------------------------------------------------
    @contextmanager
    def _redis(self, what: str):
        try:
            yield
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise RedisUnavailable(f"Redis at {self._where} is unavailable ({what}): {exc}") from exc

    def _sync_locked(self) -> None:
        """Make pending:{wid} equal to this worker's unflushed counts; heartbeat; reap dead workers."""
        args: list = [self.prefix, self.worker_id, self.worker_timeout]
        for aid, (views, shares) in self._live.items():
            if views:
                args += [f"{aid}:view", views]
            if shares:
                args += [f"{aid}:share", shares]
        self._dirty = True
        with self._redis("sync"):
            self._sync(args=args)
        self._dirty = False
        self._registered = True

    # -- ingest ------------------------------------------------------------------------------------------
    def record_many(self, events: Sequence[Event]) -> list[bool]:
        return [why is None for why in self._record_detail(events)]

    def _record_detail(self, events: Sequence[Event]) -> list[str | None]:
        """Per event None when counted, else why not; raises :class:`RedisUnavailable`."""
        out: list[str | None] = [None] * len(events)
        args = list(self._header)
        sent: list[int] = []
        for idx, ev in enumerate(events):
            if ev.kind not in WEIGHTS:
                out[idx] = UNKNOWN_KIND
                continue
            if is_bot(ev.user_agent):
                out[idx] = BOT
                continue
            sent.append(idx)
            args += (ev.article_id, ev.kind, ev.reader, to_epoch(ev.at), scopes_arg(tuple(ev.scopes)),
                     ev.origin)
        if not sent:
            return out
        with self._lock:
            try:
                with self._redis("record"):
                    flags, fresh = self._record(args=args)
            except Exception:
                self._dirty = True  # the script may have run; the next flush re-syncs pending:{wid}
                raise
            for flag, idx in zip(flags, sent, strict=True):
                if flag in (49, 50):  # b"1" scored, b"2" counted only
                    ev = events[idx]
                    row = (ev.article_id, ev.kind, ev.at)
                    (self._pending if flag == 49 else self._unscored).append(row)
                    live = self._live.get(ev.article_id)
                    if live is None:
                        live = self._live[ev.article_id] = [0, 0]
                    live[0 if ev.kind == "view" else 1] += 1
                else:
                    out[idx] = READER_FLOOD if flag == 114 else REPEAT  # b"r", b"d"
            if fresh and self._registered:
                # Reaped while holding unflushed events: the hash only has this batch, publish the rest.
                self._sync_locked()
            self._registered = True
        return out

    def record_durable(self, event: Event) -> Outcome:
        """Counted once the Lua call succeeded (Redis holds it); then written through to the store at once.

        The write-through is best effort: if the database fails the event stays buffered for the flush
        loop, and the reply still says counted, because it is (a retry would only be refused as a repeat).
        """
        try:
            why = self._record_detail([event])[0]
        except RedisUnavailable:
            return Outcome(False, UNAVAILABLE)
        if why is not None:
            return Outcome(False, why)
        try:
            self.flush()
        except Exception:  # buffered, retried by the flush loop
            log.warning("write-through of a counted event failed; it stays buffered", exc_info=True)
        return Outcome(True)

    def mark_seen(self, reader: str, article_id: int, kind: str, at: datetime) -> None:
        if self.dedupe_seconds <= 0:
            return
        key = f"{self.prefix}seen:{reader}"
        with self._redis("mark_seen"):
            pipe = self._r.pipeline(transaction=False)
            pipe.hset(key, f"{article_id}:{kind}", repr(to_epoch(at)))
            pipe.expire(key, max(1, math.ceil(self.dedupe_seconds)) + 60)
            pipe.execute()

    # -- reads -------------------------------------------------------------------------------------------
    def _key(self, scope: int | None) -> str:
        return f"{self.prefix}hot:g" if scope is None else f"{self.prefix}hot:c:{scope}"

    def top(self, n: int, scope: int | None = None, now: float | None = None) -> list[tuple[int, float]]:
        if n <= 0:
            return []
        now = time.time() if now is None else now
        with self._redis("top"):
            t0, flat = self._top(args=[self.prefix, self._key(scope), n])
        if not flat:
            return []
        exponent = -(now - float(t0)) / self.half_life if t0 is not None else 0.0
        return [(int(flat[i]), _decayed(float(flat[i + 1]), exponent)) for i in range(0, len(flat), 2)]

    def counts(self, article_id: int) -> tuple[int, int]:
        views, shares = self.store.stats(article_id)
        with self._redis("counts"):
            pv, ps = self._counts(args=[self.prefix, article_id, self.worker_timeout, "view", "share"])
        return views + int(pv), shares + int(ps)

    # -- persistence -------------------------------------------------------------------------------------
    def flush(self) -> int:
        with self._lock:
            batch, self._pending = self._pending, []
            unscored, self._unscored = self._unscored, []
        failure: Exception | None = None
        if batch or unscored:
            try:
                self.store.add_events(batch, unscored=unscored) if unscored else self.store.add_events(batch)
            except Exception as exc:
                failure = exc
                with self._lock:  # keep them for the next try; nothing is lost
                    self._pending = batch + self._pending
                    self._unscored = unscored + self._unscored
            else:
                with self._lock:
                    for aid, kind, _ in (*batch, *unscored):
                        live = self._live[aid]
                        live[0 if kind == "view" else 1] -= 1
                        if live == [0, 0]:
                            del self._live[aid]
                    self._dirty = True
        with self._lock:
            if self._dirty or self._live:  # also the heartbeat that keeps our pending counts alive
                try:
                    self._sync_locked()
                except RedisUnavailable:
                    # The batch is in the store either way (not retried); ``_dirty`` keeps the re-sync due.
                    if failure is None:
                        raise
        if failure is not None:
            raise failure
        return len(batch) + len(unscored)

    def load(self, now: datetime | None = None, scopes_of: ScopesOf | None = None) -> int:
        """Nothing to do while Redis holds the scores; rebuild them from the store if Redis lost them."""
        return self.heal(scopes_of, now)

    def heal(self, scopes_of: ScopesOf | None = None, now: datetime | None = None) -> int:
        """Rebuild the scores from the store when the ``built`` marker is gone (Redis lost its data).

        The marker, not the global set, is the test: after a flush new events recreate the sets within
        seconds, and those partial sets must not pass for complete ones. Cheap enough (one EXISTS) for the
        web app to call every few seconds; one worker rebuilds under a lock (:mod:`.redis_heal`).
        """
        with self._redis("heal"):
            return self._rebuild.heal(scopes_of, now)

    def forget(self, article_id: int, scopes: Sequence[int] = ()) -> None:
        # Every list the article may sit in, not only ``scopes``: it may have moved channels since.
        with self._redis("forget"):
            self._forget(args=[self.prefix, article_id])

    def prune(self, threshold: float = 0.01, now: float | None = None) -> int:
        """Forget articles whose decayed score fell below ``threshold``; memory follows activity."""
        now = time.time() if now is None else now
        with self._redis("prune"):
            return int(self._prune(args=[self.prefix, self.half_life, threshold, now]))

    # -- housekeeping ------------------------------------------------------------------------------------
    def drop_all(self) -> int:
        """Delete every key under this instance's prefix (tests, or resetting a site's counters)."""
        dropped = 0
        with self._redis("drop_all"):
            batch = []
            for key in self._r.scan_iter(match=_glob_escape(self.prefix) + "*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    dropped += self._r.unlink(*batch)
                    batch = []
            if batch:
                dropped += self._r.unlink(*batch)
        return dropped

    def close(self) -> None:
        self._r.close()
