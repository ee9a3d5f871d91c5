"""Reads for lists and derived views: cards for pages, catalogue and sync rows, texts for the search index.

These are the queries the read path and start-up run in bulk, so each returns exactly the columns its
caller needs, as named rows (:mod:`newsportal.store.rows`) or domain cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, or_, select, true
from sqlalchemy.orm import Session

from newsportal.domain import Article, ArticleCard, ArticleStatus, Page
from newsportal.search.docs import IndexDoc
from newsportal.store.articles import card_query
from newsportal.store.base import MAX_LIST_PAGES, MAX_PER_PAGE, StoreBase
from newsportal.store.rows import CatalogRow, ChangedRow
from newsportal.store.tables import ArticleRow, ArticleTagRow
from newsportal.text import html_to_text

_PUBLISHED = ArticleStatus.PUBLISHED.value
#: "leads its story", written as one boolean expression (``IS TRUE`` changes no row: the OR is never NULL)
#: so that it matches the partial index ``ix_articles_listed_channel_pub`` and PostgreSQL's expression
#: statistics on it (migration 0008); keep it identical to ``tables.LISTED_SQL``.
LEADS_STORY = or_(ArticleRow.story_id.is_(None), ArticleRow.story_id == ArticleRow.id).is_(true())

_NEWEST_ORDER = (ArticleRow.published_at.desc(), ArticleRow.id.desc())
#: built once: the hot-list filler runs on most uncached article pages
_NEWEST = (select(ArticleRow.id).where(ArticleRow.status == _PUBLISHED, LEADS_STORY)
           .order_by(*_NEWEST_ORDER).limit(bindparam("limit")))
_NEWEST_IN = (select(ArticleRow.id)
              .where(ArticleRow.status == _PUBLISHED, LEADS_STORY,
                     ArticleRow.channel_id.in_(bindparam("channels", expanding=True)))
              .order_by(*_NEWEST_ORDER).limit(bindparam("limit")))


class CatalogReadStore(StoreBase):
    # -- cards ---------------------------------------------------------------------------------------
    def list_cards(
        self,
        *,
        channel_ids: Sequence[int] | None = None,
        source_id: int | None = None,
        original: bool | None = None,
        one_per_story: bool = True,
        page: int = 1,
        per_page: int = 20,
    ) -> Page[ArticleCard]:
        """Published articles, newest first, one page of them plus the total.

        With ``one_per_story`` a story carried by several sources appears once, as its first article.
        A list serves at most ``MAX_LIST_PAGES`` pages: the count stops one row past them (then ``total``
        is those pages' worth and ``exact`` False) and a deeper page is empty, so neither the count nor
        the offset grows with the size of a channel.
        """
        page = max(1, int(page))
        per_page = max(1, min(MAX_PER_PAGE, int(per_page)))
        cap = MAX_LIST_PAGES * per_page
        conds = [ArticleRow.status == _PUBLISHED]
        if channel_ids is not None:
            conds.append(ArticleRow.channel_id.in_(list(channel_ids)))
        if source_id is not None:
            conds.append(ArticleRow.source_id == source_id)
        if original is not None:
            conds.append(ArticleRow.original == original)
        if one_per_story:
            conds.append(LEADS_STORY)
        with self.session() as s:
            reach = select(ArticleRow.id).where(*conds).limit(cap + 1).subquery()
            counted = s.scalar(select(func.count()).select_from(reach)) or 0
            if page > MAX_LIST_PAGES:
                return Page(items=[], total=min(counted, cap), page=page, per_page=per_page,
                            exact=counted <= cap)
            rows = s.execute(
                card_query()
                .where(*conds)
                .order_by(ArticleRow.published_at.desc(), ArticleRow.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            ).all()
        return Page(items=[ArticleCard(*r) for r in rows], total=min(counted, cap), page=page,
                    per_page=per_page, exact=counted <= cap)

    def newest_ids(self, channel_ids: Sequence[int] | None = None, limit: int = 20) -> list[int]:
        """Ids of the newest published articles (of ``channel_ids``), one per story: what tops up a thin hot
        list. The first page of :meth:`list_cards` without its count or its cards (the hot list has the
        cards at hand), so it reads ``limit`` rows of the listed index however big the channel is."""
        params: dict[str, object] = {"limit": max(1, int(limit))}
        if channel_ids is None:
            stmt = _NEWEST
        else:
            stmt, params["channels"] = _NEWEST_IN, list(channel_ids)
        with self.read_engine.connect() as conn:
            return list(conn.execute(stmt, params).scalars())

    def cards_by_ids(self, ids: Iterable[int]) -> dict[int, ArticleCard]:
        """Cards of the published articles among ``ids``; lists go through ``recommend.cards.CardLookup``."""
        wanted = list(ids)
        if not wanted:
            return {}
        # Filter on status in Python: with it in SQL, SQLite prefers the (status, published_at) index and
        # scans every published article (20 ms at 100k) instead of looking the ids up (0.05 ms).
        with self.session() as s:
            rows = s.execute(
                card_query().add_columns(ArticleRow.status).where(ArticleRow.id.in_(wanted))
            ).all()
        return {r[0]: ArticleCard(*r[:-1]) for r in rows if r[-1] == _PUBLISHED}

    def story_cards(self, story_id: int) -> list[ArticleCard]:
        """Every published article of a story, oldest first (the first is the one lists show)."""
        with self.session() as s:
            rows = s.execute(
                card_query()
                .where(ArticleRow.story_id == story_id, ArticleRow.status == _PUBLISHED)
                .order_by(ArticleRow.published_at, ArticleRow.id)
            ).all()
        return [ArticleCard(*r) for r in rows]

    # -- catalogue and sync --------------------------------------------------------------------------
    def catalog_rows(self, source_id: int | None = None) -> list[CatalogRow]:
        """Every published article (or one source's), oldest first, as the in-memory catalogue needs it."""
        q = (
            select(ArticleRow.id, ArticleRow.channel_id, ArticleRow.story_id, ArticleRow.published_at,
                   ArticleRow.source_id, ArticleRow.title)
            .where(ArticleRow.status == _PUBLISHED)
            .order_by(ArticleRow.published_at, ArticleRow.id)
        )
        if source_id is not None:
            q = q.where(ArticleRow.source_id == source_id)
        with self.session() as s:
            return [CatalogRow(*r) for r in s.execute(q)]

    def changed_since(self, since: datetime) -> list[ChangedRow]:
        """Articles written at or after ``since``, whatever their status, oldest write first."""
        with self.session() as s:
            return [
                ChangedRow(*r) for r in s.execute(
                    select(ArticleRow.id, ArticleRow.status, ArticleRow.channel_id, ArticleRow.story_id,
                           ArticleRow.published_at, ArticleRow.source_id, ArticleRow.title,
                           ArticleRow.updated_at)
                    .where(ArticleRow.updated_at >= since)
                    .order_by(ArticleRow.updated_at)
                )
            ]

    def catalog_rows_without_story(self) -> list[int]:
        """Ids of published articles not yet clustered (bulk loads, older articles), oldest first."""
        with self.session() as s:
            return list(s.scalars(
                select(ArticleRow.id)
                .where(ArticleRow.status == _PUBLISHED, ArticleRow.story_id.is_(None))
                .order_by(ArticleRow.published_at, ArticleRow.id)
            ))

    # -- texts for the search index and the story clusterer -------------------------------------------
    def index_doc(self, article: Article) -> IndexDoc:
        """The index document of an article already in hand (no query)."""
        return IndexDoc(
            article.id,
            article.title,
            html_to_text(article.body_html),
            article.tags,
            article.channel_id,
            article.source_id,
            article.published_at,
            article.story_id,
        )

    def index_docs_by_ids(self, ids: Sequence[int]) -> list[IndexDoc]:
        """Index documents of the given articles (any status), in the order given; unknown ids are skipped."""
        out = []
        with self.session() as s:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start:start + 500])
                rows = {r.id: r for r in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(chunk)))}
                tags = _tags_of(s, chunk)
                for aid in chunk:
                    r = rows.get(aid)
                    if r is not None:
                        out.append(IndexDoc(r.id, r.title, html_to_text(r.body_html),
                                            tuple(tags.get(aid, ())), r.channel_id, r.source_id,
                                            r.published_at, r.story_id))
        return out

    def recent_index_docs(self, since: datetime) -> Iterator[IndexDoc]:
        """Published articles since ``since``, oldest first, without tags (fills the clustering window)."""
        with self.session() as s:
            rows = s.execute(
                select(ArticleRow)
                .where(ArticleRow.status == _PUBLISHED, ArticleRow.published_at >= since)
                .order_by(ArticleRow.published_at)
            ).scalars().all()
            for r in rows:
                yield IndexDoc(r.id, r.title, html_to_text(r.body_html), (), r.channel_id, r.source_id,
                               r.published_at, r.story_id)


def _tags_of(s: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """Tags of many articles in one query, each article's in its own order."""
    tags: dict[int, list[str]] = {}
    for aid, tag in s.execute(
        select(ArticleTagRow.article_id, ArticleTagRow.tag)
        .where(ArticleTagRow.article_id.in_(list(ids)))
        .order_by(ArticleTagRow.article_id, ArticleTagRow.position)
    ):
        tags.setdefault(aid, []).append(tag)
    return tags
