"""PostgreSQL restarted while the site serves reader pages and takes view events: no 500 on a reader page,
no acknowledged event lost.

A private PostgreSQL cluster (initdb into a temporary directory, its own port; the shared server is never
touched) holds the store; the counters are on the shared Redis under a private prefix, as in production.
Reader pages are requested and events sent before, during and after a restart of the database (stop, a few
seconds down, start). Pages are served from the page cache (stale while a rebuild fails); acknowledged
events wait in the counters and reach the store once it is back.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from newsportal.config import Settings
from newsportal.newsroom import save_article
from tests.conftest import BROWSER_UA, REDIS_URL, REQUIRE_SERVICES, TEST_SECRET, need_redis, sample_draft
from tests.server_procs import app_in_thread, call, free_port, wait_for

PG_BIN = Path("/usr/lib/postgresql/15/bin")
if not PG_BIN.exists():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin")) if Path("/usr/lib/postgresql").exists() else []
    PG_BIN = found[-1] if found else PG_BIN


class PrivatePostgres:
    """initdb + pg_ctl, as the ``postgres`` system user when the tests run as root (PostgreSQL refuses it)."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.data, self.sock, self.log = root / "pgdata", root / "sock", root / "pg.log"

    def _run(self, *args: str, timeout: float = 120) -> None:
        cmd = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{args[0]} failed: {done.stderr[-2000:]} {self._log_tail()}"

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-1500:]
        except OSError:
            return ""

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.sock.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-m", "fast", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def site(tmp_path):
    if not (PG_BIN / "initdb").exists():
        message = f"PostgreSQL server binaries are not installed ({PG_BIN})"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    need_redis()
    from newsportal.demo.load import install_catalog
    from newsportal.portal import Portal
    from newsportal.store import open_store
    from newsportal.web.app import create_app

    root = Path("/tmp") / f"np-pg-{uuid.uuid4().hex[:10]}"  # short: the socket path has a length limit
    pg = PrivatePostgres(root, free_port())
    pg.init()
    pg.start()
    prefix = f"nptest:{uuid.uuid4().hex[:10]}:"
    app_port = free_port()
    store = open_store(pg.url)
    portal = None
    try:
        store.upgrade()
        install_catalog(store)
        settings = Settings(site_url=f"http://127.0.0.1:{app_port}", data_dir=tmp_path / "data",
                            index_in_memory=True, secret_key=TEST_SECRET, redis_url=REDIS_URL,
                            redis_prefix=prefix, scheduler_seconds=0, ingest_embedded=False,
                            page_cache_seconds=0.2, fragment_cache_seconds=0.5, hot_min_origins=1,
                            event_limit_ip="100000/minute", event_limit_reader="100000/minute")
        portal = Portal(settings, store).start()
        articles = [save_article(portal, sample_draft(title=t, external_id=f"pg-{i}"), actor="t",
                                 publish_now=True)[0]
                    for i, t in enumerate(["海河新区开通智慧公交线路", "滨海图书馆延长开放时间"])]
        with app_in_thread(create_app(portal=portal), app_port):
            yield {"port": app_port, "articles": articles, "pg": pg, "portal": portal, "store": store}
    finally:
        if portal is not None:
            try:
                portal.counters.drop_all()
            finally:
                portal.close()
        else:
            store.close()
        try:
            pg.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


def test_reader_pages_and_acknowledged_events_survive_a_database_restart(site):
    port, (a, b) = site["port"], site["articles"]
    pages = ["/", f"/article/{a.id}", f"/a/{b.slug}.html", f"/care/article/{a.id}", "/channel/domestic"]
    for path in pages:
        assert call(port, path)[0] == 200, path
    acked = 0

    def send(n: int) -> None:
        nonlocal acked
        status, body = call(port, "/api/v1/events", {"article_id": a.id, "kind": "view"},
                            ua=f"{BROWSER_UA} Reader/{n}")
        assert status in (200, 503), (status, body)
        acked += bool(body.get("counted"))

    for n in range(10):
        send(n)
    site["pg"].stop()
    statuses: dict[str, set[int]] = {}
    started = time.monotonic()
    n = 10
    while time.monotonic() - started < 5:  # the database is down for about five seconds of traffic
        for path in pages:
            statuses.setdefault(path, set()).add(call(port, path)[0])
        send(n)
        n += 1
    site["pg"].start()
    for _ in range(10):
        send(n)
        n += 1
    assert all(s == {200} for s in statuses.values()), statuses
    assert acked >= 20
    # every acknowledged event reaches the store once it is back (the flush loop retries)
    store = site["store"]
    landed = wait_for(lambda: _views(store, a.id) >= acked, 60)
    assert landed is not None, f"{_views(store, a.id)} views stored, {acked} acknowledged"


def _views(store, article_id: int) -> int:
    try:
        return store.stats(article_id).views
    except Exception:  # the pool may still be reconnecting
        return -1
