"""Listing pages: a section channel (``/channel/<slug>``) and a source account (``/source/<key>``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsportal.web import views
from newsportal.web.context import PageKey, web_context
from newsportal.web.pages.common import is_care, not_found, not_found_parts, page_number, render, serve
from newsportal.web.pages.home import headline
from newsportal.web.parts import PageParts


def listing_parts(request: Request, kind: str, view: views.ListingView | None, **extra: Any) -> PageParts:
    """Render a listing view model (or the 404 page when there is none); ``extra`` goes to the template."""
    if view is None:
        return not_found_parts(request)
    images = web_context(request).images
    first_page = view.listing.page == 1 and kind in ("channel", "tag", "source")
    text = render(request, "listing.html", kind=kind, canonical=view.canonical, current_top=view.current_top,
                  v=view, headline=headline(view.listing.items, images) if first_page else None, **extra)
    return PageParts.from_render(text)


async def channel(request: Request) -> Response:
    portal = web_context(request).portal
    care = is_care(request)
    slug: str = request.path_params["slug"]
    page = page_number(request)
    ch = portal.channels.section_by_slug(slug)
    if ch is None or page is None:  # the root channel is the home page
        return not_found(request)
    prefix = views.mode_prefix(care)
    if page == 1 and "page" in request.query_params:
        return RedirectResponse(f"{prefix}/channel/{slug}", status_code=301)

    def build() -> PageParts:
        return listing_parts(request, "channel", views.channel_listing(portal, ch, page, prefix))

    return await serve(request, PageKey(care, "channel", (slug, page)), build)


async def source(request: Request) -> Response:
    portal = web_context(request).portal
    care = is_care(request)
    key: str = request.path_params["key"]
    page = page_number(request)
    src = portal.sources_by_key.get(key)
    if src is None or page is None:
        return not_found(request)

    def build() -> PageParts:
        view = views.source_listing(portal, src, page, views.mode_prefix(care))
        return listing_parts(request, "source", view, source=src)

    return await serve(request, PageKey(care, "source", (key, page)), build)
