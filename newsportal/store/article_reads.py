"""The reads of an article page, as Core statements built once: the article, and 阅读下一篇.

An uncached article page is built from several reads; through the ORM each paid for building its statement
and for the session around it, and the article alone took four (row, tags, people, totals). Here the
statements are module constants with bound parameters (SQLAlchemy compiles each once and caches it), they run
on a plain connection, and the article takes two: its row with its totals, then its tags and people in one
``UNION ALL``. Issue 13 pins the count (``tests/web/test_article_queries.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, literal_column, or_, select, union_all

from newsportal.domain import Article, ArticleStatus
from newsportal.store.tables import ArticlePersonRow, ArticleRow, ArticleStatsRow, ArticleTagRow, PersonRow

_PUBLISHED = ArticleStatus.PUBLISHED.value

_ARTICLE = select(
    ArticleRow.id, ArticleRow.slug, ArticleRow.title, ArticleRow.summary, ArticleRow.body_html,
    ArticleRow.byline, ArticleRow.channel_id, ArticleRow.source_id, ArticleRow.status,
    ArticleRow.created_at, ArticleRow.updated_at, ArticleRow.published_at, ArticleRow.external_id,
    ArticleRow.original, ArticleRow.revision, ArticleRow.story_id,
    ArticleStatsRow.views, ArticleStatsRow.shares,
).outerjoin(ArticleStatsRow, ArticleStatsRow.article_id == ArticleRow.id)
_BY_ID = _ARTICLE.where(ArticleRow.id == bindparam("ref"))
_BY_SLUG = _ARTICLE.where(ArticleRow.slug == bindparam("ref"))

#: tags (kind 0) and people (kind 1) of one article, each in its own order; a tag has no role
_CREDITS: Any = union_all(
    select(literal_column("0").label("kind"), ArticleTagRow.position.label("position"),
           ArticleTagRow.tag.label("name"), literal_column("''").label("role"))
    .where(ArticleTagRow.article_id == bindparam("aid")),
    select(literal_column("1"), ArticlePersonRow.position, PersonRow.name, ArticlePersonRow.role)
    .join(PersonRow, PersonRow.id == ArticlePersonRow.person_id)
    .where(ArticlePersonRow.article_id == bindparam("aid")),
).order_by("kind", "position")


def read_article(engine: Engine, *, article_id: int | None = None, slug: str | None = None) -> Article | None:
    """The article with this id or slug, whatever its status, with tags, people and totals; None if none."""
    stmt, ref = (_BY_ID, article_id) if article_id is not None else (_BY_SLUG, slug)
    if ref is None:
        raise TypeError("give article_id or slug")
    with engine.connect() as conn:
        row = conn.execute(stmt, {"ref": ref}).first()
        return _article(conn, row) if row is not None else None


def _article(conn: Connection, row: Any) -> Article:
    tags: list[str] = []
    reporters: list[str] = []
    editors: list[str] = []
    for kind, _pos, name, role in conn.execute(_CREDITS, {"aid": row.id}):
        if kind == 0:
            tags.append(name)
        elif role == "reporter":
            reporters.append(name)
        elif role == "editor":
            editors.append(name)
    return Article(
        id=row.id, slug=row.slug, title=row.title, summary=row.summary, body_html=row.body_html,
        byline=row.byline, channel_id=row.channel_id, source_id=row.source_id,
        status=ArticleStatus(row.status), created_at=row.created_at, updated_at=row.updated_at,
        published_at=row.published_at, external_id=row.external_id, original=row.original,
        tags=tuple(tags), reporters=tuple(reporters), editors=tuple(editors),
        view_count=row.views or 0, share_count=row.shares or 0, revision=row.revision,
        story_id=row.story_id,
    )


def _next_candidates() -> Any:
    """阅读下一篇 in one statement: the next older article (rank 0), else the channel's newest (rank 1).

    "Older" is written as ``published_at <= :at AND (published_at < :at OR id < :id)``: the same rows as the
    plain OR, but with a range on ``published_at`` the walk of ``(channel_id, status, published_at)``
    starts at the article instead of at the channel's newest row (which read every newer article of the
    channel first, a cost that grew with the channel).
    """
    base = [
        ArticleRow.channel_id == bindparam("channel"),
        ArticleRow.status == _PUBLISHED,
        ArticleRow.id != bindparam("aid"),
        or_(ArticleRow.story_id.is_(None), ArticleRow.story_id != bindparam("story")),
    ]
    order = (ArticleRow.published_at.desc(), ArticleRow.id.desc())
    older = (
        select(ArticleRow.id.label("id"), literal_column("0").label("rank"))
        .where(*base, ArticleRow.published_at <= bindparam("at"),
               or_(ArticleRow.published_at < bindparam("at"),
                   and_(ArticleRow.published_at == bindparam("at"), ArticleRow.id < bindparam("aid"))))
        .order_by(*order).limit(1).subquery()
    )
    newest = (
        select(ArticleRow.id.label("id"), literal_column("1").label("rank"))
        .where(*base).order_by(*order).limit(1).subquery()
    )
    both = union_all(select(older.c.id, older.c.rank), select(newest.c.id, newest.c.rank)).subquery()
    return select(both.c.id).order_by(both.c.rank).limit(1)


_NEXT = _next_candidates()
_NEWEST_ONLY = (
    select(ArticleRow.id)
    .where(ArticleRow.channel_id == bindparam("channel"), ArticleRow.status == _PUBLISHED,
           ArticleRow.id != bindparam("aid"),
           or_(ArticleRow.story_id.is_(None), ArticleRow.story_id != bindparam("story")))
    .order_by(ArticleRow.published_at.desc(), ArticleRow.id.desc()).limit(1)
)


def next_in_channel(engine: Engine, article_id: int, channel_id: int, published_at: datetime | None,
                    exclude_story: int | None = None) -> int | None:
    """阅读下一篇: the channel's next older published article of another story (the newest one when this is
    the oldest), one statement."""
    params: dict[str, Any] = {"channel": channel_id, "aid": article_id,
                              "story": exclude_story if exclude_story is not None else -1}
    with engine.connect() as conn:
        if published_at is None:
            return conn.execute(_NEWEST_ONLY, params).scalar()
        return conn.execute(_NEXT, {**params, "at": published_at}).scalar()
