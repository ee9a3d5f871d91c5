"""Reading published articles: the paged list (by channel, source, 原创) and one article."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from newsportal.web.api.auth import PortalDep
from newsportal.web.api.convert import article_out, card_out, channel_or_404, published_or_404, source_or_404
from newsportal.web.api.schemas import MAX_ID, ArticleOut, ArticlePage

router = APIRouter(tags=["read"])
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="Article id")]


@router.get("/articles", response_model=ArticlePage)
def list_articles(
    portal: PortalDep,
    channel: Annotated[str | None, Query(max_length=40)] = None,
    source: Annotated[str | None, Query(max_length=64)] = None,
    original: bool | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ArticlePage:
    """Newest first; a channel includes its sub-channels."""
    channel_ids = None
    if channel is not None:
        channel_ids = portal.channels.subtree_ids(channel_or_404(portal, channel))
    source_id = source_or_404(portal, source).id if source is not None else None
    result = portal.store.list_cards(
        channel_ids=channel_ids, source_id=source_id, original=original, page=page, per_page=per_page
    )
    return ArticlePage(
        items=[card_out(portal, c) for c in result.items],
        page=result.page, per_page=result.per_page, total=result.total, pages=result.pages,
        total_exact=result.exact,
    )


@router.get("/articles/{article_id}", response_model=ArticleOut)
def get_article(portal: PortalDep, article_id: ArticleId) -> ArticleOut:
    return article_out(portal, published_or_404(portal, article_id))
