"""Browser tests: a real uvicorn server with the demo loaded, driven by Playwright and Debian's chromium.

The server runs in a background thread on a free 127.0.0.1 port with a SQLite store in a temporary
directory; one browser serves the whole package. Without chromium (or the Playwright package) the tests
skip with the reason, except in CI (``CI=true``) or with ``NEWSPORTAL_REQUIRE_SERVICES=1``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.browser.pages import SCREENSHOTS, Page
from tests.conftest import BROWSER_UA, REQUIRE_SERVICES, make_store

CHROMIUM = os.environ.get("NEWSPORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
_state: dict[str, str | None] = {}


def chromium_problem() -> str | None:
    """None when Playwright and a chromium binary are available, else why not (checked once)."""
    if "problem" not in _state:
        problem = None
        try:
            import axe_playwright_python  # noqa: F401
            import playwright  # noqa: F401
        except ImportError as exc:
            problem = f"the browser-test packages are not installed ({exc}); run ./dev test"
        else:
            path = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
            if path is None:
                problem = (
                    f"chromium is not installed at {CHROMIUM} "
                    "(Debian package 'chromium'; ./dev test installs it)"
                )
        _state["problem"] = problem
    return _state["problem"]


def need_chromium() -> None:
    problem = chromium_problem()
    if problem:
        if REQUIRE_SERVICES:
            pytest.fail(problem + " (required in CI)")
        pytest.skip(problem)


class LiveServer:
    def __init__(self, base_url: str, portal, article_slug: str):
        self.base_url = base_url
        self.portal = portal
        self.article_slug = article_slug

    def url(self, path: str) -> str:
        return self.base_url + path

    def path(self, page: Page, care: bool = False) -> str:
        return page.path_for(self.article_slug, care)


@pytest.fixture(scope="package")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    import uvicorn

    from newsportal.config import Settings
    from newsportal.demo.images import demo_storage
    from newsportal.demo.load import install_catalog, load_demo
    from newsportal.portal import Portal
    from newsportal.web.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    store, dispose = make_store("sqlite", tmp_path_factory)
    install_catalog(store)
    data_dir = tmp_path_factory.mktemp("data")
    # canonical and share URLs on this server; drawn images under a temporary data directory
    portal = Portal(Settings(site_url=base_url, data_dir=data_dir), store).start()
    load_demo(portal, images=demo_storage(portal))
    article = portal.store.get_article_by_external_id("demo-news-001")
    app = create_app(portal=portal)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(base_url, portal, article.slug)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        portal.counters.flush()
        dispose()


@pytest.fixture(scope="package")
def browser():
    need_chromium()
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_context(browser, *, viewport=DESKTOP, javascript=True, **kw):
    # The test tooling (axe injected as a script, string predicates) needs what the site's CSP forbids;
    # test_csp.py opens every page with the policy enforced to prove the site itself needs none of it.
    kw.setdefault("bypass_csp", True)
    return browser.new_context(
        viewport=viewport,
        locale="zh-CN",
        user_agent=BROWSER_UA,
        java_script_enabled=javascript,
        reduced_motion="reduce",
        **kw,
    )


@pytest.fixture
def context(browser, live_server):
    ctx = new_context(browser, base_url=live_server.base_url)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    p.set_default_timeout(10_000)
    return p
