"""Moderation settings pages: per-article close/mode, per-channel mode, the banned-word list, and reader
verification (the embedded verifier's operator approval)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsportal.comments.errors import BadInput
from newsportal.timeutil import utcnow
from newsportal.web.moderation.pages import BASE, Staff, _act, _comments, _int, _page, _view
from newsportal.web.readers.section import invalidate


async def settings_page(request: Request) -> Response:
    article_id = _int(request.query_params.get("article"))

    def build(staff: Staff) -> Response:
        m = _comments(request).moderation
        thread = m.stores.settings.thread(article_id) if article_id else None
        return _page(request, "moderation/settings.html", staff, article_id=article_id, thread=thread,
                     channel_modes=m.stores.settings.channel_modes(), words=m.banned_words())

    return await _view(request, build)


async def save_thread(request: Request) -> Response:
    comments = _comments(request)

    def act(staff: Staff, form: dict[str, str]) -> str:
        article_id = _int(form.get("article_id"))
        if article_id is None or comments.stores.settings.article(article_id) is None:
            raise BadInput("bad_article", "请填写存在的文章编号。")
        mode = form.get("mode", "")
        comments.moderation.set_thread(article_id, closed=form.get("closed") == "1",
                                       mode=mode or None, clear_mode=not mode)
        invalidate(comments, article_id)
        return "thread"

    return await _act(request, act, f"{BASE}/settings")


async def save_channel(request: Request) -> Response:
    def act(staff: Staff, form: dict[str, str]) -> str:
        channel_id = _int(form.get("channel_id"))
        if channel_id is None:
            raise BadInput("bad_channel", "请选择频道。")
        _comments(request).moderation.set_channel_mode(channel_id, form.get("mode") or None)
        return "channel"

    return await _act(request, act, f"{BASE}/settings")


async def add_word(request: Request) -> Response:
    def act(staff: Staff, form: dict[str, str]) -> str:
        _comments(request).moderation.add_banned_word(form.get("word"), f"staff:{staff.actor.name}", utcnow())
        return "word_added"

    return await _act(request, act, f"{BASE}/settings")


async def remove_word(request: Request) -> Response:
    def act(staff: Staff, form: dict[str, str]) -> str:
        _comments(request).moderation.remove_banned_word(form.get("word", ""))
        return "word_removed"

    return await _act(request, act, f"{BASE}/settings")


async def readers_page(request: Request) -> Response:
    page = _int(request.query_params.get("page", "1")) or 1

    def build(staff: Staff) -> Response:
        rows, total = _comments(request).readers.pending(page=page)
        return _page(request, "moderation/readers.html", staff, rows=rows, total=total, page=page)

    return await _view(request, build)


async def decide_reader(request: Request) -> Response:
    reader_id: int = request.path_params["reader_id"]

    def act(staff: Staff, form: dict[str, str]) -> str:
        readers = _comments(request).readers
        by = f"staff:{staff.actor.name}"
        if form.get("verify") == "1":
            readers.approve(reader_id, by, utcnow(), form.get("note", ""))
            return "verified"
        readers.refuse(reader_id, by, utcnow(), form.get("note", ""))
        return "refused"

    return await _act(request, act, f"{BASE}/readers")
