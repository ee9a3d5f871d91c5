"""Plain domain objects shared by every layer.

They are frozen dataclasses rather than ORM rows so that caches, templates and the recommendation layer
can hold them without a database session, and so that the SQLite and PostgreSQL stores return the same
thing.
"""

from newsportal.domain.model import (
    ApiToken,
    Article,
    ArticleCard,
    ArticleDraft,
    ArticleStatus,
    Channel,
    ChannelKind,
    EventKind,
    Page,
    Revision,
    Source,
    SourceKind,
)

__all__ = [
    "ApiToken",
    "Article",
    "ArticleCard",
    "ArticleDraft",
    "ArticleStatus",
    "Channel",
    "ChannelKind",
    "EventKind",
    "Page",
    "Revision",
    "Source",
    "SourceKind",
]
