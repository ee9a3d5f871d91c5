"""Scheduled publishing through the real publish callback: in the app's lifespan, and from two processes."""

from __future__ import annotations

import multiprocessing
import time
from datetime import datetime, timedelta

from starlette.testclient import TestClient

from newsportal.domain import ArticleStatus
from newsportal.newsroom.roles import Role
from newsportal.store.audit import AuditFilter
from newsportal.timeutil import utcnow
from newsportal.web.app import create_app
from tests.conftest import sample_draft
from tests.newsroom.test_desk import T0, people


def _wait_for(predicate, seconds: float = 60.0) -> bool:
    """The loop runs on its own thread; wait for its first pass (bounded, not a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_the_server_publishes_what_was_missed_while_it_was_down(portal):
    editor = people(portal)[Role.EDITOR]
    nr = portal.newsroom
    real_now = utcnow()
    aid = nr.create(editor, sample_draft(), now=real_now - timedelta(hours=3)).article.id
    nr.schedule(editor, aid, real_now - timedelta(hours=1), now=real_now - timedelta(hours=2))
    assert [r.article_id for r in nr.overdue(real_now)] == [aid]  # the dashboard's alert before start-up
    settings = portal.settings.with_(scheduler_seconds=3600.0)  # one pass: the one at start-up
    with TestClient(create_app(settings, portal=portal)) as client:
        assert _wait_for(lambda: portal.store.get_article(aid).status is ArticleStatus.PUBLISHED)
        page = client.get(f"/article/{aid}")
        assert page.status_code == 200 and "责编：责编甲" in page.text
    late = nr.audit.log.query(AuditFilter(action="article.schedule_late"), limit=5)
    assert [int(e.target_id) for e in late] == [aid] and "晚了" in late[0].detail["message"]
    assert nr.overdue(utcnow()) == []


def test_scheduler_off_when_configured(portal):
    editor = people(portal)[Role.EDITOR]
    nr = portal.newsroom
    real_now = utcnow()
    aid = nr.create(editor, sample_draft(), now=real_now - timedelta(hours=3)).article.id
    nr.schedule(editor, aid, real_now - timedelta(hours=1), now=real_now - timedelta(hours=2))
    with TestClient(create_app(portal.settings.with_(scheduler_seconds=0.0), portal=portal)):
        pass
    assert portal.store.get_article(aid).status is ArticleStatus.REVIEW


def _worker(url: str, secret: str, me: str, now_iso: str, start, results) -> None:
    """A whole portal per process, firing through ``Newsroom.fire`` (the real publish flow)."""
    from newsportal.config import Settings
    from newsportal.portal import Portal
    from newsportal.store import open_store

    portal = Portal(Settings(site_url="http://testserver", index_in_memory=True, secret_key=secret),
                    open_store(url)).start()
    went_live: list[int] = []

    def on_saved(event) -> None:
        before = event.previous.status if event.previous else None
        if event.article.status is ArticleStatus.PUBLISHED and before is not ArticleStatus.PUBLISHED:
            went_live.append(event.article.id)

    portal.signals.article_saved.connect(on_saved)
    try:
        start.wait(180)
        now = datetime.fromisoformat(now_iso)
        while True:
            report = portal.newsroom.scheduler.run_due(now, me)
            if not (report.fired or report.lost or report.failed):
                break
        results.put((me, went_live))
    finally:
        portal.close()


def test_two_server_processes_publish_each_article_once(portal):
    editor = people(portal)[Role.EDITOR]
    nr = portal.newsroom
    ids = []
    for i in range(6):
        aid = nr.create(editor, sample_draft(title=f"定时稿件第{i + 1}篇"), now=T0).article.id
        nr.schedule(editor, aid, T0 + timedelta(minutes=10 + i), now=T0)
        ids.append(aid)
    url = portal.store.engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    now = (T0 + timedelta(hours=1)).isoformat()
    secret = portal.settings.secret_key
    procs = [ctx.Process(target=_worker, args=(url, secret, f"proc-{n}", now, start, results))
             for n in (1, 2)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    live = sorted(aid for _, got in outcomes for aid in got)
    assert live == sorted(ids)  # "published" fired once per article, across both processes
    entries = nr.audit.log.query(AuditFilter(action="article.publish_scheduled"), limit=50)
    assert sorted(int(e.target_id) for e in entries) == sorted(ids)
    assert all(portal.store.get_article(aid).status is ArticleStatus.PUBLISHED for aid in ids)
