"""CSRF for reader forms and fetches, in one module so it can be swapped for the site-wide helper.

A signed-in reader's token is bound to their session (the digest of the session cookie); before sign-in
(the sign-up and login forms) it is bound to a random nonce kept in a cookie of its own. Tokens are the
HMAC of :func:`newsportal.newsroom.sessions.csrf_token`; forms send ``csrf`` and fetches send the
``X-CSRF-Token`` header.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

from newsportal.newsroom.sessions import csrf_token, csrf_valid
from newsportal.store.reader_accounts import token_digest

__all__ = ["NONCE_COOKIE", "HEADER", "FIELD", "binding_of", "token_for", "nonce_of", "keep_nonce", "valid"]

NONCE_COOKIE = "np_rnonce"
HEADER = "x-csrf-token"
FIELD = "csrf"


def binding_of(session_token: str | None, nonce: str | None) -> str:
    """What the token is bound to: the reader's session when there is one, else the pre-login nonce."""
    if session_token:
        return "reader:" + token_digest(session_token)
    return "nonce:" + (nonce or "")


def token_for(secret: bytes, binding: str) -> str:
    return csrf_token(secret, binding)


def nonce_of(request: Request) -> tuple[str, bool]:
    """The pre-login nonce of this browser and whether it is new (then call :func:`keep_nonce`)."""
    nonce = request.cookies.get(NONCE_COOKIE)
    if nonce and 16 <= len(nonce) <= 64 and nonce.isalnum():
        return nonce, False
    return secrets.token_hex(16), True


def keep_nonce(response: Response, nonce: str) -> None:
    response.set_cookie(NONCE_COOKIE, nonce, httponly=True, samesite="lax", path="/")


def valid(secret: bytes, binding: str, submitted: str | None) -> bool:
    if binding == "nonce:":
        return False
    return csrf_valid(secret, binding, submitted)
