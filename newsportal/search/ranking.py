"""How reader search orders and narrows results: BM25 blended with recency, and the filters.

BM25 alone ranks a three-year-old article that repeats the query words above this morning's story; news
readers mostly want the recent one. The blend keeps relevance in charge: the newest article's score is raised
by at most ``RECENCY_WEIGHT`` (×1.6), halving every ``HALF_LIFE_DAYS``, so an old article that matches
much better still wins. The blend is applied to the top ``POOL`` BM25 hits, a pool of fixed size so every
results page is cut from the same ranking.

Filters (channel and its sub-channels, source, publish date range) are pushed into the tantivy query so the
count and the deep pages stay right, instead of being applied to a truncated hit list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import tantivy

from newsportal.timeutil import to_epoch

RECENCY_WEIGHT = 0.6
HALF_LIFE_DAYS = 7.0
POOL = 300  # BM25 hits re-ranked by the blend (a reader rarely pages past 15 pages of 20)
SORTS = ("relevance", "time")


def blend(bm25: float, age_seconds: float) -> float:
    """BM25 raised for recent articles: ×(1 + RECENCY_WEIGHT) when new, halving every HALF_LIFE_DAYS."""
    age_days = max(0.0, age_seconds) / 86_400
    return bm25 * (1.0 + RECENCY_WEIGHT * 0.5 ** (age_days / HALF_LIFE_DAYS))


@dataclass(frozen=True)
class SearchFilters:
    """What a search is narrowed to; ``None`` means no restriction on that field.

    ``channel_ids`` is the chosen channel with all its sub-channels (an article filed under 本地/民生 is in
    本地); ``since``/``until`` bound the publish time (aware, or naive UTC; inclusive).
    """

    channel_ids: tuple[int, ...] | None = None
    source_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None

    @property
    def empty(self) -> bool:
        return self.channel_ids is None and self.source_id is None and self.since is None \
            and self.until is None

    def apply(self, schema: tantivy.Schema, query: tantivy.Query) -> tantivy.Query:
        """``query`` AND every filter, as one boolean query (filters do not change scores)."""
        if self.empty:
            return query
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [(tantivy.Occur.Must, query)]

        def must(q: tantivy.Query) -> None:
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(q, 0.0)))

        if self.channel_ids is not None:
            must(_any_of(schema, "channel", self.channel_ids))
        if self.source_id is not None:
            must(tantivy.Query.term_query(schema, "source", self.source_id))
        if self.since is not None or self.until is not None:
            must(tantivy.Query.range_query(
                schema, "published", tantivy.FieldType.Integer,
                int(to_epoch(self.since)) if self.since else None,
                int(to_epoch(self.until)) if self.until else None,
            ))
        return tantivy.Query.boolean_query(clauses)


def _any_of(schema: tantivy.Schema, field: str, values: Iterable[int]) -> tantivy.Query:
    values = list(values)
    if not values:
        return tantivy.Query.empty_query()
    return tantivy.Query.term_set_query(schema, field, values)
