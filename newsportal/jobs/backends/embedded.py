"""The embedded job runner: the poll loop and the scheduler loop on daemon threads of this process.

This is the SQLite set-up (one server, no other service), and it stays correct with several processes on
PostgreSQL too: every process runs both loops and the claims on the rows (the source lease, the workflow
claim) let exactly one of them take each due item. What it cannot do is keep the other processes from
*looking* — every process queries for due work every interval; the procrastinate backend removes that.
"""

from __future__ import annotations

import logging

from newsportal.ingest.runner import PollLoop, poller_name
from newsportal.jobs.base import JobRunner, Work
from newsportal.newsroom.scheduler import SchedulerLoop

log = logging.getLogger(__name__)


class EmbeddedJobs:
    """Both loops of :class:`Work`, each started only when its service is given."""

    engine = "embedded"

    def __init__(self, work: Work, *, me: str | None = None) -> None:
        self.work = work
        self.me = me or poller_name("server")
        self.poll_loop: PollLoop | None = None
        self.scheduler_loop: SchedulerLoop | None = None

    def prepare(self) -> None:
        """Nothing to prepare: the loops use the portal's own tables."""

    def start(self) -> JobRunner:
        """Start the loops; the scheduler's first pass runs at once (it publishes what was missed while
        the server was down)."""
        work = self.work
        if work.ingest is not None and self.poll_loop is None:
            self.poll_loop = PollLoop(work.ingest, me=self.me, every=work.poll_seconds).start()
            log.info("ingest poller %s started (every %.0fs)", self.me, work.poll_seconds)
        if work.scheduler is not None and self.scheduler_loop is None:
            self.scheduler_loop = SchedulerLoop(work.scheduler, interval=work.scheduler_seconds,
                                                clock=work.clock).start()
        return self

    def stop(self) -> None:
        """Stop both loops, each waiting for its pass in progress."""
        if self.poll_loop is not None:
            self.poll_loop.stop()
            self.poll_loop = None
        if self.scheduler_loop is not None:
            self.scheduler_loop.stop()
            self.scheduler_loop = None
