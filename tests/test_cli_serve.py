"""`newsportal serve` on the production path: several processes on one PostgreSQL + Redis agree.

Two servers with data directories of their own (two hosts, each with its own search index) share the
database and Redis: an article published through one is served by the other within the sync bound, a
withdrawal disappears there too, and a view counted on one shows in the other's count. ``--workers 2`` runs
two worker processes behind one port. More than one worker without Redis is refused at start, naming the
setting.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsportal.cli import app
from tests.conftest import REDIS_URL, TEST_SECRET, need_postgres, need_redis, private_pg_schema
from tests.server_procs import call, free_port, start_server, stop_server, wait_for
from tests.web.api.helpers import GOOD

#: A publish or withdrawal on one server is visible on another within this many seconds: the other
#: server looks for writes from elsewhere every few seconds (``web.app.REFRESH_EVERY`` flush ticks) and its
#: page caches are purged when it takes them in. Generous, for a loaded CI machine.
SYNC_BOUND_SECONDS = 30.0

NEWSPORTAL = str(Path(sys.executable).with_name("newsportal"))


@pytest.fixture
def shared(tmp_path):
    """A private PostgreSQL schema and Redis prefix, migrated, with the channel tree and an API token."""
    need_postgres()
    need_redis()
    from newsportal.demo.load import install_catalog
    from newsportal.store import open_store

    prefix = f"nptest:{uuid.uuid4().hex[:10]}:"
    with private_pg_schema() as schema:
        store = open_store(schema.url)
        store.upgrade()
        install_catalog(store)
        _, token = store.create_token("serve-test")
        store.close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSPORTAL_")}
        env.update({"NEWSPORTAL_DATABASE_URL": schema.url, "NEWSPORTAL_REDIS_URL": REDIS_URL,
                    "NEWSPORTAL_REDIS_PREFIX": prefix, "NEWSPORTAL_SECRET_KEY": TEST_SECRET,
                    "NEWSPORTAL_INGEST_EMBEDDED": "false"})
        try:
            yield env, token, tmp_path
        finally:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=prefix + "*", count=1000))
            if keys:
                client.delete(*keys)
            client.close()


def serve(env: dict[str, str], data_dir: Path, workers: int = 1):
    port = free_port()
    cmd = [NEWSPORTAL, "serve", "--no-demo", "--port", str(port), "--workers", str(workers),
           "--data-dir", str(data_dir)]
    return start_server(cmd, env, port), port


def test_two_servers_on_one_store_agree_on_publish_withdraw_and_counts(shared):
    env, token, tmp = shared
    a, port_a = serve(env, tmp / "host-a")
    b = None
    try:
        b, port_b = serve(env, tmp / "host-b")
        bearer = {"authorization": f"Bearer {token}"}
        status, art = call(port_a, "/api/v1/articles", {**GOOD, "publish": True}, headers=bearer)
        assert status == 201 and art["status"] == "published", art
        path = f"/article/{art['id']}"
        assert call(port_a, path)[0] == 200

        seen = wait_for(lambda: call(port_b, path)[0] == 200, SYNC_BOUND_SECONDS)
        assert seen is not None, f"server B did not serve the article within {SYNC_BOUND_SECONDS} s"
        status, page = call(port_b, path)
        assert GOOD["title"] in page

        status, counted = call(port_b, "/api/v1/events", {"article_id": art["id"], "kind": "view"})
        assert status == 200 and counted["counted"], counted
        views = wait_for(lambda: call(port_a, f"/api/v1/articles/{art['id']}")[1]["views"] >= 1,
                         SYNC_BOUND_SECONDS)
        assert views is not None, "a view counted on B never showed in A's count"

        status, gone = call(port_a, f"/api/v1/articles/{art['id']}/withdraw",
                            {"reason": "测试撤稿：内容需要核实"}, headers=bearer)
        assert status == 200 and gone["status"] == "withdrawn", gone
        assert call(port_a, path)[0] == 404
        vanished = wait_for(lambda: call(port_b, path)[0] == 404, SYNC_BOUND_SECONDS)
        assert vanished is not None, f"server B still served a withdrawn article after {SYNC_BOUND_SECONDS} s"
        print(f"\npublish visible on the other server after {seen:.1f} s, withdrawal after {vanished:.1f} s")
    finally:
        stop_server(a)
        if b is not None:
            stop_server(b)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="counts worker processes through /proc")
def test_workers_option_serves_from_several_processes(shared):
    env, token, tmp = shared
    server, port = serve(env, tmp / "host", workers=2)
    try:
        workers = wait_for(lambda: sum("spawn_main" in _cmdline(c) for c in _children(server.pid)) >= 2, 60)
        assert workers is not None, [_cmdline(c) for c in _children(server.pid)]
        statuses = {call(port, "/")[0] for _ in range(20)}
        assert statuses == {200}
        assert call(port, "/api/v1/articles", {**GOOD, "publish": True},
                    headers={"authorization": f"Bearer {token}"})[0] == 201
    finally:
        stop_server(server)
    assert server.returncode == 0  # a clean shutdown of the supervisor and both workers


def test_more_than_one_worker_needs_redis(tmp_path):
    env = {k: "" for k in os.environ if k.startswith("NEWSPORTAL_")}
    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--data-dir", str(tmp_path)], env=env)
    assert result.exit_code == 2
    assert "NEWSPORTAL_WORKERS" in result.output and "NEWSPORTAL_REDIS_URL" in result.output
