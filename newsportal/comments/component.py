"""The comments component the Portal builds once: reader, comment and moderation services over one engine.

Built from the store's engine and the settings, with the IP属地 locator (:func:`~newsportal.geo.make_locator`,
opened lazily on the first lookup so start-up and tests that never post do not load the database file) and
one shared rate limiter (in memory, or Redis when ``NEWSPORTAL_COMMENT_LIMITS_URL`` or the portal's
``redis_url`` is set, so every worker shares the counts).
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import replace

from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from newsportal.comments.moderating import ModerationService
from newsportal.comments.ratelimit import LimitSettings, PostLimiter
from newsportal.comments.readers import ReaderService
from newsportal.comments.service import CommentService, CommentStores
from newsportal.comments.signals import CommentSignals
from newsportal.comments.sync import CommentSync
from newsportal.geo import IpLocator, make_locator
from newsportal.store.reader_accounts import ReaderAccountStore

__all__ = ["Comments", "LazyLocator", "limit_settings"]

#: Signs reader CSRF tokens; set it in production so every worker (and a restart) accepts the same tokens.
SECRET_ENV = "NEWSPORTAL_SECRET_KEY"


class LazyLocator:
    """Opens the configured IP database on the first lookup (thread-safe), then delegates to it."""

    def __init__(self) -> None:
        self._inner: IpLocator | None = None
        self._lock = threading.Lock()

    def locate(self, ip: str) -> str:
        if self._inner is None:
            with self._lock:
                if self._inner is None:
                    self._inner = make_locator()
        return self._inner.locate(ip)


def limit_settings(redis_url: str = "") -> LimitSettings:
    """Limits from the environment; the portal's Redis URL is the shared store unless one is named."""
    s = LimitSettings.from_env()
    if s.storage_url == "memory://" and redis_url and "NEWSPORTAL_COMMENT_LIMITS_URL" not in os.environ:
        s = replace(s, storage_url=redis_url)
    return s


class Comments:
    """What the web layer and the CLI use for 跟贴: ``readers``, ``service``, ``moderation``, ``secret``,
    ``signals`` (what changed for readers, for the caches of the pages that show it) and ``sync`` (what
    other processes changed)."""

    def __init__(
        self,
        engine: Engine,
        *,
        locator: IpLocator | None = None,
        limiter: PostLimiter | None = None,
        secret: bytes | None = None,
        hasher: PasswordHasher | None = None,
    ) -> None:
        """``hasher`` overrides the argon2 parameters (tests use cheap ones); ``secret`` signs CSRF tokens."""
        self.stores = CommentStores.over(engine)
        self.signals = CommentSignals()
        self.locator = locator or LazyLocator()
        self.limiter = limiter or PostLimiter()
        self.readers = ReaderService(
            ReaderAccountStore(engine), hasher=hasher, limiter=self.limiter, locator=self.locator
        )
        self.service = CommentService(self.stores, locator=self.locator, limiter=self.limiter,
                                      signals=self.signals)
        self.moderation = ModerationService(self.stores, self.signals)
        #: other processes' 跟贴 changes, announced as ``signals.changed_elsewhere`` (the portal's refresh)
        self.sync = CommentSync(self.stores.comments, self.signals)
        env_secret = os.environ.get(SECRET_ENV, "")
        self.secret = secret or (env_secret.encode() if len(env_secret) >= 32 else secrets.token_bytes(32))

    @classmethod
    def build(cls, engine: Engine, redis_url: str = "", secret: bytes | None = None) -> Comments:
        """The app's comments: the site secret (shared with the newsroom) signs CSRF tokens."""
        return cls(engine, limiter=PostLimiter(limit_settings(redis_url)), secret=secret)
