"""Writes, for API token holders: articles through the publish flow, pins, quality and source trust.

Every article write goes through the newsroom's publish flow, so API-submitted HTML is sanitized exactly
like everything else and the page cache is purged by the flow's signals.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from newsportal.newsroom import publish, save_article, withdraw
from newsportal.store import NotFound
from newsportal.web.api.articles import ArticleId
from newsportal.web.api.auth import PortalDep, TokenDep, actor_of
from newsportal.web.api.channels import ChannelSlug, pinned
from newsportal.web.api.convert import (
    any_article_or_404,
    article_out,
    published_or_404,
    section_or_404,
    source_or_404,
    source_out,
)
from newsportal.web.api.schemas import ArticleIn, ArticleOut, CardOut, PinIn, QualityOut, SourceOut, TrustIn

router = APIRouter()


# -- articles -----------------------------------------------------------------------------------------
@router.post("/articles", response_model=ArticleOut, status_code=201, tags=["write"])
def create_article(portal: PortalDep, response: Response, body: ArticleIn, token: TokenDep) -> ArticleOut:
    """Create an article, or update the one with the same ``external_id`` (idempotent imports)."""
    existed = body.external_id and portal.store.get_article_by_external_id(body.external_id)
    article, _ = save_article(portal, body.draft(), actor=actor_of(token), publish_now=body.publish)
    if existed:
        response.status_code = 200
    response.headers["location"] = f"/api/v1/articles/{article.id}"
    return article_out(portal, article)


@router.put("/articles/{article_id}", response_model=ArticleOut, tags=["write"])
def update_article(portal: PortalDep, article_id: ArticleId, body: ArticleIn, token: TokenDep) -> ArticleOut:
    article, _ = save_article(
        portal, body.draft(), actor=actor_of(token), article_id=article_id, publish_now=body.publish
    )
    return article_out(portal, article)


@router.get("/newsroom/articles/{article_id}", response_model=ArticleOut, tags=["write"])
def get_any_article(portal: PortalDep, article_id: ArticleId, token: TokenDep) -> ArticleOut:
    """An article in any status (drafts included), for the token holder's own tools."""
    return article_out(portal, any_article_or_404(portal, article_id))


@router.post("/articles/{article_id}/publish", response_model=ArticleOut, tags=["write"])
def publish_article(portal: PortalDep, article_id: ArticleId, token: TokenDep) -> ArticleOut:
    return article_out(portal, publish(portal, article_id))


@router.post("/articles/{article_id}/withdraw", response_model=ArticleOut, tags=["write"])
def withdraw_article(portal: PortalDep, article_id: ArticleId, token: TokenDep) -> ArticleOut:
    return article_out(portal, withdraw(portal, article_id))


# -- pins, quality, trust -------------------------------------------------------------------------------
@router.post("/channels/{slug}/pins", response_model=list[CardOut], tags=["newsroom"])
def pin_article(portal: PortalDep, slug: ChannelSlug, body: PinIn, token: TokenDep) -> list[CardOut]:
    """Pin an article at the top of a channel's top-story module (头条要闻 etc.)."""
    ch = section_or_404(portal, slug)
    published_or_404(portal, body.article_id)
    portal.pin(ch.id, body.article_id, actor=actor_of(token), position=body.position, hours=body.hours)
    return pinned(portal, slug)


@router.delete("/channels/{slug}/pins/{article_id}", status_code=204, tags=["newsroom"])
def unpin_article(portal: PortalDep, slug: ChannelSlug, article_id: ArticleId, token: TokenDep) -> Response:
    ch = section_or_404(portal, slug)
    if not portal.unpin(ch.id, article_id):
        raise NotFound(f"article {article_id} is not pinned in {slug!r}")
    return Response(status_code=204)


@router.get("/newsroom/articles/{article_id}/quality", response_model=QualityOut, tags=["newsroom"])
def article_quality(portal: PortalDep, article_id: ArticleId, token: TokenDep) -> QualityOut:
    """The article's quality score and why: what demotes it in hot and personal lists (never hides it)."""
    q = portal.quality(any_article_or_404(portal, article_id))
    return QualityOut(
        article_id=article_id, score=q.score, source_trust=q.trust, explanation=q.explain(),
        reasons=[{"signal": name, "penalty": penalty, "why": why} for name, penalty, why in q.reasons],
    )


@router.put("/sources/{key}/trust", response_model=SourceOut, tags=["newsroom"])
def set_trust(portal: PortalDep, key: Annotated[str, Path(max_length=64)], body: TrustIn,
              token: TokenDep) -> SourceOut:
    """Editors' trust in a source (0–1); it scales the quality score of all its articles."""
    source_or_404(portal, key)
    return source_out(portal.set_source_trust(key, body.trust))
