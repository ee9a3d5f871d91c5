"""The moderation pages under ``/newsroom/moderation``: queue, decisions, reports, appeals, bans, settings.

Every page asks :func:`.staff.staff_of` first (401 without a newsroom session, 403 without the
``moderate_comments`` action), every form carries the staff session's CSRF token, and every refusal from the
comment services is shown with its Chinese message and its 4xx. Pages are ``private, no-store``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, timezone
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from newsportal.comments.errors import CommentsRefusal, http_status, message_zh
from newsportal.comments.moderating import REASONS
from newsportal.comments.moderation import Mode
from newsportal.timeutil import utcnow
from newsportal.web.context import web_context
from newsportal.web.moderation.staff import NotStaff, Staff, sessions_of, staff_of
from newsportal.web.pages.common import PRIVATE_HEADERS
from newsportal.web.readers.pages import blocking, form_of

BASE = "/newsroom/moderation"
BEIJING = timezone(timedelta(hours=8))
NOTICES = {
    "approved": "已通过。", "rejected": "已拒绝。", "appeal": "申诉已处理。", "report": "举报已处理。",
    "ban": "已禁言。", "lifted": "已解除禁言。", "thread": "文章跟贴设置已保存。",
    "channel": "频道审核模式已保存。", "word_added": "已加入违禁词。", "word_removed": "已移除违禁词。",
    "verified": "已通过身份验证。", "refused": "已拒绝身份验证。",
}
STATUSES = (("pending", "待审"), ("reported", "被举报"), ("appeals", "申诉"), ("all", "全部"))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _page(request: Request, template: str, staff: Staff, status: int = 200, **values: object) -> Response:
    ctx = web_context(request)
    notice = NOTICES.get(request.query_params.get("notice", ""), "")
    body = ctx.templates.get_template(template).render(
        staff=staff, base=BASE, notice=notice, reasons=REASONS, statuses=STATUSES, modes=list(Mode),
        channels=ctx.portal.channels, **values)
    return HTMLResponse(body, status_code=status, headers=PRIVATE_HEADERS)


def _refusal_page(request: Request, status: int, message: str) -> Response:
    body = web_context(request).templates.get_template("moderation/refused.html").render(
        base=BASE, message=message, status=status)
    return HTMLResponse(body, status_code=status, headers=PRIVATE_HEADERS)


async def _view(request: Request, build: Callable[[Staff], Response]) -> Response:
    def run() -> Response:
        try:
            staff = staff_of(request)
        except NotStaff as exc:
            return _refusal_page(request, exc.status, exc.message)
        try:
            return build(staff)
        except CommentsRefusal as exc:
            return _refusal_page(request, http_status(exc), message_zh(exc))

    return await blocking(run)


async def _act(request: Request, act: Callable[[Staff, dict[str, str]], str], back: str) -> Response:
    """Run a decision from a form; redirect back with a notice, or show the refusal with its 4xx."""
    form = await form_of(request)

    def run() -> Response:
        try:
            staff = staff_of(request)
        except NotStaff as exc:
            return _refusal_page(request, exc.status, exc.message)
        if not staff.check_csrf(sessions_of(request), form.get("csrf")):
            return _refusal_page(request, 403, "页面已过期，请刷新后重试。")
        try:
            notice = act(staff, form)
        except CommentsRefusal as exc:
            return _refusal_page(request, http_status(exc), message_zh(exc))
        target = form.get("back", "")
        if not target.startswith(BASE) or "//" in target:
            target = back
        sep = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{sep}notice={quote(notice)}", status_code=303)

    return await blocking(run)


def _comments(request: Request):  # type: ignore[no-untyped-def]
    return web_context(request).portal.comments


# -- queue ----------------------------------------------------------------------------------------------
async def queue(request: Request) -> Response:
    q = request.query_params
    status = q.get("status", "pending")
    article_id, author_id, page = _int(q.get("article")), _int(q.get("reader")), _int(q.get("page", "1"))

    def build(staff: Staff) -> Response:
        items, total = _comments(request).moderation.queue(
            status, article_id=article_id, author_id=author_id, page=page or 1, per_page=30)
        here = f"{BASE}?" + urlencode({k: v for k, v in (("status", status), ("article", article_id or ""),
                                                         ("reader", author_id or "")) if v})
        return _page(request, "moderation/queue.html", staff, items=items, total=total, filter_status=status,
                     article_id=article_id, author_id=author_id, page=page or 1, here=here,
                     pending_total=_comments(request).moderation.pending_total())

    return await _view(request, build)


async def approve(request: Request) -> Response:
    cid: int = request.path_params["comment_id"]
    comments = _comments(request)

    def act(staff: Staff, form: dict[str, str]) -> str:
        comments.moderation.approve(cid, staff.actor.user_id, utcnow())
        return "approved"

    return await _act(request, act, BASE)


async def reject(request: Request) -> Response:
    cid: int = request.path_params["comment_id"]
    comments = _comments(request)

    def act(staff: Staff, form: dict[str, str]) -> str:
        comments.moderation.reject(cid, staff.actor.user_id, form.get("reason", ""), utcnow(),
                                   form.get("note", ""))
        return "rejected"

    return await _act(request, act, BASE)


async def decide_appeal(request: Request) -> Response:
    cid: int = request.path_params["comment_id"]
    comments = _comments(request)

    def act(staff: Staff, form: dict[str, str]) -> str:
        comments.moderation.decide_appeal(cid, staff.actor.user_id,
                                          overturn=form.get("overturn") == "1", now=utcnow(),
                                          note=form.get("note", ""))
        return "appeal"

    return await _act(request, act, f"{BASE}?status=appeals")


# -- reports ----------------------------------------------------------------------------------------------
async def reports(request: Request) -> Response:
    kind = request.query_params.get("kind") or None
    page = _int(request.query_params.get("page", "1")) or 1

    def build(staff: Staff) -> Response:
        rows, total = _comments(request).moderation.report_queue(kind, page=page)
        return _page(request, "moderation/reports.html", staff, rows=rows, total=total, kind=kind or "",
                     page=page)

    return await _view(request, build)


async def decide_report(request: Request) -> Response:
    rid: int = request.path_params["report_id"]

    def act(staff: Staff, form: dict[str, str]) -> str:
        _comments(request).moderation.decide_report(rid, staff.actor.user_id,
                                                    upheld=form.get("upheld") == "1", now=utcnow(),
                                                    note=form.get("note", ""))
        return "report"

    return await _act(request, act, f"{BASE}/reports")


# -- bans -------------------------------------------------------------------------------------------------
def _end_of_day(value: str) -> datetime:
    """A date typed by the moderator (Beijing time) → the end of that day in UTC."""
    from newsportal.comments.errors import BadInput

    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise BadInput("bad_date", "请按 年-月-日 填写禁言结束日期，例如 2026-12-31。") from None
    return datetime.combine(day, time(23, 59, 59), BEIJING).astimezone(UTC).replace(tzinfo=None)


async def bans(request: Request) -> Response:
    reader_id = _int(request.query_params.get("reader"))

    def build(staff: Staff) -> Response:
        rows = _comments(request).moderation.bans_of(reader_id) if reader_id else []
        return _page(request, "moderation/bans.html", staff, rows=rows, reader_id=reader_id, now=utcnow())

    return await _view(request, build)


async def add_ban(request: Request) -> Response:
    def act(staff: Staff, form: dict[str, str]) -> str:
        from newsportal.comments.errors import BadInput

        reader_id = _int(form.get("reader_id"))
        if reader_id is None:
            raise BadInput("bad_reader", "请填写读者编号。")
        _comments(request).moderation.ban(reader_id, staff.actor.user_id, utcnow(),
                                          _end_of_day(form.get("ends", "")), form.get("reason", ""),
                                          form.get("note", ""))
        return "ban"

    return await _act(request, act, f"{BASE}/bans")


async def lift_ban(request: Request) -> Response:
    bid: int = request.path_params["ban_id"]

    def act(staff: Staff, form: dict[str, str]) -> str:
        _comments(request).moderation.lift_ban(bid, staff.actor.user_id, utcnow())
        return "lifted"

    return await _act(request, act, f"{BASE}/bans")
