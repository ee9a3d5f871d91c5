"""The reader's own: 为你推荐 and the reading history behind it (the reader is the cookie; never cached)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from newsportal.web.api.auth import PortalDep, reader_of
from newsportal.web.api.convert import cards_out
from newsportal.web.api.schemas import CardOut, HistoryOut

router = APIRouter(tags=["personal"])
PRIVATE = "private, no-store"


@router.get("/me/recommendations", response_model=list[CardOut])
def my_recommendations(portal: PortalDep, request: Request, response: Response,
                       limit: Annotated[int, Query(ge=1, le=30)] = 10) -> list[CardOut]:
    """为你推荐 for the reader in the cookie (the hot list for a reader without history)."""
    reader = reader_of(request)
    ranked = portal.personal.recommend(reader, limit) if reader else portal.hot.ranked(limit)
    response.headers["cache-control"] = PRIVATE
    return cards_out(portal, (aid for aid, _ in ranked))


@router.get("/me/history", response_model=HistoryOut)
def my_history(portal: PortalDep, request: Request, response: Response) -> HistoryOut:
    reader = reader_of(request)
    response.headers["cache-control"] = PRIVATE
    return HistoryOut(items=cards_out(portal, portal.personal.history(reader) if reader else []),
                      retention_days=portal.settings.history_days)


@router.delete("/me/history", status_code=204)
def clear_my_history(portal: PortalDep, request: Request) -> Response:
    """Forget everything this reader has read."""
    reader = reader_of(request)
    if reader:
        portal.personal.clear(reader)
    return Response(status_code=204)
