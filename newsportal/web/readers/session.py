"""Who the reader is on this request: the reader-session cookie, the account, and their CSRF token.

Reader sessions are separate from newsroom staff sessions (their own table and cookie). Pages that show
per-reader state are never cached and are sent ``private, no-store``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from newsportal.comments.component import Comments
from newsportal.store.reader_accounts import ReaderAccount
from newsportal.timeutil import utcnow
from newsportal.web.context import web_context
from newsportal.web.readers import csrf

__all__ = ["COOKIE", "Visitor", "comments_of", "visitor", "client_ip", "set_session", "clear_session"]

COOKIE = "np_reader"
MAX_AGE = 30 * 24 * 3600


@dataclass(frozen=True)
class Visitor:
    """The reader on this request (``account`` None when signed out) and the CSRF token for their forms."""

    account: ReaderAccount | None
    token: str | None
    binding: str
    csrf: str
    new_nonce: str | None

    def check(self, comments: Comments, submitted: str | None) -> bool:
        return csrf.valid(comments.secret, self.binding, submitted)

    def finish(self, response: Response) -> Response:
        """Set the pre-login nonce cookie when this visit made one."""
        if self.new_nonce:
            csrf.keep_nonce(response, self.new_nonce)
        return response


def comments_of(request: Request) -> Comments:
    return web_context(request).portal.comments


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def visitor(request: Request, now: datetime | None = None) -> Visitor:
    """Blocking (reads the session row): call from a worker thread or a sync endpoint."""
    comments = comments_of(request)
    token = request.cookies.get(COOKIE)
    account = comments.readers.current(token, now or utcnow()) if token and len(token) <= 200 else None
    if account is None or account.deleted:
        account, token = None, None
    nonce, new = (None, False) if token else csrf.nonce_of(request)
    binding = csrf.binding_of(token, nonce)
    return Visitor(account, token, binding, csrf.token_for(comments.secret, binding), nonce if new else None)


def submitted_token(request: Request, form_value: object = None) -> str | None:
    value = request.headers.get(csrf.HEADER) or form_value
    return value if isinstance(value, str) else None


def set_session(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=MAX_AGE, httponly=True, samesite="lax", path="/")


def clear_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")
