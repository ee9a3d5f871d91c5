"""What every newsroom handler shares: who is logged in, CSRF on every POST, rendering, and errors.

Handlers are plain synchronous functions of a :class:`Ctx`, wrapped by :func:`endpoint`, which reads the
form (async), then runs the handler in a worker thread (the services block on the database). The wrapper
is where the rules that must hold on every route live, so no handler can forget them:

* no valid session → the login page (a GET) or, for a POST, the login page carrying the posted fields so
  nothing typed is lost (:func:`login_again`);
* every POST needs the CSRF token of the session (or of the login nonce on the login form);
* :class:`~newsportal.newsroom.roles.Forbidden` → a Chinese 403 page; ``LookupError`` → the Chinese 404.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from newsportal.newsroom.actors import Actor
from newsportal.newsroom.roles import Forbidden
from newsportal.newsroom.sessions import CsrfError, SessionInvalid, SessionRecord
from newsportal.newsroom.timefmt import format_ui, to_input_value
from newsportal.store.accounts import User
from newsportal.web.context import web_context
from newsportal.web.newsroom import deps
from newsportal.web.newsroom.deps import NewsroomServices
from newsportal.web.rendering import STATIC

log = logging.getLogger(__name__)
HEADERS = {
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "same-origin",
}
MAX_UPLOAD = 12 * 1024 * 1024
MAX_FIELD = 400_000


@dataclass
class Viewer:
    user: User
    actor: Actor
    session: SessionRecord
    csrf: str


@dataclass
class Ctx:
    """One request as a handler sees it."""

    request: Request
    svc: NewsroomServices
    viewer: Viewer | None
    form: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def actor(self) -> Actor:
        assert self.viewer is not None
        return self.viewer.actor

    def path_int(self, name: str) -> int:
        """A numeric path parameter; anything odd is the 404 (never a 500)."""
        raw = str(self.request.path_params.get(name, ""))
        if not raw.isdigit() or len(raw) > 9:
            raise LookupError(raw)
        return int(raw)

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        return render(self.request, self.svc, self.viewer, template, status, **values)

    def redirect(self, url: str) -> Response:
        return RedirectResponse(url, status_code=303, headers=HEADERS)


def _static_version() -> str:
    """A hash of the newsroom's own static files: the shared version only covers the top-level ones, and
    static files are served as immutable, so a changed script must change its URL."""
    digest = hashlib.sha1()
    for path in sorted((STATIC / "newsroom").glob("*")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


STATIC_VERSION = _static_version()


def render(
    request: Request,
    svc: NewsroomServices,
    viewer: Viewer | None,
    template: str,
    status: int = 200,
    **values: Any,
) -> Response:
    env = web_context(request).templates
    text = env.get_template(f"newsroom/{template}").render(
        viewer=viewer,
        csrf=viewer.csrf if viewer else "",
        fmt=format_ui,
        input_time=to_input_value,
        path=request.url.path,
        nr_version=STATIC_VERSION,
        **values,
    )
    return HTMLResponse(text, status_code=status, headers=HEADERS)


def error_page(ctx: Ctx, status: int, heading: str, message: str) -> Response:
    return ctx.render("error.html", status, heading=heading, message=message)


def not_found(ctx: Ctx) -> Response:
    return error_page(ctx, 404, "页面不存在（404）", "您要找的稿件、用户或页面不存在，或链接有误。")


def current_viewer(request: Request, svc: NewsroomServices) -> tuple[Viewer | None, str | None]:
    """The logged-in viewer, or None and the Chinese reason (None when there was no cookie at all)."""
    cookie = request.cookies.get(deps.SESSION_COOKIE)
    if not cookie:
        return None, None
    try:
        record = svc.sessions.check(cookie)
    except SessionInvalid as exc:
        return None, exc.message
    user = svc.accounts_store.get(record.user_id)
    if user is None or not user.active:
        return None, "账号已停用，请联系管理员"
    ip = request.client.host if request.client else None
    actor = svc.accounts.actor_for(user, ip=ip)
    return Viewer(user, actor, record, deps.csrf_token_for(svc, record.id_hash)), None


async def _read_form(
    request: Request,
) -> tuple[dict[str, str], dict[str, list[str]], dict[str, tuple[str, bytes]]]:
    form = await request.form(max_files=4, max_fields=200)
    single: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            data = await value.read(MAX_UPLOAD + 1)
            files[key] = (value.filename or "", data)
            continue
        text = str(value)[:MAX_FIELD]
        single.setdefault(key, text)
        lists.setdefault(key, []).append(text)
    return single, lists, files


Handler = Callable[[Ctx], Response]


def endpoint(handler: Handler, *, auth: bool = True) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a sync handler with session lookup, CSRF on POST and the error pages (see module doc)."""

    async def run(request: Request) -> Response:
        svc = deps.services(request)
        form: dict[str, str] = {}
        lists: dict[str, list[str]] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.method == "POST":
            try:
                form, lists, files = await _read_form(request)
            except Exception:  # a malformed multipart body is the user's problem, not a 500
                form = {}
        return await run_in_threadpool(_dispatch, handler, request, svc, form, lists, files, auth)

    return run


def _dispatch(
    handler: Handler,
    request: Request,
    svc: NewsroomServices,
    form: dict[str, str],
    lists: dict[str, list[str]],
    files: dict[str, tuple[str, bytes]],
    auth: bool,
) -> Response:
    viewer, reason = current_viewer(request, svc)
    ctx = Ctx(request, svc, viewer, form, lists, files)
    if auth and viewer is None:
        return login_again(ctx, reason)
    try:
        if request.method == "POST" and auth:
            assert viewer is not None
            deps.check_csrf(svc, viewer.session.id_hash, form.get(deps.CSRF_FIELD))
        return handler(ctx)
    except CsrfError as exc:
        return error_page(ctx, 403, "请求被拒绝（403）", exc.message)
    except Forbidden as exc:
        return error_page(ctx, 403, "没有权限（403）", exc.message)
    except LookupError:
        return not_found(ctx)


def login_again(ctx: Ctx, reason: str | None) -> Response:
    """The login page; a POST's fields ride along as hidden inputs so the typed text survives."""
    keep: Mapping[str, list[str]] = {}
    if ctx.request.method == "POST":
        keep = {k: v for k, v in ctx.lists.items() if k != deps.CSRF_FIELD}
    url = ctx.request.url
    target = url.path + (f"?{url.query}" if url.query and ctx.request.method == "GET" else "")
    return login_page(ctx, status=401, message=reason or "请先登录", next_url=target, keep=keep)


KEEP_PREFIX = "keep__"


def safe_next(url: str) -> str:
    """Only newsroom paths on this site: no open redirect through ``next``."""
    if url.startswith("/newsroom") and not url.startswith("//") and "\\" not in url and len(url) < 500:
        return url
    return "/newsroom"


def login_page(
    ctx: Ctx,
    *,
    status: int = 200,
    message: str = "",
    next_url: str = "/newsroom",
    keep: Mapping[str, list[str]] | None = None,
    username: str = "",
) -> Response:
    nonce, fresh = deps.login_nonce(ctx.request)
    resp = ctx.render(
        "login.html",
        status,
        message=message,
        next_url=safe_next(next_url),
        keep=dict(keep or {}),
        username=username,
        keep_prefix=KEEP_PREFIX,
        login_csrf=deps.csrf_token_for(ctx.svc, nonce),
    )
    if fresh:
        deps.set_cookie(ctx.svc, resp, deps.NONCE_COOKIE, nonce)
    return resp
