"""Reader-facing HTML pages: home, channel, article, source, 404, in standard and 关怀版 (care) variants.

Handlers only parse the request, look in the page cache and, on a miss, build the view model
(:mod:`newsportal.web.views`) and render it in a worker thread so the event loop keeps serving cached pages.
Care-mode pages live under ``/care`` with their canonical URL pointing at the standard page.
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote

import anyio

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from newsportal import SITE_NAME
from newsportal.domain import ArticleStatus, Page, SourceKind
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


def render(request: Request, template: str, context: dict) -> str:
    return _state(request).templates.get_template(template).render(context)


def html(body: bytes | str, status: int = 200) -> Response:
    return HTMLResponse(body, status_code=status, headers=HTML_HEADERS if status == 200 else None)


SHARED_MARKERS = ("<!--np:hot-->", "<!--np:modules-->")
_MARKER = re.compile(r"(<!--np:(?:hot|modules)-->)")


async def cached(request: Request, key, build) -> Response:
    """Serve a page from cached parts; ``build`` returns (status, html) and runs in a worker thread.

    A page is cached as its own part (article body, related list, a channel's list; long-lived, cleared by
    the publish flow) split at markers where the shared fragments go (热点推荐 and the channel modules;
    short-lived, assembled once for all pages). Serving is a join of cached strings. Only one build per key
    runs at a time and an expired entry is served while it is rebuilt, so expiry under load causes no
    stampede.
    """
    state = _state(request)
    care = key[0]
    parts = await _fresh(state, state.page_cache, key, lambda: _split(build()))
    shared = await _fresh(state, state.module_cache, ("shared", care), lambda: shared_fragments(request, care))
    status, pieces = parts
    return html("".join(shared.get(p, p) for p in pieces).encode("utf-8"), status)


def _split(result: tuple[int, str]) -> tuple[int, tuple[str, ...]]:
    status, text = result
    return status, tuple(_MARKER.split(text))


async def _fresh(state, cache, key, build):
    value, fresh = cache.lookup(key)
    if value is None:
        return await asyncio.shield(_build_once(state, cache, key, build))
    if not fresh:
        _build_once(state, cache, key, build)
    return value


def _build_once(state, cache, key, build) -> asyncio.Future:
    inflight = state.inflight
    flight_key = (id(cache), key)
    future = inflight.get(flight_key)
    if future is None:
        generation = state.generation

        async def run():
            try:
                result = await anyio.to_thread.run_sync(build, limiter=state.build_limiter)
                # A publish during the build may have made this result stale already: don't keep it.
                if state.generation == generation and (not isinstance(result, tuple) or result[0] == 200):
                    cache.put(key, result)
                return result
            finally:
                if inflight.get(flight_key) is future:
                    del inflight[flight_key]

        future = inflight[flight_key] = asyncio.ensure_future(run())
    return future


def shared_fragments(request: Request, care: bool) -> dict[str, str]:
    """热点推荐 and the channel modules, rendered once per cache period for every page of one mode."""
    state = _state(request)
    mods = views.site_modules(state.portal)
    shared = state.templates.get_template("_shared.html").make_module({"prefix": _prefix(care)})
    return {SHARED_MARKERS[0]: str(shared.hot(mods)), SHARED_MARKERS[1]: str(shared.modules(mods))}


def error_body(request: Request, care: bool, status: int, heading: str, message: str) -> str:
    ctx = base_context(request, care, "error", None)
    ctx.update(heading=heading, message=message)
    return render(request, "error.html", ctx)


def not_found_body(request: Request, care: bool = False) -> str:
    return error_body(
        request, care, 404, "页面不存在（404）", "您要找的页面不存在、已被删除或链接有误。可以回到首页看看最新新闻。"
    )


def _make_pages(care: bool):
    prefix = _prefix(care)

    async def home(request: Request) -> Response:
        portal = _state(request).portal

        def build():
            ctx = base_context(request, care, "home", portal.settings.site_url + "/")
            ctx.update(lead=views.home_lead(portal))
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
                view = views.article_view(portal, article, prefix)
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
        ch = portal.channels.section_by_slug(slug)
        if ch is None or page is None:
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
                heading=ch.name,
                description=f"{ch.name}频道最新文章",
                intro=None,
                crumbs=views.breadcrumb(portal, ch, prefix, tail=None),
                subchannels=portal.channels.children(ch),
                listing=listing,
                base_path=f"{prefix}/channel/{slug}",
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
                description=f"{src.name}（{kind}）在{SITE_NAME}发布的文章",
                intro=src.about if src.about.startswith(kind) else f"{kind}　{src.about}",
                crumbs=None,
                subchannels=None,
                listing=listing,
                base_path=f"{prefix}/source/{key}",
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

    async def search(request: Request) -> Response:
        portal = _state(request).portal
        q = request.query_params.get("q", "").strip()
        page = _page_number(request)
        if page is None or len(q) > 100:
            return html(not_found_body(request, care), 404)

        def build():
            cards, total = portal.search(q, page) if q else ([], 0)
            listing = Page(items=cards, total=total, page=page, per_page=20)
            ctx = base_context(request, care, "search", f"{portal.settings.site_url}/search")
            ctx.update(
                heading=f"搜索：{q}" if q else "搜索",
                description="在山海新闻中搜索文章",
                intro=(f"找到约 {total} 篇相关文章，多家媒体对同一事件的报道合并为一条" if q and total else ("没有找到相关文章，换个词试试。" if q else None)),
                crumbs=None, subchannels=None, listing=listing, query=q,
                base_path=f"{prefix}/search?q={quote(q)}", search_form=True,
            )
            return 200, render(request, "listing.html", ctx)

        return await cached(request, (care, "search", q, page), build)

    async def foryou(request: Request) -> Response:
        """为你推荐: per reader, so never cached; the reader id is the cookie the view beacon set."""
        state = _state(request)
        portal = state.portal
        reader = request.cookies.get("np_rid")
        reader = reader if reader and len(reader) == 32 else None

        def build():
            ranked = portal.personal.recommend(reader, 20) if reader else portal.hot.ranked(20)
            cards = portal.store.cards_by_ids([a for a, _ in ranked])
            items = [cards[a] for a, _ in ranked if a in cards]
            ctx = base_context(request, care, "foryou", f"{portal.settings.site_url}/foryou")
            ctx.update(
                heading="为你推荐",
                description="根据你最近读过的文章推荐",
                intro=("根据你最近读过的文章挑选，已读过的和重复报道不会出现。" if reader and portal.personal.history(reader)
                       else "你还没有阅读记录，先看看大家都在读什么。"),
                crumbs=None, subchannels=None, listing=Page(items=items, total=len(items), page=1, per_page=20),
                base_path=f"{prefix}/foryou", history_form=bool(reader),
                retention_days=int(portal.settings.history_days),
            )
            return render(request, "listing.html", ctx)

        parts = tuple(_MARKER.split(await anyio.to_thread.run_sync(build, limiter=state.build_limiter)))
        shared = await _fresh(state, state.module_cache, ("shared", care), lambda: shared_fragments(request, care))
        resp = HTMLResponse("".join(shared.get(p, p) for p in parts))
        resp.headers["cache-control"] = "private, no-store"
        return resp

    async def clear_history(request: Request) -> Response:
        portal = _state(request).portal
        reader = request.cookies.get("np_rid")
        if reader:
            await anyio.to_thread.run_sync(portal.personal.clear, reader)
        return RedirectResponse(f"{prefix}/foryou?cleared=1", status_code=303)

    return [
        Route(f"{prefix}/", home, name=f"{'care_' if care else ''}home"),
        Route(f"{prefix}/search", search),
        Route(f"{prefix}/foryou", foryou),
        Route(f"{prefix}/foryou/clear", clear_history, methods=["POST"]),
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

    return await cached(request, (False, "accessibility"), build)


async def care_root(request: Request) -> Response:
    return RedirectResponse(CARE + "/", status_code=308)


def page_routes() -> list[Route]:
    return [
        *_make_pages(False),
        *_make_pages(True),
        Route(CARE, care_root),
        Route("/accessibility", accessibility),
    ]
