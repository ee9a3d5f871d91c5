"""The ASGI application: reader pages, the JSON API, static assets and the event-flush loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import anyio
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from newsportal import SITE_NAME, __version__
from newsportal.config import Settings, load_settings
from newsportal.portal import Portal, build_portal
from newsportal.web import api, errors
from newsportal.web.cache import TTLCache
from newsportal.web.limits import RequestLimits
from newsportal.web.pages import page_routes
from newsportal.web.rendering import STATIC, make_environment

log = logging.getLogger(__name__)
FLUSH_SECONDS = 1.0
REFRESH_EVERY = 3  # flush ticks between looks for other processes' writes


class CachedStatic(StaticFiles):
    """Static assets are versioned by a content hash in their URL, so browsers may keep them a year."""

    def file_response(self, *args, **kwargs):
        resp = super().file_response(*args, **kwargs)
        resp.headers["cache-control"] = "public, max-age=31536000, immutable"
        return resp


def create_app(
    settings: Settings | None = None,
    portal: Portal | None = None,
    portal_factory: Callable[[Settings], Portal] | None = None,
) -> FastAPI:
    """Build the app. Pass a ready ``portal`` (tests), or let it build one from settings on start-up."""
    settings = settings or (portal.settings if portal else load_settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        state = app.state
        if state.portal is None:
            state.portal = await run_in_threadpool(portal_factory or build_portal, settings)
        _wire(app)
        flusher = asyncio.create_task(_flush_loop(state.portal))
        try:
            yield
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await run_in_threadpool(state.portal.counters.flush)
            await run_in_threadpool(state.portal.personal.flush)

    app = FastAPI(
        title=f"{SITE_NAME} API",
        version=__version__,
        description="Read channels, articles, related and hot lists; create, update and publish articles "
        "with an API token (created by `newsportal token create`).",
        lifespan=lifespan,
        docs_url="/api/v1/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.portal = portal
    app.state.templates = make_environment()
    app.state.page_cache = TTLCache(settings.fragment_cache_seconds, settings.page_cache_entries)
    app.state.module_cache = TTLCache(settings.page_cache_seconds, 8)
    app.state.inflight = {}
    # Page builds share one interpreter with the event loop; two at a time keep cached pages flowing
    # while a burst of cold pages is rendered.
    app.state.build_limiter = anyio.CapacityLimiter(2)
    app.state.generation = 0
    app.include_router(api.router)
    for route in page_routes():
        app.router.routes.append(route)
    app.mount("/static", CachedStatic(directory=STATIC), name="static")
    for exc, handler in errors.HANDLERS.items():
        app.add_exception_handler(exc, handler)
    app.add_exception_handler(api._Unauthorized, api.unauthorized)
    app.add_middleware(RequestLimits)
    if portal is not None:
        _wire(app)
    return app


def _wire(app: FastAPI) -> None:
    """Clear cached pages whenever the publish flow changes an article."""
    state = app.state
    if getattr(state, "wired", None) is state.portal:
        return

    def purge(_article) -> None:
        state.generation += 1
        state.inflight.clear()
        state.page_cache.clear()
        state.module_cache.clear()

    state.portal.on_change(purge)
    state.wired = state.portal


async def _flush_loop(portal: Portal) -> None:
    """Once a second write buffered events; every few seconds take in other processes' article writes."""
    tick = 0
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        tick += 1
        try:
            await run_in_threadpool(portal.counters.flush)
            await run_in_threadpool(portal.personal.flush)
        except Exception:  # keep serving; the events stay buffered for the next try
            log.exception("event flush failed")
        if tick % REFRESH_EVERY == 0:
            try:
                await run_in_threadpool(portal.refresh)
            except Exception:
                log.exception("catalogue refresh failed")
