"""Two ``newsportal serve`` processes with ``NEWSPORTAL_JOBS=procrastinate`` on one PostgreSQL store.

Each runs the procrastinate worker inside itself. Every due source is fetched from the partner exactly once
per interval (the interval is ended by the test moving the sources' next poll time, not by waiting an hour),
a failing source leaves the others polled, and a scheduled article is published exactly once. Bounded waits
on observable state only: the partner's request log, the article's status, the engine's periodic ticks.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from newsportal.ingest.admin import SourceAdmin
from newsportal.jobs.backends.procrastinate import DEFER_DUE_POLLS, RUN_SCHEDULED
from newsportal.store.ingest_sources import IngestSources
from newsportal.timeutil import utcnow
from tests.conftest import TEST_SECRET, need_postgres, private_pg_schema
from tests.ingest.partner_server import PartnerServer, Route
from tests.ingest.service_kit import ATOM, Entry, atom
from tests.server_procs import call, free_port, start_server, stop_server, wait_for
from tests.web.api.helpers import GOOD

pytestmark = pytest.mark.postgres
NEWSPORTAL = str(Path(sys.executable).with_name("newsportal"))
BOUND = 90.0  # seconds; two whole servers share a loaded two-core machine


@pytest.fixture
def shared(tmp_path):
    """A private schema, migrated, with the channel tree and an API token; the servers' environment."""
    need_postgres()
    from newsportal.demo.load import install_catalog
    from newsportal.store import open_store

    with private_pg_schema() as schema:
        store = open_store(schema.url)
        store.upgrade()
        install_catalog(store)
        _, token = store.create_token("jobs-test")
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSPORTAL_")}
        env.update({"NEWSPORTAL_DATABASE_URL": schema.url, "NEWSPORTAL_SECRET_KEY": TEST_SECRET,
                    "NEWSPORTAL_JOBS": "procrastinate", "NEWSPORTAL_INGEST_POLL_SECONDS": "1",
                    "NEWSPORTAL_SCHEDULER_SECONDS": "1"})
        yield env, token, store
        store.close()


def _entries(n: int) -> list[Entry]:
    now = utcnow()
    return [Entry(guid=f"qs-{n}-{k}", title=f"青石县第{n}片区第{k}座口袋公园开放",
                  paragraphs=(f"青石县第{n}片区的第{k}座口袋公园今天开放，园内设有健身步道和儿童活动区。",
                              "县园林部门表示，公园由闲置地块改造而成。"),
                  published=now - timedelta(hours=k + 1), updated=now - timedelta(hours=k + 1))
            for k in range(2)]


def _scalar(store, sql: str, **params):
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _ticks_pass(store, task: str, n: int) -> None:
    tick = "SELECT coalesce(max(defer_timestamp), 0) FROM procrastinate_periodic_defers WHERE task_name = :t"
    busy = "SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t AND status IN ('todo', 'doing')"
    start = _scalar(store, tick, t=task)
    took = wait_for(lambda: _scalar(store, tick, t=task) >= start + n and _scalar(store, busy, t=task) == 0,
                    BOUND)
    assert took is not None, f"{n} more ticks of {task} did not pass within {BOUND:.0f} s"


def test_two_servers_poll_each_source_once_per_interval_and_publish_a_scheduled_article_once(
        shared, tmp_path):
    env, token, store = shared
    partner = PartnerServer().start()
    servers = []
    try:
        admin = SourceAdmin(IngestSources(store.engine))
        for n in range(5):
            url = partner.add(f"/feed-{n}.xml", Route(atom(_entries(n)), headers=ATOM, delay=0.05))
            admin.add_feed(f"qingshi-{n}", url, interval=3600, trusted=True)
        admin.add_feed("qingshi-down", partner.add("/down.xml", Route(b"", status=503)), interval=3600,
                       trusted=True)
        for name in ("host-a", "host-b"):
            port = free_port()
            cmd = [NEWSPORTAL, "serve", "--no-demo", "--port", str(port), "--data-dir", str(tmp_path / name)]
            servers.append((start_server(cmd, env, port, timeout=180), port))
        workers = _scalar(store, "SELECT count(*) FROM procrastinate_workers")
        assert workers == 2, "each server runs one procrastinate worker"

        feeds = [f"/feed-{n}.xml" for n in range(5)] + ["/down.xml"]
        first = wait_for(lambda: set(Counter(p for p, _ in partner.requests)) == set(feeds), BOUND)
        assert first is not None, f"not every source was polled within {BOUND:.0f} s: {partner.requests}"
        _ticks_pass(store, DEFER_DUE_POLLS, 3)
        assert Counter(p for p, _ in partner.requests) == dict.fromkeys(feeds, 1)
        assert _scalar(store, "SELECT count(*) FROM articles WHERE status = 'published'") == 10

        # The next interval: the sources are due again.
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE ingest_sources SET next_poll_at = :t"), {"t": utcnow()})
        again = wait_for(lambda: min(Counter(p for p, _ in partner.requests).values()) >= 2, BOUND)
        assert again is not None, "the second interval's polls did not all happen"
        _ticks_pass(store, DEFER_DUE_POLLS, 3)
        assert Counter(p for p, _ in partner.requests) == dict.fromkeys(feeds, 2)

        # A scheduled article, through the API of one server; either worker may fire it, once.
        port_a, port_b = servers[0][1], servers[1][1]
        bearer = {"authorization": f"Bearer {token}"}
        status, art = call(port_a, "/api/v1/articles", GOOD, headers=bearer)
        assert status == 201 and art["status"] == "draft", art
        assert call(port_a, f"/api/v1/articles/{art['id']}/submit", {}, headers=bearer)[0] == 200
        at = (utcnow() + timedelta(seconds=2)).isoformat() + "Z"
        status, body = call(port_a, f"/api/v1/articles/{art['id']}/schedule", {"at": at}, headers=bearer)
        assert status == 200, body
        live = wait_for(lambda: call(port_b, f"/article/{art['id']}")[0] == 200, BOUND)
        assert live is not None, "the scheduled article was not published (or not seen by the other server)"
        _ticks_pass(store, RUN_SCHEDULED, 3)
        fired = _scalar(store, "SELECT count(*) FROM audit_log WHERE action = 'article.publish_scheduled' "
                               "AND target_id = :id", id=str(art["id"]))
        assert fired == 1
        assert _scalar(store, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'") == 0
        print(f"\nfirst polls done {first:.1f} s after both servers were up (the first server starts them); "
              f"the next interval's polls, both servers running, "
              f"done {again:.1f} s after the sources fell due; the scheduled article live on the other "
              f"server {live:.1f} s after it was scheduled 2 s ahead")
    finally:
        for proc, _ in servers:
            stop_server(proc)
        partner.stop()
    assert _scalar(store, "SELECT count(*) FROM procrastinate_workers") == 0  # both left cleanly
