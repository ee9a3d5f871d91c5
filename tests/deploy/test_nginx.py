"""Debian's nginx with the configuration `newsportal deploy nginx` writes, in front of a real app server.

Shown here: static files and images come from nginx itself; a reader page is cached (MISS, then HIT) and
answers 304 to its ETag; an edit is visible through nginx on the very next request, the home page follows
once the background refresh is done, and a withdrawn article is gone (404) at once; the refresh header from
an untrusted address is ignored; the API and the newsroom are never cached. nginx runs as a private
instance on its own port (never the system's).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from newsportal.config import Settings
from newsportal.deploy.nginx import NginxSite, prepare_prefix, render
from newsportal.newsroom import save_article
from tests.conftest import REQUIRE_SERVICES, TEST_SECRET, make_store, sample_draft
from tests.server_procs import app_in_thread, call, free_port, wait_for
from tests.web.api.helpers import GOOD

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STATIC = Path(__file__).resolve().parents[2] / "newsportal" / "web" / "static"


def need_nginx() -> None:
    if not Path(NGINX).exists():
        message = "nginx is not installed (Debian package 'nginx'; ./dev test installs it)"
        if REQUIRE_SERVICES:
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)


def raw_get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read().decode(errors="replace")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_nginx()
    from newsportal.demo.load import install_catalog
    from newsportal.portal import Portal
    from newsportal.web.app import create_app

    tmp = tmp_path_factory.mktemp("front")
    app_port, front_port = free_port(), free_port()
    store, dispose = make_store("sqlite", tmp_path_factory)
    install_catalog(store)
    settings = Settings(site_url=f"http://127.0.0.1:{front_port}", data_dir=tmp / "data",
                        index_in_memory=True, secret_key=TEST_SECRET, front_url=f"http://127.0.0.1:{front_port}",
                        scheduler_seconds=0, ingest_embedded=False)
    portal = Portal(settings, store).start()
    article = save_article(portal, sample_draft(external_id="front-1"), actor="t", publish_now=True)[0]
    _, token = store.create_token("front-test")
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    (settings.media_dir / "probe.txt").write_text("图片目录", encoding="utf-8")

    conf = NginxSite(listen=f"127.0.0.1:{front_port}", upstreams=(f"127.0.0.1:{app_port}",),
                     static_dir=STATIC, media_dir=settings.media_dir, cache_dir=tmp / "nginx" / "cache",
                     prefix=tmp / "nginx", user="root" if os.geteuid() == 0 else None)
    prepare_prefix(conf)
    conf_file = tmp / "nginx.conf"
    conf_file.write_text(render(conf), encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(conf_file), "-p", str(conf.prefix)], capture_output=True,
                           text=True, timeout=60)
    assert check.returncode == 0, check.stderr

    app = create_app(portal=portal)
    try:
        with app_in_thread(app, app_port):
            cmd = [NGINX, "-c", str(conf_file), "-p", str(conf.prefix), "-g", "daemon off;"]
            nginx = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                up = wait_for(lambda: _answers(front_port), 90)
                dead = nginx.poll() is not None
                why = nginx.stderr.read().decode(errors="replace") if dead else "no answer"
                assert up is not None, why
                yield {"port": front_port, "app_port": app_port, "article": article, "token": token,
                       "app": app, "portal": portal}
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)
    finally:
        portal.close()
        dispose()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
        return call(port, "/api/v1/channels")[0] == 200
    except OSError:
        return False


def drain(site) -> None:
    site["app"].state.front.drain()


def test_static_files_and_images_come_from_nginx(site):
    status, headers, body = raw_get(site["port"], "/static/site.css")
    assert status == 200 and "immutable" in headers["cache-control"] and "x-cache-status" not in headers
    assert "server" in headers and "uvicorn" not in headers["server"]
    status, _, body = raw_get(site["port"], "/media/probe.txt")
    assert status == 200 and body == "图片目录"


def test_a_reader_page_is_cached_and_answers_304_to_its_etag(site):
    path = f"/a/{site['article'].slug}.html"
    first = raw_get(site["port"], path)
    second = raw_get(site["port"], path)
    assert first[0] == second[0] == 200
    assert second[1]["x-cache-status"] == "HIT", (first[1].get("x-cache-status"), second[1])
    assert "surrogate-key" in second[1] and f"article-{site['article'].slug}" in second[1]["surrogate-key"]
    etag = second[1]["etag"]
    status, _, body = raw_get(site["port"], path, {"If-None-Match": etag})
    assert status == 304 and body == ""
    # the app answers 304 itself too (a CDN revalidating, or no nginx at all)
    assert raw_get(site["app_port"], path, {"If-None-Match": etag})[0] == 304


def test_an_edit_shows_on_the_next_request_and_a_withdrawal_is_gone_at_once(site):
    port, token = site["port"], site["token"]
    bearer = {"authorization": f"Bearer {token}"}
    status, art = call(port, "/api/v1/articles", {**GOOD, "publish": True}, headers=bearer)
    assert status == 201, art
    paths = [f"/article/{art['id']}", f"/a/{art['slug']}.html", f"/care/article/{art['id']}"]
    for path in paths:
        raw_get(port, path)
        assert raw_get(port, path)[1]["x-cache-status"] == "HIT"
    raw_get(port, "/")
    assert raw_get(port, "/")[1]["x-cache-status"] == "HIT"

    edited = {**GOOD, "title": "江城地铁新线今起延长运营时间"}
    status, body = call(port, f"/api/v1/articles/{art['id']}", edited, headers=bearer, method="PUT")
    assert status == 200, body
    for path in paths:  # the very next request, from the cache, already shows the edit
        status, headers, page = raw_get(port, path)
        assert status == 200 and "延长运营时间" in page, (path, headers.get("x-cache-status"))
    drain(site)  # the listing pages are refreshed in the background
    status, headers, home = raw_get(port, "/")
    assert "延长运营时间" in home and headers["x-cache-status"] == "HIT"

    status, body = call(port, f"/api/v1/articles/{art['id']}/withdraw", {"reason": "稿件需要核实"},
                        headers=bearer)
    assert status == 200, body
    for path in paths:
        assert raw_get(port, path)[0] == 404, path
    drain(site)
    assert "延长运营时间" not in raw_get(port, "/")[2]


def test_the_refresh_header_is_obeyed_only_from_trusted_addresses(tmp_path):
    conf = NginxSite(listen="8080", upstreams=("10.0.0.5:8000",), static_dir=STATIC, media_dir=tmp_path,
                     cache_dir=tmp_path / "c", prefix=tmp_path, trusted=("10.0.0.0/8",))
    text = render(conf)
    assert '"1:1" 1;' in text and "10.0.0.0/8 1;" in text and "proxy_cache_bypass $np_refresh;" in text
    assert "127.0.0.1 1;" not in text  # only the addresses given are trusted


def test_an_untrusted_refresh_header_gets_the_cached_copy(site):
    path = f"/article/{site['article'].id}"
    raw_get(site["port"], path)
    # the test client is 127.0.0.1, which the site fixture trusts: a refresh is obeyed (never a HIT) ...
    assert raw_get(site["port"], path, {"X-NP-Refresh": "1"})[1]["x-cache-status"] == "BYPASS"
    # ... while any other value of the header is no refresh
    assert raw_get(site["port"], path, {"X-NP-Refresh": "yes"})[1]["x-cache-status"] == "HIT"


def test_the_api_and_the_newsroom_are_never_cached(site):
    for path in ("/api/v1/channels", "/newsroom/login", "/search?q=" + quote("公交")):
        raw_get(site["port"], path)
        status, headers, _ = raw_get(site["port"], path)
        assert status == 200 and "x-cache-status" not in headers, path


def test_the_command_writes_a_config_nginx_accepts(tmp_path):
    need_nginx()
    from typer.testing import CliRunner

    from newsportal.cli import app

    out = tmp_path / "nginx.conf"
    result = CliRunner().invoke(app, ["deploy", "nginx", "--listen", "127.0.0.1:18099", "--data-dir",
                                      str(tmp_path / "data"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    check = subprocess.run([NGINX, "-t", "-c", str(out), "-p", str(tmp_path / "data" / "nginx")],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    two = CliRunner().invoke(app, ["deploy", "nginx", "--upstream", "10.0.0.5:8000", "--upstream",
                                   "10.0.0.6:8000", "--data-dir", str(tmp_path / "data")])
    assert two.exit_code == 0
    assert "server 10.0.0.5:8000" in two.output and "server 10.0.0.6:8000" in two.output
