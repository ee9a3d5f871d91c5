"""Bulk loading: many new, already-sanitized, published articles in one transaction (load tests, imports)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

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


def bulk_create(
    store: StoreBase,
    items: Sequence[tuple[ArticleDraft, int, int]],
    *,
    actor: str,
    now: datetime | None = None,
) -> int:
    """Insert (draft, channel id, source id) items as published articles; returns how many.

    The per-article path (:meth:`Store.create_article`) does several round trips per article; this one does a
    fixed number per batch, which is what makes a 100,000-article synthetic corpus load in minutes. Nothing
    is clustered or indexed here: the next :meth:`Portal.start` does that for articles without a story.
    """
    if not items:
        return 0
    now = now or utcnow()
    with store.session() as s, s.begin():
        people: dict[tuple[str, str], int] = {}
        needed = {(n, "reporter") for d, _, _ in items for n in d.reporters}
        needed |= {(n, "editor") for d, _, _ in items for n in d.editors}
        for name, role in needed:
            s.execute(
                store.insert(table_of(PersonRow))
                .values(name=name, role=role)
                .on_conflict_do_nothing(index_elements=["name", "role"])
            )
        for pid, name, role in s.execute(select(PersonRow.id, PersonRow.name, PersonRow.role)):
            people[(name, role)] = pid
        rows = []
        for draft, channel_id, source_id in items:
            published_at = draft.published_at or now
            rows.append(
                ArticleRow(
                    slug=make_slug(published_at, draft.external_id),
                    external_id=draft.external_id,
                    title=draft.title,
                    summary=draft.summary,
                    body_html=draft.body_html,
                    byline=draft.byline,
                    channel_id=channel_id,
                    source_id=source_id,
                    original=draft.original,
                    status=ArticleStatus.PUBLISHED.value,
                    revision=1,
                    created_at=published_at,
                    updated_at=published_at,
                    published_at=published_at,
                )
            )
        s.add_all(rows)
        s.flush()
        tag_rows: list[dict] = []
        person_rows: list[dict] = []
        rev_rows: list[dict] = []
        stat_rows: list[dict] = []
        for row, (draft, _, _) in zip(rows, items, strict=True):
            tag_rows += [
                {"article_id": row.id, "tag": t, "position": i}
                for i, t in enumerate(dict.fromkeys(draft.tags))
            ]
            for role, names in (("reporter", draft.reporters), ("editor", draft.editors)):
                person_rows += [
                    {"article_id": row.id, "person_id": people[(n, role)], "role": role, "position": i}
                    for i, n in enumerate(dict.fromkeys(names))
                ]
            rev_rows.append(
                {
                    "article_id": row.id, "number": 1, "title": row.title, "summary": row.summary,
                    "body_html": row.body_html, "byline": row.byline, "tags": "\n".join(draft.tags),
                    "actor": actor, "created_at": row.created_at,
                }
            )
            stat_rows.append({"article_id": row.id, "views": 0, "shares": 0})
        for table, data in (
            (table_of(ArticleTagRow), tag_rows),
            (table_of(ArticlePersonRow), person_rows),
            (table_of(RevisionRow), rev_rows),
            (table_of(ArticleStatsRow), stat_rows),
        ):
            if data:
                s.execute(table.insert(), data)
    return len(rows)
