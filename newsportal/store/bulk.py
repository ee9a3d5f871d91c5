"""Bulk loading: many new, already-sanitized, published articles in one transaction (load tests, imports).

Two writers behind one function. On PostgreSQL the rows go in with ``COPY … FROM STDIN`` after reserving
their ids from the table's sequence (one round trip per table per batch, no per-row statement parsing:
what makes a 1,000,000-article load take minutes instead of most of an hour). Elsewhere (SQLite) they go
through the ORM's flush and Core ``executemany``, which SQLite runs in-process anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from newsportal.domain import ArticleDraft, ArticleStatus
from newsportal.store.base import StoreBase, make_slug
from newsportal.store.tables import (
    ArticlePersonRow,
    ArticleRow,
    ArticleStatsRow,
    ArticleTagRow,
    PersonRow,
    RevisionRow,
    table_of,
)
from newsportal.timeutil import utcnow

_ARTICLE_COLUMNS = ("slug", "external_id", "title", "summary", "body_html", "byline", "channel_id",
                    "source_id", "original", "status", "revision", "created_at", "updated_at", "published_at")


def bulk_create(
    store: StoreBase,
    items: Sequence[tuple[ArticleDraft, int, int]],
    *,
    actor: str,
    now: datetime | None = None,
    own_story_before: datetime | None = None,
) -> int:
    """Insert (draft, channel id, source id) items as published articles; returns how many.

    The per-article path (:meth:`Store.create_article`) does several round trips per article; this one does a
    fixed number per batch. Nothing is indexed here (``newsportal reindex`` or the next :meth:`Portal.start`
    does), and articles are left without a story, for the next start to cluster — except, with
    ``own_story_before``, those published before it: they are written as their own story. The caller passes
    the clustering window's edge (``now`` minus ``recommend.stories.WINDOW_HOURS``): a new article only
    ever joins articles inside the window, so an older one can gain no copy, and clustering it at start
    (1.2 ms each, 20 minutes per million) would only group old copies among themselves. Deciding it here
    costs one column of the insert; deciding it later would cost an UPDATE of every old row.
    """
    if not items:
        return 0
    now = now or utcnow()
    articles = [_article_values(draft, channel_id, source_id, now) for draft, channel_id, source_id in items]
    with store.session() as s, s.begin():
        people = _people(store, s, items)
        if store.dialect == "postgresql":
            ids = _reserve_ids(s, len(articles))
            _copy(s, "articles", ("id", *_ARTICLE_COLUMNS, "story_id"),
                  [(aid, *(a[c] for c in _ARTICLE_COLUMNS), aid if _settled(a, own_story_before) else None)
                   for aid, a in zip(ids, articles, strict=True)])
        else:
            rows = [ArticleRow(**a) for a in articles]
            s.add_all(rows)
            s.flush()
            ids = [row.id for row in rows]
            settled = [aid for aid, a in zip(ids, articles, strict=True) if _settled(a, own_story_before)]
            for start in range(0, len(settled), 500):
                s.execute(update(table_of(ArticleRow)).where(table_of(ArticleRow).c.id.in_(
                    settled[start:start + 500])).values(story_id=table_of(ArticleRow).c.id))
        children = _children(ids, articles, items, people, actor)
        for table, data in zip((ArticleTagRow, ArticlePersonRow, RevisionRow, ArticleStatsRow), children,
                               strict=True):
            if not data:
                continue
            if store.dialect == "postgresql":
                cols = tuple(data[0])
                _copy(s, table_of(table).name, cols, [tuple(row[c] for c in cols) for row in data])
            else:
                s.execute(table_of(table).insert(), data)
    return len(articles)


def _article_values(draft: ArticleDraft, channel_id: int, source_id: int, now: datetime) -> dict[str, Any]:
    published_at = draft.published_at or now
    return {
        "slug": make_slug(published_at, draft.external_id), "external_id": draft.external_id,
        "title": draft.title, "summary": draft.summary, "body_html": draft.body_html, "byline": draft.byline,
        "channel_id": channel_id, "source_id": source_id, "original": draft.original,
        "status": ArticleStatus.PUBLISHED.value, "revision": 1,
        "created_at": published_at, "updated_at": published_at, "published_at": published_at,
    }


def _settled(article: dict[str, Any], own_story_before: datetime | None) -> bool:
    """Whether a new article stands as its own story (published before the clustering window's edge)."""
    return own_story_before is not None and article["published_at"] < own_story_before


def _people(store: StoreBase, s: Session, items: Sequence[tuple[ArticleDraft, int, int]]) -> dict:
    """(name, role) → person id, creating the people the batch names that the store lacks."""
    needed = {(n, "reporter") for d, _, _ in items for n in d.reporters}
    needed |= {(n, "editor") for d, _, _ in items for n in d.editors}
    for name, role in needed:
        s.execute(
            store.insert(table_of(PersonRow))
            .values(name=name, role=role)
            .on_conflict_do_nothing(index_elements=["name", "role"])
        )
    return {(name, role): pid for pid, name, role in s.execute(select(PersonRow.id, PersonRow.name,
                                                                      PersonRow.role))}


def _children(ids: Sequence[int], articles: Sequence[dict[str, Any]],
              items: Sequence[tuple[ArticleDraft, int, int]], people: dict,
              actor: str) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Tag, people, revision and stats rows of the new articles (dicts with the same keys per table)."""
    tag_rows: list[dict] = []
    person_rows: list[dict] = []
    rev_rows: list[dict] = []
    stat_rows: list[dict] = []
    for aid, row, (draft, _, _) in zip(ids, articles, items, strict=True):
        tag_rows += [{"article_id": aid, "tag": t, "position": i}
                     for i, t in enumerate(dict.fromkeys(draft.tags))]
        for role, names in (("reporter", draft.reporters), ("editor", draft.editors)):
            person_rows += [
                {"article_id": aid, "person_id": people[(n, role)], "role": role, "position": i}
                for i, n in enumerate(dict.fromkeys(names))
            ]
        rev_rows.append({
            "article_id": aid, "number": 1, "title": row["title"], "summary": row["summary"],
            "body_html": row["body_html"], "byline": row["byline"], "tags": "\n".join(draft.tags),
            "actor": actor, "created_at": row["created_at"],
        })
        stat_rows.append({"article_id": aid, "views": 0, "shares": 0})
    return tag_rows, person_rows, rev_rows, stat_rows


def _reserve_ids(s: Session, n: int) -> list[int]:
    """``n`` fresh article ids from the id sequence, so COPY can write ids the child rows refer to."""
    return list(s.scalars(
        text("SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, :n)"),
        {"n": n},
    ))


def _copy(s: Session, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """``COPY table (columns) FROM STDIN`` on the session's own connection (inside its transaction)."""
    raw: Any = s.connection().connection.driver_connection  # the psycopg 3 connection under SQLAlchemy
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
