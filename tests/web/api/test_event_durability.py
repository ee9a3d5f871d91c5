"""Acknowledged events survive kill -9: a real server process, killed, restarted; counts never go down."""

import os
import signal
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import BACKENDS, BROWSER_UA, PG_URL, TEST_SECRET, make_portal, need_postgres
from tests.server_procs import call, free_port, start_server


def start(env: dict, port: int):
    cmd = [sys.executable, "-m", "uvicorn", "newsportal.web.app:create_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return start_server(cmd, env, port)


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    need_postgres()
    schema = f"np_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_acknowledged_events_survive_kill_9(database, tmp_path):
    from newsportal.newsroom import save_article
    from newsportal.store import open_store
    from tests.conftest import sample_draft

    store = open_store(database)
    store.upgrade()
    portal = make_portal(store, data_dir=tmp_path)
    aid = save_article(portal, sample_draft(), actor="t", publish_now=True)[0].id
    portal.close()

    env = {**os.environ, "NEWSPORTAL_DATABASE_URL": database, "NEWSPORTAL_DATA_DIR": str(tmp_path),
           "NEWSPORTAL_SECRET_KEY": TEST_SECRET, "NEWSPORTAL_EVENT_LIMIT_IP": "100000/minute",
           "NEWSPORTAL_EVENT_LIMIT_READER": "100000/minute", "NEWSPORTAL_REDIS_URL": ""}
    env.pop("NEWSPORTAL_CONFIG", None)
    port = free_port()
    server = start(env, port)
    acked = 0
    try:
        for i in range(40):  # forty browsers (agents), each a reader of its own
            status, body = call(port, "/api/v1/events", {"article_id": aid, "kind": "view"},
                                ua=f"{BROWSER_UA} Reader/{i}")
            assert status == 200, body
            acked += body["counted"]
    finally:
        server.send_signal(signal.SIGKILL)  # no shutdown hook, no final flush
        server.wait(timeout=30)
    assert acked == 40
    assert store.stats(aid).views >= acked  # durable before each reply

    server = start(env, port)
    try:
        status, body = call(port, "/api/v1/events", {"article_id": aid, "kind": "share"})
        assert status == 200 and body["views"] >= acked  # the served count did not go down
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        store.close()
