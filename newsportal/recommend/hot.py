"""热点推荐 and the channel top stories (头条要闻, 体育要闻, …).

Hot: decayed engagement per scope from the counters (one ranked list per channel, so reading is a slice),
multiplied by each article's quality score so clickbait sinks without vanishing, one article per story.
Top stories: an editor's pins first, then the channel's hot list. When too few articles have engagement
(a new site, a quiet channel) a list is topped up with the newest articles so no module is half empty.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from newsportal.domain import ArticleCard
from newsportal.recommend.catalog import one_per_story

if TYPE_CHECKING:
    from newsportal.portal import Portal


class HotList:
    def __init__(self, portal: "Portal"):
        self.portal = portal

    def ranked(self, n: int, channel_id: int | None = None, exclude: Collection[int] = ()) -> list[tuple[int, float]]:
        """(article id, quality-weighted decayed score), best first, one per story."""
        catalog = self.portal.catalog
        # Ask for extra: quality re-ranking, withdrawn articles, exclusions and story duplicates thin the list.
        raw = self.portal.counters.top(3 * n + len(exclude) + 20, channel_id)
        excluded = set(exclude)
        weighted = []
        for aid, score in raw:
            entry = catalog.get(aid)
            if entry is None or aid in excluded:
                continue
            weighted.append((aid, score * entry.quality))
        weighted.sort(key=lambda kv: (-kv[1], -kv[0]))
        keep = one_per_story([aid for aid, _ in weighted], catalog, {catalog.story_of(a) for a in excluded} - {None})
        keep_set = set(keep)
        return [(aid, s) for aid, s in weighted if aid in keep_set][:n]

    def ids(self, n: int, channel_id: int | None = None, exclude: Collection[int] = ()) -> list[int]:
        return [aid for aid, _ in self.ranked(n, channel_id, exclude)]

    def cards(self, n: int, channel_id: int | None = None, exclude: Collection[int] = ()) -> list[ArticleCard]:
        return self._fill(self.ids(n, channel_id, exclude), n, channel_id, exclude)

    def top_stories(self, channel_id: int, n: int) -> list[ArticleCard]:
        """A channel module: pinned articles (in pin order) first, then what is hot in the channel."""
        pinned = [a for a in self.portal.pins.get(channel_id, []) if a in self.portal.catalog]
        pinned = one_per_story(pinned, self.portal.catalog)[:n]
        rest = self.ids(n, channel_id, exclude=pinned)
        return self._fill(pinned + rest, n, channel_id, ())

    def _fill(self, ids: list[int], n: int, channel_id: int | None, exclude: Collection[int]) -> list[ArticleCard]:
        portal = self.portal
        by_id = portal.store.cards_by_ids(ids)
        cards = [by_id[i] for i in ids if i in by_id][:n]
        if len(cards) < n:
            have = {c.id for c in cards} | set(exclude)
            stories = {portal.catalog.story_of(a) for a in have} - {None}
            channel = portal.channels.get(channel_id) if channel_id is not None else None
            fill = portal.store.list_cards(
                channel_ids=portal.channels.subtree_ids(channel) if channel else None,
                per_page=min(100, n + len(have)),
            ).items
            for c in fill:
                story = portal.catalog.story_of(c.id)
                if c.id in have or story in stories:
                    continue
                stories.add(story)
                cards.append(c)
                if len(cards) >= n:
                    break
        return cards
