"""Ranked lists: related articles, the hot list (site-wide or per channel) and search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from newsportal.search.query import MAX_QUERY_CHARS
from newsportal.web.api.articles import ArticleId
from newsportal.web.api.auth import PortalDep
from newsportal.web.api.convert import card_out, cards_out, published_or_404, section_or_404
from newsportal.web.api.schemas import CardOut, SearchHitOut, SearchOut
from newsportal.web.errors import api_error
from newsportal.web.search_form import MAX_RAW_QUERY, read_form

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


@router.get("/search", response_model=SearchOut, responses={422: {"description": "无法搜索的查询"}})
def search(
    portal: PortalDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_RAW_QUERY)],
    page: Annotated[int, Query(ge=1, le=100)] = 1,
    per_page: Annotated[int, Query(ge=1, le=50)] = 20,
    channel: Annotated[str | None, Query(max_length=40, description="频道 slug（含子栏目）")] = None,
    source: Annotated[str | None, Query(max_length=80, description="来源 key")] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=10, description="YYYY-MM-DD（北京时间）")]
    = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10, description="YYYY-MM-DD（北京时间）")]
    = None,
    sort: Annotated[str, Query(max_length=12, description="relevance 或 time")] = "relevance",
) -> SearchOut | JSONResponse:
    """Search: every word must match (search-mode tokens, so 处理 finds 待处理), "quoted phrases" as
    phrases; BM25 blended with recency or newest first; one result per story, with marked snippets."""
    params = {"q": q, "channel": channel or "", "source": source or "", "from": date_from or "",
              "to": date_to or "", "sort": sort}
    form = read_form(portal, params)
    if form.query is None:
        return api_error(422, form.error, problems=[{"field": "q", "message": form.error}])
    found = portal.searcher.find(form.query, page, per_page, form.filters, form.sort)
    items = [SearchHitOut(**card_out(portal, h.card).model_dump(), title_html=str(h.title_html),
                          snippet_html=str(h.snippet_html)) for h in found.hits]
    return SearchOut(query=q[:MAX_QUERY_CHARS], items=items, total=found.total, page=page, per_page=per_page,
                     sort=form.sort, notices=list(form.notices), truncated=form.query.truncated)
