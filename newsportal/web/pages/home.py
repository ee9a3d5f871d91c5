"""The home page, 媒体与账号 (all sources), the accessibility statement and the bare ``/care`` address."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsportal.web import views
from newsportal.web.context import PageKey, web_context
from newsportal.web.pages.common import is_care, render, serve
from newsportal.web.parts import PageParts


async def home(request: Request) -> Response:
    portal = web_context(request).portal

    def build() -> PageParts:
        text = render(request, "home.html", kind="home", canonical=portal.settings.site_url + "/",
                      lead=views.home_lead(portal))
        return PageParts.from_render(text)

    return await serve(request, PageKey(is_care(request), "home"), build)


async def sources(request: Request) -> Response:
    portal = web_context(request).portal

    def build() -> PageParts:
        text = render(request, "sources.html", kind="sources",
                      canonical=f"{portal.settings.site_url}/sources", groups=views.source_groups(portal))
        return PageParts.from_render(text)

    return await serve(request, PageKey(is_care(request), "sources"), build)


async def accessibility(request: Request) -> Response:
    """无障碍说明: one page for both modes (it links to the care-mode home)."""
    portal = web_context(request).portal

    def build() -> PageParts:
        text = render(request, "accessibility.html", kind="doc",
                      canonical=f"{portal.settings.site_url}/accessibility",
                      care_switch_home=views.CARE_PREFIX + "/")
        return PageParts.from_render(text)

    return await serve(request, PageKey(False, "accessibility"), build)


async def care_root(request: Request) -> Response:
    """``/care`` without the slash: the care-mode home lives at ``/care/``."""
    return RedirectResponse(views.CARE_PREFIX + "/", status_code=308)
