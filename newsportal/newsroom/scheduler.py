"""Scheduled publication inside the server: no cron, safe after a restart, exactly once across processes.

:meth:`Scheduler.run_due` is one pass: find rows whose time has come, *claim* each with an atomic
conditional UPDATE (:meth:`newsportal.store.workflow.WorkflowStore.claim`; only one process wins a row),
compute the transition with the pure :func:`newsportal.newsroom.workflow.fire_due`, hand it to the
``publish`` callback (the real publish flow, wired by the app), then record the new state and the audit
entry. Because the pass only asks "what is due at ``now``", the first pass after a restart publishes
everything missed while the server was down, and writes an extra ``article.schedule_late`` entry for each
so the audit page (and whoever watches it) sees the miss.

A callback that raises leaves the claim in place with the error noted and writes
``article.schedule_failed``; the item is retried once the claim is stale (``stale_after``), not on every
tick. :class:`SchedulerLoop` runs passes on a daemon thread in the server process.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsportal.newsroom.actors import SYSTEM_NAME
from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.workflow import LATE_GRACE, State, Status, Transition, fire_due
from newsportal.store.workflow import WorkflowRecord, WorkflowStore
from newsportal.timeutil import format_beijing, to_utc_naive, utcnow

log = logging.getLogger(__name__)

PublishCallback = Callable[[int, Transition], None]
"""``publish(article_id, transition)``: make the article (or its pending revision) live.

``transition.goes_live`` is true for a first publication and false for a scheduled update of a live
article; the pending revision is still readable from the workflow row while the callback runs.
"""


def worker_id() -> str:
    """A claim owner name unique to this process: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class Fired:
    article_id: int
    transition: Transition
    due_at: datetime
    late: bool


@dataclass(frozen=True, slots=True)
class Failed:
    article_id: int
    error: str


@dataclass(frozen=True, slots=True)
class RunReport:
    fired: tuple[Fired, ...]
    failed: tuple[Failed, ...]
    lost: tuple[int, ...]
    """Due rows another process claimed first."""


def _status(record: WorkflowRecord) -> Status:
    return Status(
        state=State(record.state),
        scheduled_at=record.scheduled_at,
        embargo=record.embargo,
        reason=record.reason,
        update_at=record.update_at,
    )


class Scheduler:
    def __init__(
        self,
        workflow: WorkflowStore,
        audit: AuditService,
        publish: PublishCallback,
        *,
        grace: timedelta = LATE_GRACE,
        batch: int = 100,
    ):
        self.workflow = workflow
        self.audit = audit
        self.publish = publish
        self.grace = grace
        self.batch = batch

    def run_due(self, now: datetime, me: str) -> RunReport:
        """Fire everything due at ``now`` that worker ``me`` manages to claim."""
        now = to_utc_naive(now)
        fired: list[Fired] = []
        failed: list[Failed] = []
        lost: list[int] = []
        for item in self.workflow.due(now, limit=self.batch):
            if not self.workflow.claim(item.article_id, me, now):
                lost.append(item.article_id)
                continue
            outcome = self._fire(item.article_id, me, now)
            if isinstance(outcome, Fired):
                fired.append(outcome)
            elif isinstance(outcome, Failed):
                failed.append(outcome)
        return RunReport(tuple(fired), tuple(failed), tuple(lost))

    def _fire(self, article_id: int, me: str, now: datetime) -> Fired | Failed | None:
        record = self.workflow.get(article_id)
        transition = fire_due(_status(record), now, grace=self.grace) if record else None
        if record is None or transition is None:
            self.workflow.release(article_id, me)
            return None
        due_at = transition.before.scheduled_at or transition.before.update_at or now
        try:
            self.publish(article_id, transition)
        except Exception as exc:  # the callback is the whole publish flow; any failure is recorded
            error = f"{exc.__class__.__name__}: {exc}"
            log.exception("scheduled publication of article %s failed", article_id)
            self.workflow.fail(article_id, me, error, now=now)
            self.audit.record(
                "article.schedule_failed",
                actor_name=SYSTEM_NAME,
                target_kind="article",
                target_id=article_id,
                at=now,
                detail={"due_at": due_at, "error": error[:500], "worker": me},
            )
            return Failed(article_id, error)
        if not self.workflow.complete(article_id, me, state=transition.after.state.value, now=now):
            # Our claim went stale and another worker took over; it records the firing.
            log.warning("claim on article %s was taken over before completion", article_id)
            return None
        detail = {
            "due_at": due_at,
            "fired_at": now,
            "late": transition.late,
            "approved_by": record.approved_by_name,
            "worker": me,
        }
        self.audit.record(
            transition.audit.value,
            actor_name=SYSTEM_NAME,
            target_kind="article",
            target_id=article_id,
            at=now,
            detail=detail,
        )
        if transition.late:
            minutes = int((now - due_at).total_seconds() // 60)
            self.audit.record(
                "article.schedule_late",
                actor_name=SYSTEM_NAME,
                target_kind="article",
                target_id=article_id,
                at=now,
                detail={
                    **detail,
                    "delay_minutes": minutes,
                    "message": f"定时任务晚了 {minutes} 分钟执行：预定 {format_beijing(due_at)}（北京时间），"
                    f"实际 {format_beijing(now)}（北京时间）。服务器可能在预定时间未运行。",
                },
            )
        return Fired(article_id, transition, due_at, transition.late)


class SchedulerLoop:
    """Runs :meth:`Scheduler.run_due` every ``interval`` seconds on a daemon thread, starting at once.

    The first pass happens immediately on :meth:`start`, which is what publishes items missed while the
    server was down. Errors in a pass are logged and the loop goes on.
    """

    def __init__(
        self,
        scheduler: Scheduler,
        *,
        interval: float = 15.0,
        clock: Callable[[], datetime] = utcnow,
        me: str | None = None,
        on_pass: Callable[[RunReport], None] | None = None,
    ):
        self.scheduler = scheduler
        self.interval = interval
        self.clock = clock
        self.me = me or worker_id()
        self.on_pass = on_pass
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> RunReport | None:
        try:
            report = self.scheduler.run_due(self.clock(), self.me)
        except Exception:
            log.exception("scheduler pass failed")
            return None
        if self.on_pass is not None:
            self.on_pass(report)
        return report

    def _run(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.interval)

    def start(self) -> SchedulerLoop:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="newsroom-scheduler", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
