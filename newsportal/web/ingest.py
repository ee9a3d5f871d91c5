"""Partner ingest inside the server: the :class:`IngestService` on the running portal, and its poll loop.

The app's start-up builds the service here (``poll=False``) and hands it to the configured job engine
(:mod:`newsportal.web.jobs`): with the embedded engine a :class:`~newsportal.ingest.runner.PollLoop` on a
daemon thread (kept as ``IngestWiring.loop``), with procrastinate one job per due source. Several server
processes may all poll against one database: the lease on each source row is the lock, so each source is
polled by exactly one of them per round. The push endpoint and the health API use the same service whether
or not this process polls. ``build_ingest(poll=True)`` still starts a loop itself (tools and tests).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from newsportal.config import Settings
from newsportal.ingest.fetch import Fetcher, FetchLimits
from newsportal.ingest.runner import PollLoop, poller_name
from newsportal.ingest.service import IngestService
from newsportal.ingest.writer import PortalArticleWriter
from newsportal.portal import Portal
from newsportal.store.ingest_sources import IngestSources

log = logging.getLogger(__name__)


@dataclass
class IngestWiring:
    """The service on this portal and, when this process polls, its running loop."""

    service: IngestService
    fetcher: Fetcher
    loop: PollLoop | None = None

    def stop(self) -> None:
        """Stop polling (waits for the pass in progress) and close the HTTP client."""
        if self.loop is not None:
            self.loop.stop()
            self.loop = None
        self.fetcher.close()


def build_ingest(portal: Portal, settings: Settings, *, poll: bool | None = None,
                 me: str | None = None) -> IngestWiring:
    """The ingest service over ``portal``; with ``poll`` (default: ``settings.ingest_embedded``) its poll
    loop is started in a background thread named ``me`` in the source leases."""
    fetcher = Fetcher(FetchLimits(block_private=settings.ingest_block_private))
    writer = PortalArticleWriter(portal)
    service = IngestService(IngestSources(portal.store.engine), fetcher, writer.save,
                            withdraw_article=writer.withdraw, save_batch=writer.save_many)
    wiring = IngestWiring(service, fetcher)
    if settings.ingest_embedded if poll is None else poll:
        wiring.loop = PollLoop(service, me=me or poller_name("server"),
                               every=settings.ingest_poll_seconds).start()
        log.info("ingest poller %s started (every %.0fs)", wiring.loop.me, settings.ingest_poll_seconds)
    return wiring


def ingest_of(conn: HTTPConnection) -> IngestService:
    """The app's ingest service; made on first use (no poll loop) when the app's start-up did not make it."""
    state = conn.app.state
    wiring: IngestWiring | None = getattr(state, "ingest", None)
    if wiring is None:
        from newsportal.web.context import web_context

        ctx = web_context(conn)
        wiring = state.ingest = build_ingest(ctx.portal, ctx.settings, poll=False)
    return wiring.service
