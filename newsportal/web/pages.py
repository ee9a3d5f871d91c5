"""Reader-facing HTML pages: home, channel, article, source, 404, in standard and 关怀版 (care) variants.

Handlers only parse the request, look in the page cache and, on a miss, build the view model
(:mod:`newsportal.web.views`) and render it in a worker thread so the event loop keeps serving cached pages.
Care-mode pages live under ``/care`` with their canonical URL pointing at the standard page.
"""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from newsportal.domain import ArticleStatus, SourceKind
from newsportal.web import views

CARE = "/care"
MAX_ID = 2**63 - 1
MAX_PAGE = 10_000
HTML_HEADERS = {"cache-control": "public, max-age=5", "x-content-type-options": "nosniff"}


def _state(request: Request):
    return request.app.state


def _prefix(care: bool) -> str:
    return CARE if care else ""


def _switch(path: str, care: bool) -> str:
    if care:
        rest = path[len(CARE):]
        return rest or "/"
    return CARE + (path if path != "/" else "/")


def _page_number(request: Request) -> int | None:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        return None
    return int(raw)


def base_context(request: Request, care: bool, page_kind: str, canonical: str | None, current_top=None):
    portal = _state(request).portal
    return {
        "care": care,
        "prefix": _prefix(care),
        "page_kind": page_kind,
        "nav": portal.channels.navigation(),
        "current_top": current_top,
        "canonical": canonical,
        "care_switch": _switch(request.url.path, care),
    }


def render(request: Request, template: str, context: dict, status: int = 200) -> bytes:
    return _state(request).templates.get_template(template).render(context).encode("utf-8")


def html(body: bytes, status: int = 200) -> Response:
    return HTMLResponse(body, status_code=status, headers=HTML_HEADERS if status == 200 else None)


async def cached(request: Request, key, build) -> Response:
    """Serve from the page cache; ``build`` returns (status, body) and runs in a worker thread.

    Only one build per key runs at a time: concurrent requests for a page being built wait for that build
    (no stampede when an entry expires under load), and an expired entry is served while it is rebuilt.
    """
    state = _state(request)
    value, fresh = state.page_cache.lookup(key)
    if value is not None:
        if not fresh:
            _build_once(state, key, build)
        return html(value[1], value[0])
    status, body = await asyncio.shield(_build_once(state, key, build))
    return html(body, status)


def _build_once(state, key, build) -> asyncio.Future:
    inflight = state.inflight
    future = inflight.get(key)
    if future is None:
        generation = state.generation

        async def run():
            try:
                result = await run_in_threadpool(build)
                # A publish during the build may have made this page stale already: don't keep it.
                if result[0] == 200 and state.generation == generation:
                    state.page_cache.put(key, result)
                return result
            finally:
                if inflight.get(key) is future:
                    del inflight[key]

        future = inflight[key] = asyncio.ensure_future(run())
    return future


def error_body(request: Request, care: bool, status: int, heading: str, message: str) -> bytes:
    ctx = base_context(request, care, "error", None)
    ctx.update(heading=heading, message=message)
    return render(request, "error.html", ctx)


def not_found_body(request: Request, care: bool = False) -> bytes:
    return error_body(
        request, care, 404, "页面不存在（404）", "您要找的页面不存在、已被删除或链接有误。可以回到首页看看最新新闻。"
    )


def modules(request: Request) -> views.SiteModules:
    state = _state(request)
    return state.module_cache.get_or_make("site", lambda: views.site_modules(state.portal))


def _make_pages(care: bool):
    prefix = _prefix(care)

    async def home(request: Request) -> Response:
        portal = _state(request).portal

        def build():
            ctx = base_context(request, care, "home", portal.settings.site_url + "/")
            ctx.update(lead=views.home_lead(portal), modules=modules(request))
            return 200, render(request, "home.html", ctx)

        return await cached(request, (care, "home"), build)

    async def article_by_id(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        if article_id > MAX_ID:
            return html(not_found_body(request, care), 404)
        return await _article(request, ("id", article_id))

    async def article_by_slug(request: Request) -> Response:
        slug = request.path_params["slug"]
        if len(slug) > 40:
            return html(not_found_body(request, care), 404)
        return await _article(request, ("slug", slug))

    async def _article(request: Request, ref) -> Response:
        portal = _state(request).portal

        def build():
            store = portal.store
            article = store.get_article(ref[1]) if ref[0] == "id" else store.get_article_by_slug(ref[1])
            if article is None or article.status is not ArticleStatus.PUBLISHED:
                return 404, not_found_body(request, care)
            try:
                view = views.article_view(portal, article, modules(request), prefix)
            except LookupError:
                return 404, not_found_body(request, care)
            ctx = base_context(request, care, "article", view.canonical, portal.channels.top_of(view.channel))
            ctx["v"] = view
            return 200, render(request, "article.html", ctx)

        return await cached(request, (care, "article", ref), build)

    async def channel(request: Request) -> Response:
        portal = _state(request).portal
        slug = request.path_params["slug"]
        page = _page_number(request)
        ch = portal.channels.by_slug(slug)
        if ch is None or ch.parent_id is None or page is None:
            return html(not_found_body(request, care), 404)
        if page == 1 and "page" in request.query_params:
            return RedirectResponse(f"{prefix}/channel/{slug}", status_code=301)

        def build():
            listing = views.channel_page(portal, ch, page)
            if page > listing.pages:
                return 404, not_found_body(request, care)
            canonical = f"{portal.settings.site_url}/channel/{slug}" + (f"?page={page}" if page > 1 else "")
            ctx = base_context(request, care, "channel", canonical, portal.channels.top_of(ch))
            ctx.update(
                heading=ch.name if ch.kind.value != "top" or ch.slug != "news" else ch.name,
                description=f"{ch.name}频道最新文章",
                intro=None,
                crumbs=views.breadcrumb(portal, ch, prefix, tail=None),
                subchannels=portal.channels.children(ch),
                listing=listing,
                base_path=f"{prefix}/channel/{slug}",
                modules=modules(request),
            )
            return 200, render(request, "listing.html", ctx)

        return await cached(request, (care, "channel", slug, page), build)

    async def source(request: Request) -> Response:
        portal = _state(request).portal
        key = request.path_params["key"]
        page = _page_number(request)
        src = portal.sources_by_key.get(key)
        if src is None or page is None:
            return html(not_found_body(request, care), 404)

        def build():
            listing = views.source_page(portal, src, page)
            if page > listing.pages:
                return 404, not_found_body(request, care)
            kind = {"self_media": "自媒体账号", "media": "合作媒体", "portal": "本站原创"}[src.kind.value]
            canonical = f"{portal.settings.site_url}/source/{key}" + (f"?page={page}" if page > 1 else "")
            ctx = base_context(request, care, "source", canonical)
            ctx.update(
                heading=src.name,
                description=f"{src.name}（{kind}）在{ctx['nav'] and '山海新闻'}发布的文章",
                intro=f"{kind}　{src.about}",
                crumbs=None,
                subchannels=None,
                listing=listing,
                base_path=f"{prefix}/source/{key}",
                modules=modules(request),
            )
            return 200, render(request, "listing.html", ctx)

        return await cached(request, (care, "source", key, page), build)

    async def sources(request: Request) -> Response:
        portal = _state(request).portal

        def build():
            groups = []
            for kind, title in (
                (SourceKind.PORTAL, "本站原创"),
                (SourceKind.MEDIA, "合作媒体"),
                (SourceKind.SELF_MEDIA, "自媒体账号"),
            ):
                members = [s for s in portal.sources.values() if s.kind is kind]
                if members:
                    groups.append({"title": title, "sources": members})
            ctx = base_context(request, care, "sources", f"{portal.settings.site_url}/sources")
            ctx["groups"] = groups
            return 200, render(request, "sources.html", ctx)

        return await cached(request, (care, "sources"), build)

    return [
        Route(f"{prefix}/", home, name=f"{'care_' if care else ''}home"),
        Route(f"{prefix}/article/{{article_id:int}}", article_by_id),
        Route(f"{prefix}/a/{{slug:str}}.html", article_by_slug),
        Route(f"{prefix}/channel/{{slug:str}}", channel),
        Route(f"{prefix}/source/{{key:str}}", source),
        Route(f"{prefix}/sources", sources),
    ]


async def accessibility(request: Request) -> Response:
    portal = _state(request).portal

    def build():
        ctx = base_context(request, False, "doc", f"{portal.settings.site_url}/accessibility")
        ctx["care_switch_home"] = CARE + "/"
        return 200, render(request, "accessibility.html", ctx)

    return await cached(request, ("accessibility",), build)


async def care_root(request: Request) -> Response:
    return RedirectResponse(CARE + "/", status_code=308)


def page_routes() -> list[Route]:
    return [
        *_make_pages(False),
        *_make_pages(True),
        Route(CARE, care_root),
        Route("/accessibility", accessibility),
    ]
