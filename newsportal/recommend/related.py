"""相关推荐: BM25 more-like-this blended with sentence-embedding similarity, quality-weighted.

Shared words alone mislead: a volcano report and a football-pitch story both say 北京, so BM25 links them.
Candidates therefore come from two places, the search index (BM25 over the article's signature terms, title
matches and shared tags boosted) and the article vectors (nearest neighbours by meaning among recent
articles, :mod:`newsportal.recommend.vectors`), and each is scored by a blend of both:

    score = (W_BM25 × bm25 / best bm25 + W_MEANING × meaning) × channel × recency × quality

where ``meaning`` rescales the cosine similarity from [SIM_FLOOR, 1] to [0, 1]. A candidate the embedding
does not vouch for (cosine below AGREE) must have a strong BM25 match, so one common shared word cannot
carry it. Quality (clickbait, source trust) multiplies last, so a flagged article ranks below every sober
one of the same relevance. The article's own story is excluded (a reworded copy is not a recommendation) and
each story appears once. Without vectors (none yet for an article) the engine falls back to BM25 alone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from newsportal.recommend.catalog import Catalog
from newsportal.recommend.copies import CopyGuard
from newsportal.recommend.vectors import ArticleVectors
from newsportal.search import TextIndex

# Tuned on the development half of bench/eval (never on held-out): meaning carries most of the weight, and
# recency only mildly (follow-ups and earlier events of one subject are months apart and still wanted).
SAME_CHANNEL = 1.1
SAME_TOP_CHANNEL = 1.05
RECENCY_DAYS = 365.0
CANDIDATES = 40  # BM25 candidates
NEIGHBOURS = 40  # embedding candidates
W_BM25 = 0.3
W_MEANING = 0.7
SIM_FLOOR = 0.2  # cosine at or below which two articles share nothing of note
AGREE = 0.4  # cosine from which the embedding vouches for a candidate
STRONG_BM25 = 0.35  # share of the article's own BM25 match needed when the embedding does not vouch


class RelatedEngine:
    def __init__(self, index: TextIndex, catalog: Catalog, top_channel_of: Callable[[int], int | None],
                 vectors: ArticleVectors | None = None, copies: CopyGuard | None = None):
        self.index = index
        self.catalog = catalog
        self.top_channel_of = top_channel_of
        self.vectors = vectors
        self.copies = copies or CopyGuard(catalog, vectors, index)

    def related(self, article_id: int, n: int = 8) -> list[tuple[int, float]]:
        """(article id, score), best first, one per story, the article's own story excluded."""
        entry = self.catalog.get(article_id)
        if entry is None or n <= 0:
            return []
        sig = self.index.signature(article_id)
        vec = self.vectors.get(article_id) if self.vectors is not None else None
        if sig is None and vec is None:
            return []
        own_story = self.catalog.story_members(entry.story_id) | {article_id}
        bm25: dict[int, float] = {}
        if sig is not None:
            raw = self.index.more_like(sig[0], max(CANDIDATES, n * 4), tags=sig[1])
            # Scaled by the article's match with itself, so "one shared word" stays small however few
            # candidates there are (the best remaining hit is not automatically 1.0).
            own = next((s for aid, s in raw if aid == article_id), 0.0)
            hits = [(aid, s) for aid, s in raw if aid not in own_story and aid in self.catalog]
            top = own if own > 0 else (hits[0][1] if hits and hits[0][1] > 0 else 1.0)
            bm25 = {aid: min(1.0, s / top) for aid, s in hits}
        meaning: dict[int, float] = {}
        if vec is not None and self.vectors is not None:
            near = [a for a, _ in self.vectors.nearest(vec, NEIGHBOURS + len(own_story))
                    if a not in own_story and a in self.catalog]
            pool = list(dict.fromkeys([*bm25, *near]))
            sims = self.vectors.similarities(vec, pool)
            meaning = {aid: float(s) for aid, s in zip(pool, sims, strict=True)}
        my_top = self.top_channel_of(entry.channel_id)
        ranked = []
        for aid in dict.fromkeys([*bm25, *meaning]):
            other = self.catalog[aid]
            lexical = bm25.get(aid, 0.0)
            if meaning:
                cos = meaning.get(aid, 0.0)
                if cos < AGREE and lexical < STRONG_BM25:
                    continue  # a few shared words the meaning does not back (北京, 十天, 卫星)
                score = W_BM25 * lexical + W_MEANING * max(0.0, (cos - SIM_FLOOR) / (1.0 - SIM_FLOOR))
            else:
                score = lexical
            if other.channel_id == entry.channel_id:
                score *= SAME_CHANNEL
            elif my_top is not None and self.top_channel_of(other.channel_id) == my_top:
                score *= SAME_TOP_CHANNEL
            gap_days = abs(other.published - entry.published) / 86400.0
            score /= 1.0 + gap_days / RECENCY_DAYS
            ranked.append((aid, score * other.quality))
        ranked.sort(key=lambda kv: (-kv[1], -kv[0]))
        # One per story, and no near copy of the article or of a pick (a copy the clustering missed).
        keep = set(self.copies.distinct([aid for aid, _ in ranked], n, against=[article_id]))
        return [(aid, s) for aid, s in ranked if aid in keep][:n]

    def baseline(self, article_id: int, n: int = 8) -> list[tuple[int, float]]:
        """Plain BM25 more-like-this on the body, only the article itself excluded (the eval's yardstick)."""
        sig = self.index.signature(article_id)
        if sig is None:
            return []
        hits = self.index.more_like(sig[0], n + 1, title_field=False)
        return [(aid, s) for aid, s in hits if aid != article_id][:n]


def top_up(picked: Sequence[int], filler: Iterable[int], catalog: Catalog, own_story: Collection[int],
           n: int, copies: CopyGuard | None = None) -> list[int]:
    """The related picks, then ``filler`` (the channel's hot and newest) until there are ``n``.

    The engine returns only what it can vouch for, and on a small or young corpus that may be one item; an
    article page still owes the reader a full 相关推荐 list. Fillers never repeat a pick's story or the
    article's own, so the list stays one item per story; with ``copies`` nor a near copy of either."""
    if copies is not None:
        return copies.distinct([*picked, *(a for a in filler if a in catalog)], n, against=own_story)
    out = list(picked)[:n]
    seen = {catalog.story_of(aid) for aid in out} | {catalog.story_of(aid) for aid in own_story}
    blocked = set(own_story) | set(out)
    for aid in filler:
        if len(out) >= n:
            break
        story = catalog.story_of(aid)
        if aid in blocked or aid not in catalog or story in seen:
            continue
        out.append(aid)
        seen.add(story)
        blocked.add(aid)
    return out
