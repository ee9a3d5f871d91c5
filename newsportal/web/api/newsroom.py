"""Writes, for partners' tokens and logged-in newsroom users alike: articles, review, pins, trust, self-media.

Every handler resolves the acting user with :data:`~newsportal.web.api.writer.WriterDep` and calls one
``portal.newsroom`` operation, which checks the role matrix, goes through the publish flow (sanitizing,
revisions, page-cache purge) and writes the audit log. Saves take ``If-Match: <revision>``; a stale one is
answered 409 with both versions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from newsportal.domain import ArticleStatus
from newsportal.newsroom import ValidationError
from newsportal.store import NotFound
from newsportal.web.api.articles import ArticleId
from newsportal.web.api.auth import PortalDep
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
from newsportal.web.api.writer import WriterDep

router = APIRouter()
IfMatch = Annotated[str | None, Header(description="The revision number the edit is based on")]


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: StrictStr = Field(default="", max_length=500)


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: datetime = Field(description="When to publish (with a zone offset; naive times are UTC)")
    embargo: StrictBool = False


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: StrictStr = Field(min_length=1, max_length=500)
    article: ArticleIn | None = None


class SelfMediaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: StrictStr = Field(max_length=200)
    intro: StrictStr = Field(default="", max_length=2000)
    operator: StrictStr = Field(default="", max_length=200)
    category: StrictStr = Field(default="", max_length=200)
    contact: StrictStr = Field(default="", max_length=200)


class SelfMediaOut(SelfMediaIn):
    source_id: int
    suspended: bool


def _revision(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip().strip('"').removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 9:
        raise ValidationError("If-Match", "must be the revision number the edit is based on")
    return int(text)


# -- articles -----------------------------------------------------------------------------------------
@router.post("/articles", response_model=ArticleOut, status_code=201, tags=["write"])
def create_article(portal: PortalDep, response: Response, body: ArticleIn, w: WriterDep) -> ArticleOut:
    """Create an article, or update the one with the same ``external_id`` (idempotent imports)."""
    nr = portal.newsroom
    existing = body.external_id and portal.store.get_article_by_external_id(body.external_id)
    if existing:
        article = nr.save(w.actor, existing.id, body.draft(), expected_revision=None).article
        response.status_code = 200
    else:
        article = nr.create(w.actor, body.draft()).article
    if body.publish and article.status is not ArticleStatus.PUBLISHED:
        nr.approve_publish(w.actor, article.id)
        article = any_article_or_404(portal, article.id)
    response.headers["location"] = f"/api/v1/articles/{article.id}"
    return article_out(portal, article)


@router.put("/articles/{article_id}", response_model=ArticleOut, tags=["write"])
def update_article(portal: PortalDep, article_id: ArticleId, body: ArticleIn, w: WriterDep,
                   if_match: IfMatch = None) -> ArticleOut:
    nr = portal.newsroom
    article = nr.save(w.actor, article_id, body.draft(), expected_revision=_revision(if_match)).article
    if body.publish and article.status is not ArticleStatus.PUBLISHED:
        nr.approve_publish(w.actor, article_id)
        article = any_article_or_404(portal, article_id)
    return article_out(portal, article)


@router.get("/newsroom/articles/{article_id}", response_model=ArticleOut, tags=["write"])
def get_any_article(portal: PortalDep, article_id: ArticleId, w: WriterDep) -> ArticleOut:
    """An article in any status (drafts included), for newsroom tools."""
    return article_out(portal, any_article_or_404(portal, article_id))


def _after(portal: PortalDep, article_id: int) -> ArticleOut:
    return article_out(portal, any_article_or_404(portal, article_id))


@router.post("/articles/{article_id}/submit", response_model=ArticleOut, tags=["write"])
def submit_article(portal: PortalDep, article_id: ArticleId, w: WriterDep) -> ArticleOut:
    portal.newsroom.submit(w.actor, article_id)
    return _after(portal, article_id)


@router.post("/articles/{article_id}/publish", response_model=ArticleOut, tags=["write"])
def publish_article(portal: PortalDep, article_id: ArticleId, w: WriterDep) -> ArticleOut:
    """Approve and publish now; the acting user becomes the 责编 shown on the article page."""
    any_article_or_404(portal, article_id)
    portal.newsroom.approve_publish(w.actor, article_id)
    return _after(portal, article_id)


@router.post("/articles/{article_id}/return", response_model=ArticleOut, tags=["write"])
def return_article(portal: PortalDep, article_id: ArticleId, w: WriterDep,
                   body: ReasonIn | None = None) -> ArticleOut:
    portal.newsroom.return_article(w.actor, article_id, body.reason if body else "")
    return _after(portal, article_id)


@router.post("/articles/{article_id}/schedule", response_model=ArticleOut, tags=["write"])
def schedule_article(portal: PortalDep, article_id: ArticleId, body: ScheduleIn, w: WriterDep) -> ArticleOut:
    portal.newsroom.schedule(w.actor, article_id, body.at, embargo=body.embargo)
    return _after(portal, article_id)


@router.post("/articles/{article_id}/unschedule", response_model=ArticleOut, tags=["write"])
def unschedule_article(portal: PortalDep, article_id: ArticleId, w: WriterDep) -> ArticleOut:
    portal.newsroom.unschedule(w.actor, article_id)
    return _after(portal, article_id)


@router.post("/articles/{article_id}/withdraw", response_model=ArticleOut, tags=["write"])
def withdraw_article(portal: PortalDep, article_id: ArticleId, w: WriterDep,
                     body: ReasonIn | None = None) -> ArticleOut:
    """Take an article off the site; the reason (required, 422 without) goes to the audit log."""
    any_article_or_404(portal, article_id)
    portal.newsroom.withdraw(w.actor, article_id, body.reason if body else "")
    return _after(portal, article_id)


@router.post("/articles/{article_id}/corrections", response_model=ArticleOut, tags=["write"])
def correct_article(portal: PortalDep, article_id: ArticleId, body: CorrectionIn, w: WriterDep,
                    if_match: IfMatch = None) -> ArticleOut:
    """A dated correction note (更正) shown on the article page, optionally with corrected text."""
    any_article_or_404(portal, article_id)
    draft = body.article.draft() if body.article else None
    portal.newsroom.correct(w.actor, article_id, body.note, draft=draft,
                            expected_revision=_revision(if_match))
    return _after(portal, article_id)


@router.post("/articles/{article_id}/revisions/{number}/restore", response_model=ArticleOut, tags=["write"])
def restore_revision(portal: PortalDep, article_id: ArticleId, number: Annotated[int, Path(ge=1, le=10**6)],
                     w: WriterDep, if_match: IfMatch = None) -> ArticleOut:
    """Bring an old revision's text back as a new revision."""
    portal.newsroom.restore_revision(w.actor, article_id, number, expected_revision=_revision(if_match))
    return _after(portal, article_id)


# -- pins, quality, trust, self-media -------------------------------------------------------------------
@router.post("/channels/{slug}/pins", response_model=list[CardOut], tags=["newsroom"])
def pin_article(portal: PortalDep, slug: ChannelSlug, body: PinIn, w: WriterDep) -> list[CardOut]:
    """Pin an article at the top of a channel's top-story module (头条要闻 etc.)."""
    ch = section_or_404(portal, slug)
    published_or_404(portal, body.article_id)
    portal.newsroom.pin(w.actor, ch.id, body.article_id, position=body.position, hours=body.hours)
    return pinned(portal, slug)


@router.delete("/channels/{slug}/pins/{article_id}", status_code=204, tags=["newsroom"])
def unpin_article(portal: PortalDep, slug: ChannelSlug, article_id: ArticleId, w: WriterDep) -> Response:
    ch = section_or_404(portal, slug)
    if not portal.newsroom.unpin(w.actor, ch.id, article_id):
        raise NotFound(f"article {article_id} is not pinned in {slug!r}")
    return Response(status_code=204)


@router.get("/newsroom/articles/{article_id}/quality", response_model=QualityOut, tags=["newsroom"])
def article_quality(portal: PortalDep, article_id: ArticleId, w: WriterDep) -> QualityOut:
    """The article's quality score and why: what demotes it in hot and personal lists (never hides it)."""
    q = portal.quality(any_article_or_404(portal, article_id))
    return QualityOut(
        article_id=article_id, score=q.score, source_trust=q.trust, explanation=q.explain(),
        reasons=[{"signal": name, "penalty": penalty, "why": why} for name, penalty, why in q.reasons],
    )


@router.put("/sources/{key}/trust", response_model=SourceOut, tags=["newsroom"])
def set_trust(portal: PortalDep, key: Annotated[str, Path(max_length=64)], body: TrustIn,
              w: WriterDep) -> SourceOut:
    """Editors' trust in a source (0–1); it scales the quality score of all its articles (主编 only)."""
    source_or_404(portal, key)
    return source_out(portal.newsroom.set_source_trust(w.actor, key, body.trust))


@router.put("/sources/{key}/self-media", response_model=SelfMediaOut, tags=["newsroom"])
def set_self_media(portal: PortalDep, key: Annotated[str, Path(max_length=64)], body: SelfMediaIn,
                   w: WriterDep) -> SelfMediaOut:
    """A self-media account page's 名称, 简介, 运营主体, 内容类别, 联系方式 (its owner, or 主编)."""
    source = source_or_404(portal, key)
    page = portal.newsroom.update_self_media(w.actor, source.id, body.model_dump())
    return SelfMediaOut(source_id=page.source_id, name=page.name, intro=page.intro, operator=page.operator,
                        category=page.category, contact=page.contact, suspended=page.suspended)
