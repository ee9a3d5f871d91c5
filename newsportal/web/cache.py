"""The page cache: every reader page is served from here, built at most once per key at a time.

The article page is the hottest path on a portal; rendering it costs milliseconds, serving it from memory
costs microseconds. Three rules keep that true under load:

- **build once**: concurrent requests for a key that is missing share one build (they wait for it), so a
  burst on a cold page renders it once, not once per connection;
- **stale while rebuilding**: an expired entry is still served (for up to ``max_stale`` seconds) while one
  rebuild runs in the background, so expiry never makes readers wait or stampedes the renderer;
- **purge**: the publish flow's signals purge one key or everything; a build that was running when its key
  was purged is not stored, since it may have read the data from before the write.

Builds are blocking functions (they query the store and render Jinja templates); ``runner`` moves them off
the event loop. Time comes from ``clock`` so tests control expiry without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import anyio.to_thread

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: Seconds on a monotonic scale (``time.monotonic`` in the app, a settable number in tests).
Clock = Callable[[], float]
#: Runs a blocking build away from the event loop and returns its result.
Runner = Callable[[Callable[[], Any]], Awaitable[Any]]


async def _in_worker_thread(build: Callable[[], V]) -> V:
    return await anyio.to_thread.run_sync(build)


@dataclass(frozen=True, slots=True)
class Hit(Generic[V]):
    """A cached value and whether it is still within its time to live."""

    value: V
    fresh: bool


class _Flight:
    """One running build of one key; requests for the key while it runs await ``task``."""

    __slots__ = ("task",)

    def __init__(self) -> None:
        self.task: asyncio.Future[Any] | None = None


class PageCache(Generic[K, V]):
    """Time-bounded, size-bounded map of rendered pages (or page parts) with single-flight builds.

    Reads never lock (a dict lookup is atomic); writes and purges take a lock because purges arrive from
    worker threads (a publish through the API runs in the threadpool) while the event loop reads.
    """

    def __init__(
        self,
        ttl: float,
        max_entries: int = 4096,
        *,
        max_stale: float = 60.0,
        clock: Clock = time.monotonic,
        runner: Runner = _in_worker_thread,
        keep: Callable[[V], bool] | None = None,
    ):
        if ttl <= 0 or max_entries < 1 or max_stale < 0:
            raise ValueError("ttl and max_entries must be positive, max_stale not negative")
        self.ttl = float(ttl)
        self.max_entries = max_entries
        self.max_stale = float(max_stale)
        self._clock = clock
        self._runner = runner
        #: which built values are worth storing (e.g. not a 404 page); everything by default
        self._keep = keep
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._inflight: dict[K, _Flight] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.builds = 0

    # -- reading --------------------------------------------------------------------------------------
    def lookup(self, key: K) -> Hit[V] | None:
        """The cached value for ``key`` (fresh, or stale but within ``max_stale``), or None."""
        entry = self._data.get(key)
        if entry is None:
            self.misses += 1
            return None
        expires, value = entry
        now = self._clock()
        if expires >= now:
            self.hits += 1
            return Hit(value, True)
        if expires + self.max_stale >= now:
            self.hits += 1
            return Hit(value, False)
        self.misses += 1
        return None

    async def get(self, key: K, build: Callable[[], V]) -> V:
        """The value for ``key``: from the cache if there, else from one shared run of ``build``.

        A stale value is returned at once and one background rebuild is started (unless one runs).
        """
        hit = self.lookup(key)
        if hit is None:
            # shield: a reader who disconnects cancels only their wait, not the build others share
            return await asyncio.shield(self._start(key, build))
        if not hit.fresh:
            self._start(key, build)
        return hit.value

    def building(self, key: K) -> asyncio.Future[Any] | None:
        """The build of ``key`` running now, if any (tests await it; pages never need to)."""
        flight = self._inflight.get(key)
        return None if flight is None else flight.task

    def put(self, key: K, value: V) -> V:
        """Store ``value`` as fresh now (builds do this themselves; exposed for warm-up and tests)."""
        with self._lock:
            self._store(key, value)
        return value

    # -- purging --------------------------------------------------------------------------------------
    def purge(self, key: K) -> None:
        """Forget ``key``; a build of it that is running will not be stored."""
        with self._lock:
            self._data.pop(key, None)
            self._inflight.pop(key, None)

    def purge_all(self) -> None:
        """Forget everything; no build running now will be stored."""
        with self._lock:
            self._data.clear()
            self._inflight.clear()

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    # -- building -------------------------------------------------------------------------------------
    def _start(self, key: K, build: Callable[[], V]) -> asyncio.Future[Any]:
        with self._lock:
            flight = self._inflight.get(key)
            if flight is not None and flight.task is not None:
                return flight.task
            flight = self._inflight[key] = _Flight()
            task = flight.task = asyncio.ensure_future(self._run(key, build, flight))
        task.add_done_callback(_retrieve_failure)
        return task

    async def _run(self, key: K, build: Callable[[], V], flight: _Flight) -> V:
        self.builds += 1
        try:
            value: V = await self._runner(build)
        except BaseException:
            with self._lock:
                if self._inflight.get(key) is flight:
                    del self._inflight[key]
            raise
        with self._lock:
            # Not current any more: the key was purged while this build ran, so its result may predate a
            # write. Those who were waiting still get it (as if they had come a moment earlier).
            if self._inflight.get(key) is flight:
                del self._inflight[key]
                if self._keep is None or self._keep(value):
                    self._store(key, value)
        return value

    def _store(self, key: K, value: V) -> None:
        self._data[key] = (self._clock() + self.ttl, value)
        self._data.move_to_end(key)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)


def _retrieve_failure(task: asyncio.Future[Any]) -> None:
    """Log a failed background rebuild (nobody awaits it); a waited-for build raises to its waiters too."""
    if not task.cancelled() and task.exception() is not None:
        log.warning("page build failed", exc_info=task.exception())
