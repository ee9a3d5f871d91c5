"""为你推荐 (``/foryou``): per reader, so its own part is never stored; the reader is the beacon's cookie."""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsportal.web import views
from newsportal.web.api.auth import reader_of, reader_or_new
from newsportal.web.context import web_context
from newsportal.web.pages.common import is_care, serve_private
from newsportal.web.pages.listing import listing_parts
from newsportal.web.parts import PageParts


async def foryou(request: Request) -> Response:
    portal = web_context(request).portal
    reader = reader_of(request)
    prefix = views.mode_prefix(is_care(request))

    def build() -> PageParts:
        return listing_parts(request, "foryou", views.foryou_listing(portal, reader, prefix))

    response = await serve_private(request, build)
    if reader is None:
        # The server hands out the reader id (not only the page script's beacon), so 为你推荐 works with
        # JavaScript off: the next article read is recorded against it.
        reader_or_new(request, response)
    return response


async def clear_history(request: Request) -> Response:
    """清除我的阅读记录 (a form post, so it works without JavaScript)."""
    portal = web_context(request).portal
    reader = reader_of(request)
    if reader:
        await anyio.to_thread.run_sync(portal.personal.clear, reader)
    return RedirectResponse(f"{views.mode_prefix(is_care(request))}/foryou?cleared=1", status_code=303)
