"""Reader-facing HTML pages: one route table, served at ``/`` and again under ``/care`` (关怀版).

Care mode is a route prefix, not a copy of the routes: :data:`READER_ROUTES` is mounted once at the root and
once under ``/care``, where a thin ASGI wrapper marks the request as care mode
(:func:`~newsportal.web.pages.common.is_care`). Handlers are module-level functions in
:mod:`~newsportal.web.pages.home`, :mod:`~newsportal.web.pages.article`, :mod:`~newsportal.web.pages.listing`,
:mod:`~newsportal.web.pages.search` and :mod:`~newsportal.web.pages.foryou`; they parse the request, look in
the page cache and on a miss build the view model (:mod:`newsportal.web.views`) and render it. Care-mode
pages keep their canonical URL pointing at the standard page.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from newsportal.web.pages.article import article_by_id, article_by_slug
from newsportal.web.pages.common import CARE_SCOPE_KEY
from newsportal.web.pages.foryou import clear_history, foryou
from newsportal.web.pages.home import care_root, home, sources
from newsportal.web.pages.listing import channel, source
from newsportal.web.pages.reader import about, accessibility, contact, report, tag, terms
from newsportal.web.pages.search import search
from newsportal.web.views import CARE_PREFIX

#: Every reader page, relative to the mode's root.
READER_ROUTES: list[BaseRoute] = [
    Route("/", home, name="home"),
    Route("/search", search, name="search"),
    Route("/foryou", foryou, name="foryou"),
    Route("/foryou/clear", clear_history, methods=["POST"], name="foryou_clear"),
    Route("/article/{article_id:int}", article_by_id, name="article"),
    Route("/a/{slug:str}.html", article_by_slug, name="article_slug"),
    Route("/channel/{slug:str}", channel, name="channel"),
    Route("/source/{key:str}", source, name="source"),
    Route("/sources", sources, name="sources"),
    Route("/tag/{tag:str}", tag, name="tag"),
    Route("/report", report, methods=["GET", "POST"], name="report"),
    Route("/about", about, name="about"),
    Route("/contact", contact, name="contact"),
    Route("/terms", terms, name="terms"),
    Route("/accessibility", accessibility, name="accessibility"),
]


class CareMode:
    """Marks every request that reaches ``app`` as a 关怀版 request, then passes it on."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[CARE_SCOPE_KEY] = True
        await self.app(scope, receive, send)


def page_routes() -> list[BaseRoute]:
    """The routes to add to the app: the reader pages at ``/`` and under ``/care``, plus the odd ones."""
    return [
        *READER_ROUTES,
        Route(CARE_PREFIX, care_root),
        Mount(CARE_PREFIX, app=CareMode(Router(READER_ROUTES)), name="care"),
    ]
