"""The page beacon: a view or a share of an article, counted once per reader per 30 minutes.

Integrity rules (issue 13):

* the reader is the server-signed id in the cookie; a browser without one gets a fresh id, and its event
  counts under its address block and agent (:func:`~newsportal.web.api.auth.counting_reader`);
* per-address and per-reader rate limits answer 429 before anything is counted;
* the event carries its address block, so the counters' breadth rule keeps a burst from a few places out
  of 热点推荐 (:mod:`newsportal.counters.breadth`);
* ``counted: true`` is sent only once the event is durable (:meth:`Counters.record_durable`); anything
  that fails after that (reading history, live counts) is logged and left out of the reply, never a 500,
  so a client never retries an event that was counted.

Counting may block (a database write, a Redis round trip), so it runs in the threadpool.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from newsportal.counters import is_bot
from newsportal.domain import ArticleStatus
from newsportal.store import NotFound
from newsportal.web.api.auth import PortalDep, client_origin, counting_reader
from newsportal.web.api.beacon_limits import BeaconLimiter
from newsportal.web.api.schemas import EventIn, EventOut
from newsportal.web.errors import api_error

if TYPE_CHECKING:
    from newsportal.portal import Portal

log = logging.getLogger(__name__)
router = APIRouter(tags=["events"])


def beacon_limiter(request: Request, portal) -> BeaconLimiter:
    """One limiter per app (the app state outlives requests; the settings are the portal's)."""
    limiter = getattr(request.app.state, "beacon_limiter", None)
    if limiter is None:
        limiter = request.app.state.beacon_limiter = BeaconLimiter.for_settings(portal.settings)
    return limiter


@router.post(
    "/events",
    response_model=EventOut,
    response_model_exclude_none=True,
    responses={429: {"description": "Too many events from this address or reader; nothing counted"}},
)
async def record_event(portal: PortalDep, request: Request, response: Response, body: EventIn):
    """Record a view or share from an article page; returns whether it counted and the live counts."""
    if body.article_id not in portal.published and not await run_in_threadpool(
            _published_in_store, portal, body.article_id):
        raise NotFound(f"article {body.article_id} not found")
    who = counting_reader(request, response)
    reader = who.reader
    origin = client_origin(request)
    wait = await run_in_threadpool(beacon_limiter(request, portal).hit, origin, who.key)
    if wait is not None:
        refused = api_error(429, f"Too many events; retry in {wait} s.", counted=False, reason="rate_limited")
        refused.headers["retry-after"] = str(wait)
        if "set-cookie" in response.headers:
            refused.headers["set-cookie"] = response.headers["set-cookie"]
        return refused
    ua = request.headers.get("user-agent")
    event = dataclasses.replace(portal.event(body.article_id, body.kind, who.key, ua), origin=origin)
    remember_read = body.kind == "view" and not is_bot(ua)

    def count() -> EventOut:
        outcome = portal.counters.record_durable(event)
        out = EventOut(counted=outcome.counted, reason=outcome.reason)
        try:  # the outcome above is final; what follows only decorates the reply
            if not who.verified and outcome.counted:
                portal.counters.mark_seen(reader, body.article_id, body.kind, event.at)
            if remember_read:
                portal.personal.record_read(reader, body.article_id)
            out.views, out.shares = portal.counters.counts(body.article_id)
        except Exception:
            log.exception("beacon: after-count step failed for article %s", body.article_id)
        return out

    out = await run_in_threadpool(count)
    response.headers["cache-control"] = "no-store"
    return out


def _published_in_store(portal: Portal, article_id: int) -> bool:
    """An article another process published a moment ago: this process serves its page from the store
    before its catalogue sync (every few seconds) takes it in, so its readers' events must count too."""
    article = portal.store.get_article(article_id)
    return article is not None and article.status is ArticleStatus.PUBLISHED
