"""Small guards at the edge of the app: strict integer ids, JSON-only API bodies, local API docs, safe paths.

* :class:`StrictIds`: an API path segment that only looks like a number (``1.0``, ``+1``, ``1_0``) is a
  404, so ``/api/v1/articles/1.0`` is not article 1 (pydantic's lax mode would take it).
* :class:`JsonBodies`: a write to the API whose body is not JSON gets 415 in the API's error shape
  instead of a confusing 422 about missing fields.
* :func:`mount_docs`: the OpenAPI page served from the ``swagger-ui-bundle`` package's files: a fixed
  version, no CDN, works offline, and no inline script (so a strict CSP allows it).
* :func:`safe_local_path`: a path that can only stay on this site, for links built from request paths
  (the care-mode switch).
"""

from __future__ import annotations

import html
import json

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

DOCS_PATH = "/api/v1/docs"
ASSETS_PATH = DOCS_PATH + "/assets"
_JSON_TYPES = ("application/json",)


# -- strict ids ------------------------------------------------------------------------------------------
def numberish_segment(segment: str) -> bool:
    """A path segment a lax number parser would read as a number but that is not plain ASCII digits.

    ``1.0``, ``+1``, ``1_0``, `` 1``, ``1e0`` and full-width ``１`` all become the integer 1 in pydantic's lax
    mode; refusing them at the edge keeps every id route strict without touching each route.
    """
    if not segment or (segment.isascii() and segment.isdigit()):
        return False
    if not any(ch.isdigit() for ch in segment):
        return False
    try:
        float(segment)
    except ValueError:
        return False
    return True


class StrictIds:
    """ASGI middleware: an API path with a number-like segment that is not plain digits is a 404."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/"):
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(self.prefix) and any(numberish_segment(p) for p in path.split("/")):
            from newsportal.web.errors import api_error

            await api_error(404, "No such resource: ids are plain integers.")(scope, receive, send)
            return
        await self.app(scope, receive, send)


# -- JSON bodies -----------------------------------------------------------------------------------------
def is_json_type(content_type: str) -> bool:
    """``application/json`` or a ``+json`` type (``application/ninjs+json``), parameters ignored."""
    main = content_type.split(";", 1)[0].strip().lower()
    return main in _JSON_TYPES or (main.startswith("application/") and main.endswith("+json"))


class JsonBodies:
    """ASGI middleware: API writes with a body must say it is JSON, else 415 before any handler runs."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/"):
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope.get("method") in ("POST", "PUT", "PATCH")
                and scope.get("path", "").startswith(self.prefix)):
            headers = dict(scope.get("headers", ()))
            length = headers.get(b"content-length")
            has_body = (length is not None and length.strip() not in (b"", b"0")) or (
                b"transfer-encoding" in headers)
            if has_body and not is_json_type(headers.get(b"content-type", b"").decode("latin-1")):
                from newsportal.web.errors import api_error

                await api_error(415)(scope, receive, send)
                return
        await self.app(scope, receive, send)


# -- local API docs --------------------------------------------------------------------------------------
_DOCS_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{docs}/init.js"></script>
</body>
</html>
"""


def swagger_ui_dir() -> str:
    """The directory of Swagger UI's built files inside the installed ``swagger-ui-bundle`` package."""
    import swagger_ui_bundle

    return str(swagger_ui_bundle.swagger_ui_path)


def mount_docs(app: FastAPI, openapi_url: str = "/api/v1/openapi.json") -> None:
    """Serve the API docs page, its start-up script and Swagger UI's files from this process."""
    page = _DOCS_HTML.format(title=html.escape(app.title), assets=ASSETS_PATH, docs=DOCS_PATH)
    url = json.dumps(openapi_url)
    init = f"window.ui = SwaggerUIBundle({{url: {url}, dom_id: '#swagger-ui', deepLinking: true}});\n"

    async def docs(request: Request) -> Response:
        return HTMLResponse(page)

    async def init_js(request: Request) -> Response:
        return Response(init, media_type="text/javascript; charset=utf-8")

    app.add_route(DOCS_PATH, docs, include_in_schema=False)
    app.add_route(DOCS_PATH + "/init.js", init_js, include_in_schema=False)
    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_ui_dir()), name="docs-assets")


# -- safe local paths ------------------------------------------------------------------------------------
def safe_local_path(path: str, fallback: str = "/") -> str:
    """``path`` if it can only name a page of this site, else ``fallback``.

    Browsers read ``//host/x`` and ``/\\host/x`` as other sites, and some strip tabs and newlines before
    deciding; a safe path starts with one ``/`` followed by something that is neither ``/`` nor ``\\``,
    and contains no control characters or backslashes at all.
    """
    if not path or not path.startswith("/") or path.startswith(("//", "/\\")):
        return fallback
    if any(ord(ch) < 0x20 or ch in "\\\x7f" for ch in path):
        return fallback
    return path
