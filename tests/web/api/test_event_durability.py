"""Acknowledged events survive kill -9: a real server process, killed, restarted; counts never go down."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import BACKENDS, BROWSER_UA, PG_URL, TEST_SECRET, make_portal, need_postgres


def call(port: int, path: str, body: dict | None = None, ua: str = BROWSER_UA) -> tuple[int, dict]:
    """One request without cookies (urllib keeps none): every call is a browser seen for the first time."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                 method="POST" if data else "GET",
                                 headers={"user-agent": ua, "content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "uvicorn", "newsportal.web.app:create_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, cwd=os.getcwd(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if call(port, "/api/v1/channels")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not start in 90 s")


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
    server = start_server(env, port)
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

    server = start_server(env, port)
    try:
        status, body = call(port, "/api/v1/events", {"article_id": aid, "kind": "share"})
        assert status == 200 and body["views"] >= acked  # the served count did not go down
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        store.close()
