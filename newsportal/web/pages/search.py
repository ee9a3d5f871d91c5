"""The search page (``/search?q=...``): results from the portal's search, one per story."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsportal.web import views
from newsportal.web.context import PageKey, web_context
from newsportal.web.pages.common import is_care, not_found, page_number, serve
from newsportal.web.pages.listing import listing_parts
from newsportal.web.parts import PageParts

MAX_QUERY = 100


async def search(request: Request) -> Response:
    portal = web_context(request).portal
    care = is_care(request)
    q = request.query_params.get("q", "").strip()
    page = page_number(request)
    if page is None or len(q) > MAX_QUERY:
        return not_found(request)

    def build() -> PageParts:
        view = views.search_listing(portal, q, page, views.mode_prefix(care))
        return listing_parts(request, "search", view)

    return await serve(request, PageKey(care, "search", (q, page)), build)
