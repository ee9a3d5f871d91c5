"""What every page handler shares: the mode of the request, rendering, and serving through the page cache.

A page is served as its own part (from :attr:`WebContext.pages`, built once per key) joined with the shared
fragments of its mode (from :attr:`WebContext.fragments`, rebuilt about once a second). Builds run in worker
threads so the event loop keeps serving cached pages meanwhile.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from newsportal.domain import Channel
from newsportal.web import views
from newsportal.web.context import PageKey, WebContext, web_context
from newsportal.web.parts import PageParts, SharedFragments, fragment

#: set in the ASGI scope by the ``/care`` mount (see :mod:`newsportal.web.pages`)
CARE_SCOPE_KEY = "newsportal.care"
#: the header nginx forwards on the app's own refresh of a cached page (the front cache's ``REFRESH_HEADER``)
REFRESH_HEADER = "x-np-refresh"
MAX_PAGE = 10_000
HTML_HEADERS = {"cache-control": "public, max-age=5", "x-content-type-options": "nosniff"}
PRIVATE_HEADERS = {"cache-control": "private, no-store", "x-content-type-options": "nosniff"}
NOT_FOUND_HEADING = "页面不存在（404）"
NOT_FOUND_MESSAGE = "您要找的页面不存在、已被删除或链接有误。可以回到首页看看最新新闻。"


def is_care(request: Request) -> bool:
    """Is this request for a 关怀版 (care mode) page? Set by the route prefix, not by each route."""
    return bool(request.scope.get(CARE_SCOPE_KEY, False))


def page_number(request: Request) -> int | None:
    """The ``page`` query parameter (default 1), or None when it is not a page number we serve."""
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        return None
    return int(raw)


#: the query parameters that pick a page; the care switch keeps these (and only these: the page's own part is
#: cached per page, so any other parameter of the first visitor would otherwise stick to everyone's link)
PAGE_PARAMS = ("q", "page")


def switch_query(request: Request) -> str:
    """The query string the 进入/退出关怀版 link keeps: ``q`` and ``page``, re-encoded."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in PAGE_PARAMS]
    return urlencode(kept)


def render(request: Request, template: str, *, kind: str, canonical: str | None,
           current_top: Channel | None = None, care: bool | None = None, **values: object) -> str:
    """Render ``template`` inside the page frame of this request's mode (or of ``care`` if given)."""
    ctx = web_context(request)
    care = is_care(request) if care is None else care
    frame = views.frame(ctx.portal, care=care, kind=kind, path=request.url.path,
                        canonical=canonical, current_top=current_top, query=switch_query(request))
    return ctx.templates.get_template(template).render(frame.context(), images=ctx.images, **values)


def html(body: bytes | str, status: int = 200) -> Response:
    return HTMLResponse(body, status_code=status, headers=HTML_HEADERS if status == 200 else None)


def error_body(request: Request, status: int, heading: str, message: str, care: bool | None = None) -> str:
    """A Chinese error page in the request's mode (never cached: it is rare and cheap)."""
    return render(request, "error.html", kind="error", canonical=None, care=care, heading=heading,
                  message=message)


def not_found_body(request: Request, care: bool | None = None) -> str:
    return error_body(request, 404, NOT_FOUND_HEADING, NOT_FOUND_MESSAGE, care)


def not_found(request: Request) -> Response:
    return html(not_found_body(request), 404)


def not_found_parts(request: Request) -> PageParts:
    """The 404 page as a build result (the page cache does not keep it)."""
    return PageParts.from_render(not_found_body(request), 404)


async def serve(request: Request, key: PageKey, build: Callable[[], PageParts]) -> Response:
    """The page for ``key``: its own part from the page cache (``build`` on a miss) joined with the
    shared fragments of its mode.

    A 200 carries an ETag of its bytes (a repeat request with ``If-None-Match`` gets a 304, from the app or
    from nginx's cache in front) and a ``Surrogate-Key`` naming what it shows, for a CDN's purge by key.
    """
    ctx = web_context(request)
    if is_front_refresh(ctx, request):
        ctx.pages.purge(key)  # nginx asks for a fresh copy: this worker's own may predate the write
    parts = await ctx.pages.get(key, build)
    shared = await shared_fragments(ctx, key.care)
    body = parts.join(shared)
    if parts.status != 200:
        return html(body, parts.status)
    etag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
    headers = {**HTML_HEADERS, "etag": etag, "surrogate-key": surrogate_keys(key)}
    if etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(body, headers=headers)


def is_front_refresh(ctx: WebContext, request: Request) -> bool:
    """Is this nginx refreshing its cached copy on the app's behalf (:mod:`newsportal.web.front_cache`)?

    The worker that saw a publish or a 跟贴 change asks nginx to fetch the page again, and nginx may send
    that fetch to another worker whose page cache still holds the old copy (its cross-process sync looks
    every few seconds), which nginx would then keep for a minute. So such a request rebuilds the page. The
    configuration nginx runs (``newsportal deploy nginx``) sets the header on every request it forwards,
    to 1 only for the app hosts' own refreshes, so a reader cannot send it through the front; without a
    front configured the header means nothing.
    """
    return bool(ctx.settings.front_url) and request.headers.get(REFRESH_HEADER) == "1"


def _etags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def surrogate_keys(key: PageKey) -> str:
    """Space-separated purge keys: the page kind, and the kind with what picks it (``article-12``,
    ``channel-sports``, ``source-haihe-daily``); the same for both modes, so one purge clears both."""
    keys = [key.kind]
    pick = key.args[1] if key.kind == "article" and len(key.args) > 1 else (key.args[0] if key.args else None)
    if isinstance(pick, int | str) and pick != "":
        keys.append(f"{key.kind}-{quote(str(pick), safe='-_.')}"[:120])  # header values are ASCII
    return " ".join(keys)


async def serve_private(request: Request, build: Callable[[], PageParts]) -> Response:
    """A page for one reader (为你推荐): its own part is built for every request and never stored; the
    shared fragments come from the cache like on every other page."""
    ctx = web_context(request)
    parts = await ctx.run(build)
    shared = await shared_fragments(ctx, is_care(request))
    return HTMLResponse(parts.join(shared), status_code=parts.status, headers=PRIVATE_HEADERS)


async def shared_fragments(ctx: WebContext, care: bool) -> SharedFragments:
    """热点推荐 and the channel modules of one mode, rendered once per cache period for every page."""

    def build() -> SharedFragments:
        mods = views.site_modules(ctx.portal)
        template = ctx.templates.get_template("_shared.html")
        # its macros (hot, modules) have no static type
        shared: Any = template.make_module({"prefix": views.mode_prefix(care), "care": care,
                                            "images": ctx.images})
        return SharedFragments(hot=fragment(str(shared.hot(mods))),
                               modules=fragment(str(shared.modules(mods))))

    return await ctx.fragments.get(care, build)
