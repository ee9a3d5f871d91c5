"""Login rate limiting per account and per IP with ``limits`` (in memory by default, Redis in production).

Only *failed* attempts count, in a moving window: a person who mistypes twice is not locked out, a script
guessing passwords is, and a success clears the account's counter. The per-IP limit is higher (an office
shares one address) and is not cleared by a success, so one known password cannot reset guessing from an
address. With several server processes, use Redis so they share the counters.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage, RedisStorage, Storage, storage_from_string

from newsportal.ratelimit import ResilientLimiter


@dataclass(frozen=True, slots=True)
class LoginLimits:
    account_failures: int = 5
    ip_failures: int = 30
    window_minutes: int = 15


class LoginThrottled(Exception):
    """Too many failed logins; ``retry_after`` is in seconds (rounded up to whole minutes in the message)."""

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        self.retry_after = retry_after
        self.message = f"登录失败次数过多，请 {minutes} 分钟后再试"
        super().__init__(self.message)


class LoginLimiter:
    def __init__(
        self,
        storage_url: str = "memory://",
        *,
        limits: LoginLimits | None = None,
        key_prefix: str = "newsportal:login",
    ):
        """``storage_url``: ``memory://`` (one process) or ``redis://host:port/db`` (shared)."""
        self.config = limits or LoginLimits()
        storage: Storage
        if storage_url.startswith("memory"):
            storage = MemoryStorage()
        elif storage_url.startswith(("redis://", "rediss://", "unix://")):
            storage = RedisStorage(storage_url, key_prefix=key_prefix)
        else:
            storage = storage_from_string(storage_url)  # type: ignore[assignment]
        self.storage = storage
        self._limiter = ResilientLimiter(storage)
        c = self.config
        self._account: RateLimitItem = RateLimitItemPerMinute(c.account_failures, c.window_minutes, "acct")
        self._ip: RateLimitItem = RateLimitItemPerMinute(c.ip_failures, c.window_minutes, "ip")

    def _checks(self, username: str, ip: str | None) -> list[tuple[RateLimitItem, str]]:
        checks = [(self._account, username.casefold()[:64])]
        if ip:
            checks.append((self._ip, ip))
        return checks

    def check(self, username: str, ip: str | None) -> None:
        """Raise :class:`LoginThrottled` if the account or the IP has used up its failures."""
        for item, key in self._checks(username, ip):
            if not self._limiter.test(item, key):
                reset = self._limiter.get_window_stats(item, key).reset_time
                raise LoginThrottled(max(1, math.ceil(reset - time.time())))

    def failed(self, username: str, ip: str | None) -> None:
        for item, key in self._checks(username, ip):
            self._limiter.hit(item, key)

    def succeeded(self, username: str) -> None:
        self._limiter.clear(self._account, username.casefold()[:64])

    def remaining(self, username: str, ip: str | None = None) -> int:
        """Failures left before the account (or IP) is throttled; for tests and an admin hint."""
        return min(
            self._limiter.get_window_stats(item, key).remaining for item, key in self._checks(username, ip)
        )
