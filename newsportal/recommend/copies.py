"""The near-copy guard at list assembly: no list shows one story twice, even a copy the clustering missed.

Story ids (:func:`newsportal.recommend.catalog.one_per_story`) keep apart what the clusterer joined. The
clusterer errs towards keeping two reports apart (a wrong merge hides a story from its channel), so now and
then a reworded copy with an intro line and no figures stays a story of its own, and then two tellings of
one event sit side by side in 相关推荐, 为你推荐, 热点推荐, a channel page or search. This guard is the
second line: while a list is assembled, a candidate is skipped when it reads as a copy of an article already
in the list (or of one the list is about, or one the reader has read).

"Reads as a copy" is three things together:

- **published close together**: within :data:`COPY_GAP_HOURS` of each other. Copies of an event come out
  within hours; a follow-up, days later, says the same things about the same subject and must stay (on the
  development half the most similar different-story pairs are all follow-ups, cosine up to 0.88);
- **the same meaning**: cosine of the two sentence vectors (title and lead) at least :data:`COPY_COS`;
- **the same words**: the idf-weighted share of the smaller signature (the index's top terms of each
  article) found in the other at least :data:`COPY_WORDS`. Meaning alone is too blunt for two short
  items on one topic an hour apart (a chip launch and a chip park); the rare words tell them apart, and
  an item of fewer than :data:`MIN_TERMS` terms is too short to be called anyone's copy.

The two similarity tests run only for pairs that pass the time test, and the word test only for pairs that
pass both others, so a list of ten costs a few vector products and rarely a signature lookup.

Thresholds were chosen on the development half of ``bench/eval`` only (``bench/eval/copy_guard.py``):
among its pairs published within 24 h, 94 of the 96 same-story pairs pass, none of the 93 different-story
pairs (their highest word share is 0.19, the lowest of a copy 0.23). Without the index the guard falls back
to meaning alone at :data:`COPY_COS_ALONE` (dev: 69 of 96, none different). A false positive costs one list
slot (the article stays in its channel, search and on its source page); a miss shows a story twice.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Protocol, TypeVar

import numpy as np

from newsportal.recommend.catalog import Catalog
from newsportal.recommend.story_match import FOLLOWUP_GAP_HOURS, MIN_TOKENS_CONTAINED_ALONE

COPY_GAP_HOURS = FOLLOWUP_GAP_HOURS  # the clusterer's own line between a copy and a follow-up
COPY_COS = 0.55
COPY_WORDS = 0.25
COPY_COS_ALONE = 0.75
#: Fewer signature terms than this: too little text to call a copy (the clusterer's own minimum for a copy on
#: words alone); a headline-length item is then judged by its story id only. Dev's shortest article has 22.
MIN_TERMS = MIN_TOKENS_CONTAINED_ALONE


class VectorLookup(Protocol):
    """The part of :class:`~newsportal.recommend.vectors.ArticleVectors` the guard reads."""

    def get(self, article_id: int) -> np.ndarray | None: ...


class WordLookup(Protocol):
    """The part of the search index the word test reads (:class:`~newsportal.search.TextIndex`)."""

    def signature(self, article_id: int) -> tuple[dict[str, int], list[str]] | None: ...
    def idf(self, terms: Iterable[str]) -> dict[str, float]: ...


class HasId(Protocol):
    @property
    def id(self) -> int: ...


C = TypeVar("C", bound=HasId)


class CopyGuard:
    """One article per story, and no near copy of an article already listed (see the module docstring)."""

    def __init__(self, catalog: Catalog, vectors: VectorLookup | None = None, words: WordLookup | None = None,
                 gap_hours: float = COPY_GAP_HOURS) -> None:
        self.catalog = catalog
        self.vectors = vectors
        self.words = words
        self.cos = COPY_COS if words is not None else COPY_COS_ALONE
        self.gap = gap_hours * 3600.0

    def _same_words(self, a: int, b: int, cache: dict[int, frozenset[str]], idf: dict[str, float]) -> bool:
        """Word test; ``cache`` and ``idf`` live for one list, so each signature and term is read once."""
        if self.words is None:
            return True  # meaning alone, at the stricter COPY_COS_ALONE
        for aid in (a, b):
            if aid not in cache:
                sig = self.words.signature(aid)
                cache[aid] = frozenset(sig[0]) if sig is not None else frozenset()
        wa, wb = cache[a], cache[b]
        if len(wa) < MIN_TERMS or len(wb) < MIN_TERMS:
            return False
        unknown = (wa | wb) - idf.keys()
        if unknown:
            idf.update(self.words.idf(unknown))
        total = min(sum(idf.get(t, 0.0) for t in wa), sum(idf.get(t, 0.0) for t in wb))
        return total > 0 and sum(idf.get(t, 0.0) for t in wa & wb) / total >= COPY_WORDS

    def _vector(self, article_id: int) -> np.ndarray | None:
        return self.vectors.get(article_id) if self.vectors is not None else None

    def is_copy(self, a: int, b: int) -> bool:
        """Whether two published articles are one story: the same story id, or a near copy."""
        ea, eb = self.catalog.get(a), self.catalog.get(b)
        if ea is None or eb is None:
            return a == b
        if ea.story_id == eb.story_id:
            return True
        if abs(ea.published - eb.published) > self.gap:
            return False
        va, vb = self._vector(a), self._vector(b)
        return (va is not None and vb is not None and float(va @ vb) >= self.cos
                and self._same_words(a, b, {}, {}))

    def distinct(self, ids: Iterable[int], n: int | None = None, against: Collection[int] = ()) -> list[int]:
        """``ids`` in order, the first of each story, none a near copy of one kept or of ``against``.

        ``against`` holds articles the list must not repeat (the article a related list is about, what the
        reader has read); they are not returned. Ids unknown to the catalogue are kept as their own story,
        as :func:`~newsportal.recommend.catalog.one_per_story` keeps them. Stops after ``n`` ids.
        """
        catalog = self.catalog
        stories: set[int] = set()
        kept: list[tuple[int, float, np.ndarray]] = []  # (id, published, vector) of what the list holds
        words: dict[int, frozenset[str]] = {}
        idf: dict[str, float] = {}

        def take(aid: int) -> bool:
            entry = catalog.get(aid)
            if entry is None:
                if aid in stories:
                    return False
                stories.add(aid)
                return True
            if entry.story_id in stories:
                return False
            vec = self._vector(aid)
            if vec is not None:
                for other_id, published, other in kept:
                    if (abs(published - entry.published) <= self.gap and float(other @ vec) >= self.cos
                            and self._same_words(other_id, aid, words, idf)):
                        return False
                kept.append((aid, entry.published, vec))
            stories.add(entry.story_id)
            return True

        for aid in against:  # noted whatever their story, so a copy of any of them is caught
            entry = catalog.get(aid)
            vec = self._vector(aid) if entry is not None else None
            stories.add(entry.story_id if entry is not None else aid)
            if entry is not None and vec is not None:
                kept.append((aid, entry.published, vec))
        out: list[int] = []
        blocked = set(against)
        for aid in ids:
            if n is not None and len(out) >= n:
                break
            if aid not in blocked and take(aid):
                out.append(aid)
                blocked.add(aid)
        return out

    def distinct_cards(self, cards: Sequence[C], against: Collection[int] = ()) -> list[C]:
        """The same over cards (a channel page, the home list): order kept, near copies left out."""
        keep = set(self.distinct([c.id for c in cards], against=against))
        return [c for c in cards if c.id in keep]
