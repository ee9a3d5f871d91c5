"""Background work of a server process: which work this process takes, and the configured engine running it.

The app's start-up calls :func:`start_jobs` after the ingest service exists and its shutdown stops the
runner before the ingest service's HTTP client is closed (a poll in progress still needs it). The engine is
``NEWSPORTAL_JOBS`` (:mod:`newsportal.jobs`); ``NEWSPORTAL_INGEST_EMBEDDED=false`` keeps this process from
polling and ``NEWSPORTAL_SCHEDULER_SECONDS=0`` from publishing scheduled articles, whatever the engine.
"""

from __future__ import annotations

from newsportal.config import Settings
from newsportal.jobs import JobRunner, Work, open_jobs
from newsportal.portal import Portal
from newsportal.web.ingest import IngestWiring


def work_of(portal: Portal, settings: Settings, ingest: IngestWiring) -> Work:
    return Work(
        ingest=ingest.service if settings.ingest_embedded else None,
        scheduler=portal.newsroom.scheduler if settings.scheduler_seconds > 0 else None,
        poll_seconds=settings.ingest_poll_seconds,
        scheduler_seconds=settings.scheduler_seconds,
    )


def start_jobs(portal: Portal, settings: Settings, ingest: IngestWiring) -> JobRunner:
    """Start the runner (the scheduler's first pass happens at once); the embedded poll loop is also
    reachable as ``ingest.loop``, as before there was a choice of engine."""
    runner = open_jobs(settings, work_of(portal, settings, ingest)).start()
    ingest.loop = getattr(runner, "poll_loop", None)
    return runner
