"""The newsroom's nouns: channels, sources, articles and their revisions."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar


class ArticleStatus(str, enum.Enum):  # noqa: UP042 - StrEnum would change str(); kept as it is
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class SourceKind(str, enum.Enum):  # noqa: UP042 - see ArticleStatus
    PORTAL = "portal"  # our own newsroom; its originals feed the 态度原创 module
    MEDIA = "media"  # partner media: newspapers, websites, radio
    SELF_MEDIA = "self_media"  # personal accounts (自媒体)


class ChannelKind(str, enum.Enum):  # noqa: UP042 - see ArticleStatus
    ROOT = "root"
    TOP = "top"  # has a top-story module on the article page (头条要闻, 体育要闻, …)
    SUB = "sub"  # a section inside a top channel (国内, 国际, …)
    VERTICAL = "vertical"  # vertical channels listed lower on the page (手机, 房产, …)


class EventKind(str, enum.Enum):  # noqa: UP042 - see ArticleStatus
    VIEW = "view"
    SHARE = "share"


@dataclass(frozen=True, slots=True)
class Channel:
    id: int
    slug: str
    name: str
    kind: ChannelKind
    parent_id: int | None = None
    module_title: str | None = None
    position: int = 0


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    key: str
    name: str
    kind: SourceKind
    trust: float = 0.7
    about: str = ""


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """What a list item needs: title, source account and time (the reference page's list anatomy)."""

    id: int
    slug: str
    title: str
    channel_id: int
    source_id: int
    source_name: str
    published_at: datetime | None
    original: bool = False
    summary: str = ""
    story_id: int | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    slug: str
    title: str
    summary: str
    body_html: str
    byline: str
    channel_id: int
    source_id: int
    status: ArticleStatus
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None
    external_id: str | None = None
    original: bool = False
    tags: tuple[str, ...] = ()
    reporters: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    view_count: int = 0
    share_count: int = 0
    revision: int = 1
    story_id: int | None = None

    def card(self, source_name: str) -> ArticleCard:
        return ArticleCard(
            id=self.id,
            slug=self.slug,
            title=self.title,
            channel_id=self.channel_id,
            source_id=self.source_id,
            source_name=source_name,
            published_at=self.published_at,
            original=self.original,
            summary=self.summary,
            story_id=self.story_id,
        )


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """Input to the publish flow: everything an editor, a partner feed or the API may set.

    ``body_html`` is untrusted here; the publish flow sanitizes it before anything is stored.
    """

    title: str
    body_html: str
    channel_slug: str
    source_key: str
    summary: str = ""
    byline: str = ""
    tags: tuple[str, ...] = ()
    reporters: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    original: bool = False
    external_id: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    id: int
    article_id: int
    number: int
    title: str
    summary: str
    body_html: str
    byline: str
    actor: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A partner's bearer token; ``role`` is the newsroom role code it acts with.

    ``role`` is None for tokens made before tokens had roles: they keep acting with the deployment's
    ``NEWSPORTAL_TOKEN_ROLE``, so upgrading changes nothing for a partner already connected.
    """

    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked: bool = False
    role: str | None = None


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    #: False when ``total`` is a floor: the store stopped counting at the last page it serves (lists of a
    #: big channel are capped, see ``store.base.MAX_LIST_PAGES``), so there are at least that many.
    exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1
