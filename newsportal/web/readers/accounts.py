"""Reader account pages: 注册, 登录, 退出, 我的账号 (my comments and reports, appeal once, delete account).

Forms post here and redirect (303), so they work without JavaScript. Every form carries the CSRF token of
:mod:`.csrf` (bound to the pre-login nonce before sign-in, to the reader session after).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsportal.comments.errors import CommentsRefusal, http_status, message_zh
from newsportal.timeutil import utcnow
from newsportal.web.pages.common import render
from newsportal.web.readers.pages import blocking, form_of, prefix_of, private
from newsportal.web.readers.session import (
    Visitor,
    clear_session,
    client_ip,
    comments_of,
    set_session,
    visitor,
)

ACCOUNT_NOTICES = {
    "signed_up": "注册成功。你的账号正在等待身份验证，验证通过后即可发表跟贴。",
    "signed_in": "登录成功。",
    "appealed": "申诉已提交，将由另一位审核员处理，结果会显示在这里。",
    "deleted_comment": "跟贴已删除。",
}
CSRF_MESSAGE = "页面已过期，请刷新后重试。"


def _form_page(request: Request, template: str, v: Visitor, *, error: str = "",
               values: dict[str, str] | None = None, status: int = 200) -> Response:
    body = render(request, template, kind="reader", canonical=None, visitor=v, error=error,
                  values=values or {}, prefix=prefix_of(request))
    return v.finish(private(body, status))


async def signup_page(request: Request) -> Response:
    v = await blocking(lambda: visitor(request))
    return _form_page(request, "readers/signup.html", v)


async def signup(request: Request) -> Response:
    form = await form_of(request)
    v = await blocking(lambda: visitor(request))
    kept = {"login": form.get("login", ""), "nickname": form.get("nickname", "")}
    if not v.check(comments_of(request), form.get("csrf")):
        return _form_page(request, "readers/signup.html", v, error=CSRF_MESSAGE, values=kept, status=403)
    if form.get("password", "") != form.get("password2", ""):
        return _form_page(request, "readers/signup.html", v, error="两次输入的密码不一致。", values=kept,
                          status=400)
    comments = comments_of(request)
    try:
        await blocking(lambda: comments.readers.sign_up(form.get("login"), form.get("nickname"),
                                                        form.get("password"), utcnow()))
    except CommentsRefusal as exc:
        return _form_page(request, "readers/signup.html", v, error=message_zh(exc), values=kept,
                          status=400 if getattr(exc, "status", 400) == 400 else 409)
    return RedirectResponse(f"{prefix_of(request)}/readers/login?notice=signed_up", status_code=303)


async def login_page(request: Request) -> Response:
    v = await blocking(lambda: visitor(request))
    notice = ACCOUNT_NOTICES.get(request.query_params.get("notice", ""), "")
    body = render(request, "readers/login.html", kind="reader", canonical=None, visitor=v, error="",
                  values={}, notice=notice, next=_next(request.query_params.get("next")),
                  prefix=prefix_of(request))
    return v.finish(private(body))


def _next(value: str | None) -> str:
    """Only a local path may be the place to go back to (no open redirect)."""
    ok = value and value.startswith("/") and not value.startswith("//") and "\\" not in value
    if ok and len(value or "") < 300:
        return value or ""
    return ""


async def login(request: Request) -> Response:
    form = await form_of(request)
    v = await blocking(lambda: visitor(request))
    kept = {"login": form.get("login", "")}
    comments = comments_of(request)

    def page(error: str, status: int) -> Response:
        body = render(request, "readers/login.html", kind="reader", canonical=None, visitor=v, error=error,
                      values=kept, notice="", next=_next(form.get("next")), prefix=prefix_of(request))
        return v.finish(private(body, status))

    if not v.check(comments, form.get("csrf")):
        return page(CSRF_MESSAGE, 403)
    try:
        signed = await blocking(lambda: comments.readers.log_in(form.get("login"), form.get("password"),
                                                                client_ip(request), utcnow()))
    except CommentsRefusal as exc:
        return page(message_zh(exc), 429 if getattr(exc, "status", 400) == 429 else 400)
    target = _next(form.get("next")) or f"{prefix_of(request)}/readers/account?notice=signed_in"
    resp = RedirectResponse(target, status_code=303)
    set_session(resp, signed.token)
    return resp


async def logout(request: Request) -> Response:
    form = await form_of(request)
    v = await blocking(lambda: visitor(request))
    comments = comments_of(request)
    if v.token and v.check(comments, form.get("csrf")):
        await blocking(lambda: comments.readers.log_out(v.token or ""))
    resp = RedirectResponse(f"{prefix_of(request)}/", status_code=303)
    clear_session(resp)
    return resp


def _account_body(request: Request, v: Visitor, error: str = "", notice: str = "") -> str:
    assert v.account is not None
    comments = comments_of(request)
    mine, total = comments.service.my_comments(v.account)
    reports, rtotal = comments.service.my_reports(v.account)
    return render(request, "readers/account.html", kind="reader", canonical=None, visitor=v, mine=mine,
                  total=total, reports=reports, rtotal=rtotal, error=error, notice=notice,
                  prefix=prefix_of(request))


async def account(request: Request) -> Response:
    v = await blocking(lambda: visitor(request))
    if v.account is None:
        p = prefix_of(request)
        return RedirectResponse(f"{p}/readers/login?next={p}/readers/account", status_code=303)
    notice = ACCOUNT_NOTICES.get(request.query_params.get("notice", ""), "")
    body = await blocking(lambda: _account_body(request, v, notice=notice))
    return private(body)


async def _account_action(request: Request, run, notice: str) -> Response:  # type: ignore[no-untyped-def]
    form = await form_of(request)
    v = await blocking(lambda: visitor(request))
    if v.account is None:
        return RedirectResponse(f"{prefix_of(request)}/readers/login", status_code=303)
    if not v.check(comments_of(request), form.get("csrf")):
        body = await blocking(lambda: _account_body(request, v, error=CSRF_MESSAGE))
        return private(body, 403)
    try:
        result = await blocking(lambda: run(v, form))
    except CommentsRefusal as exc:
        message, status = message_zh(exc), http_status(exc)
        body = await blocking(lambda: _account_body(request, v, error=message))
        return private(body, status)
    if isinstance(result, Response):
        return result
    return RedirectResponse(f"{prefix_of(request)}/readers/account?notice={notice}", status_code=303)


async def appeal(request: Request) -> Response:
    comment_id: int = request.path_params["comment_id"]
    comments = comments_of(request)

    def run(v: Visitor, form: dict[str, str]) -> None:
        assert v.account is not None
        comments.service.appeal(v.account, comment_id, form.get("text", ""), utcnow())

    return await _account_action(request, run, "appealed")


async def delete_comment(request: Request) -> Response:
    comment_id: int = request.path_params["comment_id"]
    comments = comments_of(request)

    def run(v: Visitor, form: dict[str, str]) -> None:
        assert v.account is not None
        comments.service.delete_own(v.account, comment_id, utcnow())

    return await _account_action(request, run, "deleted_comment")


async def delete_account(request: Request) -> Response:
    comments = comments_of(request)

    def run(v: Visitor, form: dict[str, str]) -> Response:
        assert v.account is not None
        comments.readers.delete_account(v.account, form.get("password"), utcnow())
        resp = RedirectResponse(f"{prefix_of(request)}/?account_deleted=1", status_code=303)
        clear_session(resp)
        return resp

    return await _account_action(request, run, "")
