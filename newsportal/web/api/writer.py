"""Who may write through the API: a partner's bearer token or a logged-in newsroom session, same rules.

:func:`require_writer` turns either credential into a newsroom :class:`~newsportal.newsroom.actors.Actor`;
the handlers then call ``portal.newsroom`` operations, which ask the one role × action matrix. A token acts
with its own role (``newsportal token create --role``); one made before tokens had roles acts with
``NEWSPORTAL_TOKEN_ROLE`` (default ``chief_editor``, 主编). A session write must carry
the CSRF token (``X-CSRF-Token`` header), because the browser sends the cookie on its own.

No credential (or a bad one) → 401; a credential whose role forbids the action → 403; both with the API's
JSON error shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from starlette.responses import Response

from newsportal.domain import ArticleDraft
from newsportal.newsroom.accounts import AccountError
from newsportal.newsroom.actors import Actor
from newsportal.newsroom.operations import EditConflict
from newsportal.newsroom.roles import Forbidden, UnknownRole
from newsportal.newsroom.self_media import FieldErrors
from newsportal.newsroom.sessions import CsrfError
from newsportal.newsroom.workflow import EmbargoActive, InvalidTransition, WorkflowError
from newsportal.store.workflow import UnknownArticle, WorkflowConflict
from newsportal.web.api.auth import PortalDep, Unauthorized
from newsportal.web.context import web_context
from newsportal.web.csrf import CSRF_HEADER, newsroom_session, verify_csrf
from newsportal.web.errors import api_error, is_api

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Writer:
    actor: Actor
    via: str
    """``"token"`` or ``"session"``."""


def session_actor(request: Request) -> Actor | None:
    """The logged-in newsroom user of a request (live session, account still present), or None.

    For the newsroom pages: they redirect to the login form on None and call ``verify_csrf`` on POSTs.
    """
    record = newsroom_session(request)
    if record is None:
        return None
    ip = request.client.host if request.client else None
    return web_context(request).portal.newsroom.accounts.actor_by_id(record.user_id, ip=ip)


def require_writer(request: Request, portal: PortalDep,
                   authorization: Annotated[str | None, Header()] = None) -> Writer:
    """The acting newsroom user of an API write (see the module docstring)."""
    ip = request.client.host if request.client else None
    if authorization is not None:
        if not authorization.lower().startswith("bearer "):
            raise Unauthorized()
        token = portal.store.verify_token(authorization[7:].strip())
        if token is None:
            raise Unauthorized()
        try:
            return Writer(portal.newsroom.actor_for_token(token, ip=ip), "token")
        except UnknownRole:
            # a role code edited by hand in the database: refuse the credential rather than guess a role
            raise Unauthorized() from None
    actor = session_actor(request)
    if actor is None:
        raise Unauthorized()
    if request.method not in SAFE_METHODS:
        verify_csrf(request, request.headers.get(CSRF_HEADER))
    return Writer(actor, "session")


WriterDep = Annotated[Writer, Depends(require_writer)]


# -- answers for the newsroom's refusals ----------------------------------------------------------------
def _page_or_json(request: Request, status: int, message: str, **extra: object) -> Response:
    """JSON error shape on the API; a Chinese error page elsewhere (the newsroom UI's own forms)."""
    if is_api(request):
        return api_error(status, message, **extra)
    from newsportal.web.pages.common import error_body, html

    heading = {403: "没有权限（403）", 409: "稿件已变化（409）"}.get(status, f"请求无法完成（{status}）")
    return html(error_body(request, status, heading, message), status)


async def forbidden(request: Request, exc: Forbidden) -> Response:
    return _page_or_json(request, 403, exc.message, action=exc.action.value, role=exc.role.value)


async def csrf_failed(request: Request, exc: CsrfError) -> Response:
    return _page_or_json(request, 403, exc.message)


def _draft_json(draft: ArticleDraft) -> dict[str, object]:
    return {"title": draft.title, "summary": draft.summary, "body_html": draft.body_html,
            "byline": draft.byline, "channel": draft.channel_slug, "source": draft.source_key,
            "tags": list(draft.tags), "reporters": list(draft.reporters), "editors": list(draft.editors),
            "original": draft.original}


async def edit_conflict(request: Request, exc: EditConflict) -> Response:
    t = exc.theirs
    theirs = {"revision": t.revision, "title": t.title, "summary": t.summary, "body_html": t.body_html,
              "byline": t.byline, "tags": list(t.tags), "reporters": list(t.reporters),
              "editors": list(t.editors), "original": t.original, "by": exc.by}
    return _page_or_json(request, 409, exc.message, expected_revision=exc.expected,
                         current_revision=exc.current, theirs=theirs, mine=_draft_json(exc.mine))


async def workflow_refused(request: Request, exc: WorkflowError) -> Response:
    status = 409 if isinstance(exc, InvalidTransition | EmbargoActive) else 422
    return _page_or_json(request, status, exc.message)


async def state_moved(request: Request, exc: WorkflowConflict) -> Response:
    return _page_or_json(request, 409, exc.message)


async def bad_fields(request: Request, exc: AccountError | FieldErrors) -> Response:
    fields = exc.errors if isinstance(exc, FieldErrors) else {exc.field: exc.message}
    return _page_or_json(request, 422, exc.message,
                         problems=[{"field": k, "message": v} for k, v in fields.items()])


async def unknown_article(request: Request, exc: UnknownArticle) -> Response:
    return _page_or_json(request, 404, exc.message)


HANDLERS: dict[type[Exception], Callable[[Request, Any], Awaitable[Response]]] = {
    Forbidden: forbidden,
    CsrfError: csrf_failed,
    EditConflict: edit_conflict,
    WorkflowError: workflow_refused,
    WorkflowConflict: state_moved,
    AccountError: bad_fields,
    FieldErrors: bad_fields,
    UnknownArticle: unknown_article,
}
"""Exception → answer, installed by the app (API paths get JSON, pages a Chinese error page)."""
