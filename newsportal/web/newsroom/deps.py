"""The one place the newsroom UI gets its services from, plus its CSRF and session-cookie handling.

Every handler under :mod:`newsportal.web.newsroom` asks :func:`services` for a :class:`NewsroomServices`
and never builds a store or service itself. Today the services are built here from the portal's database
engine (``portal.store.engine``); when the app gains a wired newsroom component, :func:`build_services`
is the single function to point at it instead (e.g. return ``portal.newsroom``'s parts).

CSRF: tokens are HMAC-SHA256 of the site secret and the session id hash
(:func:`newsportal.newsroom.sessions.csrf_token`), so nothing extra is stored; the login form, used before
any session exists, binds its token to a random pre-login nonce cookie. The integrator may swap these
three functions (:func:`csrf_token_for`, :func:`check_csrf`, :func:`login_nonce`) for the shared helpers of
``web/csrf.py``; handlers only call them through this module.

The site secret comes from ``NEWSPORTAL_SECRET_KEY`` (at least 32 bytes). Without it a random per-process
secret is used, which is safe but logs everyone out on restart and breaks CSRF across several processes.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from newsportal.media.backends.filesystem import FilesystemStorage
from newsportal.media.storage import ImageStorage
from newsportal.newsroom.accounts import AccountService
from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.login_limits import LoginLimiter
from newsportal.newsroom.self_media import SelfMediaService
from newsportal.newsroom.sessions import CsrfError, Sessions, csrf_token, csrf_valid
from newsportal.portal import Portal
from newsportal.store.accounts import AccountStore
from newsportal.store.audit import AuditLog
from newsportal.store.newsroom_sessions import NewsroomSessionStore
from newsportal.store.newsroom_stats import NewsroomStats
from newsportal.store.workflow import WorkflowStore
from newsportal.timeutil import utcnow
from newsportal.web.security import SESSION_COOKIE as SECURITY_SESSION_COOKIE

#: the same cookie the API's session-authenticated writes read (web.security), so one login serves both
SESSION_COOKIE = SECURITY_SESSION_COOKIE
NONCE_COOKIE = "nr_login_nonce"
CSRF_FIELD = "csrf_token"
MEDIA_PREFIX = "/newsroom/media/"
STATE_KEY = "newsroom_ui"


@dataclass
class NewsroomServices:
    """Everything the newsroom pages use, built once per app."""

    portal: Portal
    secret: bytes
    accounts_store: AccountStore
    audit: AuditService
    sessions: Sessions
    accounts: AccountService
    self_media: SelfMediaService
    workflow: WorkflowStore
    stats: NewsroomStats
    media: ImageStorage
    clock: Callable[[], datetime] = field(default=utcnow)
    secure_cookies: bool = False


def site_secret() -> bytes:
    """``NEWSPORTAL_SECRET_KEY`` when set (and long enough), else a random per-process secret."""
    configured = os.environ.get("NEWSPORTAL_SECRET_KEY", "").encode()
    return configured if len(configured) >= 32 else secrets.token_bytes(32)


def build_services(
    portal: Portal,
    *,
    clock: Callable[[], datetime] | None = None,
    secret: bytes | None = None,
    limiter: LoginLimiter | None = None,
    media_root: Path | None = None,
) -> NewsroomServices:
    """The newsroom services over the portal's database.

    The running app uses the portal's own newsroom component (one set of accounts, sessions, audit and
    workflow services for the pages, the API and the scheduler); tests that inject a clock, a secret or a
    limiter get services built for them over the same database.
    """
    engine = portal.store.engine
    root = media_root or (portal.settings.data_dir / "media")
    if clock is None and secret is None and limiter is None:
        nr = portal.newsroom
        return NewsroomServices(
            portal=portal,
            secret=portal.settings.resolved_secret_key(),
            accounts_store=nr.account_store,
            audit=nr.audit,
            sessions=nr.sessions,
            accounts=nr.accounts,
            self_media=nr.self_media,
            workflow=nr.workflow,
            stats=NewsroomStats(engine),
            media=FilesystemStorage(root, url_prefix=MEDIA_PREFIX),
            secure_cookies=portal.settings.secure_cookies,
        )
    clock = clock or utcnow
    accounts_store = AccountStore(engine)
    audit = AuditService(AuditLog(engine), clock=clock)
    secret = secret or site_secret()
    sessions = Sessions(NewsroomSessionStore(engine), secret, clock=clock)
    limiter = limiter or LoginLimiter(os.environ.get("NEWSPORTAL_LOGIN_LIMITS_URL", "memory://"))
    accounts = AccountService(accounts_store, audit, limiter=limiter, sessions=sessions, clock=clock)
    self_media = SelfMediaService(accounts_store, audit, session_store=sessions.store, clock=clock)
    return NewsroomServices(
        portal=portal,
        secret=secret,
        accounts_store=accounts_store,
        audit=audit,
        sessions=sessions,
        accounts=accounts,
        self_media=self_media,
        workflow=WorkflowStore(engine),
        stats=NewsroomStats(engine),
        media=FilesystemStorage(root, url_prefix=MEDIA_PREFIX),
        clock=clock,
        secure_cookies=portal.settings.site_url.startswith("https://"),
    )


def services(request: Request) -> NewsroomServices:
    """The app's services, built on first use (tests may set ``app.state.newsroom_ui`` beforehand)."""
    from newsportal.web.context import web_context

    state = request.app.state
    built = getattr(state, STATE_KEY, None)
    if built is None:
        built = build_services(web_context(request).portal)
        setattr(state, STATE_KEY, built)
    assert isinstance(built, NewsroomServices)
    return built


# -- CSRF ------------------------------------------------------------------------------------------------
def csrf_token_for(svc: NewsroomServices, binding: str) -> str:
    """The token forms carry: bound to the session id hash, or to the login nonce before login."""
    return csrf_token(svc.secret, binding)


def check_csrf(svc: NewsroomServices, binding: str | None, token: str | None) -> None:
    """Raise :class:`CsrfError` (a Chinese message) unless ``token`` matches ``binding``."""
    if not binding or not csrf_valid(svc.secret, binding, token):
        raise CsrfError()


def login_nonce(request: Request) -> tuple[str, bool]:
    """The pre-login nonce from its cookie, or a new one; the flag says it must be set on the response."""
    existing = request.cookies.get(NONCE_COOKIE, "")
    if 20 <= len(existing) <= 64 and existing.replace("-", "").replace("_", "").isalnum():
        return existing, False
    return secrets.token_urlsafe(24), True


def set_cookie(svc: NewsroomServices, response: Response, name: str, value: str) -> None:
    """Session-lifetime cookie, HttpOnly, SameSite=Lax, Secure on an https site; path ``/`` so the API's
    session-authenticated writes see the same login."""
    response.set_cookie(name, value, httponly=True, samesite="lax", secure=svc.secure_cookies, path="/")


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path="/")
