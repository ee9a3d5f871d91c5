"""The ASGI application: reader pages, the JSON API, static assets, the event-flush loop and the start of
background work (:mod:`newsportal.web.jobs`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles

from newsportal import SITE_NAME, __version__
from newsportal.config import Settings, load_settings
from newsportal.portal import Portal, build_portal
from newsportal.web import api, errors
from newsportal.web.cache import Clock
from newsportal.web.context import WebContext, web_context
from newsportal.web.csrf import CsrfCookie, csrf_token
from newsportal.web.front_cache import for_portal
from newsportal.web.hardening import JsonBodies, StrictIds, mount_docs
from newsportal.web.ingest import build_ingest
from newsportal.web.jobs import start_jobs
from newsportal.web.limits import RequestLimits
from newsportal.web.newsroom.routes import newsroom_routes
from newsportal.web.pages import page_routes
from newsportal.web.pages.syndication import syndication_routes
from newsportal.web.readers.routes import install as install_readers
from newsportal.web.rendering import STATIC
from newsportal.web.security import SecurityHeaders

log = logging.getLogger(__name__)
FLUSH_SECONDS = 1.0
REFRESH_EVERY = 3  # flush ticks between looks for other processes' writes


class CachedStatic(StaticFiles):
    """Static assets are versioned by a content hash in their URL, so browsers may keep them a year; stored
    images (``/media/``) are named by the hash of their content, so the same holds for them."""

    def file_response(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        resp = super().file_response(*args, **kwargs)
        resp.headers["cache-control"] = "public, max-age=31536000, immutable"
        resp.headers["x-content-type-options"] = "nosniff"
        return resp


def create_app(
    settings: Settings | None = None,
    portal: Portal | None = None,
    portal_factory: Callable[[Settings], Portal] | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """Build the app. Pass a ready ``portal`` (tests), or let it build one from settings on start-up.

    ``clock`` drives the page caches' expiry (tests pass a settable one; the default is monotonic time).
    """
    settings = settings or (portal.settings if portal else load_settings())
    context = WebContext.create(settings, clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not context.started:
            context.attach(await run_in_threadpool(portal_factory or build_portal, settings))
        running = context.portal
        if settings.embed_in_background:  # the model loads in its thread now, not on the first publish
            running.start_embedding()
        flusher = asyncio.create_task(_flush_loop(running))
        app.state.ingest = await run_in_threadpool(build_ingest, running, settings, poll=False)
        front = None
        if settings.front_url:  # after the app's own purge (attached above), so nginx fetches fresh pages
            front = for_portal(running, settings.front_url).start()
            front.subscribe(running.signals, running.comments.signals)
        app.state.front = front
        # ingest polling and scheduled publishing, on the configured engine (newsportal.jobs)
        app.state.jobs = jobs = await run_in_threadpool(start_jobs, running, settings, app.state.ingest)
        try:
            yield
        finally:
            await run_in_threadpool(jobs.stop)  # first: a poll in progress still uses the ingest client
            await run_in_threadpool(app.state.ingest.stop)
            if front is not None:
                await run_in_threadpool(front.stop)
            if running.embedding.running:  # what is still queued is embedded at the next start
                await run_in_threadpool(running.stop_embedding)
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await run_in_threadpool(running.counters.flush)
            await run_in_threadpool(running.personal.flush)

    app = FastAPI(
        title=f"{SITE_NAME} API",
        version=__version__,
        description="Read channels, articles, related and hot lists; create, update and publish articles "
        "with an API token (created by `newsportal token create`).",
        lifespan=lifespan,
        docs_url=None,  # served from the swagger-ui-bundle package by mount_docs (no CDN)
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.web = context
    _newsroom_template_globals(context)
    if portal is not None:
        context.attach(portal)
    app.include_router(api.router)
    install_readers(app, context)  # 跟贴: thread pages, reader accounts, comments API, moderation
    mount_docs(app)
    app.router.routes.extend(page_routes())
    app.router.routes.extend(newsroom_routes())
    app.router.routes.extend(syndication_routes())
    app.mount("/static", CachedStatic(directory=STATIC), name="static")
    app.mount("/media", CachedStatic(directory=settings.media_dir, check_dir=False), name="media")
    for exc, handler in errors.HANDLERS.items():
        app.add_exception_handler(exc, handler)
    for exc, api_handler in api.EXCEPTION_HANDLERS.items():
        app.add_exception_handler(exc, api_handler)
    # Pages, CSS and JS go out compressed (the front-end budget is measured on the wire); images are not
    # recompressed (their types are excluded by the middleware).
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(JsonBodies)
    app.add_middleware(StrictIds)
    app.add_middleware(RequestLimits)
    app.add_middleware(CsrfCookie, secure=settings.secure_cookies)
    app.add_middleware(SecurityHeaders, settings=settings)
    return app


def _newsroom_template_globals(context: WebContext) -> None:
    """What the newsroom includes on reader pages call (the portal is looked up at render time)."""
    g = context.templates.globals
    g["newsroom_notes"] = lambda article: context.portal.newsroom.article_notes(article)
    g["source_profile"] = lambda source: context.portal.newsroom.source_profile(source)
    g["csrf_token"] = csrf_token


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
            try:  # Redis lost its data (restart without persistence, flush): rebuild the hot lists
                await run_in_threadpool(portal.counters.heal, portal.scopes_of)
            except Exception:
                log.exception("hot-list check failed")
            try:
                await run_in_threadpool(portal.refresh)
            except Exception:
                log.exception("catalogue refresh failed")


__all__ = ["create_app", "web_context"]
