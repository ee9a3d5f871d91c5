"""Reader search: BM25 hits from the index, live articles only, one per story, as cards."""

from __future__ import annotations

from newsportal.domain import ArticleCard
from newsportal.recommend.cards import CardLookup
from newsportal.recommend.catalog import Catalog, one_per_story
from newsportal.search.index import TextIndex

#: The deepest hit reader search looks at; beyond it the index is asked for no more.
MAX_HITS = 2000


class ReaderSearch:
    def __init__(self, index: TextIndex, catalog: Catalog, cards: CardLookup):
        self._index = index
        self._catalog = catalog
        self._cards = cards

    def search(self, text: str, page: int = 1, per_page: int = 20) -> tuple[list[ArticleCard], int]:
        """One page of results and the index's total hit count."""
        # Stories are merged before paging, so every page is taken from the same deduplicated ranking.
        hits, total = self._index.search(text, limit=min(page * per_page * 3 + 20, MAX_HITS))
        ranked = one_per_story([a for a, _ in hits if a in self._catalog], self._catalog)
        return self._cards.by_ids(ranked[(page - 1) * per_page: page * per_page]), total
