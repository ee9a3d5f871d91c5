"""From the portal's domain objects to API responses, and the look-ups every endpoint group shares.

:func:`cards_out` is the one "ids → cards" path of the API: ranked ids go through ``portal.cards``
(:class:`~newsportal.recommend.cards.CardLookup`), which keeps the ranking order and drops articles that are
no longer live.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsportal.domain import Article, ArticleCard, Channel, Source
from newsportal.portal import Portal
from newsportal.store import NotFound
from newsportal.timeutil import iso_beijing
from newsportal.web import views
from newsportal.web.api.schemas import ArticleOut, CardOut, ChannelOut, SourceOut


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
        url=views.article_url(portal.settings.site_url, card),
    )


def cards_out(portal: Portal, ids: Iterable[int], limit: int | None = None) -> list[CardOut]:
    """Cards of the live articles among ``ids``, in the given order."""
    return [card_out(portal, c) for c in portal.cards.by_ids(ids, limit)]


def article_out(portal: Portal, a: Article) -> ArticleOut:
    src = portal.sources[a.source_id]
    views_count, shares = portal.counters.counts(a.id)
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
        views=views_count,
        shares=shares,
    )


def channel_out(portal: Portal, c: Channel) -> ChannelOut:
    parent = portal.channels.get(c.parent_id) if c.parent_id else None
    return ChannelOut(slug=c.slug, name=c.name, kind=c.kind.value, parent=parent.slug if parent else None,
                      module_title=c.module_title)


def source_out(s: Source) -> SourceOut:
    return SourceOut(key=s.key, name=s.name, kind=s.kind.value, about=s.about)


# -- look-ups that answer 404 -------------------------------------------------------------------------
def published_or_404(portal: Portal, article_id: int) -> Article:
    article = views.published_article(portal, article_id=article_id)
    if article is None:
        raise NotFound(f"article {article_id} not found")
    return article


def any_article_or_404(portal: Portal, article_id: int) -> Article:
    """An article in any status (drafts and withdrawn ones too): for token holders only."""
    article = portal.store.get_article(article_id)
    if article is None:
        raise NotFound(f"article {article_id} not found")
    return article


def channel_or_404(portal: Portal, slug: str) -> Channel:
    ch = portal.channels.by_slug(slug)
    if ch is None:
        raise NotFound(f"unknown channel {slug!r}")
    return ch


def section_or_404(portal: Portal, slug: str) -> Channel:
    """A channel that has pins and a page of its own: any but the root."""
    ch = portal.channels.section_by_slug(slug)
    if ch is None:
        raise NotFound(f"unknown channel {slug!r}")
    return ch


def source_or_404(portal: Portal, key: str) -> Source:
    src = portal.sources_by_key.get(key)
    if src is None:
        raise NotFound(f"unknown source {key!r}")
    return src
