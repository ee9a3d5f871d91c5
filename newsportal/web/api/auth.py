"""Who is asking: the portal serving the request, the API token of a writer, the reader id of a browser.

Writers send ``Authorization: Bearer <token>`` (tokens come from ``newsportal token create``). Readers are
anonymous: a random-looking 32-hex id in the ``np_rid`` cookie, handed out by the first event beacon and
used only to count a reader once and to keep their 为你推荐 history.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from starlette.responses import JSONResponse

from newsportal.domain import ApiToken
from newsportal.portal import Portal
from newsportal.web.context import web_context
from newsportal.web.errors import api_error

READER_COOKIE = "np_rid"
READER_COOKIE_MAX_AGE = 365 * 24 * 3600
READER_ID_LENGTH = 32
_HEX = frozenset("0123456789abcdef")
_SALT = secrets.token_hex(16)


async def current_portal(request: Request) -> Portal:
    """The portal (async, so FastAPI resolves it on the event loop instead of a threadpool hop)."""
    return web_context(request).portal


PortalDep = Annotated[Portal, Depends(current_portal)]


class Unauthorized(Exception):
    """No token, or one the store does not know (answered 401 by :func:`unauthorized`)."""


def require_token(portal: PortalDep, authorization: Annotated[str | None, Header()] = None) -> ApiToken:
    """The API token in the ``Authorization`` header; raises :class:`Unauthorized` without a valid one."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized()
    token = portal.store.verify_token(authorization[7:].strip())
    if token is None:
        raise Unauthorized()
    return token


TokenDep = Annotated[ApiToken, Depends(require_token)]


def actor_of(token: ApiToken) -> str:
    """How a write by this token is recorded in an article's revisions."""
    return f"api:{token.name}"


async def unauthorized(request: Request, exc: Exception) -> JSONResponse:
    resp = api_error(401)
    resp.headers["www-authenticate"] = 'Bearer realm="newsportal"'
    return resp


# -- readers ------------------------------------------------------------------------------------------
def valid_reader_id(value: str | None) -> bool:
    return value is not None and len(value) == READER_ID_LENGTH and set(value) <= _HEX


def reader_of(request: Request) -> str | None:
    """The reader id in the cookie, or None for a new browser (or a tampered cookie)."""
    reader = request.cookies.get(READER_COOKIE)
    return reader if valid_reader_id(reader) else None


def reader_or_new(request: Request, response: Response) -> str:
    """The reader id of this browser, handing out a new one as the cookie on its first event.

    The new id is derived from address and agent (salted per process, so it reveals neither), so a burst of
    first events from one browser still counts as one reader.
    """
    reader = reader_of(request)
    if reader is not None:
        return reader
    client = request.client.host if request.client else ""
    seed = f"{_SALT}|{client}|{request.headers.get('user-agent', '')}"
    reader = hashlib.sha256(seed.encode()).hexdigest()[:READER_ID_LENGTH]
    response.set_cookie(READER_COOKIE, reader, max_age=READER_COOKIE_MAX_AGE, httponly=True, samesite="lax")
    return reader
