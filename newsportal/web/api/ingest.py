"""Partner ingest over HTTP: the ninjs push endpoint and the sources' health.

``POST /api/v1/ingest/ninjs`` takes one IPTC ninjs item (1.x or 2.x) with ``Authorization: Bearer <push
token>`` (the per-partner token printed by ``newsportal source add-push``; not an API token). Answers: 201
a new article (published for a trusted partner, in review otherwise), 200 an update / unchanged / stale copy /
withdrawal (``pubStatus: canceled``), 401 an unknown, revoked or disabled token, 422 a body that is not a
usable ninjs item, with every problem naming its field.

``GET /api/v1/ingest/sources`` lists every source with its health, for API token holders.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from newsportal.ingest.ninjs import NinjsInvalid
from newsportal.ingest.outcomes import Unauthorized as PushUnauthorized
from newsportal.timeutil import iso_beijing
from newsportal.web.api.auth import TokenDep
from newsportal.web.errors import api_error
from newsportal.web.ingest import ingest_of

router = APIRouter(prefix="/ingest", tags=["ingest"])
MAX_PUSH_BYTES = 1024 * 1024


class PushOut(BaseModel):
    guid: str
    action: str
    article_id: int | None
    reason: str = ""
    message: str = ""


class SourceHealthOut(BaseModel):
    id: int
    source: str
    kind: str
    status: str
    enabled: bool
    failures: int
    last_poll_at: str
    last_success_at: str
    last_error_at: str
    last_error_reason: str | None
    last_error_message: str | None
    items_taken: int
    items_refused: int
    next_poll_at: str


def _t(value: datetime | None) -> str:
    return iso_beijing(value) if value else ""


def _push_unauthorized(message: str) -> JSONResponse:
    resp = api_error(401, message)
    resp.headers["www-authenticate"] = 'Bearer realm="newsportal-ingest"'
    return resp


@router.post("/ninjs", response_model=PushOut, status_code=201,
             responses={200: {"model": PushOut}, 401: {}, 422: {}})
async def push_ninjs(request: Request, response: Response,
                     authorization: Annotated[str | None, Header()] = None) -> PushOut | JSONResponse:
    """Take one ninjs item from a partner (bearer = the partner's push token)."""
    if not authorization or not authorization.lower().startswith("bearer "):
        return _push_unauthorized("缺少推送令牌（Authorization: Bearer …）")
    body = await request.body()
    if len(body) > MAX_PUSH_BYTES:
        return api_error(413, "推送内容过大")
    service = ingest_of(request)
    try:
        result = await run_in_threadpool(service.push_ninjs, authorization[7:].strip(), body)
    except PushUnauthorized as exc:
        return _push_unauthorized(exc.message)
    except NinjsInvalid as exc:
        return api_error(422, exc.message, problems=exc.as_dicts())
    if result.action != "created":
        response.status_code = 200
    if result.article_id is not None:
        response.headers["location"] = f"/api/v1/articles/{result.article_id}"
    return PushOut(guid=result.guid, action=result.action, article_id=result.article_id, reason=result.reason,
                   message=result.message)


@router.get("/sources", response_model=list[SourceHealthOut])
def sources(request: Request, token: TokenDep) -> list[SourceHealthOut]:
    """Every ingest source with its health: last success, last error and why, items taken and refused."""
    out = []
    for s in ingest_of(request).list_sources():
        h = s.health
        out.append(SourceHealthOut(
            id=h.ingest_source_id, source=h.source_key, kind=h.kind, status=h.status, enabled=h.enabled,
            failures=h.failures, last_poll_at=_t(h.last_poll_at), last_success_at=_t(h.last_success_at),
            last_error_at=_t(h.last_error_at), last_error_reason=h.last_error_reason,
            last_error_message=h.last_error_message, items_taken=h.items_taken, items_refused=h.items_refused,
            next_poll_at=_t(h.next_poll_at)))
    return out
