"""Background work (ingest polling, scheduled publishing) behind one interface, two engines.

``NEWSPORTAL_JOBS=embedded`` (the default; the only choice with SQLite): threads in every server process,
each due item taken by an atomic claim on its row. ``NEWSPORTAL_JOBS=procrastinate`` (PostgreSQL): jobs in
the database, periodic ticks deduplicated across the cluster, each due source polled by one worker.
See :mod:`newsportal.jobs.base` for the interface and docs/operations.md ("Job engine") for operations.
"""

from __future__ import annotations

from newsportal.config import Settings
from newsportal.jobs.base import JobRunner, Work, cron_every


def open_jobs(settings: Settings, work: Work, *, me: str | None = None) -> JobRunner:
    """The runner ``settings.jobs`` names (``config.validate`` has checked the name and the database)."""
    if settings.jobs == "procrastinate":
        from newsportal.jobs.backends.procrastinate import ProcrastinateJobs

        return ProcrastinateJobs(work, settings.resolved_database_url, concurrency=settings.jobs_concurrency,
                                 me=me)
    from newsportal.jobs.backends.embedded import EmbeddedJobs

    return EmbeddedJobs(work, me=me)


def prepare_database(settings: Settings) -> None:
    """Make the database ready for the configured engine (``newsportal db upgrade``; idempotent)."""
    open_jobs(settings, Work(ingest=None, scheduler=None)).prepare()


__all__ = ["JobRunner", "Work", "cron_every", "open_jobs", "prepare_database"]
