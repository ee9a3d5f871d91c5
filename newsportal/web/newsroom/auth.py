"""Logging in and out of the newsroom, and picking up an edit after the session ran out.

The login form has its own CSRF token bound to a random nonce cookie (there is no session yet). Every
attempt is audited and rate limited by :class:`~newsportal.newsroom.accounts.AccountService`. When a form
was posted with an expired session, the login page carries the posted fields as hidden inputs; after a
successful login they come back in a form (with a fresh token) that posts them where they were going, so
nothing typed is lost and nothing is saved without the user pressing the button again.
"""

from __future__ import annotations

from starlette.responses import Response

from newsportal.newsroom.accounts import LoginFailed
from newsportal.newsroom.login_limits import LoginThrottled
from newsportal.newsroom.sessions import CsrfError
from newsportal.web.newsroom import deps
from newsportal.web.newsroom.common import HEADERS, KEEP_PREFIX, Ctx, endpoint, login_page, safe_next


def _login_get(ctx: Ctx) -> Response:
    if ctx.viewer is not None:
        return ctx.redirect("/newsroom")
    return login_page(ctx, next_url=ctx.request.query_params.get("next", "/newsroom"))


def _kept(ctx: Ctx) -> dict[str, list[str]]:
    return {k[len(KEEP_PREFIX) :]: v for k, v in ctx.lists.items() if k.startswith(KEEP_PREFIX)}


def _login_post(ctx: Ctx) -> Response:
    keep = _kept(ctx)
    next_url = safe_next(ctx.form.get("next", "/newsroom"))
    username = ctx.form.get("username", "")[:64]
    try:
        deps.check_csrf(ctx.svc, ctx.request.cookies.get(deps.NONCE_COOKIE), ctx.form.get(deps.CSRF_FIELD))
    except CsrfError as exc:
        return login_page(
            ctx, status=403, message=exc.message, next_url=next_url, keep=keep, username=username
        )
    ip = ctx.request.client.host if ctx.request.client else None
    try:
        ok = ctx.svc.accounts.authenticate(
            username, ctx.form.get("password", ""), ip=ip, user_agent=ctx.request.headers.get("user-agent")
        )
    except (LoginFailed, LoginThrottled) as exc:
        status = 429 if isinstance(exc, LoginThrottled) else 400
        return login_page(
            ctx, status=status, message=exc.message, next_url=next_url, keep=keep, username=username
        )
    assert ok.session is not None
    if keep:
        resp = ctx.render("resume.html", keep=keep, next_url=next_url, resume_csrf=ok.session.csrf_token)
    else:
        resp = ctx.redirect(next_url)
    deps.set_cookie(ctx.svc, resp, deps.SESSION_COOKIE, ok.session.session_id)
    deps.clear_cookie(resp, deps.NONCE_COOKIE)
    return resp


def _logout(ctx: Ctx) -> Response:
    ctx.svc.accounts.logout(ctx.actor, ctx.request.cookies.get(deps.SESSION_COOKIE))
    resp = ctx.redirect("/newsroom/login")
    deps.clear_cookie(resp, deps.SESSION_COOKIE)
    return resp


login_get = endpoint(_login_get, auth=False)
login_post = endpoint(_login_post, auth=False)
logout = endpoint(_logout)
__all__ = ["HEADERS", "login_get", "login_post", "login_page", "logout", "safe_next"]
