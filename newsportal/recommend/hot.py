"""热点推荐 and the channel top stories (头条要闻, 体育要闻, …).

Hot: decayed engagement per scope from the counters (one ranked list per channel, so reading is a slice),
multiplied by each article's quality score so clickbait sinks without vanishing, one article per story.
Top stories: an editor's pins first, then the channel's hot list. When too few articles have engagement
(a new site, a quiet channel) a list is topped up with the newest articles so no module is half empty.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Protocol

from newsportal.domain import ArticleCard
from newsportal.domain.channels import ChannelTree
from newsportal.recommend.cards import CardLookup
from newsportal.recommend.catalog import Catalog, one_per_story
from newsportal.recommend.copies import CopyGuard


class HotCounts(Protocol):
    """The part of the counters a hot list reads."""

    def top(self, n: int, scope: int | None = None, now: float | None = None) -> list[tuple[int, float]]: ...


class PinnedIds(Protocol):
    """The part of the pins a top-story module reads."""

    def get(self, channel_id: int, default: list[int] | None = None) -> list[int]: ...


#: Ids of the newest published articles of some channels (all when None), one per story, newest first
#: (the store's ``newest_ids``), to top up a thin hot list.
LatestIds = Callable[[Sequence[int] | None, int], list[int]]


class HotList:
    def __init__(self, counters: HotCounts, catalog: Catalog, cards: CardLookup, pins: PinnedIds,
                 channels: ChannelTree, latest: LatestIds, copies: CopyGuard | None = None):
        self.counters = counters
        self.copies = copies or CopyGuard(catalog)
        self.catalog = catalog
        self.card_lookup = cards
        self.pins = pins
        self.channels = channels
        self.latest = latest

    def ranked(self, n: int, channel_id: int | None = None,
               exclude: Collection[int] = ()) -> list[tuple[int, float]]:
        """(article id, quality-weighted decayed score), best first, one per story."""
        catalog = self.catalog
        # Ask for extra: quality re-ranking, withdrawn articles, exclusions and story duplicates thin it.
        raw = self.counters.top(3 * n + len(exclude) + 20, channel_id)
        excluded = set(exclude)
        weighted = []
        for aid, score in raw:
            entry = catalog.get(aid)
            if entry is None or aid in excluded:
                continue
            weighted.append((aid, score * entry.quality))
        weighted.sort(key=lambda kv: (-kv[1], -kv[0]))
        # one per story, and no near copy of another pick or of what is excluded (a copy clustering missed)
        keep = set(self.copies.distinct([aid for aid, _ in weighted], n, against=excluded))
        return [(aid, s) for aid, s in weighted if aid in keep][:n]

    def ids(self, n: int, channel_id: int | None = None, exclude: Collection[int] = ()) -> list[int]:
        return [aid for aid, _ in self.ranked(n, channel_id, exclude)]

    def cards(self, n: int, channel_id: int | None = None,
              exclude: Collection[int] = ()) -> list[ArticleCard]:
        return self.card_lookup.by_ids(self.filled_ids(n, channel_id, exclude))

    def filled_ids(self, n: int, channel_id: int | None = None, exclude: Collection[int] = ()) -> list[int]:
        """The ids :meth:`cards` shows (hot first, topped up with the newest), without reading any card:
        for a caller that only ranks them further (the 相关推荐 filler)."""
        return self._fill(self.ids(n, channel_id, exclude), n, channel_id, exclude)

    def top_stories(self, channel_id: int, n: int) -> list[ArticleCard]:
        """A channel module: pinned articles (in pin order) first, then what is hot in the channel."""
        pinned = [a for a in self.pins.get(channel_id, []) if a in self.catalog]
        pinned = one_per_story(pinned, self.catalog)[:n]
        rest = self.ids(n, channel_id, exclude=pinned)
        return self.card_lookup.by_ids(self._fill(pinned + rest, n, channel_id, ()))

    def _fill(self, ids: Sequence[int], n: int, channel_id: int | None,
              exclude: Collection[int]) -> list[int]:
        """The first ``n`` live ids of ``ids``, topped up with the channel's newest articles of other
        stories (and no near copy of one already in) when fewer are live."""
        live = [aid for aid in dict.fromkeys(ids) if aid in self.catalog][:n]
        if len(live) < n:
            have = set(live) | set(exclude)
            stories = {self.catalog.story_of(a) for a in have} - {None}
            channel = self.channels.get(channel_id) if channel_id is not None else None
            fill = self.latest(self.channels.subtree_ids(channel) if channel else None,
                               min(100, n + len(have)))
            fresh = [a for a in fill if a not in have and a in self.catalog
                     and self.catalog.story_of(a) not in stories]
            live += self.copies.distinct(fresh, against=list(have))[: n - len(live)]
        return live
