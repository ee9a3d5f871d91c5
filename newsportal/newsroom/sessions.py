"""Newsroom login sessions and CSRF tokens, as pure logic over a storage interface.

* The cookie carries a random id (256 bits); the store keeps only its SHA-256, so a leaked database or
  backup holds nothing that logs anyone in. A fast hash is enough because the id is random, not chosen
  by a person.
* A session ends after :attr:`SessionPolicy.idle` without use or :attr:`SessionPolicy.absolute` after
  login, whichever comes first, and immediately when revoked (logout, or an admin revoking a user's
  sessions). The clock is injected so expiry is tested without waiting.
* CSRF tokens are HMAC-SHA256(site secret, session id hash): bound to one session, nothing to store, and
  useless to an attacker who cannot read the victim's cookie. They are compared in constant time.
  :func:`csrf_token` also takes any other binding, e.g. a pre-login nonce cookie for the login form.

The store implements :class:`SessionStore`; this module never touches a database itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import ClassVar, Protocol

from newsportal.timeutil import utcnow

MAX_COOKIE_LEN = 128
MIN_SECRET_BYTES = 32


@dataclass(frozen=True)
class SessionRecord:
    """What the store keeps per session. Times are naive UTC."""

    id_hash: str
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    revoked_at: datetime | None = None
    ip: str | None = None
    user_agent: str | None = None


class SessionStore(Protocol):
    """Persistence for sessions; the store layer implements it (one table keyed by ``id_hash``)."""

    def add(self, record: SessionRecord) -> None: ...

    def get(self, id_hash: str) -> SessionRecord | None: ...

    def touch(self, id_hash: str, when: datetime) -> None:
        """Set ``last_seen_at``."""
        ...

    def revoke(self, id_hash: str, when: datetime) -> None:
        """Set ``revoked_at`` if not already set."""
        ...

    def revoke_user(self, user_id: int, when: datetime) -> int:
        """Revoke every live session of a user; return how many were revoked."""
        ...

    def for_user(self, user_id: int) -> list[SessionRecord]: ...

    def delete_older(self, *, last_seen_before: datetime, created_before: datetime) -> int:
        """Delete sessions idle since or created before the cutoffs (or revoked); return the count."""
        ...


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = timedelta(hours=2)
    absolute: timedelta = timedelta(hours=12)
    # Writing last_seen_at on every request would turn every page view into a database write.
    touch_every: timedelta = timedelta(minutes=1)


class SessionInvalid(Exception):
    """No usable session; ``reason`` is one of unknown/revoked/idle/absolute, ``message`` is for the user."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "unknown": "请先登录",
        "revoked": "登录已失效，请重新登录",
        "idle": "长时间未操作，登录已过期，请重新登录",
        "absolute": "登录已过期，请重新登录",
    }

    def __init__(self, reason: str):
        self.reason = reason
        self.message = self.MESSAGES[reason]
        super().__init__(self.message)


class CsrfError(Exception):
    """A form or cookie-authenticated write without a valid token for this session."""

    message = "表单已过期或来源无效，请刷新页面后重试"

    def __init__(self) -> None:
        super().__init__(self.message)


@dataclass(frozen=True)
class NewSession:
    """Returned once at login: ``session_id`` goes into the cookie and is never stored."""

    session_id: str
    record: SessionRecord
    csrf_token: str


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


def _check_secret(secret: bytes) -> None:
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"site secret must be at least {MIN_SECRET_BYTES} bytes")


def csrf_token(secret: bytes, binding: str) -> str:
    """The CSRF token for ``binding`` (a session id hash, or a pre-login nonce)."""
    _check_secret(secret)
    message = b"newsroom-csrf\x00" + binding.encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, "sha256").hexdigest()


def csrf_valid(secret: bytes, binding: str, token: str | None) -> bool:
    """Constant-time check of a submitted token; missing or non-ASCII tokens are simply invalid."""
    if not token or not token.isascii() or len(token) > 128:
        return False
    return hmac.compare_digest(csrf_token(secret, binding), token)


class Sessions:
    """Login, lookup, logout, revocation and CSRF over a :class:`SessionStore`."""

    def __init__(
        self,
        store: SessionStore,
        secret: bytes,
        *,
        policy: SessionPolicy | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        _check_secret(secret)
        self.store = store
        self.secret = secret
        self.policy = policy or SessionPolicy()
        self.clock = clock

    def start(self, user_id: int, *, ip: str | None = None, user_agent: str | None = None) -> NewSession:
        """Create a session after a successful login."""
        now = self.clock()
        session_id = new_session_id()
        record = SessionRecord(
            id_hash=hash_session_id(session_id),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            ip=ip,
            user_agent=(user_agent or "")[:300] or None,
        )
        self.store.add(record)
        return NewSession(session_id, record, csrf_token(self.secret, record.id_hash))

    def _expiry_reason(self, record: SessionRecord, now: datetime) -> str | None:
        if record.revoked_at is not None:
            return "revoked"
        if now - record.created_at > self.policy.absolute:
            return "absolute"
        if now - record.last_seen_at > self.policy.idle:
            return "idle"
        return None

    def check(self, session_id: str | None) -> SessionRecord:
        """The live session for a cookie value, or :class:`SessionInvalid`. Refreshes ``last_seen_at``."""
        if not session_id or len(session_id) > MAX_COOKIE_LEN:
            raise SessionInvalid("unknown")
        record = self.store.get(hash_session_id(session_id))
        if record is None:
            raise SessionInvalid("unknown")
        now = self.clock()
        reason = self._expiry_reason(record, now)
        if reason is not None:
            raise SessionInvalid(reason)
        if now - record.last_seen_at >= self.policy.touch_every:
            self.store.touch(record.id_hash, now)
            record = replace(record, last_seen_at=now)
        return record

    def end(self, session_id: str | None) -> None:
        """Logout: revoke this session (unknown ids are ignored, logging out twice is fine)."""
        if session_id and len(session_id) <= MAX_COOKIE_LEN:
            self.store.revoke(hash_session_id(session_id), self.clock())

    def revoke_user(self, user_id: int) -> int:
        """End all of a user's sessions: admin action, and on disable, role or password change."""
        return self.store.revoke_user(user_id, self.clock())

    def active_for(self, user_id: int) -> list[SessionRecord]:
        """A user's live sessions, newest first, for the admin page."""
        now = self.clock()
        live = [r for r in self.store.for_user(user_id) if self._expiry_reason(r, now) is None]
        return sorted(live, key=lambda r: r.created_at, reverse=True)

    def purge(self) -> int:
        """Delete sessions that can no longer be used; run now and then, e.g. from the scheduler loop."""
        now = self.clock()
        return self.store.delete_older(
            last_seen_before=now - self.policy.idle, created_before=now - self.policy.absolute
        )

    def csrf_token(self, record: SessionRecord) -> str:
        return csrf_token(self.secret, record.id_hash)

    def require_csrf(self, record: SessionRecord, token: str | None) -> None:
        if not csrf_valid(self.secret, record.id_hash, token):
            raise CsrfError()
