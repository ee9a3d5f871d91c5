"""Rate limits on the view/share beacon, per client address and per reader, with the ``limits`` library.

The counters already count a reader once per article per window; these limits protect the service and the
store from a client that simply sends many requests (each one is a durable write). Storage is in memory
(one process) unless the site has a Redis URL, so every worker shares the counts. Moving windows: no burst
at a window's edge.

When the shared storage (Redis) does not answer, the limits fall back to this process's memory
(:class:`newsportal.ratelimit.ResilientLimiter`) rather than failing the request.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string

from newsportal.config import Settings
from newsportal.ratelimit import ResilientLimiter

#: Prefix of the limit keys in Redis under the default ``redis_prefix`` (kept so that an upgrade does not
#: reset the running windows); another ``redis_prefix`` puts the limits under it.
DEFAULT_PREFIX = "np-beacon"


def beacon_prefix(settings: Settings) -> str:
    default = Settings().redis_prefix
    return DEFAULT_PREFIX if settings.redis_prefix == default else f"{settings.redis_prefix}beacon"


class BeaconLimiter:
    def __init__(self, per_ip: str, per_reader: str, storage_url: str = "memory://",
                 prefix: str = DEFAULT_PREFIX) -> None:
        self._ip: list[RateLimitItem] = parse_many(per_ip)
        self._reader: list[RateLimitItem] = parse_many(per_reader)
        options = {"key_prefix": prefix} if storage_url.startswith(("redis", "rediss", "unix")) else {}
        self._limiter = ResilientLimiter(storage_from_string(storage_url, **options))

    @classmethod
    def for_settings(cls, settings: Settings) -> BeaconLimiter:
        return cls(settings.event_limit_ip, settings.event_limit_reader, settings.redis_url or "memory://",
                   str(settings.extra.get("beacon_limits_prefix", beacon_prefix(settings))))

    def hit(self, ip: str, reader: str) -> int | None:
        """Take one request from both budgets; None when allowed, else seconds to wait (nothing taken).

        All limits are tested before any is consumed, so refused requests do not eat the budget of a
        reader who retries politely.
        """
        limiter = self._limiter
        groups = [(self._ip, f"ip:{ip}"), (self._reader, f"reader:{reader}")]
        for items, key in groups:
            for item in items:
                if not limiter.test(item, key):
                    reset = limiter.get_window_stats(item, key).reset_time
                    return max(1, math.ceil(reset - time.time()))
        for items, key in groups:
            for item in items:
                limiter.hit(item, key)
        return None
