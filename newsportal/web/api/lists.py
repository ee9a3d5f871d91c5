"""Ranked lists: related articles, the hot list (site-wide or per channel) and search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from newsportal.web.api.articles import ArticleId
from newsportal.web.api.auth import PortalDep
from newsportal.web.api.convert import card_out, cards_out, published_or_404, section_or_404
from newsportal.web.api.schemas import CardOut, SearchOut

router = APIRouter(tags=["read"])


@router.get("/articles/{article_id}/related", response_model=list[CardOut])
def related(portal: PortalDep, article_id: ArticleId,
            limit: Annotated[int, Query(ge=1, le=50)] = 8) -> list[CardOut]:
    published_or_404(portal, article_id)
    return cards_out(portal, (aid for aid, _ in portal.related.related(article_id, limit)))


@router.get("/hot", response_model=list[CardOut])
def hot(
    portal: PortalDep,
    channel: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> list[CardOut]:
    channel_id = section_or_404(portal, channel).id if channel is not None else None
    return [card_out(portal, c) for c in portal.hot.cards(limit, channel_id)]


@router.get("/search", response_model=SearchOut)
def search(
    portal: PortalDep,
    q: Annotated[str, Query(min_length=1, max_length=100)],
    page: Annotated[int, Query(ge=1, le=100)] = 1,
    per_page: Annotated[int, Query(ge=1, le=50)] = 20,
) -> SearchOut:
    hits, total = portal.search(q, page, per_page)
    return SearchOut(query=q, items=[card_out(portal, c) for c in hits], total=total, page=page,
                     per_page=per_page)
