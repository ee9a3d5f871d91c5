"""The embedded engine (the SQLite set-up, and any store): both loops on threads of this process.

Its first passes happen at start: a due source is polled and a publication missed while the server was
down goes out, then ``stop`` ends both threads. The loops themselves are tested in
``tests/ingest/test_service.py`` and ``tests/newsroom/test_scheduler.py``.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from newsportal.domain import ArticleStatus
from newsportal.ingest.service import IngestService
from newsportal.ingest.writer import PortalArticleWriter
from newsportal.jobs import Work, open_jobs
from newsportal.jobs.backends.embedded import EmbeddedJobs
from newsportal.newsroom.roles import Role
from newsportal.store.ingest_sources import IngestSources
from newsportal.timeutil import utcnow
from tests.conftest import sample_draft
from tests.ingest.partner_server import Route
from tests.ingest.service_kit import ATOM, Entry, atom
from tests.newsroom.test_desk import people


def _wait(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_both_loops_take_their_first_pass_at_start_and_stop(portal, partner, fetcher):
    writer = PortalArticleWriter(portal)
    service = IngestService(IngestSources(portal.store.engine), fetcher, writer.save,
                            withdraw_article=writer.withdraw, rng=random.Random(5))
    now = utcnow()
    entry = Entry(guid="bq-1", title="北桥街道老旧小区加装电梯完工",
                  paragraphs=("北桥街道今年第一批十二部加装电梯全部完工，居民上下楼不再爬楼梯。",),
                  published=now - timedelta(hours=1))
    feed = partner.add("/feed.xml", Route(atom([entry]), headers=ATOM))
    service.add_feed("beiqiao-news", feed, trusted=True)
    editor = people(portal)[Role.EDITOR]
    aid = portal.newsroom.create(editor, sample_draft(), now=now - timedelta(hours=3)).article.id
    portal.newsroom.schedule(editor, aid, now - timedelta(minutes=1), now=now - timedelta(hours=2))

    work = Work(ingest=service, scheduler=portal.newsroom.scheduler, poll_seconds=3600,
                scheduler_seconds=3600)
    runner = open_jobs(portal.settings, work)
    assert isinstance(runner, EmbeddedJobs) and runner.engine == "embedded"
    runner.prepare()  # nothing to do, and harmless
    runner.start()
    try:
        threads = [runner.poll_loop._thread, runner.scheduler_loop._thread]
        assert all(t is not None and t.is_alive() for t in threads)
        assert _wait(lambda: portal.store.get_article(aid).status is ArticleStatus.PUBLISHED)
        assert _wait(lambda: portal.store.count_articles(ArticleStatus.PUBLISHED) == 2)
    finally:
        runner.stop()
    assert runner.poll_loop is None and runner.scheduler_loop is None
    assert not any(t.is_alive() for t in threads)
    runner.stop()  # a second stop is harmless


def test_work_left_to_other_processes_starts_no_thread(portal):
    runner = open_jobs(portal.settings, Work(ingest=None, scheduler=None)).start()
    assert isinstance(runner, EmbeddedJobs)
    assert runner.poll_loop is None and runner.scheduler_loop is None
    runner.stop()
