"""Rate limits on posting (per reader and per IP) and on login attempts (per IP), with the ``limits`` library.

Limits are written the way operators think of them (``"5/minute;30/hour"``) and checked with the moving-
window strategy, which has no burst at window edges. Storage is in memory by default (one process); give a
``redis://`` URL (``NEWSPORTAL_COMMENT_LIMITS_URL``) so every worker shares the counts. All limits of a kind
are tested before any is consumed, so a refused attempt does not eat the reader's quota.

These are the hard limits that protect the service; the softer "posting too fast" pre-check in
:mod:`.prechecks` only flags a comment for the moderator.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string

from newsportal.comments.errors import RateLimited
from newsportal.ratelimit import ResilientLimiter

__all__ = ["LimitSettings", "PostLimiter"]


@dataclass(frozen=True)
class LimitSettings:
    per_reader: str = "5/minute;30/hour;200/day"
    per_ip: str = "20/minute;300/hour"
    login_per_ip: str = "10/minute;50/hour"
    storage_url: str = "memory://"
    prefix: str = "np-comments"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LimitSettings:
        env = os.environ if environ is None else environ
        d = cls()
        return cls(
            per_reader=env.get("NEWSPORTAL_COMMENT_LIMIT_READER", d.per_reader),
            per_ip=env.get("NEWSPORTAL_COMMENT_LIMIT_IP", d.per_ip),
            login_per_ip=env.get("NEWSPORTAL_READER_LOGIN_LIMIT_IP", d.login_per_ip),
            storage_url=env.get("NEWSPORTAL_COMMENT_LIMITS_URL", d.storage_url),
        )


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} 秒"
    return f"{math.ceil(seconds / 60)} 分钟"


class PostLimiter:
    def __init__(self, settings: LimitSettings | None = None) -> None:
        self.settings = s = settings or LimitSettings()
        try:
            self._reader = parse_many(s.per_reader)
            self._ip = parse_many(s.per_ip)
            self._login = parse_many(s.login_per_ip)
        except ValueError as exc:
            raise ValueError(f"bad rate limit setting: {exc}") from None
        options = {"key_prefix": s.prefix} if s.storage_url.startswith("redis") else {}
        self._limiter = ResilientLimiter(storage_from_string(s.storage_url, **options))

    def _check(self, groups: list[tuple[list[RateLimitItem], str]], code: str, what: str) -> None:
        for items, key in groups:
            for item in items:
                if not self._limiter.test(item, key):
                    reset = self._limiter.get_window_stats(item, key).reset_time
                    wait = max(1, math.ceil(reset - time.time()))
                    raise RateLimited(code, f"{what}过于频繁，请 {_wait_text(wait)}后再试。", wait)
        for items, key in groups:
            for item in items:
                self._limiter.hit(item, key)

    def hit_post(self, reader_id: int, ip: str) -> None:
        """Count one post; raise :class:`RateLimited` (nothing counted) when a limit is reached."""
        self._check(
            [(self._reader, f"reader:{reader_id}"), (self._ip, f"ip:{ip or '-'}")],
            "too_many_posts",
            "发表跟贴",
        )

    def hit_login(self, ip: str) -> None:
        self._check([(self._login, f"login-ip:{ip or '-'}")], "too_many_logins", "登录尝试")

    def reset(self) -> None:
        self._limiter.storage.reset()
