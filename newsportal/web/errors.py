"""One error shape for the API and Chinese error pages for readers, so bad input never becomes a 500."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newsportal.newsroom import ValidationError
from newsportal.store import Conflict, NotFound

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("bad_request", "The request is malformed."),
    401: ("unauthorized", "A valid API token is required (Authorization: Bearer <token>)."),
    403: ("forbidden", "This token may not do that."),
    404: ("not_found", "No such resource."),
    405: ("method_not_allowed", "This method is not allowed here."),
    409: ("conflict", "The request conflicts with existing data."),
    413: ("payload_too_large", "The request body is too large."),
    414: ("uri_too_long", "The request URL or query string is too long."),
    415: ("unsupported_media_type", "Send JSON with Content-Type: application/json."),
    422: ("invalid", "The request has invalid fields."),
    429: ("too_many_requests", "Too many requests; slow down."),
}


def is_api(request_or_path) -> bool:
    path = request_or_path if isinstance(request_or_path, str) else request_or_path.url.path
    return path.startswith("/api/")


def api_error(status: int, message: str | None = None, **extra) -> JSONResponse:
    code, default = MESSAGES.get(status, ("error", "Request failed."))
    body = {"error": {"status": status, "code": code, "message": message or default, **extra}}
    return JSONResponse(body, status_code=status)


async def http_exception(request: Request, exc: StarletteHTTPException) -> Response:
    if is_api(request):
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail else None
        if detail and detail in {"Not Found", "Method Not Allowed"}:
            detail = None
        resp = api_error(exc.status_code, detail)
        for name, value in (exc.headers or {}).items():  # e.g. Allow on 405, Retry-After on 429
            resp.headers[name] = value
        return resp
    from newsportal.web.pages.common import error_body, html, is_care, not_found_body

    care = is_care(request) or request.url.path.startswith("/care/")
    if exc.status_code == 404:
        page = html(not_found_body(request, care), 404)
    else:
        page = html(
            error_body(request, exc.status_code, f"请求无法完成（{exc.status_code}）", "请检查链接后重试。",
                       care),
            exc.status_code,
        )
    for name, value in (exc.headers or {}).items():
        page.headers[name] = value
    return page


async def validation_exception(request: Request, exc: RequestValidationError) -> Response:
    problems = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        problems.append({"field": ".".join(loc), "message": err.get("msg", "invalid")})
    if not is_api(request):
        return await http_exception(request, StarletteHTTPException(404))
    return api_error(422, "The request has invalid fields.", problems=problems)


async def newsroom_validation(request: Request, exc: ValidationError) -> Response:
    return api_error(422, exc.message, problems=[{"field": exc.field, "message": exc.message}])


async def not_found(request: Request, exc: NotFound) -> Response:
    return api_error(404, str(exc))


async def conflict(request: Request, exc: Conflict) -> Response:
    return api_error(409, str(exc))


async def unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path)
    if is_api(request):
        return api_error(500, "Internal error; it has been logged.")
    from newsportal.web.pages.common import error_body, html

    return html(error_body(request, 500, "服务器开小差了（500）", "请稍后刷新重试。", care=False), 500)


#: an exception handler; ``Any`` because each takes the exception type it is registered for
Handler = Callable[[Request, Any], Awaitable[Response]]

HANDLERS: dict[type[Exception], Handler] = {
    StarletteHTTPException: http_exception,
    RequestValidationError: validation_exception,
    ValidationError: newsroom_validation,
    NotFound: not_found,
    Conflict: conflict,
    Exception: unexpected,
}
