"""Request-size guards as plain ASGI middleware (no per-request overhead beyond a length check).

Over-long URLs and query strings get 414 and over-large bodies 413, before any handler parses them.
"""

from __future__ import annotations

import json

MAX_QUERY = 2048
MAX_PATH = 1024
MAX_BODY = 2 * 1024 * 1024


def _error(status: int, path: str) -> tuple[bytes, bytes]:
    if path.startswith("/api/"):
        from newsportal.web.errors import MESSAGES

        code, message = MESSAGES[status]
        body = json.dumps({"error": {"status": status, "code": code, "message": message}}).encode()
        return body, b"application/json"
    text = "请求的网址过长" if status == 414 else "提交的内容过大"
    page = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{text}</title>'
            f"<h1>{text}（{status}）</h1>")
    return page.encode("utf-8"), b"text/html; charset=utf-8"


class RequestLimits:
    def __init__(self, app, max_query: int = MAX_QUERY, max_path: int = MAX_PATH, max_body: int = MAX_BODY):
        self.app = app
        self.max_query, self.max_path, self.max_body = max_query, max_path, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if len(scope.get("query_string", b"")) > self.max_query or len(path) > self.max_path:
            return await self._reply(send, 414, path)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    if int(value) > self.max_body:
                        return await self._reply(send, 413, path)
                except ValueError:
                    return await self._reply(send, 400, path)
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        # Read the whole body first (API bodies are small) so an oversized one is refused before any
        # handler starts, whether or not the client sent Content-Length.
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_body:
                return await self._reply(send, 413, path)
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _reply(send, status: int, path: str) -> None:
        if status == 400:
            body = b'{"error":{"status":400,"code":"bad_request","message":"Bad Content-Length."}}'
            ctype = b"application/json"
        else:
            body, ctype = _error(status, path)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
