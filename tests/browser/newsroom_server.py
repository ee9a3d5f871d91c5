"""A live newsroom server for the browser tests: uvicorn on a free port, a fresh SQLite store, one account
per role (tests/web/newsroom/harness.py), and the newsroom services on an injected clock, so a test can
run the scheduler's pass "an hour later" instead of waiting."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.browser.conftest import DESKTOP, new_context
from tests.conftest import make_portal, make_store
from tests.web.newsroom.harness import PASSWORD, Harness, build


@contextmanager
def newsroom_server(tmp_path_factory) -> Iterator[tuple[str, Harness]]:
    import uvicorn

    store, dispose = make_store("sqlite", tmp_path_factory)
    # the tests run the scheduler's pass themselves on the injected clock; the server's own loop runs on the
    # real clock (which is past the harness's day), so left on it would race them for the same claims
    portal = make_portal(store, scheduler_seconds=0)
    h = build(portal, tmp_path_factory.mktemp("media"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(h.app, log_level="warning", lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the newsroom test server did not start")
        time.sleep(0.05)
    try:
        yield base_url, h
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        for c in h.clients.values():
            c.close()
        portal.close()
        dispose()


def login(page, base_url: str, role: str) -> None:
    page.goto(base_url + "/newsroom/login")
    page.fill("#username", f"u{role.replace('_', '')}")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url(base_url + "/newsroom")


def signed_in(browser, base_url: str, role: str, *, errors: list[str] | None = None, goto: str | None = None,
              **context):
    """A new desktop browser context and its page, logged in as ``role``: (context, page).

    ``errors`` collects the page's script errors from the first page load on; ``goto`` is a path to open
    after the login; ``context`` goes to :func:`new_context` (``javascript=False``, ``bypass_csp=False``).
    """
    ctx = new_context(browser, viewport=DESKTOP, base_url=base_url, **context)
    page = ctx.new_page()
    if errors is not None:
        page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, base_url, role)
    if goto is not None:
        page.goto(base_url + goto)
    return ctx, page
