"""CSRF protection for forms and cookie-authenticated writes (newsroom, comments, reader accounts).

A token is HMAC(site secret, binding) (:mod:`newsportal.newsroom.sessions`): the binding is the newsroom
session when the browser is logged in, else a random pre-login nonce kept in the ``np_csrf`` cookie
(HttpOnly, SameSite=Lax). Nothing is stored server-side, a token is useless without the victim's cookie, and
a token from one session never works for another.

Use:

* rendering a form: ``csrf_token(request)`` → put it in ``<input type="hidden" name="csrf_token">`` (the
  nonce cookie, when one had to be made, is added to the response by :class:`CsrfCookie` automatically);
* handling a POST: ``await check_csrf(request)`` (reads the ``X-CSRF-Token`` header, else the
  ``csrf_token`` form field) or the FastAPI dependency ``CsrfDep``; a failure raises
  :class:`~newsportal.newsroom.sessions.CsrfError`, answered 403 (JSON on ``/api``, a Chinese page elsewhere).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsportal.newsroom.sessions import CsrfError, SessionInvalid, SessionRecord, csrf_valid
from newsportal.newsroom.sessions import csrf_token as _sign
from newsportal.web.context import web_context
from newsportal.web.security import SESSION_COOKIE

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
NONCE_COOKIE = "np_csrf"
_NEW_NONCE = "csrf_new_nonce"
_SESSION = "newsroom_session"
_MAX_NONCE = 64


def newsroom_session(conn: HTTPConnection) -> SessionRecord | None:
    """The live newsroom session of this request (cookie checked once per request), or None."""
    state = conn.scope.setdefault("state", {})
    if _SESSION not in state:
        record = None
        cookie = conn.cookies.get(SESSION_COOKIE)
        if cookie:
            try:
                record = web_context(conn).portal.newsroom.sessions.check(cookie)
            except SessionInvalid:
                record = None
        state[_SESSION] = record
    return state[_SESSION]


def _secret(conn: HTTPConnection) -> bytes:
    return web_context(conn).portal.newsroom.sessions.secret


def _binding(conn: HTTPConnection, *, create: bool) -> str | None:
    record = newsroom_session(conn)
    if record is not None:
        return record.id_hash  # the same binding as Sessions.csrf_token(record)
    state = conn.scope.setdefault("state", {})
    nonce = state.get(_NEW_NONCE) or conn.cookies.get(NONCE_COOKIE)
    if nonce and 16 <= len(nonce) <= _MAX_NONCE and nonce.isascii():
        return "n:" + nonce
    if not create:
        return None
    nonce = secrets.token_urlsafe(24)
    state[_NEW_NONCE] = nonce
    return "n:" + nonce


def csrf_token(conn: HTTPConnection) -> str:
    """The token to embed in a form (or send as ``X-CSRF-Token``) for this browser."""
    binding = _binding(conn, create=True)
    assert binding is not None
    return _sign(_secret(conn), binding)


def verify_csrf(conn: HTTPConnection, token: str | None) -> None:
    """Raise :class:`CsrfError` unless ``token`` belongs to this browser's session or nonce."""
    binding = _binding(conn, create=False)
    if binding is None or not csrf_valid(_secret(conn), binding, token):
        raise CsrfError()


async def check_csrf(request: Request) -> None:
    """Check the header, else the form field (the form is parsed once and cached by Starlette)."""
    token = request.headers.get(CSRF_HEADER)
    if token is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    verify_csrf(request, token)


CsrfDep = Annotated[None, Depends(check_csrf)]


class CsrfCookie:
    """Adds the pre-login nonce cookie to the response when :func:`csrf_token` had to create one."""

    def __init__(self, app: ASGIApp, *, secure: bool):
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})

        async def send_cookie(message: Message) -> None:
            nonce = state.get(_NEW_NONCE)
            if message["type"] == "http.response.start" and nonce:
                flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self.secure else "")
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", f"{NONCE_COOKIE}={nonce}{flags}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_cookie)
