"""Real server processes for tests of the production path: start one on a free port, talk to it over HTTP.

Every call opens a new connection without cookies (urllib keeps none), so each is a browser seen for the
first time, and with several worker processes the kernel spreads the calls over them.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from tests.conftest import BROWSER_UA


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port: int, path: str, body: dict | None = None, ua: str = BROWSER_UA,
         headers: dict[str, str] | None = None, method: str | None = None) -> tuple[int, Any]:
    """One request; JSON replies come back decoded, anything else as text."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                 method=method or ("POST" if data is not None else "GET"),
                                 headers={"user-agent": ua, "content-type": "application/json",
                                          **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # generous: CI machines are busy
            return resp.status, _decode(resp.headers.get("content-type", ""), resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _decode(exc.headers.get("content-type", ""), exc.read() or b"")


def _decode(content_type: str, raw: bytes) -> Any:
    if "json" in content_type:
        return json.loads(raw or b"{}")
    return raw.decode("utf-8", errors="replace")


def start_server(cmd: list[str], env: dict[str, str], port: int, timeout: float = 120) -> subprocess.Popen:
    """Start ``cmd`` and wait until it answers on ``port``; its stderr is kept for the failure message."""
    proc = subprocess.Popen(cmd, env=env, cwd=os.getcwd(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if call(port, "/api/v1/channels")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"server did not start in {timeout:.0f} s")


def stop_server(proc: subprocess.Popen, timeout: float = 60) -> None:
    """SIGTERM, then SIGKILL if it does not exit in time (never leaves a process behind)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def wait_for(predicate, timeout: float, every: float = 0.25) -> float | None:
    """Seconds until ``predicate()`` held, or None if it did not within ``timeout``."""
    start = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            return None
        time.sleep(every)


@contextlib.contextmanager
def app_in_thread(app, port: int, timeout: float = 60) -> Iterator[None]:
    """Serve the ASGI ``app`` with uvicorn on 127.0.0.1:``port`` in a thread (lifespan on) while inside."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical",
                                           lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        if wait_for(lambda: server.started or not thread.is_alive(), timeout) is None or not server.started:
            raise AssertionError(f"the app did not start on port {port} within {timeout:.0f} s")
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)
