"""ids → cards: the one place that turns ranked article ids into the cards a list shows.

Every list on the portal (related, hot, top stories, search, 为你推荐, listings) ranks article ids first and
then needs title, source account and time for each. Doing that in one place keeps two rules in one spot:
the order of the ranking is kept, and an article that is no longer live (withdrawn since the ranking was
made) is dropped rather than shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from newsportal.domain import ArticleCard

#: Fetches cards for ids from the store; ids it does not know are simply absent from the result.
FetchCards = Callable[[Iterable[int]], Mapping[int, ArticleCard]]
#: Answers "is this article live (published) right now" from the in-memory catalogue.
IsLive = Callable[[int], bool]


class CardLookup:
    """Turns ranked ids into cards, in ranking order, live articles only."""

    def __init__(self, fetch: FetchCards, is_live: IsLive):
        self._fetch = fetch
        self._is_live = is_live

    def by_ids(self, ids: Iterable[int], limit: int | None = None) -> list[ArticleCard]:
        """Cards for ``ids`` in the given order; unknown or no longer live ids are skipped.

        ``limit`` caps the result after skipping, so a caller that over-fetches ids gets a full list.
        """
        wanted = [aid for aid in dict.fromkeys(ids) if self._is_live(aid)]
        if limit is not None:
            # Over-ask a little: a card can vanish between the catalogue check and the query.
            wanted = wanted[: limit + 8]
        found = self._fetch(wanted)
        cards = [found[aid] for aid in wanted if aid in found]
        return cards if limit is None else cards[:limit]

    def one(self, article_id: int) -> ArticleCard | None:
        """The card of one live article, or None."""
        cards = self.by_ids([article_id])
        return cards[0] if cards else None
