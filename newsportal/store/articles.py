"""Articles: create, edit and change status (each write records a revision), read one, stories.

Writes take a draft whose ``body_html`` is already sanitized; validation lives in the newsroom, so every way
in (editors, feeds, the API) gets the same checks before anything reaches here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from newsportal.domain import Article, ArticleDraft, ArticleStatus, Revision
from newsportal.store.article_reads import next_in_channel, read_article
from newsportal.store.base import Conflict, NotFound, StoreBase, make_slug
from newsportal.store.tables import (
    ArticlePersonRow,
    ArticleRow,
    ArticleStatsRow,
    ArticleTagRow,
    PersonRow,
    RevisionRow,
    SourceRow,
    table_of,
)
from newsportal.timeutil import utcnow


@dataclass(frozen=True)
class ArticleWrite:
    """One write of :meth:`ArticleStore.write_articles`: a new article (``article_id`` None, created with
    ``status``), or an update of ``article_id`` (its content when ``content``, then ``status`` if given)."""

    draft: ArticleDraft
    channel_id: int
    source_id: int
    article_id: int | None = None
    status: ArticleStatus | None = ArticleStatus.DRAFT
    content: bool = True


class ArticleStore(StoreBase):
    # -- writes --------------------------------------------------------------------------------------
    def create_article(
        self,
        draft: ArticleDraft,
        *,
        channel_id: int,
        source_id: int,
        status: ArticleStatus,
        actor: str,
        now: datetime | None = None,
    ) -> Article:
        """Insert an article and its first revision. ``draft.body_html`` must already be sanitized."""
        with self.session() as s, s.begin():
            return self._create_in(s, draft, channel_id, source_id, status, actor, now or utcnow())

    def _create_in(self, s: Session, draft: ArticleDraft, channel_id: int, source_id: int,
                   status: ArticleStatus, actor: str, now: datetime) -> Article:
        published_at = draft.published_at or (now if status is ArticleStatus.PUBLISHED else None)
        if draft.external_id and s.scalar(
            select(ArticleRow.id).where(ArticleRow.external_id == draft.external_id)
        ):
            raise Conflict(f"external id {draft.external_id!r} already exists")
        row = ArticleRow(
            slug=make_slug(published_at or now, draft.external_id),
            external_id=draft.external_id,
            created_at=now,
            status=status.value,
            revision=1,
        )
        _apply(row, draft, channel_id, source_id, now, published_at)
        s.add(row)
        s.flush()
        s.add(ArticleStatsRow(article_id=row.id, views=0, shares=0))
        self._write_links(s, row.id, draft)
        _write_revision(s, row, draft, actor, now)
        return load_article(s, row)

    def update_article(
        self,
        article_id: int,
        draft: ArticleDraft,
        *,
        channel_id: int,
        source_id: int,
        actor: str,
        now: datetime | None = None,
    ) -> Article:
        """Replace an article's content, keeping its id, slug and status, and record a new revision."""
        with self.session() as s, s.begin():
            return self._update_in(s, article_id, draft, channel_id, source_id, actor, now or utcnow())

    def _update_in(self, s: Session, article_id: int, draft: ArticleDraft, channel_id: int, source_id: int,
                   actor: str, now: datetime) -> Article:
        row = s.get(ArticleRow, article_id)
        if row is None:
            raise NotFound(f"article {article_id} not found")
        if draft.external_id and draft.external_id != row.external_id:
            other = s.scalar(select(ArticleRow.id).where(ArticleRow.external_id == draft.external_id))
            if other is not None:
                raise Conflict(f"external id {draft.external_id!r} belongs to article {other}")
            row.external_id = draft.external_id
        published_at = draft.published_at or row.published_at
        _apply(row, draft, channel_id, source_id, now, published_at)
        row.revision += 1
        s.execute(delete(ArticleTagRow).where(ArticleTagRow.article_id == row.id))
        s.execute(delete(ArticlePersonRow).where(ArticlePersonRow.article_id == row.id))
        self._write_links(s, row.id, draft)
        _write_revision(s, row, draft, actor, now)
        return load_article(s, row)

    def write_articles(self, writes: Sequence[ArticleWrite], *, actor: str,
                       now: datetime | None = None) -> list[Article]:
        """Create or update many articles in ONE transaction (a big partner feed): each write is what
        :meth:`create_article`, or :meth:`update_article` plus :meth:`set_status`, would do, with the same
        rows (article, stats, tags, people, a revision). Any failure rolls the whole batch back, so the
        caller can retry item by item and nothing is half-written."""
        now = now or utcnow()
        out: list[Article] = []
        with self.session() as s, s.begin():
            for w in writes:
                if w.article_id is None:
                    out.append(self._create_in(s, w.draft, w.channel_id, w.source_id,
                                                w.status or ArticleStatus.DRAFT, actor, now))
                    continue
                article = (self._update_in(s, w.article_id, w.draft, w.channel_id, w.source_id, actor, now)
                           if w.content else None)
                if w.status is not None and (article is None or article.status is not w.status):
                    article = self._status_in(s, w.article_id, w.status, now)
                if article is None:
                    raise ValueError(f"write of article {w.article_id} changes nothing")
                out.append(article)
        return out

    def set_status(
        self, article_id: int, status: ArticleStatus, now: datetime | None = None
    ) -> Article:
        """Publish, withdraw or return to draft; the first publication stamps ``published_at``."""
        with self.session() as s, s.begin():
            return self._status_in(s, article_id, status, now or utcnow())

    def _status_in(self, s: Session, article_id: int, status: ArticleStatus, now: datetime) -> Article:
        row = s.get(ArticleRow, article_id)
        if row is None:
            raise NotFound(f"article {article_id} not found")
        row.status = status.value
        row.updated_at = now
        if status is ArticleStatus.PUBLISHED and row.published_at is None:
            row.published_at = now
        return load_article(s, row)

    def _write_links(self, s: Session, article_id: int, draft: ArticleDraft) -> None:
        seen: set[str] = set()
        for pos, tag in enumerate(draft.tags):
            if tag not in seen:
                seen.add(tag)
                s.add(ArticleTagRow(article_id=article_id, tag=tag, position=pos))
        for role, names in (("reporter", draft.reporters), ("editor", draft.editors)):
            done: set[str] = set()
            for pos, name in enumerate(names):
                if name in done:
                    continue
                done.add(name)
                s.execute(
                    self.insert(table_of(PersonRow))
                    .values(name=name, role=role)
                    .on_conflict_do_nothing(index_elements=["name", "role"])
                )
                pid = s.scalar(select(PersonRow.id).where(PersonRow.name == name, PersonRow.role == role))
                s.add(ArticlePersonRow(article_id=article_id, person_id=pid, role=role, position=pos))
        s.flush()

    # -- reads ---------------------------------------------------------------------------------------
    def get_article(self, article_id: int) -> Article | None:
        """The article with this id, whatever its status (two statements, see ``article_reads``)."""
        return read_article(self.read_engine, article_id=article_id)

    def get_article_by_slug(self, slug: str) -> Article | None:
        return read_article(self.read_engine, slug=slug)

    def next_in_channel(self, article_id: int, channel_id: int, published_at: datetime | None,
                        exclude_story: int | None = None) -> int | None:
        """阅读下一篇: the channel's next older published article of another story, else its newest."""
        return next_in_channel(self.read_engine, article_id, channel_id, published_at, exclude_story)

    def get_article_by_external_id(self, external_id: str) -> Article | None:
        with self.session() as s:
            row = s.scalar(select(ArticleRow).where(ArticleRow.external_id == external_id))
            return load_article(s, row) if row else None

    def revisions(self, article_id: int) -> list[Revision]:
        """Every saved version of an article, first to last."""
        with self.session() as s:
            rows = s.scalars(
                select(RevisionRow).where(RevisionRow.article_id == article_id).order_by(RevisionRow.number)
            )
            return [
                Revision(r.id, r.article_id, r.number, r.title, r.summary, r.body_html, r.byline, r.actor,
                         r.created_at)
                for r in rows
            ]

    def count_articles(self, status: ArticleStatus | None = None) -> int:
        with self.session() as s:
            q = select(func.count()).select_from(ArticleRow)
            if status is not None:
                q = q.where(ArticleRow.status == status.value)
            return s.scalar(q) or 0

    # -- story clusters ------------------------------------------------------------------------------
    def set_story(self, article_id: int, story_id: int) -> None:
        with self.session() as s, s.begin():
            s.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(story_id=story_id))

    def set_stories(self, story_of: dict[int, int]) -> None:
        """Persist many articles' story ids in one transaction (bulk clustering at start-up)."""
        table = table_of(ArticleRow)
        stmt = update(table).where(table.c.id == bindparam("b_id")).values(story_id=bindparam("b_story"))
        rows = [{"b_id": a, "b_story": s} for a, s in story_of.items()]
        with self.session() as s, s.begin():
            for start in range(0, len(rows), 5000):
                s.connection().execute(stmt, rows[start:start + 5000])

    def relead_story(self, story_id: int) -> int | None:
        """After the story's first article is withdrawn, the earliest published member leads it."""
        with self.session() as s, s.begin():
            members = s.execute(
                select(ArticleRow.id)
                .where(ArticleRow.story_id == story_id, ArticleRow.status == ArticleStatus.PUBLISHED.value)
                .order_by(ArticleRow.published_at, ArticleRow.id)
            ).scalars().all()
            if not members:
                return None
            lead = members[0]
            s.execute(update(ArticleRow).where(ArticleRow.story_id == story_id).values(story_id=lead))
            return lead


def card_query() -> Select[*tuple[Any, ...]]:
    """The columns of an :class:`~newsportal.domain.ArticleCard`, in its field order."""
    return select(
        ArticleRow.id,
        ArticleRow.slug,
        ArticleRow.title,
        ArticleRow.channel_id,
        ArticleRow.source_id,
        SourceRow.name,
        ArticleRow.published_at,
        ArticleRow.original,
        ArticleRow.summary,
        ArticleRow.story_id,
    ).join(SourceRow, SourceRow.id == ArticleRow.source_id)


def load_article(s: Session, row: ArticleRow) -> Article:
    """An article row with its tags, people and totals, as the domain object."""
    tags = tuple(
        s.scalars(
            select(ArticleTagRow.tag)
            .where(ArticleTagRow.article_id == row.id)
            .order_by(ArticleTagRow.position)
        )
    )
    people = s.execute(
        select(PersonRow.name, ArticlePersonRow.role)
        .join(PersonRow, PersonRow.id == ArticlePersonRow.person_id)
        .where(ArticlePersonRow.article_id == row.id)
        .order_by(ArticlePersonRow.position)
    ).all()
    stats = s.get(ArticleStatsRow, row.id)
    return Article(
        id=row.id,
        slug=row.slug,
        title=row.title,
        summary=row.summary,
        body_html=row.body_html,
        byline=row.byline,
        channel_id=row.channel_id,
        source_id=row.source_id,
        status=ArticleStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        published_at=row.published_at,
        external_id=row.external_id,
        original=row.original,
        tags=tags,
        reporters=tuple(n for n, r in people if r == "reporter"),
        editors=tuple(n for n, r in people if r == "editor"),
        view_count=stats.views if stats else 0,
        share_count=stats.shares if stats else 0,
        revision=row.revision,
        story_id=row.story_id,
    )


def _apply(row: ArticleRow, draft: ArticleDraft, channel_id: int, source_id: int, now: datetime,
           published_at: datetime | None) -> None:
    row.title = draft.title
    row.summary = draft.summary
    row.body_html = draft.body_html
    row.byline = draft.byline
    row.channel_id = channel_id
    row.source_id = source_id
    row.original = bool(draft.original)
    row.updated_at = now
    row.published_at = published_at


def _write_revision(s: Session, row: ArticleRow, draft: ArticleDraft, actor: str, now: datetime) -> None:
    s.add(
        RevisionRow(
            article_id=row.id,
            number=row.revision,
            title=row.title,
            summary=row.summary,
            body_html=row.body_html,
            byline=row.byline,
            tags="\n".join(draft.tags),
            actor=actor,
            created_at=now,
        )
    )
