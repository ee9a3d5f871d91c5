"""Who is asking: the portal serving the request, the API token of a writer, the reader id of a browser.

Writers send ``Authorization: Bearer <token>`` (tokens come from ``newsportal token create``). Readers are
anonymous: a random 32-hex id, signed with the site secret, in the ``np_rid`` cookie, handed out by the
server (:func:`mint_reader_id`) and read back with :func:`reader_from_request`; it is used only to count a
reader once and to keep their 为你推荐 history. Ids the server did not sign are ignored.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import secrets
from typing import Annotated, NamedTuple

from fastapi import Depends, Header, Request, Response
from itsdangerous import BadSignature, Signer
from starlette.responses import JSONResponse

from newsportal.config import Settings, site_secret
from newsportal.domain import ApiToken
from newsportal.portal import Portal
from newsportal.web.context import web_context
from newsportal.web.errors import api_error

READER_COOKIE = "np_rid"
READER_COOKIE_MAX_AGE = 365 * 24 * 3600
READER_ID_LENGTH = 32
_HEX = frozenset("0123456789abcdef")
_READER_SALT = "newsportal.reader-id"


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
# The cookie holds ``<32-hex id>.<signature>``, signed with the site secret: only ids this server issued
# verify, so a client cannot invent readers by choosing cookie values.
def _signer_for(request: Request) -> Signer:
    return _signer(site_secret(web_context(request).portal.settings))


@functools.lru_cache(maxsize=8)
def _signer(secret: bytes) -> Signer:
    return Signer(secret, salt=_READER_SALT)


def sign_reader_id(settings: Settings, reader: str) -> str:
    """The cookie value for ``reader`` (tests, and tools that hand a browser a known id)."""
    if not valid_reader_id(reader):
        raise ValueError("a reader id is 32 lowercase hex characters")
    return _signer(site_secret(settings)).sign(reader).decode("ascii")


def valid_reader_id(value: str | None) -> bool:
    """Is ``value`` shaped like a reader id (the part before the signature)?"""
    return value is not None and len(value) == READER_ID_LENGTH and set(value) <= _HEX


def verify_reader_cookie(signer: Signer, cookie: str | None) -> str | None:
    """The reader id in a signed cookie value, or None when it is missing, malformed or forged."""
    if not cookie or len(cookie) > 200:
        return None
    try:
        reader = signer.unsign(cookie).decode("ascii")
    except (BadSignature, UnicodeDecodeError):
        return None
    return reader if valid_reader_id(reader) else None


def reader_from_request(request: Request) -> str | None:
    """The verified reader id of this browser, or None (no cookie, or one this server did not sign)."""
    return verify_reader_cookie(_signer_for(request), request.cookies.get(READER_COOKIE))


def mint_reader_id(request: Request, response: Response) -> str:
    """This browser's reader id; when it has no valid one, a fresh signed id is set as the cookie.

    The one entry point for handlers that need a reader (the beacon, /foryou): the cookie is set
    server-side, HttpOnly, so scripts on the page never see or choose it.
    """
    reader = reader_from_request(request)
    if reader is not None:
        return reader
    reader = secrets.token_hex(READER_ID_LENGTH // 2)
    signed = _signer_for(request).sign(reader).decode("ascii")
    secure = request.url.scheme == "https"
    response.set_cookie(READER_COOKIE, signed, max_age=READER_COOKIE_MAX_AGE, httponly=True, samesite="lax",
                        secure=secure)
    return reader


def client_origin(request: Request) -> str:
    """The address block a request comes from: /24 for IPv4, /48 for IPv6 (one household or office).

    Counting blocks rather than addresses keeps a host with many addresses from looking like many people.
    """
    host = request.client.host if request.client else ""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


class CountingReader(NamedTuple):
    """Who an event is counted as: ``key`` for the counters, ``reader`` the browser's (possibly new) id."""

    key: str
    reader: str
    verified: bool  # the request carried an id this server signed


def counting_reader(request: Request, response: Response) -> CountingReader:
    """The key an event is counted under, and this browser's reader id (minted and set when missing).

    A browser without a valid cookie gets a fresh signed id for its next requests, but this event is
    counted under its address block and agent: a script that throws cookies away, or invents them, stays
    one reader instead of becoming a new one with every request. (The beacon also marks the new id as
    having seen the article, so a real reader's first article is not counted twice.)
    """
    reader = reader_from_request(request)
    if reader is not None:
        return CountingReader(reader, reader, True)
    reader = mint_reader_id(request, response)
    # keyed with the site secret: the same in every worker, and it reveals neither address nor agent
    seed = f"{client_origin(request)}|{request.headers.get('user-agent', '')}".encode()
    secret = site_secret(web_context(request).portal.settings)
    digest = hmac.new(secret, seed, hashlib.sha256).hexdigest()[:READER_ID_LENGTH]
    return CountingReader("anon:" + digest, reader, False)


#: Earlier names, kept for callers written before ids were signed.
reader_of = reader_from_request
reader_or_new = mint_reader_id
