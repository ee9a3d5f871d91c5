"""What feeds and sitemaps read from the store: narrow queries over published articles.

Functions over a :class:`~newsportal.store.base.StoreBase` rather than store methods, so the store's facade
is not touched; each reads only the columns its document needs (a 50,000-URL sitemap page reads slugs and
times, never bodies).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, select

from newsportal.domain import ArticleStatus
from newsportal.store.base import StoreBase
from newsportal.store.tables import ArticleRow, ArticleTagRow

_PUBLISHED = ArticleStatus.PUBLISHED.value


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One article as a feed entry needs it (times naive UTC, as stored)."""

    id: int
    slug: str
    title: str
    summary: str
    body_html: str
    byline: str
    source_id: int
    published_at: datetime
    updated_at: datetime
    tags: tuple[str, ...] = ()


def feed_rows(store: StoreBase, *, channel_ids: Sequence[int] | None = None, source_id: int | None = None,
              limit: int = 50, with_body: bool = False) -> list[FeedRow]:
    """The newest published articles of a channel set, a source or the whole site."""
    body = ArticleRow.body_html if with_body else literal("")
    q = (select(ArticleRow.id, ArticleRow.slug, ArticleRow.title, ArticleRow.summary, body, ArticleRow.byline,
                ArticleRow.source_id, ArticleRow.published_at, ArticleRow.updated_at)
         .where(ArticleRow.status == _PUBLISHED, ArticleRow.published_at.is_not(None))
         .order_by(ArticleRow.published_at.desc(), ArticleRow.id.desc()).limit(limit))
    if channel_ids is not None:
        q = q.where(ArticleRow.channel_id.in_(list(channel_ids)))
    if source_id is not None:
        q = q.where(ArticleRow.source_id == source_id)
    with store.session() as s:
        rows = list(s.execute(q))
        tags: dict[int, list[str]] = {}
        if rows:
            for aid, tag in s.execute(select(ArticleTagRow.article_id, ArticleTagRow.tag)
                                      .where(ArticleTagRow.article_id.in_([r.id for r in rows]))
                                      .order_by(ArticleTagRow.article_id, ArticleTagRow.position)):
                tags.setdefault(aid, []).append(tag)
    return [FeedRow(r.id, r.slug, r.title, r.summary, r[4], r.byline, r.source_id, r.published_at,
                    r.updated_at, tuple(tags.get(r.id, ()))) for r in rows]


def published_count(store: StoreBase) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(ArticleRow)
                        .where(ArticleRow.status == _PUBLISHED)) or 0


def sitemap_rows(store: StoreBase, offset: int, limit: int) -> list[tuple[str, datetime]]:
    """(slug, last modified) of published articles in id order: stable pages as articles are added."""
    with store.session() as s:
        return [(slug, updated) for slug, updated in s.execute(
            select(ArticleRow.slug, ArticleRow.updated_at).where(ArticleRow.status == _PUBLISHED)
            .order_by(ArticleRow.id).offset(offset).limit(limit))]


def last_modified(store: StoreBase) -> datetime | None:
    """When a published article last changed (the sitemap index's lastmod)."""
    with store.session() as s:
        return s.scalar(select(func.max(ArticleRow.updated_at)).where(ArticleRow.status == _PUBLISHED))


def news_rows(store: StoreBase, since: datetime, limit: int = 1000) -> list[tuple[str, str, datetime]]:
    """(slug, title, published_at) of articles published since ``since`` (naive UTC), newest first."""
    with store.session() as s:
        return [(slug, title, at) for slug, title, at in s.execute(
            select(ArticleRow.slug, ArticleRow.title, ArticleRow.published_at)
            .where(ArticleRow.status == _PUBLISHED, ArticleRow.published_at >= since)
            .order_by(ArticleRow.published_at.desc(), ArticleRow.id.desc()).limit(limit)) if at is not None]
