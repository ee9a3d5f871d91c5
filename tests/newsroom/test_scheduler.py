"""The in-server scheduler: fires due items, flags late ones, survives failures, and fires each item exactly
once when two processes run it against one database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import datetime, timedelta

import pytest

from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.scheduler import Failed, Fired, Scheduler, SchedulerLoop, worker_id
from newsportal.newsroom.workflow import AuditKind, Transition
from newsportal.store.audit import AuditFilter, AuditLog
from newsportal.store.workflow import WorkflowStore
from tests.newsroom_rows import T0, add_articles

DUE = T0 + timedelta(hours=1)


class Recorder:
    def __init__(self, wf: WorkflowStore | None = None, fail_for: set[int] | None = None):
        self.calls: list[tuple[int, Transition]] = []
        self.pending_seen: dict[int, object] = {}
        self.wf = wf
        self.fail_for = fail_for or set()

    def __call__(self, article_id: int, transition: Transition) -> None:
        if article_id in self.fail_for:
            raise ValueError("标题不能为空")
        if self.wf is not None:
            self.pending_seen[article_id] = self.wf.get(article_id).pending_revision
        self.calls.append((article_id, transition))


@pytest.fixture
def parts(store):
    wf = WorkflowStore(store.engine, stale_after=timedelta(minutes=10))
    log = AuditLog(store.engine)
    return wf, log, AuditService(log)


def _schedule(wf: WorkflowStore, article_id: int, when: datetime) -> None:
    wf.ensure(article_id, now=T0)
    wf.set_status(
        article_id,
        expect_state="draft",
        state="scheduled",
        scheduled_at=when,
        now=T0,
        approved_by_user_id=3,
        approved_by_name="刘静",
    )


def test_fires_what_is_due_and_nothing_else(store, parts):
    wf, log, audit = parts
    due, later = add_articles(store.engine, 2)
    _schedule(wf, due, DUE)
    _schedule(wf, later, DUE + timedelta(days=1))
    publish = Recorder()
    report = Scheduler(wf, audit, publish).run_due(DUE + timedelta(seconds=30), "w1")
    assert [f.article_id for f in report.fired] == [due] and not report.failed and not report.lost
    ((aid, transition),) = publish.calls
    assert aid == due and transition.goes_live and not transition.late
    assert transition.audit is AuditKind.PUBLISH_SCHEDULED
    rec = wf.get(due)
    assert rec.state == "published" and rec.fired_at == DUE + timedelta(seconds=30) and rec.claimed_by is None
    assert wf.get(later).state == "scheduled"
    (entry,) = log.query(AuditFilter(action="article.publish_scheduled"))
    assert (
        entry.target_id == str(due)
        and entry.detail["approved_by"] == "刘静"
        and entry.detail["late"] is False
    )
    assert entry.actor_name == "系统"
    assert log.count(AuditFilter(action="article.schedule_late")) == 0
    again = Scheduler(wf, audit, publish).run_due(DUE + timedelta(minutes=5), "w1")
    assert again.fired == () and len(publish.calls) == 1


def test_missed_while_down_fires_at_start_with_a_late_entry(store, parts):
    wf, log, audit = parts
    (aid,) = add_articles(store.engine)
    _schedule(wf, aid, DUE)
    restart = DUE + timedelta(hours=3, minutes=4)
    report = Scheduler(wf, audit, Recorder()).run_due(restart, worker_id())
    (fired,) = report.fired
    assert isinstance(fired, Fired) and fired.late and fired.due_at == DUE
    (late,) = log.query(AuditFilter(action="article.schedule_late"))
    assert late.target_id == str(aid) and late.detail["delay_minutes"] == 184
    assert "北京时间" in late.detail["message"] and "15:00" in late.detail["message"]


def test_scheduled_update_of_a_live_article_is_not_a_second_publication(store, parts):
    wf, log, audit = parts
    (aid,) = add_articles(store.engine)
    wf.ensure(aid, now=T0)
    wf.set_status(aid, expect_state="draft", state="published", now=T0)
    wf.set_status(
        aid,
        expect_state="published",
        state="published",
        update_at=DUE,
        now=T0,
        pending_revision={"title": "更新后的标题"},
    )
    publish = Recorder(wf)
    (fired,) = Scheduler(wf, audit, publish).run_due(DUE, "w1").fired
    assert not fired.transition.goes_live and fired.transition.audit is AuditKind.UPDATE_SCHEDULED
    assert publish.pending_seen[aid] == {"title": "更新后的标题"}  # readable while the callback runs
    rec = wf.get(aid)
    assert rec.state == "published" and rec.update_at is None and rec.pending_revision is None
    assert log.count(AuditFilter(action="article.update_scheduled")) == 1


def test_failure_is_recorded_and_retried_only_after_the_claim_goes_stale(store, parts):
    wf, log, audit = parts
    bad, good = add_articles(store.engine, 2)
    _schedule(wf, bad, DUE)
    _schedule(wf, good, DUE)
    publish = Recorder(fail_for={bad})
    scheduler = Scheduler(wf, audit, publish)
    report = scheduler.run_due(DUE, "w1")
    assert [f.article_id for f in report.fired] == [good]
    assert report.failed == (Failed(bad, "ValueError: 标题不能为空"),)
    assert wf.get(bad).state == "scheduled" and "标题不能为空" in wf.get(bad).last_error
    (entry,) = log.query(AuditFilter(action="article.schedule_failed"))
    assert entry.target_id == str(bad)
    assert scheduler.run_due(DUE + timedelta(minutes=5), "w1").failed == ()  # not retried every tick
    publish.fail_for.clear()
    retry = scheduler.run_due(DUE + timedelta(minutes=11), "w2")
    assert [f.article_id for f in retry.fired] == [bad] and wf.get(bad).last_error is None


def test_loop_runs_a_pass_at_start(store, parts):
    wf, _, audit = parts
    (aid,) = add_articles(store.engine)
    _schedule(wf, aid, DUE)
    passed = threading.Event()
    reports = []

    def on_pass(report):
        reports.append(report)
        passed.set()

    loop = SchedulerLoop(Scheduler(wf, audit, Recorder()), interval=3600, clock=lambda: DUE, on_pass=on_pass)
    loop.start()
    try:
        assert passed.wait(60)
    finally:
        loop.stop()
    assert [f.article_id for f in reports[0].fired] == [aid]
    assert wf.get(aid).state == "published"


# --- two processes ---------------------------------------------------------------------------------------


def _worker(url: str, me: str, now_iso: str, start, results) -> None:
    """Run passes until nothing is due; report every article this process published."""
    from newsportal.store import open_store

    store = open_store(url)
    try:
        fired: list[int] = []

        def publish(article_id: int, transition: Transition) -> None:
            fired.append(article_id)

        scheduler = Scheduler(
            WorkflowStore(store.engine), AuditService(AuditLog(store.engine)), publish, batch=4
        )
        now = datetime.fromisoformat(now_iso)
        start.wait(120)  # a barrier: both processes begin their passes together, after their imports
        lost = 0
        while True:
            report = scheduler.run_due(now, me)
            lost += len(report.lost)
            if not (report.fired or report.lost or report.failed):
                break
        results.put((me, fired, lost))
    finally:
        store.close()


def test_two_processes_fire_each_item_exactly_once(store, parts):
    wf, log, _ = parts
    ids = add_articles(store.engine, 30)
    for i, aid in enumerate(ids):
        _schedule(wf, aid, DUE + timedelta(seconds=i))
    url = store.engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    now = (DUE + timedelta(minutes=1)).isoformat()
    procs = [ctx.Process(target=_worker, args=(url, f"proc-{n}", now, start, results)) for n in (1, 2)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    fired = [aid for _, got, _ in outcomes for aid in got]
    assert sorted(fired) == sorted(ids)  # every item once, none twice
    entries = log.query(AuditFilter(action="article.publish_scheduled"), limit=200)
    assert sorted(int(e.target_id) for e in entries) == sorted(ids)
    assert {e.detail["worker"] for e in entries} <= {"proc-1", "proc-2"}
    assert all(wf.get(aid).state == "published" for aid in ids)
