"""Reader search: BM25 (blended with recency) over the index, live articles only, one per story, as cards
with the reader's words marked in the title and a snippet.

Stories are merged before paging, so every page is cut from the same deduplicated ranking; relevance order
re-ranks a fixed pool of BM25 hits (:data:`~newsportal.search.ranking.POOL`) so pages agree with each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from newsportal.domain import ArticleCard
from newsportal.recommend.cards import CardLookup
from newsportal.recommend.catalog import Catalog, one_per_story
from newsportal.recommend.copies import CopyGuard
from newsportal.search.highlight import highlight, snippet
from newsportal.search.index import TextIndex
from newsportal.search.query import EmptyQuery, ParsedQuery, parse_query
from newsportal.search.ranking import POOL, SORTS, SearchFilters, blend
from newsportal.timeutil import to_epoch, utcnow

#: The deepest hit reader search looks at; beyond it the index is asked for no more.
MAX_HITS = 2000


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: the card, its title with the query words in ``<mark>``, and a marked snippet."""

    card: ArticleCard
    title_html: Markup
    snippet_html: Markup


@dataclass(frozen=True, slots=True)
class SearchResults:
    hits: list[SearchHit]
    total: int  # matching stories when the whole ranking was seen, else the index's article count
    page: int
    per_page: int
    query: ParsedQuery
    sort: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


class ReaderSearch:
    def __init__(self, index: TextIndex, catalog: Catalog, cards: CardLookup,
                 clock: Callable[[], datetime] = utcnow, copies: CopyGuard | None = None):
        self._index = index
        self._copies = copies
        self._catalog = catalog
        self._cards = cards
        self._clock = clock

    def find(self, query: ParsedQuery, page: int = 1, per_page: int = 20,
             filters: SearchFilters | None = None, sort: str = "relevance",
             now: datetime | None = None) -> SearchResults:
        """One page of results for a parsed query; ``sort`` is ``relevance`` (BM25 + recency) or ``time``."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        wanted = page * per_page
        if sort == "time":
            limit = min(wanted * 3 + 20, MAX_HITS)
            hits, total = self._index.search(query, limit=limit, filters=filters, by_time=True)
            ids = [a for a, _ in hits if a in self._catalog]
        else:
            limit = min(max(POOL, wanted * 3 + 20), MAX_HITS)
            hits, total = self._index.search(query, limit=limit, filters=filters)
            at = to_epoch(now or self._clock())
            scored = []
            for aid, score in hits:
                entry = self._catalog.get(aid)
                if entry is not None:
                    scored.append((blend(score, at - entry.published), aid))
            scored.sort(key=lambda s: (-s[0], -s[1]))
            ids = [aid for _, aid in scored]
        # one per story; with the copy guard also no near copy of a better hit (a copy clustering missed)
        ranked = self._copies.distinct(ids) if self._copies is not None else one_per_story(ids, self._catalog)
        if len(hits) < limit:  # the whole ranking was seen: count stories, not articles
            total = len(ranked)
        cards = self._cards.by_ids(ranked[(page - 1) * per_page: wanted])
        terms = query.highlight_terms
        texts = self._index.stored_texts(c.id for c in cards)
        out = [SearchHit(c, highlight(c.title, terms), snippet(texts.get(c.id) or c.summary, terms))
               for c in cards]
        return SearchResults(out, total, page, per_page, query, sort)

    def search(self, text: str, page: int = 1, per_page: int = 20) -> tuple[list[ArticleCard], int]:
        """Cards and total for the reader's text (no searchable word: nothing)."""
        try:
            query = parse_query(text)
        except EmptyQuery:
            return [], 0
        found = self.find(query, page, per_page)
        return [h.card for h in found.hits], found.total
