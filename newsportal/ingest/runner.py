"""Running the poller: a loop that calls :meth:`IngestService.poll_due` every few seconds.

No job server is needed for "each source polled by exactly one process": the lease on the source row is
the lock, so every server or worker process may run this loop against the same database (SQLite in the
embedded set-up, PostgreSQL in production) and the row's conditional UPDATE decides who polls. A poller
that dies holds its sources only until their lease expires. ``tick`` is the unit tests call; ``run`` the
loop a background thread runs until its stop event is set. This is the embedded engine's poller
(:mod:`newsportal.jobs.backends.embedded`); production may run polls as procrastinate jobs instead.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable

from newsportal.ingest.outcomes import SourcePoll
from newsportal.ingest.service import IngestService

log = logging.getLogger(__name__)


def poller_name(role: str = "poller") -> str:
    """host:pid:role, unique per process, shown as the lease owner of a source being polled."""
    return f"{socket.gethostname()}:{os.getpid()}:{role}"[:100]


class PollLoop:
    """Poll due sources every ``every`` seconds until stopped."""

    def __init__(self, service: IngestService, *, me: str | None = None, every: float = 30.0) -> None:
        self.service = service
        self.me = me or poller_name()
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> list[SourcePoll]:
        """One pass over the due sources. Never raises: a failing pass is logged and the loop goes on."""
        try:
            polls = self.service.poll_due(self.me)
        except Exception:
            log.exception("ingest poll pass failed")
            return []
        for p in polls:
            if not p.ok:
                log.warning("ingest source %s (%s): %s %s", p.ingest_source_id, p.source_key, p.error_reason,
                            p.error_message)
        return polls

    def run(self, stop: threading.Event | None = None,
            on_tick: Callable[[list[SourcePoll]], None] | None = None) -> None:
        """Tick until ``stop`` is set (checked between passes and while waiting)."""
        stop = stop or self._stop
        while not stop.is_set():
            polls = self.tick()
            if on_tick is not None:
                on_tick(polls)
            stop.wait(self.every)

    def start(self) -> PollLoop:
        """Run in a daemon thread (the embedded set-up: inside the server process)."""
        self._thread = threading.Thread(target=self.run, name="ingest-poller", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
