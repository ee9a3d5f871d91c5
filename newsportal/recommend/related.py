"""相关推荐: BM25 more-like-this on the article's own words, blended with channel, tags and recency.

Candidates come from the search index (tantivy BM25 over the article's signature terms, title matches and
shared tags boosted). Their scores are normalised and blended: the same channel (or the same top channel)
lifts a candidate, a large time gap lowers it. The article's own story cluster is excluded (a reworded copy is
not a recommendation) and each story appears once. Publishing or editing one article updates only its own
index entry; nothing is rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable

from newsportal.recommend.catalog import Catalog, one_per_story
from newsportal.search import TextIndex

SAME_CHANNEL = 1.25
SAME_TOP_CHANNEL = 1.1
RECENCY_DAYS = 14.0
CANDIDATES = 60


class RelatedEngine:
    def __init__(self, index: TextIndex, catalog: Catalog, top_channel_of: Callable[[int], int | None]):
        self.index = index
        self.catalog = catalog
        self.top_channel_of = top_channel_of

    def related(self, article_id: int, n: int = 8) -> list[tuple[int, float]]:
        entry = self.catalog.get(article_id)
        sig = self.index.signature(article_id) if entry is not None else None
        if entry is None or sig is None or n <= 0:
            return []
        terms, tags = sig
        hits = self.index.more_like(terms, max(CANDIDATES, n * 5), tags=tags)
        own_story = self.catalog.story_members(entry.story_id) | {article_id}
        hits = [(aid, s) for aid, s in hits if aid not in own_story and aid in self.catalog]
        if not hits:
            return []
        top = hits[0][1] if hits[0][1] > 0 else 1.0
        my_top = self.top_channel_of(entry.channel_id)
        ranked = []
        for aid, score in hits:
            other = self.catalog[aid]
            blended = score / top
            if other.channel_id == entry.channel_id:
                blended *= SAME_CHANNEL
            elif my_top is not None and self.top_channel_of(other.channel_id) == my_top:
                blended *= SAME_TOP_CHANNEL
            gap_days = abs(other.published - entry.published) / 86400.0
            blended /= 1.0 + gap_days / RECENCY_DAYS
            ranked.append((aid, blended))
        ranked.sort(key=lambda kv: (-kv[1], -kv[0]))
        keep = set(one_per_story([aid for aid, _ in ranked], self.catalog))
        return [(aid, s) for aid, s in ranked if aid in keep][:n]

    def baseline(self, article_id: int, n: int = 8) -> list[tuple[int, float]]:
        """Plain BM25 more-like-this on the body, only the article itself excluded (the eval's yardstick)."""
        sig = self.index.signature(article_id)
        if sig is None:
            return []
        hits = self.index.more_like(sig[0], n + 1, title_field=False)
        return [(aid, s) for aid, s in hits if aid != article_id][:n]
