"""跟贴 pages: the full thread (``/comments/<article id>``), the section fragment, and the form posts.

Every form posts to a route here and answers with a redirect (303) back to the page, so all of it works
with JavaScript off; the page script only enhances (fetches the fragment, posts with fetch). Pages with
per-reader state are sent ``private, no-store``; the fragment is the same for every reader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from newsportal.comments.errors import CommentsRefusal, Forbidden, NotSignedIn, http_status, message_zh
from newsportal.comments.moderating import REASONS
from newsportal.timeutil import utcnow
from newsportal.web import views
from newsportal.web.context import web_context
from newsportal.web.pages.common import PRIVATE_HEADERS, is_care, not_found, render
from newsportal.web.readers.section import cache_of, invalidate
from newsportal.web.readers.session import Visitor, client_ip, comments_of, visitor

T = TypeVar("T")
MAX_FORM_BYTES = 20_000
NOTICES = {
    "shown": "跟贴已发表。",
    "pending": "跟贴已提交，审核通过后显示。",
    "liked": "已点赞。",
    "reported": "举报已提交，处理结果会显示在“我的账号”中。",
}
SECTION_HEADERS = {"cache-control": "public, max-age=5", "x-content-type-options": "nosniff"}


async def blocking(fn: Callable[[], T]) -> T:
    return await anyio.to_thread.run_sync(fn)


async def form_of(request: Request) -> dict[str, str]:
    """The posted form as plain strings (files and repeated keys ignored); oversized bodies are empty."""
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return {}
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def prefix_of(request: Request) -> str:
    return views.mode_prefix(is_care(request))


def private(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=PRIVATE_HEADERS)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


# -- the thread page ------------------------------------------------------------------------------------
def thread_body(request: Request, article_id: int, v: Visitor, page: int, order: str,
                error: str = "", notice: str = "", text: str = "") -> str | None:
    portal = web_context(request).portal
    article = views.published_article(portal, article_id=article_id)
    if article is None:
        return None
    comments = comments_of(request)
    now = utcnow()
    section = comments.service.section(article_id, now)
    threads = comments.service.thread_page(article_id, now, page=page, order=order)
    prefix = prefix_of(request)
    return render(request, "readers/thread.html", kind="comments", canonical=None, article=article,
                  section=section, threads=threads, order=order, visitor=v, error=error, notice=notice,
                  text=text, reasons=REASONS, thread_url=f"{prefix}/comments/{article_id}",
                  article_url=f"{prefix}/a/{article.slug}.html")


async def thread(request: Request) -> Response:
    article_id: int = request.path_params["article_id"]
    page = _int(request.query_params.get("page", "1"))
    order = request.query_params.get("order", "latest")
    if page is None or page < 1 or order not in ("latest", "hot"):
        return not_found(request)
    notice = NOTICES.get(request.query_params.get("notice", ""), "")

    def build() -> tuple[str | None, Visitor]:
        v = visitor(request)
        return thread_body(request, article_id, v, page, order, notice=notice), v

    body, v = await blocking(build)
    if body is None:
        return not_found(request)
    return v.finish(private(body))


async def section(request: Request) -> Response:
    """The shared fragment the article page's script puts into its 跟贴 placeholder."""
    article_id: int = request.path_params["article_id"]
    comments = comments_of(request)
    care = is_care(request)
    prefix = prefix_of(request)

    def build() -> str:
        portal = web_context(request).portal
        if views.published_article(portal, article_id=article_id) is None:
            return ""
        data = comments.service.section(article_id, utcnow())
        template = web_context(request).templates.get_template("readers/section.html")
        return template.render(section=data, prefix=prefix, care=care, reasons=REASONS,
                               thread_url=f"{prefix}/comments/{article_id}")

    text = await blocking(lambda: cache_of(comments).get(care, article_id, build))
    if not text:
        return not_found(request)
    return HTMLResponse(text, headers=SECTION_HEADERS)


# -- form posts ---------------------------------------------------------------------------------------
def back(request: Request, article_id: int, notice: str, anchor: str = "comments") -> Response:
    return RedirectResponse(f"{prefix_of(request)}/comments/{article_id}?notice={quote(notice)}#{anchor}",
                            status_code=303)


async def _refused_page(request: Request, article_id: int, v: Visitor, exc: BaseException,
                        text: str = "") -> Response:
    status = http_status(exc)
    body = await blocking(lambda: thread_body(request, article_id, v, 1, "latest", error=message_zh(exc),
                                              text=text))
    if body is None:
        return not_found(request)
    return v.finish(private(body, status))


async def _act(request: Request, article_id: int, run: Callable[[Visitor, dict[str, str]], str],
               keep_text: bool = False) -> Response:
    form = await form_of(request)
    v = await blocking(lambda: visitor(request))
    try:
        if v.account is None:
            raise NotSignedIn("not_signed_in", "请先登录后再操作。")
        if not v.check(comments_of(request), form.get("csrf")):
            raise _csrf_error()
        notice = await blocking(lambda: run(v, form))
    except CommentsRefusal as exc:
        return await _refused_page(request, article_id, v, exc, form.get("text", "") if keep_text else "")
    return back(request, article_id, notice)


def _csrf_error() -> Exception:
    return Forbidden("csrf", "页面已过期，请刷新后重试。")


async def post_comment(request: Request) -> Response:
    article_id: int = request.path_params["article_id"]
    comments = comments_of(request)

    def run(v: Visitor, form: dict[str, str]) -> str:
        assert v.account is not None
        reply_to = _int(form.get("reply_to"))
        saved = comments.service.post(v.account, article_id, form.get("text", ""), client_ip(request),
                                      utcnow(), reply_to=reply_to)
        return "shown" if saved.visible else "pending"

    return await _act(request, article_id, run, keep_text=True)


async def like(request: Request) -> Response:
    comment_id: int = request.path_params["comment_id"]
    comments = comments_of(request)
    try:
        target = await blocking(lambda: comments.stores.comments.get(comment_id))
    except CommentsRefusal:
        return not_found(request)

    def run(v: Visitor, form: dict[str, str]) -> str:
        assert v.account is not None
        comments.service.like(v.account, comment_id, utcnow())
        invalidate(comments, target.article_id)
        return "liked"

    return await _act(request, target.article_id, run)


async def report(request: Request) -> Response:
    comment_id: int = request.path_params["comment_id"]
    comments = comments_of(request)
    try:
        target = await blocking(lambda: comments.stores.comments.get(comment_id))
    except CommentsRefusal:
        return not_found(request)

    def run(v: Visitor, form: dict[str, str]) -> str:
        assert v.account is not None
        comments.service.report(v.account, "comment", comment_id, form.get("reason", ""), utcnow(),
                                form.get("note", ""))
        return "reported"

    return await _act(request, target.article_id, run)
