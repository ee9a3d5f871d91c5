"""SQLAlchemy 2 table mappings. The schema itself is owned by the Alembic migrations beside this file.

Counters live in ``article_stats``, not on ``articles``: page views write counts, and keeping those writes off
the article row means reads and the publish flow never contend with the event stream.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ChannelRow(Base):
    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"), nullable=True)
    module_title: Mapped[str | None] = mapped_column(String(40), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SourceRow(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    trust: Mapped[float] = mapped_column(Float, default=0.7)
    about: Mapped[str] = mapped_column(Text, default="")


class PersonRow(Base):
    """Reporters and editors, by name as printed in bylines and 责编 credits."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("name", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))


#: "published and leads its story" as each dialect renders ``catalog_reads.LISTED``. ``IS TRUE`` (which
#: changes nothing: the OR is never NULL) makes it one boolean expression that PostgreSQL estimates from the
#: ``st_articles_leads_story`` expression statistics, where the bare OR is guessed at 0.5 % of the rows.
LISTED_SQL = {
    "postgresql": "status = 'published' AND (story_id IS NULL OR story_id = id) IS true",
    "sqlite": "status = 'published' AND (story_id IS NULL OR story_id = id) IS 1",
}


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_channel_pub", "channel_id", "status", "published_at"),
        Index("ix_articles_source_pub", "source_id", "status", "published_at"),
        Index("ix_articles_status_pub", "status", "published_at"),
        Index("ix_articles_updated", "updated_at"),
        # The rows lists show ("published, leads its story"), per channel, newest first: a channel page
        # walks it instead of sorting the channel's subtree. Migration 0008; the predicate must stay the
        # exact expression of ``store.catalog_reads.LISTED`` or the planners will not use it.
        Index("ix_articles_listed_channel_pub", "channel_id", text("published_at DESC"), text("id DESC"),
              postgresql_where=text(LISTED_SQL["postgresql"]), sqlite_where=text(LISTED_SQL["sqlite"])),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text)
    byline: Mapped[str] = mapped_column(String(200), default="")
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    original: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: The story cluster: the id of the cluster's first article (its own id when it starts one).
    story_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class ArticleTagRow(Base):
    __tablename__ = "article_tags"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ArticlePersonRow(Base):
    __tablename__ = "article_people"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class RevisionRow(Base):
    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text)
    byline: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ArticleStatsRow(Base):
    __tablename__ = "article_stats"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[int] = mapped_column(Integer, default=0)


class EventRow(Base):
    """Counted engagement events, kept so decayed hot scores can be rebuilt after a restart."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_at", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(DateTime)


class PinRow(Base):
    """An editor's pin: the article leads its channel's top-story module until unpinned or expired."""

    __tablename__ = "pins"
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    pinned_by: Mapped[str] = mapped_column(String(80), default="")
    pinned_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ReaderHistoryRow(Base):
    """What an anonymous reader (opaque cookie id) read recently, for 为你推荐; pruned after a set time."""

    __tablename__ = "reader_history"
    __table_args__ = (
        Index("ix_reader_history_reader_at", "reader_id", "read_at"),
        Index("ix_reader_history_at", "read_at"),
    )
    reader_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(DateTime)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The newsroom role code the token acts with; NULL = the configured ``NEWSPORTAL_TOKEN_ROLE``.
    role: Mapped[str | None] = mapped_column(String(20), nullable=True)


ALL_TABLES = [
    t.__table__
    for t in (
        ChannelRow,
        SourceRow,
        PersonRow,
        ArticleRow,
        ArticleTagRow,
        ArticlePersonRow,
        RevisionRow,
        ArticleStatsRow,
        EventRow,
        PinRow,
        ReaderHistoryRow,
        ApiTokenRow,
    )
]


def table_of(model: type[Base]) -> Table:
    """A mapped class's Core table, typed as such (``Model.__table__`` is typed as a plain FromClause)."""
    return cast(Table, model.__table__)
