"""JSON API under ``/api/v1``: read endpoints for everyone, writes for holders of an API token.

One module per resource group, all sharing :mod:`~newsportal.web.api.schemas` (models),
:mod:`~newsportal.web.api.auth` (portal, token, reader id) and :mod:`~newsportal.web.api.convert`
(responses, the one "ids → cards" helper, 404 look-ups):

- :mod:`~newsportal.web.api.articles`: the article list and one article
- :mod:`~newsportal.web.api.channels`: channels, sources, a channel's pins
- :mod:`~newsportal.web.api.lists`: related, hot, search
- :mod:`~newsportal.web.api.me`: 为你推荐 and reading history
- :mod:`~newsportal.web.api.newsroom`: token-guarded writes (articles, pins, quality, source trust)
- :mod:`~newsportal.web.api.events`: the view/share beacon
- :mod:`~newsportal.web.api.ingest`: the ninjs push endpoint and the ingest sources' health
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from starlette.responses import Response

from newsportal.web.api import articles, channels, events, ingest, lists, me, newsroom, writer
from newsportal.web.api.auth import Unauthorized, unauthorized

PREFIX = "/api/v1"

router = APIRouter(prefix=PREFIX)
for _group in (articles, lists, channels, newsroom, events, me, ingest):
    router.include_router(_group.router)

#: exception handlers the app installs for the API
EXCEPTION_HANDLERS: dict[type[Exception], Callable[[Request, Exception], Awaitable[Response]]] = {
    Unauthorized: unauthorized,
    **writer.HANDLERS,
}
