"""Page view models: what each page shows, assembled from the portal's parts. Handlers stay thin.

Handlers (:mod:`newsportal.web.pages`) parse the request and pick the template; everything a page shows is
decided here, as plain typed values that tests can check without rendering. The modules shared by every
page (hot list, channel top stories, 态度原创, vertical channels) are assembled once per cache period and
reused; only the article's own related list is built per article.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import quote

from newsportal import SITE_NAME
from newsportal.domain import Article, ArticleCard, ArticleStatus, Channel, Page, Source, SourceKind
from newsportal.portal import Portal
from newsportal.recommend.related import top_up
from newsportal.text import html_to_text
from newsportal.timeutil import iso_beijing, utcnow
from newsportal.web.share import ShareTarget, qr_svg, share_targets

HOT_SIZE = 20
RELATED_SIZE = 8
MODULE_SIZE = 5
#: lists carry this many spare items: the join drops stories an earlier module on the page shows
#: (see parts.py), and the spares keep the lists full
SPARE = 8
CHANNEL_PAGE_SIZE = 20
SEARCH_PAGE_SIZE = 20
FORYOU_SIZE = 20
CARE_PREFIX = "/care"
#: The largest article id the store can hold (a 32-bit INTEGER column on PostgreSQL). Larger ids in a URL
#: or a request are refused here, before the database is asked, which would fail instead of finding nothing.
MAX_ARTICLE_ID = 2**31 - 1
#: how each kind of source is named on its pages, in the order the 媒体与账号 page lists them
SOURCE_KINDS = {
    SourceKind.PORTAL: "本站原创",
    SourceKind.MEDIA: "合作媒体",
    SourceKind.SELF_MEDIA: "自媒体账号",
}


@dataclass(frozen=True, slots=True)
class Module:
    """A titled list of headlines, e.g. 体育要闻."""

    title: str
    channel: Channel | None
    items: list[ArticleCard]
    #: article ids an editor pinned here: the page shows them in this module, not in an earlier one
    pinned: frozenset[int] = frozenset()


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
    #: 阅读下一篇: the channel's next older article
    next_card: ArticleCard | None = None
    #: the article's channel's top stories (shown by the 关怀版 page, whose shared modules are left out)
    channel_tops: Module | None = None


def channel_module(portal: Portal, channel: Channel, size: int = MODULE_SIZE + SPARE) -> Module:
    """A channel's top stories: what is hot in its subtree, topped up with its newest articles.

    ``size`` includes spares; the template shows :data:`MODULE_SIZE` after the page's de-duplication."""
    items = portal.hot.top_stories(channel.id, size)
    return Module(channel.module_title or f"{channel.name}要闻", channel, items,
                  frozenset(portal.pins.get(channel.id, [])))


def site_modules(portal: Portal) -> SiteModules:
    originals = portal.store.list_cards(original=True, per_page=MODULE_SIZE + SPARE).items
    return SiteModules(
        assembled_at=utcnow(),
        hot=portal.hot.cards(HOT_SIZE + 2 * SPARE),
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
    ranked = portal.related.related(article.id, RELATED_SIZE + SPARE)
    members = portal.catalog.story_members(article.story_id) if article.story_id is not None else set()
    story = story_cards(portal, members) if article.story_id is not None else []
    picked = [aid for aid, _ in ranked]
    if len(picked) < RELATED_SIZE:  # top up from the channel's hot list, so the module is never near empty
        own = members | {article.id}
        filler = portal.hot.filled_ids(RELATED_SIZE + SPARE, article.channel_id, exclude=own)
        picked = top_up(picked, filler, portal.catalog, own, RELATED_SIZE + SPARE, portal.copies)
    related = portal.cards.by_ids(picked)
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
        next_card=next_article(portal, article),
        # only the 关怀版 page shows them (the standard page has the shared modules): not built otherwise
        channel_tops=(channel_module(portal, portal.channels.top_of(channel)) if prefix == CARE_PREFIX
                      else None),
    )


def story_cards(portal: Portal, members: set[int]) -> list[ArticleCard]:
    """Every live version of a story, oldest first (as the store's ``story_cards`` orders them), from the
    catalogue's members and the kept cards: no query once the cards have been read."""
    cards = portal.cards.by_ids(members)
    cards.sort(key=lambda c: (c.published_at or datetime.min, c.id))
    return cards


def next_article(portal: Portal, article: Article) -> ArticleCard | None:
    """阅读下一篇: the next older article of the same channel (another story), else its newest."""
    next_id = portal.store.next_in_channel(article.id, article.channel_id, article.published_at,
                                           article.story_id)
    if next_id is None:
        return None
    return portal.cards.one(next_id)


def channel_page(portal: Portal, channel: Channel, page: int) -> Page[ArticleCard]:
    """One page of a channel, newest first, one per story; a near copy of a story already on the page
    (one the clustering missed, published within hours) is left out, so the page may hold one card less."""
    listing = portal.store.list_cards(
        channel_ids=portal.channels.subtree_ids(channel), page=page, per_page=CHANNEL_PAGE_SIZE
    )
    return replace(listing, items=portal.copies.distinct_cards(listing.items))


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
    return Page(items=items, total=listing.total, page=listing.page, per_page=listing.per_page,
                exact=listing.exact)


def home_lead(portal: Portal, size: int = 12) -> list[ArticleCard]:
    """The home page's main column: the newest articles across the site."""
    return portal.copies.distinct_cards(portal.store.list_cards(per_page=size + SPARE).items)[:size]


# -- the frame every page shares (header, navigation, footer) --------------------------------------------
@dataclass(frozen=True, slots=True)
class Frame:
    """What base.html needs: the mode, where links point, which channel is current, the canonical URL."""

    care: bool
    prefix: str
    page_kind: str
    nav: list[Channel]
    current_top: Channel | None
    canonical: str | None
    care_switch: str

    def context(self) -> dict[str, object]:
        return {
            "care": self.care,
            "prefix": self.prefix,
            "page_kind": self.page_kind,
            "nav": self.nav,
            "current_top": self.current_top,
            "canonical": self.canonical,
            "care_switch": self.care_switch,
        }


def mode_prefix(care: bool) -> str:
    """Links on a care-mode page stay in care mode."""
    return CARE_PREFIX if care else ""


def care_switch(path: str, care: bool, query: str = "") -> str:
    """The same page in the other mode (进入关怀版 / 退出关怀版), query string kept.

    Always a same-site path: a request path like ``/care//evil.example/x`` would otherwise become the
    protocol-relative ``//evil.example/x``, so runs of slashes collapse to one, and each segment is
    percent-encoded again (the path arrives decoded: a backslash, ``?`` or ``#`` in it stays part of it).
    """
    if care:
        path = path[len(CARE_PREFIX):] if path.startswith(CARE_PREFIX) else path
    path = "/" + "/".join(quote(seg, safe="!$&'()*+,;=:@") for seg in path.split("/") if seg)
    if path != "/" and not care:
        target = CARE_PREFIX + path
    elif not care:
        target = CARE_PREFIX + "/"
    else:
        target = path
    return target + ("?" + query if query else "")


def frame(portal: Portal, *, care: bool, kind: str, path: str, canonical: str | None,
          current_top: Channel | None = None, query: str = "") -> Frame:
    return Frame(
        care=care,
        prefix=mode_prefix(care),
        page_kind=kind,
        nav=portal.channels.navigation(),
        current_top=current_top,
        canonical=canonical,
        care_switch=care_switch(path, care, query),
    )


# -- articles ---------------------------------------------------------------------------------------
def published_article(
    portal: Portal, *, article_id: int | None = None, slug: str | None = None
) -> Article | None:
    """The published article with this id or slug; None for unknown, draft or withdrawn ones."""
    if article_id is not None:
        if not 1 <= article_id <= MAX_ARTICLE_ID:
            return None
        article = portal.store.get_article(article_id)
    elif slug is not None:
        article = portal.store.get_article_by_slug(slug)
    else:
        raise TypeError("give article_id or slug")
    return article if article is not None and article.status is ArticleStatus.PUBLISHED else None


# -- listings (channel, source, search, 为你推荐) ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ListingView:
    """A page that is a titled, paged list of cards (listing.html)."""

    heading: str
    description: str
    canonical: str
    listing: Page[ArticleCard]
    base_path: str
    intro: str | None = None
    crumbs: list[Crumb] | None = None
    subchannels: list[Channel] | None = None
    current_top: Channel | None = None
    query: str = ""
    search_form: bool = False
    history_form: bool = False
    retention_days: int = 0


def _paged(url: str, page: int) -> str:
    return url + (f"?page={page}" if page > 1 else "")


def channel_listing(portal: Portal, channel: Channel, page: int, prefix: str = "") -> ListingView | None:
    """A section channel's page ``page``; None past the last page."""
    listing = channel_page(portal, channel, page)
    if page > listing.pages:
        return None
    return ListingView(
        heading=channel.name,
        description=f"{channel.name}频道最新文章",
        canonical=_paged(f"{portal.settings.site_url}/channel/{channel.slug}", page),
        listing=listing,
        base_path=f"{prefix}/channel/{channel.slug}",
        crumbs=breadcrumb(portal, channel, prefix, tail=None),
        subchannels=portal.channels.children(channel),
        current_top=portal.channels.top_of(channel),
    )


def source_listing(portal: Portal, source: Source, page: int, prefix: str = "") -> ListingView | None:
    """A source account's page ``page``; None past the last page."""
    listing = source_page(portal, source, page)
    if page > listing.pages:
        return None
    kind = SOURCE_KINDS[source.kind]
    return ListingView(
        heading=source.name,
        description=f"{source.name}（{kind}）在{SITE_NAME}发布的文章",
        canonical=_paged(f"{portal.settings.site_url}/source/{source.key}", page),
        listing=listing,
        base_path=f"{prefix}/source/{source.key}",
        intro=source.about if source.about.startswith(kind) else f"{kind}　{source.about}",
    )


def search_listing(portal: Portal, query: str, page: int, prefix: str = "") -> ListingView:
    """Search results (one per story); an empty query shows just the form."""
    cards, total = portal.search(query, page, SEARCH_PAGE_SIZE) if query else ([], 0)
    if not query:
        intro = None
    elif total:
        intro = f"找到约 {total} 篇相关文章，多家媒体对同一事件的报道合并为一条"
    else:
        intro = "没有找到相关文章，换个词试试。"
    return ListingView(
        heading=f"搜索：{query}" if query else "搜索",
        description="在山海新闻中搜索文章",
        canonical=f"{portal.settings.site_url}/search",
        listing=Page(items=cards, total=total, page=page, per_page=SEARCH_PAGE_SIZE),
        base_path=f"{prefix}/search?q={quote(query)}",
        intro=intro,
        query=query,
        search_form=True,
    )


def foryou_listing(portal: Portal, reader: str | None, prefix: str = "") -> ListingView:
    """为你推荐 for ``reader`` (by what they read), or what everyone reads for a reader without history."""
    ranked = portal.personal.recommend(reader, FORYOU_SIZE) if reader else portal.hot.ranked(FORYOU_SIZE)
    items = portal.cards.by_ids(aid for aid, _ in ranked)
    has_history = reader is not None and bool(portal.personal.history(reader))
    return ListingView(
        heading="为你推荐",
        description="根据你最近读过的文章推荐",
        canonical=f"{portal.settings.site_url}/foryou",
        listing=Page(items=items, total=len(items), page=1, per_page=FORYOU_SIZE),
        base_path=f"{prefix}/foryou",
        intro="根据你最近读过的文章挑选，已读过的和重复报道不会出现。" if has_history
        else "你还没有阅读记录，先看看大家都在读什么。",
        history_form=bool(reader),
        retention_days=int(portal.settings.history_days),
    )


@dataclass(frozen=True, slots=True)
class SourceGroup:
    title: str
    sources: list[Source]


def source_groups(portal: Portal) -> list[SourceGroup]:
    """媒体与账号: every source, grouped by kind; empty kinds are left out."""
    groups = []
    for kind, title in SOURCE_KINDS.items():
        members = [s for s in portal.sources.values() if s.kind is kind]
        if members:
            groups.append(SourceGroup(title, members))
    return groups
