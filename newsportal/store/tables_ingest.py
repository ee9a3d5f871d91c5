"""Tables of partner ingest: the configured sources with their polling state and health, and the items taken.

They live beside :mod:`newsportal.store.tables` on the same declarative ``Base`` (so Alembic sees one
metadata), in a module of their own because ingest is its own aggregate. The schema is owned by migration
``0005_ingest``.

``ingest_sources`` carries the *lease* columns: a poller claims a due source with one conditional UPDATE, so
with several processes each source is polled by exactly one of them, and a crashed poller's claim simply
expires. ``ingested_items`` is what makes a re-fetched item update its article rather than duplicate it: one
row per (source, guid), with the original URL and content hash indexed for the other two ways of
recognising a known story.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from newsportal.store.tables import Base


class IngestSourceRow(Base):
    __tablename__ = "ingest_sources"
    __table_args__ = (
        Index("ix_ingest_sources_due", "enabled", "next_poll_at"),
        Index("ix_ingest_sources_source", "source_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the partner's media source (``sources`` row): its name is the article's credited source
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # feed | pages | ninjs
    url: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # feed URL
    list_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # pages: a list page
    urls_json: Mapped[str] = mapped_column(Text, default="[]")  # pages: article URLs given directly
    link_pattern: Mapped[str | None] = mapped_column(String(300), nullable=True)  # pages: which links count
    channel_slug: Mapped[str] = mapped_column(String(40))
    interval_seconds: Mapped[int] = mapped_column(Integer, default=600)
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)  # publish directly, else wait for review
    full_text: Mapped[bool] = mapped_column(Boolean, default=False)  # feeds: fetch each item's page for text
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # conditional GET validators of the last successful fetch
    etag: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # scheduling and health
    next_poll_at: Mapped[datetime] = mapped_column(DateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive
    last_poll_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    last_error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    items_taken: Mapped[int] = mapped_column(Integer, default=0)
    items_refused: Mapped[int] = mapped_column(Integer, default=0)
    # the poller holding this source, until when
    lease_owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # ninjs push: SHA-256 of the partner's token (the token itself is shown once and never stored)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    token_revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class IngestedItemRow(Base):
    __tablename__ = "ingested_items"
    __table_args__ = (
        UniqueConstraint("ingest_source_id", "guid", name="uq_ingested_items_source_guid"),
        Index("ix_ingested_items_url", "original_url"),
        Index("ix_ingested_items_hash", "content_hash"),
        Index("ix_ingested_items_article", "article_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ingest_source_id: Mapped[int] = mapped_column(ForeignKey("ingest_sources.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(500))
    original_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    original_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)


INGEST_TABLES = [IngestSourceRow.__table__, IngestedItemRow.__table__]
