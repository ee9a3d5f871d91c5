"""JSON API under ``/api/v1``: read endpoints for everyone, writes for holders of an API token.

Tokens are created with ``newsportal token create``. Every write goes through the newsroom's publish flow,
so API-submitted HTML is sanitized exactly like everything else.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.concurrency import run_in_threadpool

from newsportal.domain import ApiToken, Article, ArticleCard, ArticleStatus
from newsportal.counters import is_bot
from newsportal.newsroom import publish, save_article, withdraw
from newsportal.newsroom.schema import ArticleIn
from newsportal.portal import Portal
from newsportal.store import NotFound
from newsportal.timeutil import iso_beijing
from newsportal.web.errors import api_error
from newsportal.web.views import article_url

READER_COOKIE = "np_rid"
READER_COOKIE_MAX_AGE = 365 * 24 * 3600
_SALT = secrets.token_hex(16)

router = APIRouter(prefix="/api/v1")
ArticleId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Article id")]


def portal_of(request: Request) -> Portal:
    return request.app.state.portal


# -- response models -------------------------------------------------------------------------------
class ChannelOut(BaseModel):
    slug: str
    name: str
    kind: str
    parent: str | None
    module_title: str | None


class SourceOut(BaseModel):
    key: str
    name: str
    kind: str
    about: str


class CardOut(BaseModel):
    id: int
    slug: str
    title: str
    summary: str
    channel: str
    source: str
    source_name: str
    original: bool
    published_at: str
    url: str


class ArticleOut(CardOut):
    byline: str
    body_html: str
    tags: list[str]
    reporters: list[str]
    editors: list[str]
    status: str
    revision: int
    updated_at: str
    external_id: str | None
    views: int
    shares: int


class ArticlePage(BaseModel):
    items: list[CardOut]
    page: int
    per_page: int
    total: int
    pages: int


class EventOut(BaseModel):
    counted: bool
    views: int
    shares: int


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article_id: StrictInt = Field(ge=1, le=2**63 - 1)
    kind: Literal["view", "share"]
    target: Literal["copy", "wechat", "weibo", "qq", "native"] | None = None


# -- conversions ------------------------------------------------------------------------------------
def card_out(portal: Portal, card: ArticleCard) -> CardOut:
    ch = portal.channels.get(card.channel_id)
    src = portal.sources.get(card.source_id)
    return CardOut(
        id=card.id,
        slug=card.slug,
        title=card.title,
        summary=card.summary,
        channel=ch.slug if ch else "",
        source=src.key if src else "",
        source_name=card.source_name,
        original=card.original,
        published_at=iso_beijing(card.published_at),
        url=article_url(portal.settings.site_url, card),
    )


def article_out(portal: Portal, a: Article) -> ArticleOut:
    src = portal.sources[a.source_id]
    views, shares = portal.counters.counts(a.id)
    base = card_out(portal, a.card(src.name))
    return ArticleOut(
        **base.model_dump(),
        byline=a.byline,
        body_html=a.body_html,
        tags=list(a.tags),
        reporters=list(a.reporters),
        editors=list(a.editors),
        status=a.status.value,
        revision=a.revision,
        updated_at=iso_beijing(a.updated_at),
        external_id=a.external_id,
        views=views,
        shares=shares,
    )


# -- auth -------------------------------------------------------------------------------------------
def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> ApiToken:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise _Unauthorized()
    token = portal_of(request).store.verify_token(authorization[7:].strip())
    if token is None:
        raise _Unauthorized()
    return token


class _Unauthorized(Exception):
    pass


async def unauthorized(request: Request, exc: _Unauthorized):
    resp = api_error(401)
    resp.headers["www-authenticate"] = 'Bearer realm="newsportal"'
    return resp


# -- read endpoints ---------------------------------------------------------------------------------
@router.get("/channels", response_model=list[ChannelOut], tags=["read"])
def list_channels(request: Request):
    portal = portal_of(request)
    out = []
    for c in portal.channels:
        parent = portal.channels.get(c.parent_id) if c.parent_id else None
        out.append(ChannelOut(slug=c.slug, name=c.name, kind=c.kind.value,
                              parent=parent.slug if parent else None, module_title=c.module_title))
    return out


@router.get("/sources", response_model=list[SourceOut], tags=["read"])
def list_sources(request: Request):
    return [SourceOut(key=s.key, name=s.name, kind=s.kind.value, about=s.about)
            for s in portal_of(request).sources.values()]


@router.get("/articles", response_model=ArticlePage, tags=["read"])
def list_articles(
    request: Request,
    channel: Annotated[str | None, Query(max_length=40)] = None,
    source: Annotated[str | None, Query(max_length=64)] = None,
    original: bool | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
):
    portal = portal_of(request)
    channel_ids = source_id = None
    if channel is not None:
        ch = portal.channels.by_slug(channel)
        if ch is None:
            raise NotFound(f"unknown channel {channel!r}")
        channel_ids = portal.channels.subtree_ids(ch)
    if source is not None:
        src = portal.sources_by_key.get(source)
        if src is None:
            raise NotFound(f"unknown source {source!r}")
        source_id = src.id
    result = portal.store.list_cards(
        channel_ids=channel_ids, source_id=source_id, original=original, page=page, per_page=per_page
    )
    return ArticlePage(
        items=[card_out(portal, c) for c in result.items],
        page=result.page, per_page=result.per_page, total=result.total, pages=result.pages,
    )


def _published(portal: Portal, article_id: int) -> Article:
    article = portal.store.get_article(article_id)
    if article is None or article.status is not ArticleStatus.PUBLISHED:
        raise NotFound(f"article {article_id} not found")
    return article


@router.get("/articles/{article_id}", response_model=ArticleOut, tags=["read"])
def get_article(request: Request, article_id: ArticleId):
    portal = portal_of(request)
    return article_out(portal, _published(portal, article_id))


@router.get("/articles/{article_id}/related", response_model=list[CardOut], tags=["read"])
def related(request: Request, article_id: ArticleId, limit: Annotated[int, Query(ge=1, le=50)] = 8):
    portal = portal_of(request)
    _published(portal, article_id)
    ranked = portal.related.related(article_id, limit)
    cards = portal.store.cards_by_ids([a for a, _ in ranked])
    return [card_out(portal, cards[a]) for a, _ in ranked if a in cards]


@router.get("/hot", response_model=list[CardOut], tags=["read"])
def hot(
    request: Request,
    channel: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
):
    portal = portal_of(request)
    channel_id = None
    if channel is not None:
        ch = portal.channels.section_by_slug(channel)
        if ch is None:
            raise NotFound(f"unknown channel {channel!r}")
        channel_id = ch.id
    return [card_out(portal, c) for c in portal.hot.cards(limit, channel_id)]


# -- write endpoints --------------------------------------------------------------------------------
def _actor(token: ApiToken) -> str:
    return f"api:{token.name}"


@router.post("/articles", response_model=ArticleOut, status_code=201, tags=["write"])
def create_article(
    request: Request, response: Response, body: ArticleIn, token: ApiToken = Depends(require_token)
):
    """Create an article, or update the one with the same ``external_id`` (idempotent imports)."""
    portal = portal_of(request)
    existed = body.external_id and portal.store.get_article_by_external_id(body.external_id)
    article, _ = save_article(portal, body.draft(), actor=_actor(token), publish_now=body.publish)
    if existed:
        response.status_code = 200
    response.headers["location"] = f"/api/v1/articles/{article.id}"
    return article_out(portal, article)


@router.put("/articles/{article_id}", response_model=ArticleOut, tags=["write"])
def update_article(
    request: Request, article_id: ArticleId, body: ArticleIn, token: ApiToken = Depends(require_token)
):
    portal = portal_of(request)
    article, _ = save_article(
        portal, body.draft(), actor=_actor(token), article_id=article_id, publish_now=body.publish
    )
    return article_out(portal, article)


@router.get("/newsroom/articles/{article_id}", response_model=ArticleOut, tags=["write"])
def get_any_article(request: Request, article_id: ArticleId, token: ApiToken = Depends(require_token)):
    """An article in any status (drafts included), for the token holder's own tools."""
    portal = portal_of(request)
    article = portal.store.get_article(article_id)
    if article is None:
        raise NotFound(f"article {article_id} not found")
    return article_out(portal, article)


@router.post("/articles/{article_id}/publish", response_model=ArticleOut, tags=["write"])
def publish_article(request: Request, article_id: ArticleId, token: ApiToken = Depends(require_token)):
    portal = portal_of(request)
    return article_out(portal, publish(portal, article_id))


@router.post("/articles/{article_id}/withdraw", response_model=ArticleOut, tags=["write"])
def withdraw_article(request: Request, article_id: ArticleId, token: ApiToken = Depends(require_token)):
    portal = portal_of(request)
    return article_out(portal, withdraw(portal, article_id))


# -- events (the page beacon) -----------------------------------------------------------------------
def _valid_reader_id(value: str | None) -> bool:
    return bool(value) and len(value) == 32 and all(c in "0123456789abcdef" for c in value)


@router.post("/events", response_model=EventOut, tags=["events"])
async def record_event(request: Request, response: Response, body: EventIn):
    """The beacon an article page sends for a view or a share; counted once per reader per 30 minutes."""
    portal = portal_of(request)
    if body.article_id not in portal.published:
        raise NotFound(f"article {body.article_id} not found")
    reader = request.cookies.get(READER_COOKIE)
    if not _valid_reader_id(reader):
        # First event from this browser: derive the id from address and agent (salted, so it reveals
        # neither) and hand it out as the cookie, so the first and later events count as one reader.
        client = request.client.host if request.client else ""
        seed = f"{_SALT}|{client}|{request.headers.get('user-agent', '')}"
        reader = hashlib.sha256(seed.encode()).hexdigest()[:32]
        response.set_cookie(
            READER_COOKIE, reader, max_age=READER_COOKIE_MAX_AGE, httponly=True, samesite="lax"
        )
    ua = request.headers.get("user-agent")
    event = portal.event(body.article_id, body.kind, reader, ua)
    counted = portal.counters.record(event)
    if body.kind == "view" and not is_bot(ua):
        portal.personal.record_read(reader, body.article_id)
    views, shares = await run_in_threadpool(portal.counters.counts, body.article_id)
    response.headers["cache-control"] = "no-store"
    return EventOut(counted=counted, views=views, shares=shares)


# -- 为你推荐 (personal feed; the reader is the cookie) ---------------------------------------------------
def reader_of(request: Request) -> str | None:
    reader = request.cookies.get(READER_COOKIE)
    return reader if _valid_reader_id(reader) else None


class HistoryOut(BaseModel):
    items: list[CardOut]
    retention_days: float


@router.get("/me/recommendations", response_model=list[CardOut], tags=["personal"])
def my_recommendations(request: Request, response: Response, limit: Annotated[int, Query(ge=1, le=30)] = 10):
    """为你推荐 for the reader in the cookie (the hot list for a reader without history)."""
    portal = portal_of(request)
    reader = reader_of(request)
    ranked = portal.personal.recommend(reader, limit) if reader else portal.hot.ranked(limit)
    cards = portal.store.cards_by_ids([a for a, _ in ranked])
    response.headers["cache-control"] = "private, no-store"
    return [card_out(portal, cards[a]) for a, _ in ranked if a in cards]


@router.get("/me/history", response_model=HistoryOut, tags=["personal"])
def my_history(request: Request, response: Response):
    portal = portal_of(request)
    reader = reader_of(request)
    ids = portal.personal.history(reader) if reader else []
    cards = portal.store.cards_by_ids(ids)
    response.headers["cache-control"] = "private, no-store"
    return HistoryOut(items=[card_out(portal, cards[a]) for a in ids if a in cards],
                      retention_days=portal.settings.history_days)


@router.delete("/me/history", status_code=204, tags=["personal"])
def clear_my_history(request: Request):
    """Forget everything this reader has read."""
    reader = reader_of(request)
    if reader:
        portal_of(request).personal.clear(reader)
    return Response(status_code=204)


# -- search -------------------------------------------------------------------------------------------
class SearchOut(BaseModel):
    query: str
    items: list[CardOut]
    total: int
    page: int
    per_page: int


@router.get("/search", response_model=SearchOut, tags=["read"])
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=100)],
    page: Annotated[int, Query(ge=1, le=100)] = 1,
    per_page: Annotated[int, Query(ge=1, le=50)] = 20,
):
    portal = portal_of(request)
    hits, total = portal.search(q, page, per_page)
    return SearchOut(query=q, items=[card_out(portal, c) for c in hits], total=total, page=page, per_page=per_page)


# -- newsroom: pins, quality, source trust -------------------------------------------------------------
class PinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article_id: StrictInt = Field(ge=1, le=2**63 - 1)
    position: StrictInt = Field(default=0, ge=0, le=100)
    hours: float | None = Field(default=None, gt=0, le=24 * 365, description="Unpin after this many hours")


class QualityOut(BaseModel):
    article_id: int
    score: float
    source_trust: float
    reasons: list[dict]
    explanation: str


class TrustIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trust: float = Field(ge=0.0, le=1.0)


def _channel(portal: Portal, slug: str):
    ch = portal.channels.section_by_slug(slug)
    if ch is None:
        raise NotFound(f"unknown channel {slug!r}")
    return ch


@router.get("/channels/{slug}/pins", response_model=list[CardOut], tags=["newsroom"])
def list_pins(request: Request, slug: Annotated[str, Path(max_length=40)]):
    portal = portal_of(request)
    ch = _channel(portal, slug)
    ids = portal.pins.get(ch.id, [])
    cards = portal.store.cards_by_ids(ids)
    return [card_out(portal, cards[a]) for a in ids if a in cards]


@router.post("/channels/{slug}/pins", response_model=list[CardOut], tags=["newsroom"])
def pin_article(request: Request, slug: Annotated[str, Path(max_length=40)], body: PinIn,
                token: ApiToken = Depends(require_token)):
    """Pin an article at the top of a channel's top-story module (头条要闻 etc.)."""
    portal = portal_of(request)
    ch = _channel(portal, slug)
    _published(portal, body.article_id)
    portal.pin(ch.id, body.article_id, actor=_actor(token), position=body.position, hours=body.hours)
    return list_pins(request, slug)


@router.delete("/channels/{slug}/pins/{article_id}", status_code=204, tags=["newsroom"])
def unpin_article(request: Request, slug: Annotated[str, Path(max_length=40)], article_id: ArticleId,
                  token: ApiToken = Depends(require_token)):
    portal = portal_of(request)
    ch = _channel(portal, slug)
    if not portal.unpin(ch.id, article_id):
        raise NotFound(f"article {article_id} is not pinned in {slug!r}")
    return Response(status_code=204)


@router.get("/newsroom/articles/{article_id}/quality", response_model=QualityOut, tags=["newsroom"])
def article_quality(request: Request, article_id: ArticleId, token: ApiToken = Depends(require_token)):
    """The article's quality score and why: what demotes it in hot and personal lists (never hides it)."""
    portal = portal_of(request)
    article = portal.store.get_article(article_id)
    if article is None:
        raise NotFound(f"article {article_id} not found")
    q = portal.quality(article)
    return QualityOut(
        article_id=article_id, score=q.score, source_trust=q.trust, explanation=q.explain(),
        reasons=[{"signal": name, "penalty": penalty, "why": why} for name, penalty, why in q.reasons],
    )


@router.put("/sources/{key}/trust", response_model=SourceOut, tags=["newsroom"])
def set_trust(request: Request, key: Annotated[str, Path(max_length=64)], body: TrustIn,
              token: ApiToken = Depends(require_token)):
    """Editors' trust in a source (0–1); it scales the quality score of all its articles."""
    portal = portal_of(request)
    if key not in portal.sources_by_key:
        raise NotFound(f"source {key!r} not found")
    s = portal.set_source_trust(key, body.trust)
    return SourceOut(key=s.key, name=s.name, kind=s.kind.value, about=s.about)
