"""The narrow interface between the portal and whatever runs its background work.

Background work is two jobs today, both already written as plain services that are safe to call from any
number of processes at once (each takes its item with an atomic database claim):

* ingest polling — :meth:`IngestService.due_source_ids` / :meth:`IngestService.poll_one`, guarded by the
  lease on the source row;
* scheduled publishing — :meth:`Scheduler.run_due`, guarded by the claim on the workflow row.

A runner decides *where and when* they run: the embedded backend on a thread in every server process, the
procrastinate backend as jobs in PostgreSQL that exactly one worker of the cluster picks up. The services
know nothing of the runner, and the runner nothing of the portal: :class:`Work` hands it the services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsportal.ingest.service import IngestService
from newsportal.newsroom.scheduler import Scheduler
from newsportal.timeutil import utcnow


@dataclass(frozen=True)
class Work:
    """What this process may run. ``None`` leaves that kind of work to other processes."""

    ingest: IngestService | None
    scheduler: Scheduler | None
    #: Seconds between looks for due sources (each source keeps its own interval).
    poll_seconds: float = 30.0
    #: Seconds between looks for due scheduled publications.
    scheduler_seconds: float = 15.0
    clock: Callable[[], datetime] = utcnow

    @property
    def empty(self) -> bool:
        return self.ingest is None and self.scheduler is None


class JobRunner(Protocol):
    """Runs :class:`Work` in the background of one process.

    ``prepare`` makes the database ready for the engine (idempotent; ``newsportal db upgrade`` and every
    start call it); ``start`` returns once the runner works (raising if it cannot); ``stop`` waits for the
    job in progress, bounded, and may be called more than once.
    """

    engine: str

    def prepare(self) -> None: ...

    def start(self) -> JobRunner: ...

    def stop(self) -> None: ...


def cron_every(seconds: float) -> str:
    """A cron line (six fields, seconds last, as croniter reads them) firing about every ``seconds``.

    Cron steps restart at each minute (or hour, or day), so a step that does not divide it leaves one
    shorter gap per cycle; the due-time checks in the services make that harmless (an early look finds
    nothing due).
    """
    step = max(1, round(seconds))
    if step < 60:
        return f"* * * * * */{step}"
    minutes = round(step / 60)
    if minutes < 60:
        return f"*/{minutes} * * * * 0"
    hours = round(minutes / 60)
    if hours < 24:
        return f"0 */{hours} * * * 0"
    return "0 0 * * * 0"
