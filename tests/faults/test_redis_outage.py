"""Redis goes away while the site is serving, then comes back empty: no 500s, then everything recovers.

A private ``redis-server`` on a port of its own (never the shared one), without persistence, so a restart
loses every key, as a crashed cache would. During the outage reader pages keep their last 热点推荐, the
beacon says plainly that an event was not counted (never a 500, never a silent "counted"), counts are read
from the store; once Redis is back, events count again and the hot lists are rebuilt from the stored events.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from newsportal.config import Settings
from newsportal.newsroom import save_article
from tests.conftest import BROWSER_UA, REQUIRE_SERVICES, TEST_SECRET, make_store, sample_draft
from tests.server_procs import app_in_thread, call, free_port, wait_for

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class PrivateRedis:
    def __init__(self, port: int, workdir: Path):
        self.port, self.workdir, self.proc = port, workdir, None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        assert wait_for(lambda: _pings(client), 30) is not None, "private redis-server did not start"
        client.close()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=30)
            self.proc = None


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


@pytest.fixture
def site(tmp_path, tmp_path_factory):
    if not Path(REDIS_SERVER).exists():
        message = "redis-server is not installed (Debian package 'redis-server')"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    from newsportal.demo.load import install_catalog
    from newsportal.portal import Portal
    from newsportal.web.app import create_app

    redis_port, app_port = free_port(), free_port()
    cache = PrivateRedis(redis_port, tmp_path)
    cache.start()
    store, dispose = make_store("sqlite", tmp_path_factory)
    install_catalog(store)
    settings = Settings(site_url=f"http://127.0.0.1:{app_port}", data_dir=tmp_path / "data",
                        index_in_memory=True, secret_key=TEST_SECRET,
                        redis_url=f"redis://127.0.0.1:{redis_port}/0", scheduler_seconds=0,
                        ingest_embedded=False, page_cache_seconds=0.2, fragment_cache_seconds=0.2,
                        hot_min_origins=1, event_limit_ip="100000/minute", event_limit_reader="100000/minute")
    portal = Portal(settings, store).start()
    articles = [save_article(portal, sample_draft(title=t, external_id=f"r-{i}"), actor="t",
                             publish_now=True)[0]
                for i, t in enumerate(["海河新区开通智慧公交线路", "滨海图书馆延长开放时间",
                                       "江城地铁新线试运营"])]
    try:
        with app_in_thread(create_app(portal=portal), app_port):
            yield {"port": app_port, "articles": articles, "cache": cache, "portal": portal}
    finally:
        cache.stop()
        portal.close()
        dispose()


def beacon(port: int, article_id: int, n: int) -> tuple[int, dict]:
    return call(port, "/api/v1/events", {"article_id": article_id, "kind": "view"}, ua=f"{BROWSER_UA} R/{n}")


def hot_ids(port: int) -> list[int]:
    status, body = call(port, "/api/v1/hot?limit=10")
    assert status == 200, body
    return [item["id"] for item in body]


def test_pages_and_beacon_survive_a_redis_outage_and_recover(site):
    port, (a, b, c) = site["port"], site["articles"]
    for n in range(6):
        status, body = beacon(port, a.id, n)
        assert status == 200 and body["counted"], body
    assert wait_for(lambda: hot_ids(port)[:1] == [a.id], 30) is not None
    pages = ["/", f"/article/{b.id}", f"/care/article/{b.id}", "/channel/domestic",
             f"/api/v1/articles/{a.id}"]
    for path in pages:
        assert call(port, path)[0] == 200, path

    site["cache"].stop()  # Redis is gone
    statuses: dict[str, set[int]] = {}
    for n in range(30):  # long enough for the shared fragments to be rebuilt several times meanwhile
        for path in pages:
            statuses.setdefault(path, set()).add(call(port, path)[0])
        status, body = beacon(port, c.id, 100 + n)
        statuses.setdefault("beacon", set()).add(status)
        assert not body.get("counted"), body  # never a "counted" that Redis did not take
    assert all(s == {200} for p, s in statuses.items() if p != "beacon"), statuses
    assert statuses["beacon"] <= {200, 503}, statuses
    assert hot_ids(port)[:1] == [a.id]  # the last known hot list, not an empty or reordered one
    assert call(port, f"/api/v1/articles/{a.id}")[1]["views"] >= 6  # counts from the store

    site["cache"].start()  # back, and empty
    assert wait_for(lambda: beacon(port, c.id, 999)[1].get("counted"), 30) is not None
    # the hot lists are rebuilt from the stored events (article a's six views), not started from zero
    assert wait_for(lambda: hot_ids(port)[:1] == [a.id], 60) is not None
    for path in pages:
        assert call(port, path)[0] == 200, path
