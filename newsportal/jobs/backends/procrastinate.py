"""The production job runner: procrastinate, jobs kept in the PostgreSQL database the store already uses.

Why procrastinate (and not arq on Redis): the queue lives in the PostgreSQL the production store needs
anyway, so there is no extra service to run, watch or back up, and a job can be deferred in the same
transaction as the write that causes it; its periodic tasks are deduplicated across workers by a unique
row, and its ``queueing_lock`` keeps a job from being queued twice. Redis stays what it is here: a cache of
counters that may lose its data.

Tasks (thin: the logic stays in the services of :class:`~newsportal.jobs.base.Work`):

* ``newsportal.ingest.defer_due_polls`` — periodic, every ``ingest_poll_seconds``: one job per due source.
  Every worker runs procrastinate's periodic deferrer, but the ``(task, periodic_id, timestamp)`` row is
  unique, so each tick is deferred once in the cluster.
* ``newsportal.ingest.poll_source`` — polls one source. ``queueing_lock`` per source: never queued twice;
  ``lock`` per source: never run twice at once; and the lease on the source row still guards the poll.
* ``newsportal.newsroom.run_scheduled`` — periodic, every ``scheduler_seconds`` (and once at start, for
  what was missed while the site was down): one scheduler pass, its claims as in the embedded set-up.
* ``newsportal.jobs.remove_old_jobs`` once a day: failed jobs are kept a week for inspection
  (successful ones are deleted as they finish).

The worker runs inside each server process (``newsportal serve``), on a thread with its own event loop, so
the web event loop never waits on it and the tasks reach the process's portal (catalogue, search index)
exactly as the embedded loops do. A worker whose database connection fails is started again, with backoff.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import logging
import threading
import time
from pathlib import Path
from typing import Any

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.schema import SchemaManager
from sqlalchemy.engine import make_url

from newsportal.ingest.runner import poller_name
from newsportal.jobs.base import JobRunner, Work, cron_every

log = logging.getLogger(__name__)

POLL_SOURCE = "newsportal.ingest.poll_source"
DEFER_DUE_POLLS = "newsportal.ingest.defer_due_polls"
RUN_SCHEDULED = "newsportal.newsroom.run_scheduled"
REMOVE_OLD_JOBS = "newsportal.jobs.remove_old_jobs"
INGEST_QUEUE, NEWSROOM_QUEUE, MAINTENANCE_QUEUE = "ingest", "newsroom", "maintenance"
#: Every table, type and function of the engine starts with this; backups and Alembic leave them alone.
ENGINE_PREFIX = "procrastinate_"
#: Which procrastinate version's schema this database holds (procrastinate itself records none).
VERSION_TABLE = "procrastinate_np_schema"
#: Serialises schema set-up between processes starting at once (any 64-bit constant of our own).
SCHEMA_LOCK = 0x6E70_6A6F_6273
FAILED_JOBS_KEPT_HOURS = 7 * 24


def libpq_url(database_url: str) -> str:
    """The store's SQLAlchemy URL (``postgresql+psycopg://…``) as psycopg's own ``postgresql://…``; the
    query part (``options=-csearch_path=…``) is kept, so the jobs live in the store's schema."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def source_lock(ingest_source_id: int) -> str:
    return f"ingest-source:{ingest_source_id}"


# -- schema ------------------------------------------------------------------------------------------
def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".")[:3])


def _migrations_after(recorded: tuple[int, ...], installed: tuple[int, ...]) -> list[Path]:
    """procrastinate's own migration files between two versions, in order (``03.04.00_01_pre_….sql``)."""
    folder = Path(SchemaManager.get_migrations_path())
    chosen = []
    for path in sorted(folder.glob("*.sql")):
        version = _version(path.name.split("_", 1)[0])
        if recorded < version <= installed:
            chosen.append(path)
    return chosen


def ensure_schema(conninfo: str) -> str:
    """Create or upgrade procrastinate's tables in the connection's schema; returns what it did.

    Idempotent and safe when several processes start at once (an advisory lock serialises them). The
    objects go wherever unqualified names go — the ``search_path`` of the URL — so a store in a schema of
    its own (the tests', or a shared database's) has its own queue. Alembic does not manage these objects
    (they are procrastinate's, versioned by procrastinate's migration files); ``VERSION_TABLE`` records
    which version they are at, and an upgraded library applies its newer migration files here.
    """
    installed_text = importlib.metadata.version("procrastinate")
    installed = _version(installed_text)
    with psycopg.connect(conninfo) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        row = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        exists = row is not None and row[0] is not None
        conn.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (id integer PRIMARY KEY CHECK (id = 1), "
                     "version text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
        got = conn.execute(f"SELECT version FROM {VERSION_TABLE} WHERE id = 1").fetchone()
        recorded = got[0] if got else None
        if not exists:
            conn.execute(SchemaManager.get_schema())
            done = "created"
        elif recorded is None:
            log.warning("procrastinate tables found without a recorded version; taking them as %s",
                        installed_text)
            done = "adopted"
        elif _version(recorded) < installed:
            for path in _migrations_after(_version(recorded), installed):
                log.info("applying procrastinate migration %s", path.name)
                conn.execute(path.read_text("utf-8"))  # type: ignore[call-overload]  # library's own SQL
            done = "migrated"
        else:
            return "current"
        conn.execute(f"INSERT INTO {VERSION_TABLE} (id, version) VALUES (1, %s) ON CONFLICT (id) DO UPDATE "
                     "SET version = EXCLUDED.version, applied_at = now()", (installed_text,))
        return done


# -- tasks -------------------------------------------------------------------------------------------
def build_app(work: Work, conninfo: str, *, me: str, pool_size: int = 4) -> procrastinate.App:
    """A procrastinate App whose tasks run ``work`` in this process (only the kinds it was given)."""
    connector = procrastinate.PsycopgConnector(conninfo=conninfo, min_size=1, max_size=pool_size,
                                               kwargs={"application_name": "newsportal-jobs"})
    app = procrastinate.App(connector=connector)
    ingest, scheduler = work.ingest, work.scheduler
    if ingest is not None:

        @app.task(name=POLL_SOURCE, queue=INGEST_QUEUE)
        def poll_source(ingest_source_id: int) -> None:
            poll = ingest.poll_one(ingest_source_id, me)
            if poll is not None and not poll.ok:
                log.warning("ingest source %s (%s): %s %s", poll.ingest_source_id, poll.source_key,
                            poll.error_reason, poll.error_message)

        @app.periodic(cron=cron_every(work.poll_seconds), periodic_id="due")
        @app.task(name=DEFER_DUE_POLLS, queue=INGEST_QUEUE, queueing_lock=DEFER_DUE_POLLS)
        async def defer_due_polls(timestamp: int) -> int:
            deferred = 0
            for source_id in await asyncio.to_thread(ingest.due_source_ids):
                lock = source_lock(source_id)
                try:
                    await poll_source.configure(lock=lock, queueing_lock=lock).defer_async(
                        ingest_source_id=source_id)
                    deferred += 1
                except AlreadyEnqueued:  # its poll is queued already (a slow worker, a long feed)
                    pass
            return deferred

    if scheduler is not None:

        @app.periodic(cron=cron_every(work.scheduler_seconds), periodic_id="due")
        @app.task(name=RUN_SCHEDULED, queue=NEWSROOM_QUEUE, lock=RUN_SCHEDULED, queueing_lock=RUN_SCHEDULED)
        def run_scheduled(timestamp: int) -> None:
            report = scheduler.run_due(work.clock(), me)
            for failed in report.failed:
                log.warning("scheduled publication of article %s failed: %s", failed.article_id, failed.error)

    # procrastinate's own builtin cleanup task is one module-level object bound to the last App made in
    # the process, so this App carries a cleanup task of its own (same job-manager call).
    @app.periodic(cron="17 4 * * *", periodic_id="daily")
    @app.task(name=REMOVE_OLD_JOBS, queue=MAINTENANCE_QUEUE, queueing_lock=REMOVE_OLD_JOBS)
    async def remove_old_jobs(timestamp: int) -> None:
        await app.job_manager.delete_old_jobs(nb_hours=FAILED_JOBS_KEPT_HOURS, include_failed=True,
                                              include_cancelled=True, include_aborted=True)

    return app


def queues_of(work: Work) -> list[str]:
    return ([INGEST_QUEUE] if work.ingest is not None else []) + (
        [NEWSROOM_QUEUE] if work.scheduler is not None else []) + [MAINTENANCE_QUEUE]


# -- the runner --------------------------------------------------------------------------------------
class ProcrastinateJobs:
    """A procrastinate worker for :class:`Work` on a thread of this process."""

    engine = "procrastinate"

    def __init__(self, work: Work, database_url: str, *, concurrency: int = 2, me: str | None = None,
                 shutdown_timeout: float = 20.0, start_timeout: float = 60.0,
                 polling_interval: float = 5.0) -> None:
        self.work = work
        self.conninfo = libpq_url(database_url)
        self.me = me or poller_name("jobs")
        self.concurrency = concurrency
        self.shutdown_timeout = shutdown_timeout
        self.start_timeout = start_timeout
        self.polling_interval = polling_interval
        self.app = build_app(work, self.conninfo, me=self.me, pool_size=concurrency + 2)
        self.queues = queues_of(work)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main: asyncio.Task[None] | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._stopping = False

    def prepare(self) -> None:
        what = ensure_schema(self.conninfo)
        if what != "current":
            log.info("procrastinate schema %s", what)

    def start(self) -> JobRunner:
        """Prepare the schema, start the worker thread, return once the worker is connected."""
        if self.work.empty or self._thread is not None:
            return self
        self.prepare()
        self._stopping = False
        self._ready.clear()
        self._thread = threading.Thread(target=self._thread_main, name="job-worker", daemon=True)
        self._thread.start()
        if not self._ready.wait(self.start_timeout):
            self.stop()
            raise RuntimeError(f"the procrastinate worker did not connect within {self.start_timeout:.0f} s")
        if self._failure is not None:
            failure, self._failure = self._failure, None
            self._thread.join(5)
            self._thread = None
            raise RuntimeError(f"the procrastinate worker could not start: {failure}") from failure
        log.info("procrastinate worker %s started on queues %s", self.me, ", ".join(self.queues))
        return self

    def stop(self) -> None:
        """Cancel the worker: it finishes the jobs in progress (up to ``shutdown_timeout``), then leaves."""
        self._stopping = True
        loop, main, thread = self._loop, self._main, self._thread
        if loop is not None and main is not None:
            loop.call_soon_threadsafe(main.cancel)
        if thread is not None:
            thread.join(self.shutdown_timeout + 5)  # inside systemd's TimeoutStopSec=30
            if thread.is_alive():
                log.warning("procrastinate worker %s did not stop in time", self.me)
        self._thread = None

    # -- inside the worker thread --------------------------------------------------------------------
    def _thread_main(self) -> None:
        try:
            asyncio.run(self._run())
        except BaseException as exc:  # noqa: B036 - reported to start(), or logged once running
            if not self._ready.is_set():
                self._failure = exc
                self._ready.set()
            elif not isinstance(exc, asyncio.CancelledError):
                log.exception("procrastinate worker thread ended")

    async def _run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._main = asyncio.current_task()
        if self._stopping:
            return
        async with self.app.open_async():
            if not await self.app.check_connection_async():
                raise RuntimeError("procrastinate_jobs is missing (the schema was not applied)")
            await self._first_passes()
            self._ready.set()
            await self._supervise()

    async def _first_passes(self) -> None:
        """Look for due work at once instead of at the first tick (what was missed while down)."""
        now = int(time.time())
        for name in (DEFER_DUE_POLLS, RUN_SCHEDULED):
            task = self.app.tasks.get(name)
            if task is None:
                continue
            try:
                await task.defer_async(timestamp=now)
            except AlreadyEnqueued:
                pass

    async def _supervise(self) -> None:
        """Run the worker; when it ends by itself (its database connection failed), start it again."""
        delay = 1.0
        while not self._stopping:
            began = time.monotonic()
            try:
                await self.app.run_worker_async(**self._options())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("procrastinate worker %s failed", self.me)
            if self._stopping:
                return
            delay = 1.0 if time.monotonic() - began > 60 else min(delay * 2, 30.0)
            log.warning("procrastinate worker %s ended; starting it again in %.0f s", self.me, delay)
            await asyncio.sleep(delay)

    def _options(self) -> dict[str, Any]:
        return {"queues": self.queues, "name": self.me, "concurrency": self.concurrency,
                "install_signal_handlers": False, "delete_jobs": "successful",
                "shutdown_graceful_timeout": self.shutdown_timeout,
                "fetch_job_polling_interval": self.polling_interval,
                "abort_job_polling_interval": self.polling_interval}
