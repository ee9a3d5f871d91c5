"""The page beacon: a view or a share of an article, counted once per reader per 30 minutes.

Counting may block (with Redis it is a network round trip), so it runs in the threadpool: the event loop
keeps serving cached pages while a beacon is recorded.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from newsportal.counters import is_bot
from newsportal.store import NotFound
from newsportal.web.api.auth import PortalDep, reader_or_new
from newsportal.web.api.schemas import EventIn, EventOut

router = APIRouter(tags=["events"])


@router.post("/events", response_model=EventOut)
async def record_event(portal: PortalDep, request: Request, response: Response, body: EventIn) -> EventOut:
    """Record a view or share from an article page; returns the article's live counts."""
    if body.article_id not in portal.published:
        raise NotFound(f"article {body.article_id} not found")
    reader = reader_or_new(request, response)
    ua = request.headers.get("user-agent")
    event = portal.event(body.article_id, body.kind, reader, ua)
    remember_read = body.kind == "view" and not is_bot(ua)

    def count() -> tuple[bool, int, int]:
        counted = portal.counters.record(event)
        if remember_read:
            portal.personal.record_read(reader, body.article_id)
        views, shares = portal.counters.counts(body.article_id)
        return counted, views, shares

    counted, views, shares = await run_in_threadpool(count)
    response.headers["cache-control"] = "no-store"
    return EventOut(counted=counted, views=views, shares=shares)
