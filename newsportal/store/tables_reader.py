"""Tables of the reader portal (issue 11): articles' lead images and readers' 违法和不良信息举报 reports.

Beside :mod:`newsportal.store.tables` on the same declarative ``Base``; the schema is owned by migration
``0006_reader``. The lead image sits in a table of its own keyed by the article rather than as a column of
``articles`` so the article row, its domain type and every writer of it stay untouched: an image is added
after the fact (demo load, an editor's upload) and read by the pages through one lookup.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from newsportal.store.tables import Base


class ArticleImageRow(Base):
    """An article's lead image: the stored image record (``StoredImage.to_dict()`` as JSON) and its words."""

    __tablename__ = "article_images"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    image_json: Mapped[str] = mapped_column(Text)
    caption: Mapped[str] = mapped_column(String(300), default="")
    credit: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SiteReportRow(Base):
    """A reader's report of illegal or harmful content, from the /report form (lands in the newsroom)."""

    __tablename__ = "site_reports"
    __table_args__ = (Index("ix_site_reports_created", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), nullable=True
    )
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(12), default="new")
    created_at: Mapped[datetime] = mapped_column(DateTime)
