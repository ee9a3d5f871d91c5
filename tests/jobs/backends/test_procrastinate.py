"""The procrastinate engine on the real PostgreSQL server: schema set-up, and tasks run by real workers.

Each test has a store in a schema of its own (``search_path`` in the URL), so the job queue is private to
it too. Waits are bounded deadlines on observable state (rows, the partner server's request log), never
sleeps that must be long enough. The two-process version (two ``newsportal serve``) is in
``tests/jobs/test_two_servers.py``.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import text

from newsportal.domain import ArticleStatus
from newsportal.ingest.service import IngestService
from newsportal.ingest.writer import PortalArticleWriter
from newsportal.jobs import Work
from newsportal.jobs.backends.procrastinate import (
    DEFER_DUE_POLLS,
    POLL_SOURCE,
    RUN_SCHEDULED,
    ProcrastinateJobs,
    _migrations_after,
    ensure_schema,
    libpq_url,
    source_lock,
)
from newsportal.newsroom.roles import Role
from newsportal.store.audit import AuditFilter
from newsportal.store.ingest_sources import IngestSources
from newsportal.timeutil import utcnow
from tests.conftest import make_portal, make_store, sample_draft
from tests.ingest.partner_server import Route
from tests.ingest.service_kit import ATOM, Entry, atom
from tests.newsroom.test_desk import people

pytestmark = pytest.mark.postgres
BOUND = 60.0  # seconds; generous for a loaded two-core machine


def wait_until(predicate, what: str, seconds: float = BOUND) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"not within {seconds:.0f} s: {what}"
        time.sleep(0.1)


@pytest.fixture
def pg_store(tmp_path_factory):
    store, dispose = make_store("postgres", tmp_path_factory)
    yield store
    dispose()


@pytest.fixture
def pg_portal(pg_store):
    portal = make_portal(pg_store)
    yield portal
    portal.counters.flush()


def url_of(store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def ingest_service(portal, fetcher) -> IngestService:
    """The service as the server wires it, on the real clock (the worker runs in real time)."""
    writer = PortalArticleWriter(portal)
    return IngestService(IngestSources(portal.store.engine), fetcher, writer.save,
                         withdraw_article=writer.withdraw, rng=random.Random(3), save_batch=writer.save_many)


def latest_tick(store, task: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT coalesce(max(defer_timestamp), 0) "
                                 "FROM procrastinate_periodic_defers WHERE task_name = :t"),
                            {"t": task}).scalar_one()


def unfinished(store, task: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t "
                                 "AND status IN ('todo', 'doing')"), {"t": task}).scalar_one()


def ticks_pass(store, task: str, n: int) -> None:
    """Wait until ``n`` more periodic ticks of ``task`` were deferred and none of its jobs is unfinished."""
    start = latest_tick(store, task)
    wait_until(lambda: latest_tick(store, task) >= start + n and unfinished(store, task) == 0,
               f"{n} more ticks of {task}")


def entries(n: int) -> list[Entry]:
    now = utcnow()
    return [Entry(guid=f"lx-{n}-{k}", title=f"临溪镇第{n}村第{k}条乡村公路完成硬化",
                  paragraphs=(f"临溪镇第{n}村的第{k}条通组公路本月完工，村民出行不再走泥路。",
                              "镇交通站说，沿线还将补装路灯和护栏。"),
                  published=now - timedelta(hours=k + 1), updated=now - timedelta(hours=k + 1))
            for k in range(2)]


# -- schema ------------------------------------------------------------------------------------------
def test_the_schema_is_made_once_in_the_stores_own_schema_even_by_racing_processes(pg_store):
    conninfo = libpq_url(url_of(pg_store))
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(ensure_schema(conninfo))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["created", "current", "current"]
    assert ensure_schema(conninfo) == "current"
    with pg_store.engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        where = conn.execute(text("SELECT table_schema FROM information_schema.tables "
                                  "WHERE table_name = 'procrastinate_jobs' AND table_schema = :s"),
                             {"s": schema}).scalars().all()
        version = conn.execute(text("SELECT version FROM procrastinate_np_schema")).scalar_one()
    assert where == [schema] and schema.startswith("np_test_")
    import importlib.metadata

    assert version == importlib.metadata.version("procrastinate")


def test_an_upgrade_applies_only_the_newer_migration_files():
    names = [p.name for p in _migrations_after((3, 2, 0), (3, 4, 0))]
    assert names and all(n.startswith(("03.03.", "03.04.")) for n in names)
    assert names == sorted(names) and any("_pre_" in n for n in names)
    assert _migrations_after((3, 4, 0), (3, 4, 0)) == []


def test_the_libpq_url_keeps_the_search_path():
    url = "postgresql+psycopg://news:pw@db.example:5432/news?options=-csearch_path%3Dportal"
    assert libpq_url(url) == "postgresql://news:pw@db.example:5432/news?options=-csearch_path%3Dportal"


def test_start_fails_with_the_reason_when_the_database_is_unreachable():
    import psycopg

    runner = ProcrastinateJobs(Work(ingest=None, scheduler=object()),  # type: ignore[arg-type]
                               "postgresql+psycopg://postgres@127.0.0.1:1/test")
    with pytest.raises(psycopg.OperationalError):
        runner.start()


# -- tasks through real workers ----------------------------------------------------------------------
def test_a_poll_is_never_queued_twice_for_one_source(pg_store, pg_portal, fetcher):
    runner = ProcrastinateJobs(Work(ingest=ingest_service(pg_portal, fetcher), scheduler=None),
                               url_of(pg_store))
    runner.prepare()
    task = runner.app.tasks[POLL_SOURCE]
    from procrastinate.exceptions import AlreadyEnqueued

    with runner.app.open():
        task.configure(lock=source_lock(7), queueing_lock=source_lock(7)).defer(ingest_source_id=7)
        with pytest.raises(AlreadyEnqueued):
            task.configure(lock=source_lock(7), queueing_lock=source_lock(7)).defer(ingest_source_id=7)
        task.configure(lock=source_lock(8), queueing_lock=source_lock(8)).defer(ingest_source_id=8)
    with pg_store.engine.connect() as conn:
        rows = conn.execute(text("SELECT queueing_lock FROM procrastinate_jobs WHERE status = 'todo' "
                                 "ORDER BY id")).scalars().all()
    assert rows == ["ingest-source:7", "ingest-source:8"]


def test_two_workers_poll_each_due_source_once_per_interval_and_a_failing_one_stops_nothing(
        pg_store, pg_portal, fetcher, partner):
    service = ingest_service(pg_portal, fetcher)
    good = [service.add_feed(f"linxi-{n}", partner.add(f"/feed-{n}.xml", Route(
        atom(entries(n)), headers=ATOM, delay=0.05)), interval=3600, trusted=True).id for n in range(4)]
    broken = service.add_feed("linxi-broken", partner.add("/broken.xml", Route(b"down", status=500)),
                              interval=3600, trusted=True).id
    work = Work(ingest=service, scheduler=None, poll_seconds=1)
    runners = [ProcrastinateJobs(work, url_of(pg_store), me=f"worker-{n}", polling_interval=0.5)
               for n in range(2)]
    repo = IngestSources(pg_store.engine)
    try:
        for r in runners:
            r.start()

        def polled_once() -> bool:
            sources = {s.id: s for s in repo.all()}
            return (all(sources[i].last_success_at is not None for i in good)
                    and sources[broken].failures >= 1)

        wait_until(polled_once, "every source polled")
        ticks_pass(pg_store, DEFER_DUE_POLLS, 3)  # both workers kept looking; nothing was due again
        fetched = Counter(path for path, _ in partner.requests)
        assert fetched == {**{f"/feed-{n}.xml": 1 for n in range(4)}, "/broken.xml": 1}
        assert pg_store.count_articles(ArticleStatus.PUBLISHED) == 8
        health = {s.id: s.health for s in repo.all()}
        assert health[broken].status == "failing" and all(health[i].status == "ok" for i in good)

        # The next interval: every source is due again (as if its hour had passed).
        with pg_store.engine.begin() as conn:
            conn.execute(text("UPDATE ingest_sources SET next_poll_at = :t"), {"t": utcnow()})
        wait_until(lambda: min(Counter(path for path, _ in partner.requests).values()) >= 2,
                   "the second interval's polls")
        ticks_pass(pg_store, DEFER_DUE_POLLS, 3)
        fetched = Counter(path for path, _ in partner.requests)
        assert fetched == {**{f"/feed-{n}.xml": 2 for n in range(4)}, "/broken.xml": 2}
        assert pg_store.count_articles(ArticleStatus.PUBLISHED) == 8  # unchanged items write nothing
        assert unfinished(pg_store, POLL_SOURCE) == 0
        with pg_store.engine.connect() as conn:
            failed = conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'")
                                  ).scalar_one()
        assert failed == 0  # a partner's error is the source's health, not a failed job
    finally:
        for r in runners:
            r.stop()
    assert all(r._thread is None for r in runners)


def test_a_scheduled_article_is_published_once_by_two_workers(pg_store, pg_portal):
    editor = people(pg_portal)[Role.EDITOR]
    nr = pg_portal.newsroom
    now = utcnow()
    aid = nr.create(editor, sample_draft(), now=now - timedelta(minutes=5)).article.id
    nr.schedule(editor, aid, now + timedelta(seconds=2), now=now - timedelta(minutes=4))
    work = Work(ingest=None, scheduler=nr.scheduler, scheduler_seconds=1)
    runners = [ProcrastinateJobs(work, url_of(pg_store), me=f"worker-{n}", polling_interval=0.5)
               for n in range(2)]
    try:
        for r in runners:
            r.start()
        wait_until(lambda: pg_store.get_article(aid).status is ArticleStatus.PUBLISHED, "the publication")
        ticks_pass(pg_store, RUN_SCHEDULED, 3)
    finally:
        for r in runners:
            r.stop()
    fired = nr.audit.log.query(AuditFilter(action="article.publish_scheduled"), limit=10)
    assert [int(e.target_id) for e in fired] == [aid]
    assert fired[0].detail["worker"] in {"worker-0", "worker-1"}
    assert aid in pg_portal.published
