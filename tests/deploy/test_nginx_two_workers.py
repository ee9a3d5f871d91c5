"""Two app workers behind Debian's nginx: a change seen by one worker is what nginx serves next, even when
nginx asks the other worker for the fresh copy.

Worker A takes the writes (an edit, a 跟贴 approval) and refreshes nginx's copies; nginx forwards only to
worker B here, so each refresh lands on a worker that did not see the write and still holds the old page in
its own cache. B must rebuild the page for nginx's refresh instead of handing back its old copy (which
nginx would keep for a minute). Both workers share one SQLite store, as workers of one host do.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace

import pytest

from newsportal.config import Settings
from newsportal.deploy.nginx import NginxSite, prepare_prefix, render
from newsportal.newsroom import save_article
from newsportal.timeutil import utcnow
from newsportal.web.context import PageKey, web_context
from tests.comments.conftest import CHEAP, ROOMY
from tests.conftest import TEST_SECRET, make_store, sample_draft
from tests.deploy.test_nginx import NGINX, STATIC, _answers, need_nginx, raw_get
from tests.server_procs import app_in_thread, free_port, wait_for


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    need_nginx()
    from newsportal.comments.component import Comments
    from newsportal.comments.ratelimit import PostLimiter
    from newsportal.demo.load import install_catalog
    from newsportal.portal import Portal
    from newsportal.web.app import create_app

    # the workers take in each other's writes only when the test says (``_take_in``), not every few seconds
    # on their own, so that when nginx asks B for a fresh copy, B is known not to have seen the write yet
    patch = pytest.MonkeyPatch()
    patch.setattr("newsportal.web.app.REFRESH_EVERY", 10**9)
    tmp = tmp_path_factory.mktemp("two-workers")
    port_a, port_b, front = free_port(), free_port(), free_port()
    store, dispose = make_store("sqlite", tmp_path_factory)
    install_catalog(store)
    portals, apps = [], []
    for name in ("a", "b"):
        settings = Settings(site_url=f"http://127.0.0.1:{front}", data_dir=tmp / name, index_in_memory=True,
                            secret_key=TEST_SECRET, front_url=f"http://127.0.0.1:{front}",
                            scheduler_seconds=0, ingest_embedded=False, embed_in_background=False)
        portal = Portal(settings, store).start()
        portal.comments = Comments(store.engine, limiter=PostLimiter(ROOMY), hasher=CHEAP, secret=b"s" * 32)
        portals.append(portal)
        apps.append(create_app(portal=portal))
    conf = NginxSite(listen=f"127.0.0.1:{front}", upstreams=(f"127.0.0.1:{port_b}",), static_dir=STATIC,
                     media_dir=tmp / "media", cache_dir=tmp / "nginx" / "cache", prefix=tmp / "nginx",
                     user="root" if os.geteuid() == 0 else None)
    prepare_prefix(conf)
    conf_file = tmp / "nginx.conf"
    conf_file.write_text(render(conf), encoding="utf-8")
    try:
        with app_in_thread(apps[0], port_a), app_in_thread(apps[1], port_b):
            cmd = [NGINX, "-c", str(conf_file), "-p", str(conf.prefix), "-g", "daemon off;"]
            nginx = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                assert wait_for(lambda: _answers(front), 90) is not None, "nginx did not answer"
                yield {"port": front, "a": portals[0], "b": portals[1], "app_a": apps[0], "app_b": apps[1],
                       "port_b": port_b}
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)
    finally:
        for portal in portals:
            portal.close()
        dispose()
        patch.undo()


def _take_in(pair) -> None:
    """Worker B takes in worker A's writes (its sync does this every few seconds) and both compute the
    vectors (a background thread in production); a vector arriving later would purge B's cache itself."""
    pair["a"].embedding.drain()
    pair["b"].refresh()
    pair["b"].embedding.drain()


def _warm(pair, path: str, expect: str) -> None:
    """nginx and worker B both hold a copy of ``path`` showing ``expect`` (B's from a direct request: the
    copy nginx holds may have been fetched before B took the article in)."""
    assert raw_get(pair["port_b"], path)[0] == 200
    raw_get(pair["port"], path)
    status, headers, page = raw_get(pair["port"], path)
    assert status == 200 and headers["x-cache-status"] == "HIT" and expect in page, path


def test_an_edit_on_one_worker_is_what_nginx_serves_next_from_the_other(pair):
    a = pair["a"]
    article = save_article(a, sample_draft(external_id="pair-edit", title="江城轮渡恢复夜间班次"), actor="t",
                           publish_now=True)[0]
    _take_in(pair)
    path = f"/a/{article.slug}.html"
    _warm(pair, path, "恢复夜间班次")
    save_article(a, replace(sample_draft(external_id="pair-edit"), title="江城轮渡夜间班次延长到零点"),
                 actor="t", publish_now=True)
    key = PageKey(False, "article", ("slug", article.slug))
    assert key in web_context(pair["app_b"]).pages  # B still holds the old copy when nginx asks it
    status, headers, page = raw_get(pair["port"], path)
    assert status == 200 and "延长到零点" in page, headers.get("x-cache-status")


def test_a_comment_approved_on_one_worker_shows_its_count_on_the_next_request(pair):
    a = pair["a"]
    article = save_article(a, sample_draft(external_id="pair-comments", title="江城公交新增两条社区线"),
                           actor="t", publish_now=True)[0]
    _take_in(pair)
    path = f"/article/{article.id}"
    _warm(pair, path, "查看全部跟贴（0 条）")
    assert PageKey(False, "article", ("id", article.id)) in web_context(pair["app_b"]).pages
    now = utcnow()
    a.comments.readers.sign_up("pair-reader@example.cn", "两地读者", "海河晨报2026", now)
    reader = a.comments.readers.approve("pair-reader@example.cn", "cli:test-operator", now)
    comment = a.comments.service.post(reader, article.id, "社区线经过菜市场，老人买菜方便了。", "1.2.3.4",
                                      now)
    a.comments.moderation.approve(comment.id, 101, utcnow())  # worker A refreshes nginx's copies, via B
    status, headers, page = raw_get(pair["port"], path)
    assert status == 200 and "查看全部跟贴（1 条）" in page, headers.get("x-cache-status")
    assert headers["x-cache-status"] == "HIT"
