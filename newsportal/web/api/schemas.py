"""Request and response models of the JSON API (what the OpenAPI document at /api/v1/docs shows).

Request models forbid unknown fields and use strict types, so a typo or a string id is a 422 naming the field
rather than a silent coercion. The article request model (``ArticleIn``) lives with the newsroom, which
owns the field rules; it is re-exported here so the API's models are in one place.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from newsportal.newsroom.schema import ArticleIn
from newsportal.web.views import MAX_ARTICLE_ID as MAX_ID

__all__ = [
    "ArticleIn", "ArticleOut", "ArticlePage", "CardOut", "ChannelOut", "EventIn", "EventOut", "HistoryOut",
    "PinIn", "QualityOut", "SearchOut", "SourceOut", "TrustIn",
]


# -- responses ----------------------------------------------------------------------------------------
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
    """A list item: what every list endpoint returns per article."""

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
    """``total`` counts at most the pages the list serves; ``total_exact`` false means there are more
    (a big channel's list stops at its newest ``pages`` pages: older articles are found by search)."""

    items: list[CardOut]
    page: int
    per_page: int
    total: int
    pages: int
    total_exact: bool = True


class SearchHitOut(CardOut):
    """A search result: the card plus its title and a snippet with the query words in ``<mark>`` (HTML,
    everything else escaped)."""

    title_html: str
    snippet_html: str


class SearchOut(BaseModel):
    query: str
    items: list[SearchHitOut]
    total: int
    page: int
    per_page: int
    sort: str = "relevance"
    notices: list[str] = []
    truncated: bool = False


class HistoryOut(BaseModel):
    items: list[CardOut]
    retention_days: float


class EventOut(BaseModel):
    counted: bool
    #: why the event was not counted (repeat, bot, reader_flood, unavailable, ...); absent when counted
    reason: str | None = None
    #: live counts; absent when they could not be read (the event's own outcome still stands)
    views: int | None = None
    shares: int | None = None


class QualityOut(BaseModel):
    article_id: int
    score: float
    source_trust: float
    reasons: list[dict]
    explanation: str


# -- requests -----------------------------------------------------------------------------------------
class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article_id: StrictInt = Field(ge=1, le=MAX_ID)
    kind: Literal["view", "share"]
    target: Literal["copy", "wechat", "weibo", "qq", "native"] | None = None


class PinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article_id: StrictInt = Field(ge=1, le=MAX_ID)
    position: StrictInt = Field(default=0, ge=0, le=100)
    hours: float | None = Field(default=None, gt=0, le=24 * 365, description="Unpin after this many hours")


class TrustIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trust: float = Field(ge=0.0, le=1.0)
