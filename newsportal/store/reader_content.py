"""Persistence for the reader portal: lead images, 违法和不良信息举报 reports, tag listings.

A standalone repository over the store's Engine (like :mod:`newsportal.store.ingest_sources`), so the Store
facade and its mixins stay as they are. The image record is kept as the JSON of ``StoredImage.to_dict()``;
this module does not import :mod:`newsportal.media` and hands the dict back for the caller to rebuild.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from newsportal.domain import ArticleStatus
from newsportal.store.tables import ArticleRow, ArticleTagRow
from newsportal.store.tables_reader import ArticleImageRow, SiteReportRow
from newsportal.timeutil import utcnow

_PUBLISHED = ArticleStatus.PUBLISHED.value


@dataclass(frozen=True, slots=True)
class LeadImageRecord:
    article_id: int
    image: dict[str, Any]  # StoredImage.to_dict()
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class SiteReport:
    id: int
    article_id: int | None
    category: str
    description: str
    contact: str
    status: str
    created_at: datetime


class ReaderContent:
    """Reads and writes of the reader portal's own tables, and an article query the tag pages need."""

    def __init__(self, engine: Engine):
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _session(self) -> Session:
        return self._sessions()

    # -- lead images ---------------------------------------------------------------------------------
    def set_lead_image(self, article_id: int, image: dict[str, Any], *, caption: str = "", credit: str = "",
                       now: datetime | None = None) -> None:
        """Give an article its lead image (replacing any earlier one)."""
        with self._session() as s, s.begin():
            row = s.get(ArticleImageRow, article_id)
            if row is None:
                row = ArticleImageRow(article_id=article_id, created_at=now or utcnow())
                s.add(row)
            row.image_json = json.dumps(image, ensure_ascii=False)
            row.caption, row.credit = caption[:300], credit[:100]

    def lead_image(self, article_id: int) -> LeadImageRecord | None:
        with self._session() as s:
            row = s.get(ArticleImageRow, article_id)
            return _lead(row) if row is not None else None

    def lead_images(self) -> dict[int, LeadImageRecord]:
        """Every article's lead image (a few hundred bytes each; the pages keep them in memory)."""
        with self._session() as s:
            return {r.article_id: _lead(r) for r in s.scalars(select(ArticleImageRow))}

    # -- reports -------------------------------------------------------------------------------------
    def add_report(self, *, article_id: int | None, category: str, description: str, contact: str,
                   now: datetime | None = None) -> int:
        with self._session() as s, s.begin():
            row = SiteReportRow(article_id=article_id, category=category, description=description,
                                contact=contact, status="new", created_at=now or utcnow())
            s.add(row)
            s.flush()
            return row.id

    def reports(self, limit: int = 100) -> list[SiteReport]:
        """The newest reports first (for the newsroom's queue)."""
        with self._session() as s:
            rows = s.scalars(select(SiteReportRow).order_by(SiteReportRow.id.desc()).limit(limit))
            return [SiteReport(r.id, r.article_id, r.category, r.description, r.contact, r.status,
                               r.created_at) for r in rows]

    def article_exists(self, article_id: int) -> bool:
        with self._session() as s:
            status = s.scalar(select(ArticleRow.status).where(ArticleRow.id == article_id))
            return status == _PUBLISHED

    # -- listings ------------------------------------------------------------------------------------
    def tagged(self, tag: str, *, page: int, per_page: int) -> tuple[list[int], int]:
        """Ids of published articles carrying ``tag``, newest first, one per story; and the total."""
        conds = [
            ArticleTagRow.tag == tag,
            ArticleRow.status == _PUBLISHED,
            or_(ArticleRow.story_id.is_(None), ArticleRow.story_id == ArticleRow.id),
        ]
        base = (
            select(ArticleRow.id)
            .join(ArticleTagRow, ArticleTagRow.article_id == ArticleRow.id)
            .where(*conds)
        )
        with self._session() as s:
            total = s.scalar(select(func.count()).select_from(base.subquery())) or 0
            ids = s.scalars(
                base.order_by(ArticleRow.published_at.desc(), ArticleRow.id.desc())
                .offset((page - 1) * per_page).limit(per_page)
            ).all()
        return list(ids), total


def _lead(row: ArticleImageRow) -> LeadImageRecord:
    return LeadImageRecord(row.article_id, json.loads(row.image_json), row.caption, row.credit)
