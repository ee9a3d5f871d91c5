"""Debian's nginx with the configuration `newsportal deploy nginx` writes, in front of a real app server.

Shown here: static files and images come from nginx itself; a reader page is cached (MISS, then HIT) and
answers 304 to its ETag; an edit is visible through nginx on the very next request, the home page follows
once the background refresh is done, and a withdrawn article is gone (404) at once; the refresh header from
an untrusted address is ignored; the API and the newsroom are never cached; a comment approved by a
moderator shows in the article's 跟贴 count on the next request, served from nginx's cache. nginx runs as a
private instance on its own port (never the system's).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from newsportal.comments.component import Comments
from newsportal.comments.ratelimit import PostLimiter
from newsportal.config import Settings
from newsportal.deploy.nginx import NginxSite, prepare_prefix, render
from newsportal.newsroom import save_article
from newsportal.newsroom.roles import Role
from newsportal.timeutil import utcnow
from newsportal.web.moderation.staff import COOKIE as STAFF_COOKIE
from tests.comments.conftest import CHEAP, ROOMY
from tests.conftest import BROWSER_UA, REQUIRE_SERVICES, TEST_SECRET, make_store, sample_draft
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

    # 跟贴 with cheap password hashing and roomy limits (the real services otherwise)
    portal.comments = Comments(store.engine, limiter=PostLimiter(ROOMY), hasher=CHEAP, secret=b"s" * 32)
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


def _send(port: int, method: str, path: str, body: bytes, headers: dict[str, str]
          ) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request as it is (no redirect followed), so a form's 303 and a login's cookie are seen."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"user-agent": BROWSER_UA, **headers})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def _post_json(port: int, path: str, body: dict, headers: dict[str, str] | None = None
               ) -> tuple[int, http.client.HTTPMessage, dict]:
    status, head, raw = _send(port, "POST", path, json.dumps(body).encode(),
                              {"content-type": "application/json", **(headers or {})})
    return status, head, json.loads(raw or b"{}")


def test_an_approved_comment_shows_in_the_count_on_the_next_request(site):
    port, portal = site["port"], site["portal"]
    draft = sample_draft(external_id="front-comments", title="海河新区公交线路今日开通")
    article = save_article(portal, draft, actor="t", publish_now=True)[0]
    paths = [f"/article/{article.id}", f"/a/{article.slug}.html", f"/care/article/{article.id}"]
    for path in paths:
        raw_get(port, path)
        status, headers, page = raw_get(port, path)
        assert headers["x-cache-status"] == "HIT" and "查看全部跟贴（0 条）" in page, path

    # a verified reader posts through nginx (held for review: a new reader's comment is not shown yet)
    login, password = "front-reader@example.cn", "海河晨报2026"
    status, _, body = _post_json(port, "/api/v1/readers/signup",
                                 {"login": login, "nickname": "前台读者", "password": password})
    assert status == 201, body
    portal.comments.readers.approve(login, "cli:test-operator", utcnow())  # the operator verifies them
    status, headers, me = _post_json(port, "/api/v1/readers/login", {"login": login, "password": password})
    assert status == 200, me
    jar = SimpleCookie()
    for value in headers.get_all("set-cookie") or []:
        jar.load(value)
    cookies = "; ".join(f"{k}={v.value}" for k, v in jar.items())
    status, _, posted = _post_json(port, f"/api/v1/articles/{article.id}/comments",
                                   {"text": "新线路经过医院，方便多了。"},
                                   {"cookie": cookies, "x-csrf-token": me["csrf"]})
    assert status == 201 and posted["shown"] is False, posted
    assert "查看全部跟贴（0 条）" in raw_get(port, paths[0])[2]

    # a moderator approves it with the moderation form, through nginx too
    user = portal.newsroom.accounts.create_user(None, "front-mod", Role.EDITOR, display_name="审核员",
                                                password="Moderation-Pass-2026!").user
    session = portal.newsroom.sessions.start(user.id)
    status, _, _ = _send(port, "POST", f"/newsroom/moderation/c/{posted['id']}/approve",
                         urlencode({"csrf": session.csrf_token}).encode(),
                         {"content-type": "application/x-www-form-urlencoded",
                          "cookie": f"{STAFF_COOKIE}={session.session_id}"})
    assert status == 303, status
    for path in paths:  # the very next request, from nginx's cache, carries the new count
        status, headers, page = raw_get(port, path)
        assert status == 200 and "查看全部跟贴（1 条）" in page, (path, headers.get("x-cache-status"))
        assert headers["x-cache-status"] == "HIT", path


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
