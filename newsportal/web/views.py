"""Page view models: what each page shows, assembled from the portal's parts. Handlers stay thin.

The modules shared by every page (hot list, channel top stories, 态度原创, vertical channels) are assembled
once per cache period and reused; only the article's own related list is built per article.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from newsportal import SITE_NAME
from newsportal.domain import Article, ArticleCard, Channel, Page, Source
from newsportal.portal import Portal
from newsportal.text import html_to_text
from newsportal.timeutil import iso_beijing, utcnow
from newsportal.web.share import ShareTarget, qr_svg, share_targets

HOT_SIZE = 20
RELATED_SIZE = 8
MODULE_SIZE = 5
CHANNEL_PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class Module:
    """A titled list of headlines, e.g. 体育要闻."""

    title: str
    channel: Channel | None
    items: list[ArticleCard]


@dataclass(frozen=True, slots=True)
class SiteModules:
    assembled_at: datetime
    hot: list[ArticleCard]
    tops: list[Module]
    original: Module
    verticals: list[Module]


@dataclass(frozen=True, slots=True)
class Crumb:
    label: str
    href: str | None


@dataclass(slots=True)
class ArticleView:
    article: Article
    channel: Channel
    source: Source
    breadcrumb: list[Crumb]
    related: list[ArticleCard]
    canonical: str
    share: list[ShareTarget]
    qr_svg: str
    json_ld: str
    show_byline: bool
    story: list[ArticleCard]  # every source's version of this story (one element: not syndicated)
    extra: dict = field(default_factory=dict)


def channel_module(portal: Portal, channel: Channel, size: int = MODULE_SIZE) -> Module:
    """A channel's top stories: what is hot in its subtree, topped up with its newest articles."""
    items = portal.hot.top_stories(channel.id, size)
    return Module(channel.module_title or f"{channel.name}要闻", channel, items)


def site_modules(portal: Portal) -> SiteModules:
    originals = portal.store.list_cards(original=True, per_page=MODULE_SIZE).items
    return SiteModules(
        assembled_at=utcnow(),
        hot=portal.hot.cards(HOT_SIZE),
        tops=[channel_module(portal, c) for c in portal.top_channels()],
        original=Module("态度原创", None, originals),
        verticals=[channel_module(portal, c) for c in portal.vertical_channels()],
    )


def breadcrumb(portal: Portal, channel: Channel, prefix: str = "", tail: str | None = "正文") -> list[Crumb]:
    crumbs = []
    for node in portal.channels.ancestors(channel):
        href = f"{prefix}/" if node.parent_id is None else f"{prefix}/channel/{node.slug}"
        crumbs.append(Crumb(node.name, href))
    if tail:
        crumbs.append(Crumb(tail, None))
    return crumbs


def article_url(site_url: str, article: Article | ArticleCard) -> str:
    return f"{site_url}/a/{article.slug}.html"


def json_ld(portal: Portal, article: Article, channel: Channel, source: Source, url: str) -> str:
    authors = [{"@type": "Person", "name": n} for n in article.reporters] or [
        {"@type": "Organization", "name": source.name}
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": iso_beijing(article.published_at),
        "dateModified": iso_beijing(article.updated_at),
        "author": authors,
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "sourceOrganization": {"@type": "Organization", "name": source.name},
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "articleSection": channel.name,
        "keywords": list(article.tags),
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
    }
    # Escape "<" so article text can never close the surrounding <script> element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def article_view(portal: Portal, article: Article, prefix: str = "") -> ArticleView:
    channel = portal.channels.get(article.channel_id)
    source = portal.sources.get(article.source_id)
    if channel is None or source is None:  # a row pointing at a deleted channel/source: treat as missing
        raise LookupError(f"article {article.id} has no channel or source")
    ranked = portal.related.related(article.id, RELATED_SIZE)
    story = portal.store.story_cards(article.story_id) if article.story_id is not None else []
    by_id = portal.store.cards_by_ids([aid for aid, _ in ranked])
    related = [by_id[aid] for aid, _ in ranked if aid in by_id]
    url = article_url(portal.settings.site_url, article)
    first_line = html_to_text(article.body_html[:600]).split("\n", 1)[0]
    return ArticleView(
        article=article,
        channel=channel,
        source=source,
        breadcrumb=breadcrumb(portal, channel, prefix),
        related=related,
        canonical=url,
        share=share_targets(url, article.title),
        qr_svg=qr_svg(url),
        json_ld=json_ld(portal, article, channel, source, url),
        show_byline=bool(article.byline) and not first_line.startswith(article.byline[:6]),
        story=story,
    )


def channel_page(portal: Portal, channel: Channel, page: int) -> Page[ArticleCard]:
    return portal.store.list_cards(
        channel_ids=portal.channels.subtree_ids(channel), page=page, per_page=CHANNEL_PAGE_SIZE
    )


def source_page(portal: Portal, source: Source, page: int) -> Page[ArticleCard]:
    """A source's own articles, including its copies of stories others carry too (once per story)."""
    listing = portal.store.list_cards(
        source_id=source.id, one_per_story=False, page=page, per_page=CHANNEL_PAGE_SIZE
    )
    seen: set[int] = set()
    items = []
    for card in listing.items:
        key = card.story_id or card.id
        if key not in seen:
            seen.add(key)
            items.append(card)
    return Page(items=items, total=listing.total, page=listing.page, per_page=listing.per_page)


def home_lead(portal: Portal, size: int = 12) -> list[ArticleCard]:
    """The home page's main column: the newest articles across the site."""
    return portal.store.list_cards(per_page=size).items
