"""热点推荐: articles ranked by decayed engagement, globally or within a channel's subtree.

When too few articles have engagement (a new site, a quiet channel), the list is topped up with the newest
articles so the module is never half empty.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from newsportal.domain import ArticleCard
from newsportal.store import Store


class HotList:
    def __init__(self, store: Store, top: Callable[..., list[tuple[int, float]]]):
        self.store = store
        self._top = top

    def ids(
        self,
        n: int,
        channel_ids: Collection[int] | None = None,
        channel_of: Callable[[int], int | None] | None = None,
        exclude: Collection[int] = (),
    ) -> list[int]:
        keep = None
        if channel_ids is not None and channel_of is not None:
            allowed = set(channel_ids)

            def keep(aid: int) -> bool:
                return channel_of(aid) in allowed

        # Ask for extra: some of the top ids may be withdrawn or excluded.
        ranked = self._top(n + len(exclude) + 10, keep)
        excluded = set(exclude)
        return [aid for aid, _ in ranked if aid not in excluded][: n + 10]

    def cards(
        self,
        n: int,
        channel_ids: Collection[int] | None = None,
        channel_of: Callable[[int], int | None] | None = None,
        exclude: Collection[int] = (),
    ) -> list[ArticleCard]:
        ids = self.ids(n, channel_ids, channel_of, exclude)
        by_id = self.store.cards_by_ids(ids)
        cards = [by_id[i] for i in ids if i in by_id][:n]
        if len(cards) < n:
            have = {c.id for c in cards} | set(exclude)
            fill = self.store.list_cards(
                channel_ids=list(channel_ids) if channel_ids is not None else None,
                per_page=min(100, n + len(have)),
            ).items
            cards += [c for c in fill if c.id not in have][: n - len(cards)]
        return cards
