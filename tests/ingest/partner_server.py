"""A real HTTP server on 127.0.0.1 (port 0) playing a partner site, for the ingest tests.

Routes describe what a partner does: plain answers, conditional GET, redirects, slow or trickling answers,
bodies that never end and bodies shorter than their Content-Length. Nothing here is mocked: the fetcher
talks HTTP over a socket to it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # silence before the status line
    trickle: float = 0.0  # pause between single-byte writes of the body
    endless: int = 0  # bytes of filler streamed without Content-Length
    short_by: int = 0  # declare this many bytes more than are sent, then hang up


class PartnerServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path)
                try:
                    self._answer(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the fetcher hung up on purpose (deadline, size cap)

            def _answer(self, route: Route | None) -> None:
                if route is None:
                    self.send_error(404)
                    return
                if route.delay:
                    time.sleep(route.delay)
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                        route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                if route.endless:
                    self.end_headers()
                    block = b"<item>" + b"x" * 65536 + b"</item>"
                    sent = 0
                    while sent < route.endless:
                        self.wfile.write(block)
                        sent += len(block)
                    return
                self.send_header("Content-Length", str(len(route.body) + route.short_by))
                self.end_headers()
                if route.trickle:
                    for i in range(len(route.body)):
                        self.wfile.write(route.body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(route.trickle)
                else:
                    self.wfile.write(route.body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def start(self) -> PartnerServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
