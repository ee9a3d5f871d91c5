"""跟贴 in the API: read an article's comments, post and reply, like, report, appeal, and reader accounts.

Readers authenticate with the reader-session cookie (set by ``POST /readers/login``) plus the
``X-CSRF-Token`` header on every write, or with ``X-Reader-Token: <session token>`` (no cookie, so no CSRF).
Every refusal is a 4xx in the API's error shape whose ``message`` is the Chinese sentence for the reader
(:func:`newsportal.comments.errors.http_status` picks the status). Nothing here is cached publicly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from newsportal.comments.errors import CommentsRefusal, NotSignedIn, http_status, message_zh
from newsportal.comments.ranking import Thread
from newsportal.store.comments import CommentRecord
from newsportal.store.reader_accounts import ReaderAccount
from newsportal.timeutil import iso_beijing, utcnow
from newsportal.web.errors import api_error
from newsportal.web.readers import csrf
from newsportal.web.readers.session import (
    clear_session,
    client_ip,
    comments_of,
    set_session,
    submitted_token,
    visitor,
)

router = APIRouter(tags=["comments"])
PRIVATE = "private, no-store"
TOKEN_HEADER = "x-reader-token"
AnyJson = Annotated[Any, Body()]


class Refused(Exception):
    """Raised inside the endpoints to answer with the JSON error shape (see :func:`refused`)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def refused(request: Request, exc: Exception) -> JSONResponse:
    """The API answer for any comments refusal: its 4xx, a stable ``code`` and the Chinese message."""
    if isinstance(exc, Refused):
        status, code, message = exc.status, exc.code, exc.message
    else:
        status, code, message = http_status(exc), getattr(exc, "code", "refused"), message_zh(exc)
    resp = api_error(status, message, code=code)
    retry = getattr(exc, "retry_after", None)
    if retry:
        resp.headers["retry-after"] = str(retry)
    resp.headers["cache-control"] = PRIVATE
    return resp


EXCEPTION_HANDLERS: dict[type[Exception], Callable[[Request, Exception], Awaitable[Response]]] = {
    Refused: refused, **{cls: refused for cls in CommentsRefusal}
}


def comment_out(c: CommentRecord) -> dict[str, object]:
    return {
        "id": c.id,
        "article_id": c.article_id,
        "nickname": c.nickname,
        "text": c.text,
        "ip_label": c.ip_label,
        "posted_at": iso_beijing(c.posted_at),
        "likes": c.likes,
        "root_id": c.root_id,
        "quoted_id": c.quoted_id,
    }


def thread_out(t: Thread[CommentRecord]) -> dict[str, object]:
    return {
        "comment": comment_out(t.top),
        "replies": [
            {**comment_out(r.comment), "quoted": comment_out(r.quoted) if r.quoted else None,
             "quoted_missing": r.quoted_missing}
            for r in t.replies
        ],
    }


def _text(body: Any, key: str, required: bool = True) -> object:
    if not isinstance(body, dict):
        raise Refused(400, "bad_body", "请求内容须为 JSON 对象。")
    value = body.get(key)
    if value is None and required:
        raise Refused(400, f"no_{key}", "缺少必填内容。")
    return value


def _reader(request: Request, now: datetime, *, write: bool) -> ReaderAccount:
    """The signed-in reader (header token, or cookie + CSRF header on writes); 401 otherwise."""
    comments = comments_of(request)
    header = request.headers.get(TOKEN_HEADER)
    if header:
        return comments.readers.require(header if len(header) <= 200 else None, now)
    v = visitor(request, now)
    if v.account is None:
        raise NotSignedIn("not_signed_in", "请先登录后再操作。")
    if write and not v.check(comments, submitted_token(request)):
        raise Refused(403, "csrf", "页面已过期，请刷新后重试。")
    return v.account


# -- reading -----------------------------------------------------------------------------------------
@router.get("/articles/{article_id}/comments")
def article_comments(
    request: Request,
    response: Response,
    article_id: int,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=50)] = 20,
    order: Annotated[str, Query(max_length=10)] = "latest",
) -> dict[str, object]:
    """The 跟贴 of an article: count, 热门跟贴, 最新跟贴 and one page of threads (replies one level)."""
    service, now = comments_of(request).service, utcnow()
    threads = service.thread_page(article_id, now, page=page, per_page=per_page, order=order)
    section = service.section(article_id, now)
    response.headers["cache-control"] = "public, max-age=5"
    return {
        "article_id": article_id,
        "count": section.count,
        "closed": section.closed,
        "hot": [comment_out(c) for c in section.hot],
        "latest": [comment_out(c) for c in section.latest],
        "threads": [thread_out(t) for t in threads.items],
        "page": threads.number,
        "pages": threads.pages,
        "total_threads": threads.total,
    }


# -- writing -----------------------------------------------------------------------------------------
def _post(request: Request, article_id: int, text: object, reply_to: int | None) -> JSONResponse:
    now = utcnow()
    account = _reader(request, now, write=True)
    comments = comments_of(request)
    # a comment shown at once reaches the caches of the pages that show it through comments.signals
    saved = comments.service.post(account, article_id, text, client_ip(request), now, reply_to=reply_to)
    body = {**comment_out(saved), "shown": saved.visible,
            "message": "跟贴已发表。" if saved.visible else "跟贴已提交，审核通过后显示。"}
    return JSONResponse(body, status_code=201, headers={"cache-control": PRIVATE})


@router.post("/articles/{article_id}/comments", status_code=201)
def post_comment(request: Request, article_id: int, body: AnyJson = None) -> JSONResponse:
    """Post a comment (``{"text": …, "reply_to": id?}``); needs a verified reader (401/403 otherwise)."""
    reply_to = _text(body, "reply_to", required=False)
    if reply_to is not None and (not isinstance(reply_to, int) or isinstance(reply_to, bool) or reply_to < 1):
        raise Refused(400, "bad_reply_to", "回复对象须为跟贴编号。")
    return _post(request, article_id, _text(body, "text"), reply_to)


@router.post("/comments/{comment_id}/replies", status_code=201)
def post_reply(request: Request, comment_id: int, body: AnyJson = None) -> JSONResponse:
    """Reply to a comment (one level of nesting; a reply to a reply quotes it)."""
    text = _text(body, "text")
    comments = comments_of(request)
    try:
        parent = comments.stores.comments.get(comment_id)
    except CommentsRefusal:
        raise Refused(404, "no_parent", "你要回复的跟贴不存在。") from None
    return _post(request, parent.article_id, text, comment_id)


@router.post("/comments/{comment_id}/like")
def like(request: Request, comment_id: int) -> JSONResponse:
    """Like once; the second like is a 409 with 你已经赞过这条跟贴了。"""
    now = utcnow()
    account = _reader(request, now, write=True)
    likes = comments_of(request).service.like(account, comment_id, now)
    return JSONResponse({"id": comment_id, "likes": likes}, headers={"cache-control": PRIVATE})


class ReportIn(BaseModel):
    reason: str = Field(max_length=40)
    note: str = Field("", max_length=2000)


def _report(request: Request, kind: str, target_id: int, body: Any) -> JSONResponse:
    now = utcnow()
    account = _reader(request, now, write=True)
    reason = _text(body, "reason")
    note = body.get("note", "") if isinstance(body, dict) else ""
    if not isinstance(reason, str):
        raise Refused(400, "bad_reason", "请选择举报理由。")
    rec = comments_of(request).service.report(account, kind, target_id, reason, now, note)
    return JSONResponse({"id": rec.id, "outcome": rec.outcome_zh}, status_code=201,
                        headers={"cache-control": PRIVATE})


@router.post("/comments/{comment_id}/report", status_code=201)
def report_comment(request: Request, comment_id: int, body: AnyJson = None) -> JSONResponse:
    """举报 a comment with a reason (``ad``, ``abuse``, ``illegal``, ``vulgar``, ``rumour``, …)."""
    return _report(request, "comment", comment_id, body)


@router.post("/articles/{article_id}/report", status_code=201)
def report_article(request: Request, article_id: int, body: AnyJson = None) -> JSONResponse:
    """举报 an article with a reason."""
    return _report(request, "article", article_id, body)


@router.post("/comments/{comment_id}/appeal")
def appeal(request: Request, comment_id: int, body: AnyJson = None) -> JSONResponse:
    """Appeal once against the removal of your comment; a different moderator decides."""
    now = utcnow()
    account = _reader(request, now, write=True)
    rec = comments_of(request).service.appeal(account, comment_id, _text(body, "text"), now)
    return JSONResponse({"id": rec.id, "message": "申诉已提交，将由另一位审核员处理。"},
                        headers={"cache-control": PRIVATE})


@router.delete("/comments/{comment_id}")
def delete_comment(request: Request, comment_id: int) -> JSONResponse:
    """Delete one of your own comments."""
    now = utcnow()
    account = _reader(request, now, write=True)
    comments = comments_of(request)
    rec = comments.service.delete_own(account, comment_id, now)
    return JSONResponse({"id": rec.id, "state": rec.state.value}, headers={"cache-control": PRIVATE})


@router.get("/me/comments")
def my_comments(request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> JSONResponse:
    """Your comments with the status line you read beside each (审核中, 已发布, 未通过审核（原因：…）…)."""
    account = _reader(request, utcnow(), write=False)
    rows, total = comments_of(request).service.my_comments(account, page=page)
    items = [{**comment_out(m.comment), "status": m.status_zh, "state": m.comment.state.value} for m in rows]
    return JSONResponse({"items": items, "total": total, "page": page}, headers={"cache-control": PRIVATE})


@router.get("/me/reports")
def my_reports(request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> JSONResponse:
    """Your reports with their outcome."""
    account = _reader(request, utcnow(), write=False)
    rows, total = comments_of(request).service.my_reports(account, page=page)
    items = [{"id": r.id, "target_kind": r.report.target_kind.value, "target_id": r.report.target_id,
              "reason": r.report.reason.value, "state": r.report.state.value, "outcome": r.outcome_zh}
             for r in rows]
    return JSONResponse({"items": items, "total": total, "page": page}, headers={"cache-control": PRIVATE})


# -- reader accounts ---------------------------------------------------------------------------------
def account_out(a: ReaderAccount) -> dict[str, object]:
    return {"id": a.id, "nickname": a.nickname, "verification": a.verification.value,
            "verification_label": a.verification.label_zh, "may_post": a.may_post}


@router.post("/readers/signup", status_code=201)
def sign_up(request: Request, body: AnyJson = None) -> JSONResponse:
    """Create a reader account (待验证 until an operator approves it); answers 201 with the account."""
    account = comments_of(request).readers.sign_up(
        _text(body, "login"), _text(body, "nickname"), _text(body, "password"), utcnow()
    )
    return JSONResponse({**account_out(account), "message": "注册成功，账号正在等待身份验证。"},
                        status_code=201, headers={"cache-control": PRIVATE})


@router.post("/readers/login")
def log_in(request: Request, body: AnyJson = None) -> JSONResponse:
    """Sign in: sets the reader cookie and returns the session token and the CSRF token for writes."""
    comments = comments_of(request)
    signed = comments.readers.log_in(_text(body, "login"), _text(body, "password"), client_ip(request),
                                     utcnow())
    token = csrf.token_for(comments.secret, csrf.binding_of(signed.token, None))
    resp = JSONResponse({**account_out(signed.account), "token": signed.token, "csrf": token},
                        headers={"cache-control": PRIVATE})
    set_session(resp, signed.token)
    return resp


@router.post("/readers/logout")
def log_out(request: Request) -> JSONResponse:
    now = utcnow()
    _reader(request, now, write=True)
    token = request.headers.get(TOKEN_HEADER) or visitor(request, now).token
    if token:
        comments_of(request).readers.log_out(token)
    resp = JSONResponse({"signed_out": True}, headers={"cache-control": PRIVATE})
    clear_session(resp)
    return resp


@router.get("/readers/me")
def me(request: Request) -> JSONResponse:
    """The signed-in reader (nickname, verification state) and the CSRF token for the page's fetches."""
    v = visitor(request, utcnow())
    body: dict[str, object] = {"signed_in": v.account is not None, "csrf": v.csrf}
    if v.account is not None:
        body["account"] = account_out(v.account)
    return v.finish(JSONResponse(body, headers={"cache-control": PRIVATE}))  # type: ignore[return-value]


@router.delete("/readers/me")
def delete_me(request: Request, body: AnyJson = None) -> JSONResponse:
    """Delete your account (confirm with ``{"password": …}``); your comments then show 已注销用户."""
    now = utcnow()
    account = _reader(request, now, write=True)
    comments_of(request).readers.delete_account(account, _text(body, "password"), now)
    resp = JSONResponse({"deleted": True}, headers={"cache-control": PRIVATE})
    clear_session(resp)
    return resp
