"""ids → cards: the one place that turns ranked article ids into the cards a list shows.

Every list on the portal (related, hot, top stories, search, 为你推荐, listings) ranks article ids first and
then needs title, source account and time for each. Doing that in one place keeps two rules in one spot:
the order of the ranking is kept, and an article that is no longer live (withdrawn since the ranking was
made) is dropped rather than shown.

It also keeps the cards it fetched, in a bounded map, so an uncached article page (相关推荐, the story's other
versions, 阅读下一篇) costs no query for cards read recently. A kept card is only trusted while the
catalogue still holds the very entry it was read under: every write that can change a card (an edit, a
withdrawal, a re-clustering, another process's write taken in by sync) replaces or changes the article's
catalogue entry first, so a kept card can never outlive the version it shows. The catalogue stays the one
thing that must be kept in line with the store; this map needs no invalidation of its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence

from newsportal.domain import ArticleCard
from newsportal.recommend.catalog import Entry

#: Fetches cards for ids from the store; ids it does not know are simply absent from the result.
FetchCards = Callable[[Iterable[int]], Mapping[int, ArticleCard]]
#: Answers "is this article live (published) right now" from the in-memory catalogue.
IsLive = Callable[[int], bool]
#: The catalogue entry of a live article (None when it is not live).
EntryOf = Callable[[int], Entry | None]

#: Cards kept: about 0.6 KB each (title, summary, slug), so some 12 MB; enough for what the hot lists,
#: modules and recently read pages show, far less than the corpus the catalogue itself covers.
DEFAULT_CAPACITY = 20_000


class CardLookup:
    """Turns ranked ids into cards, in ranking order, live articles only.

    With ``entry_of`` (the catalogue's ``get``) cards are kept between calls, up to ``capacity``, least
    recently used dropped first; without it every call asks the store.
    """

    def __init__(self, fetch: FetchCards, is_live: IsLive, entry_of: EntryOf | None = None,
                 capacity: int = DEFAULT_CAPACITY):
        self._fetch = fetch
        self._is_live = is_live
        self._entry_of = entry_of
        self._capacity = capacity
        #: id → (the catalogue entry the card was read under, the card)
        self._kept: OrderedDict[int, tuple[Entry, ArticleCard]] = OrderedDict()
        self._lock = threading.Lock()

    def by_ids(self, ids: Iterable[int], limit: int | None = None) -> list[ArticleCard]:
        """Cards for ``ids`` in the given order; unknown or no longer live ids are skipped.

        ``limit`` caps the result after skipping, so a caller that over-fetches ids gets a full list.
        """
        wanted = [aid for aid in dict.fromkeys(ids) if self._is_live(aid)]
        if limit is not None:
            # Over-ask a little: a card can vanish between the catalogue check and the query.
            wanted = wanted[: limit + 8]
        found = self._fetch(wanted) if self._entry_of is None else self._kept_or_fetched(wanted)
        cards = [found[aid] for aid in wanted if aid in found]
        return cards if limit is None else cards[:limit]

    def one(self, article_id: int) -> ArticleCard | None:
        """The card of one live article, or None."""
        cards = self.by_ids([article_id])
        return cards[0] if cards else None

    def forget_all(self) -> None:
        """Drop every kept card (after sources were re-read: a card carries its source's name)."""
        with self._lock:
            self._kept.clear()

    def _kept_or_fetched(self, wanted: Sequence[int]) -> dict[int, ArticleCard]:
        assert self._entry_of is not None
        entry_of = self._entry_of
        found: dict[int, ArticleCard] = {}
        missing: list[tuple[int, Entry]] = []
        with self._lock:
            kept = self._kept
            for aid in wanted:
                entry = entry_of(aid)
                if entry is None:
                    continue
                hit = kept.get(aid)
                # the same entry object, and its story not moved since (set_story changes it in place)
                if hit is not None and hit[0] is entry and (hit[1].story_id or aid) == entry.story_id:
                    kept.move_to_end(aid)
                    found[aid] = hit[1]
                else:
                    missing.append((aid, entry))
        if not missing:
            return found
        # Read outside the lock; each card is kept under the entry seen before the read, so a write that
        # lands meanwhile replaces that entry and the next call reads the card again.
        fetched = self._fetch([aid for aid, _ in missing])
        with self._lock:
            for aid, entry in missing:
                card = fetched.get(aid)
                if card is None:
                    continue
                found[aid] = card
                self._kept[aid] = (entry, card)
                self._kept.move_to_end(aid)
            while len(self._kept) > self._capacity:
                self._kept.popitem(last=False)
        return found

    def __len__(self) -> int:
        """How many cards are kept."""
        return len(self._kept)
