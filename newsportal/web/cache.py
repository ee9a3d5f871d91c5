"""A small time-bounded cache for rendered pages and shared page modules.

The article page is the hottest path on a portal; rendering it (every module) costs a few milliseconds, serving
it from here costs microseconds. Entries live ``ttl`` seconds, so the related and hot lists on a page are at
most that stale, and the publish flow clears the cache so an edit shows at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    def __init__(self, ttl: float, max_entries: int = 4096):
        self.ttl = float(ttl)
        self.max_entries = max_entries
        self._data: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def lookup(self, key: Hashable, max_stale: float = 60.0) -> tuple[V | None, bool]:
        """(value, fresh): an expired entry is still returned, as not fresh, for up to ``max_stale`` seconds,
        so the caller can serve it while one refresh runs (stale-while-revalidate)."""
        entry = self._data.get(key)
        if entry is None:
            self.misses += 1
            return None, False
        now = time.monotonic()
        if entry[0] >= now:
            self.hits += 1
            return entry[1], True
        if entry[0] + max_stale >= now:
            self.hits += 1
            return entry[1], False
        self.misses += 1
        return None, False

    def get(self, key: Hashable) -> V | None:
        entry = self._data.get(key)
        if entry is None or entry[0] < time.monotonic():
            self.misses += 1
            return None
        self.hits += 1
        return entry[1]

    def put(self, key: Hashable, value: V) -> V:
        with self._lock:
            self._data[key] = (time.monotonic() + self.ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        value = self.get(key)
        if value is None:
            value = self.put(key, make())
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
