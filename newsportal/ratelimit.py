"""Rate limiting that keeps working while its shared storage (Redis) does not answer.

Every limit in the portal (the view/share beacon, 跟贴 posting, reader and newsroom logins) uses a moving
window of the ``limits`` library, kept in Redis so that all workers share it. If Redis stops answering, a
limit must neither vanish (anyone could then hammer a login form) nor turn every request into an error: the
window moves to this process's memory until Redis answers again. The fallback is per process, so during an
outage a client spread over N workers gets at most N times its budget; that is stated, not hidden.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from limits import RateLimitItem
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


class ResilientLimiter:
    """The ``MovingWindowRateLimiter`` calls the portal uses, over shared storage with a memory fallback."""

    def __init__(self, storage: Storage | Any) -> None:  # storage_from_string is typed as sync-or-async
        self.storage = storage
        self._shared = MovingWindowRateLimiter(storage)
        self._local: MovingWindowRateLimiter | None = None

    @property
    def degraded(self) -> bool:
        """Whether a call has had to fall back to memory since start."""
        return self._local is not None

    def _call(self, name: str, *args: Any) -> Any:
        if isinstance(self.storage, MemoryStorage):
            return getattr(self._shared, name)(*args)
        try:
            return getattr(self._shared, name)(*args)
        except (redis.exceptions.RedisError, OSError) as exc:
            if self._local is None:
                log.warning("rate limits fall back to this process's memory (shared storage failed: %s)", exc)
                self._local = MovingWindowRateLimiter(MemoryStorage())
            return getattr(self._local, name)(*args)

    def test(self, item: RateLimitItem, *identifiers: str) -> bool:
        return bool(self._call("test", item, *identifiers))

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        return bool(self._call("hit", item, *identifiers))

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> Any:
        return self._call("get_window_stats", item, *identifiers)

    def clear(self, item: RateLimitItem, *identifiers: str) -> None:
        self._call("clear", item, *identifiers)
