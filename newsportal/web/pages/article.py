"""The article page, by id (``/article/123``) or by slug (``/a/<slug>.html``); both serve the same page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsportal.web import views
from newsportal.web.context import PageKey, web_context
from newsportal.web.pages.common import is_care, not_found, not_found_parts, render, serve
from newsportal.web.parts import PageParts

MAX_ID = views.MAX_ARTICLE_ID
MAX_SLUG = 40


async def article_by_id(request: Request) -> Response:
    article_id: int = request.path_params["article_id"]
    if article_id > MAX_ID:
        return not_found(request)
    return await _article(request, "id", article_id)


async def article_by_slug(request: Request) -> Response:
    slug: str = request.path_params["slug"]
    if len(slug) > MAX_SLUG:
        return not_found(request)
    return await _article(request, "slug", slug)


async def _article(request: Request, by: str, ref: int | str) -> Response:
    care = is_care(request)
    return await serve(request, PageKey(care, "article", (by, ref)), lambda: article_parts(request, ref))


def article_parts(request: Request, ref: int | str) -> PageParts:
    """The article page's own part, rendered from the store (the page cache's build; ``bench/render.py``
    times it with every cache bypassed). ``ref`` is the id (int) or the slug (str)."""
    portal = web_context(request).portal
    if isinstance(ref, int):
        article = views.published_article(portal, article_id=ref)
    else:
        article = views.published_article(portal, slug=ref)
    if article is None:
        return not_found_parts(request)
    try:
        view = views.article_view(portal, article, views.mode_prefix(is_care(request)))
    except LookupError:  # its channel or source is gone
        return not_found_parts(request)
    text = render(request, "article.html", kind="article", canonical=view.canonical,
                  current_top=portal.channels.top_of(view.channel), v=view)
    return PageParts.from_render(text)
