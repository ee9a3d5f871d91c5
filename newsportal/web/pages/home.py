"""The home page, 媒体与账号 (all sources) and the bare ``/care`` address."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsportal.domain import ArticleCard
from newsportal.web import views
from newsportal.web.context import PageKey, web_context
from newsportal.web.images import ImageBook
from newsportal.web.pages.common import is_care, render, serve
from newsportal.web.parts import PageParts


async def home(request: Request) -> Response:
    ctx = web_context(request)
    portal = ctx.portal

    def build() -> PageParts:
        lead = views.home_lead(portal, 24)
        text = render(request, "home.html", kind="home", canonical=portal.settings.site_url + "/",
                      lead=lead, headline=headline(lead, ctx.images))
        return PageParts.from_render(text)

    return await serve(request, PageKey(is_care(request), "home"), build)


def headline(cards: list[ArticleCard], images: ImageBook) -> ArticleCard | None:
    """头条: the newest of ``cards`` that has a lead image (the page shows it large, above the list)."""
    return next((c for c in cards if c.id in images), None)


async def sources(request: Request) -> Response:
    portal = web_context(request).portal

    def build() -> PageParts:
        text = render(request, "sources.html", kind="sources",
                      canonical=f"{portal.settings.site_url}/sources", groups=views.source_groups(portal))
        return PageParts.from_render(text)

    return await serve(request, PageKey(is_care(request), "sources"), build)


async def care_root(request: Request) -> Response:
    """``/care`` without the slash: the care-mode home lives at ``/care/``."""
    return RedirectResponse(views.CARE_PREFIX + "/", status_code=308)
