"""Who the newsroom staff member on this request is: the ONE adapter the moderation pages use.

It reads the newsroom session cookie, checks it with :class:`newsportal.newsroom.sessions.Sessions` over
:class:`~newsportal.store.newsroom_sessions.NewsroomSessionStore`, turns the user into an
:class:`~newsportal.newsroom.actors.Actor` with :class:`~newsportal.newsroom.accounts.AccountService`, and
requires the ``moderate_comments`` action. When the Portal gains its newsroom component, only
:func:`_parts` changes to use it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from starlette.requests import Request

from newsportal.newsroom.accounts import AccountService
from newsportal.newsroom.actors import Actor
from newsportal.newsroom.roles import Action, Forbidden, require
from newsportal.newsroom.sessions import SessionInvalid, SessionRecord, Sessions
from newsportal.web.context import web_context
from newsportal.web.security import SESSION_COOKIE

__all__ = ["COOKIE", "Staff", "NotStaff", "staff_of", "sessions_of", "accounts_of"]

#: The newsroom session cookie: the newsroom login (pages and API) sets it, so moderators sign in once.
COOKIE = SESSION_COOKIE


class NotStaff(Exception):
    """No live newsroom session (``status`` 401) or a role without ``moderate_comments`` (403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Staff:
    actor: Actor
    record: SessionRecord
    csrf: str

    def check_csrf(self, sessions: Sessions, token: str | None) -> bool:
        try:
            sessions.require_csrf(self.record, token)
        except Exception:
            return False
        return True


_parts_cache: weakref.WeakKeyDictionary[object, tuple[Sessions, AccountService]] = weakref.WeakKeyDictionary()


def _parts(request: Request) -> tuple[Sessions, AccountService]:
    portal = web_context(request).portal
    parts = _parts_cache.get(portal)
    if parts is None:
        # the portal's newsroom component: the same sessions and accounts as the newsroom login
        parts = _parts_cache[portal] = (portal.newsroom.sessions, portal.newsroom.accounts)
    return parts


def sessions_of(request: Request) -> Sessions:
    return _parts(request)[0]


def accounts_of(request: Request) -> AccountService:
    return _parts(request)[1]


def staff_of(request: Request) -> Staff:
    """The moderator on this request (blocking: reads the session row), or :class:`NotStaff`."""
    sessions, accounts = _parts(request)
    try:
        record = sessions.check(request.cookies.get(COOKIE))
    except SessionInvalid:
        raise NotStaff(401, "请先登录编辑部后台。") from None
    actor = accounts.actor_by_id(record.user_id, ip=request.client.host if request.client else None)
    if actor is None:
        raise NotStaff(401, "请先登录编辑部后台。")
    try:
        require(actor.role, Action.MODERATE_COMMENTS, active=actor.active)
    except Forbidden as exc:
        raise NotStaff(403, exc.message) from None
    return Staff(actor, record, sessions.csrf_token(record))
