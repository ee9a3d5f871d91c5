"""Story clustering: syndicated copies of one event, reworded by different sources, become one story.

The window holds the fingerprints of articles published within a few days of each other (copies of a news
story appear within hours; the window keeps memory bounded), with two inverted lists: word → articles and
figure → articles. A new article's candidates are the window articles that share at least three of its
words that are rare *in the window* (held by at most ``MAX_POSTING`` articles: the names, places and terms
a copy must keep) or two of its figures. Only short lists are walked, so a candidate search stays cheap
however many stock phrases the window shares — MinHash-LSH at the low threshold reworded briefs need
returned nearly the whole window on templated text, and still missed some briefs. Every candidate is then
verified by ``story_match.same_story``.

Two entry points share one placement rule, so they give the same stories:

- ``assign`` + ``add``: one article as it is published (corpus statistics fetched for it and its
  candidates only);
- ``cluster_bulk``: many articles at once, oldest first (first start after a bulk load): statistics read
  once per batch, the window expired as publication time moves on, no per-article store round trips.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from newsportal.recommend.story_match import (
    Fingerprint,
    fingerprint,
    fingerprints,
    quick_reject,
    same_story,
)
from newsportal.search.docs import IndexDoc
from newsportal.timeutil import to_epoch

__all__ = ["StoryClusterer", "fingerprint", "same_story", "WINDOW_HOURS", "DocFreqs"]

WINDOW_HOURS = 72.0
BULK_BATCH = 2000
MAX_POSTING = 100  # a word (or figure) held by more window articles than this is not looked up
MIN_SHARED_WORDS = 3  # a candidate shares at least this many of the looked-up words…
MIN_SHARED_FIGURES = 2  # …or this many figures

# ``doc_freqs(terms) -> (df, n_docs)``: the search index's document frequencies
DocFreqs = Callable[[Iterable[str]], tuple[dict[str, int], int]]


class StoryClusterer:
    """The clustering window: fingerprints of recent articles, their inverted lists and their story ids."""

    def __init__(self, window_hours: float = WINDOW_HOURS):
        self.window = window_hours * 3600.0
        self._prints: dict[int, Fingerprint] = {}
        self._story: dict[int, int] = {}
        self._by_word: dict[str, set[int]] = {}
        self._by_number: dict[str, set[int]] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._prints)

    # -- placement ---------------------------------------------------------------------------------
    def _candidates(self, article_id: int, fp: Fingerprint) -> list[tuple[int, Fingerprint]]:
        counts: dict[int, int] = {}
        for word in fp.tokens:
            holders = self._by_word.get(word, ())
            if len(holders) > MAX_POSTING:
                continue  # a stock word of the window: finds nothing specific, costs a long walk
            for other in holders:
                counts[other] = counts.get(other, 0) + 1
        found = {o for o, c in counts.items() if c >= MIN_SHARED_WORDS}
        counts = {}
        for number in fp.numbers:  # reports of one event repeat its figures: a second way in
            holders = self._by_number.get(number, ())
            if len(holders) > MAX_POSTING:
                continue
            for other in holders:
                counts[other] = counts.get(other, 0) + 1
        found |= {o for o, c in counts.items() if c >= MIN_SHARED_FIGURES}
        found.discard(article_id)
        return [
            (c, self._prints[c]) for c in sorted(found)
            if abs(self._prints[c].published - fp.published) <= self.window
            and not quick_reject(fp, self._prints[c])
        ]

    def _place(self, article_id: int, fp: Fingerprint, candidates: list[tuple[int, Fingerprint]],
               df: dict[str, int], n_docs: int) -> int:
        """The story of the best verified candidate, or the article's own id."""
        best, best_score = article_id, 0.0
        for c, member in candidates:
            score = same_story(fp, member, df, n_docs)
            if score <= best_score:
                continue
            story = self._story.get(c, c)
            lead = self._prints.get(story)
            # Join a story only if the article also matches the story's first report: matching any one
            # member would let stories grow by chains of look-alikes.
            if lead is not None and story != c and same_story(fp, lead, df, n_docs) <= 0:
                continue
            best, best_score = story, score
        return best

    def assign(self, doc: IndexDoc, doc_freqs: DocFreqs) -> tuple[int, Fingerprint]:
        """The story this article belongs to (another article's story, or its own id) and its fingerprint."""
        fp = fingerprint(doc)
        df, n_docs = doc_freqs(fp.tokens)
        with self._lock:
            candidates = self._candidates(doc.id, fp)
            if not candidates:
                return doc.id, fp
            terms: set[str] = set()
            for c, member in candidates:
                terms |= member.tokens
                lead = self._prints.get(self._story.get(c, c))
                if lead is not None:
                    terms |= lead.tokens
            more, n_docs = doc_freqs(terms - fp.tokens)
            return self._place(doc.id, fp, candidates, {**df, **more}, n_docs), fp

    def cluster_bulk(self, docs: Sequence[IndexDoc], doc_freqs: DocFreqs,
                     progress: Callable[[int], None] | None = None) -> dict[int, int]:
        """Cluster many unclustered articles in publication order; returns {article id: story id}.

        Each article joins the window as it is placed (so later ones can join it), and the window is
        expired as publication time moves on. Corpus statistics are read once per batch of words not
        seen yet, instead of twice per article. ``progress(1)`` is called per article.
        """
        ordered = sorted(docs, key=lambda d: (to_epoch(d.published_at), d.id))
        df: dict[str, int] = {}
        n_docs = 0
        out: dict[int, int] = {}
        for start in range(0, len(ordered), BULK_BATCH):
            batch = ordered[start:start + BULK_BATCH]
            prints = fingerprints(list(batch))
            new_terms = {t for fp in prints for t in fp.tokens} - df.keys()
            if new_terms or not n_docs:
                more, n_docs = doc_freqs(new_terms)
                df.update(dict.fromkeys(new_terms, 0))
                df.update(more)
            self.expire(prints[0].published)
            with self._lock:
                for doc, fp in zip(batch, prints, strict=True):
                    story = self._place(doc.id, fp, self._candidates(doc.id, fp), df, n_docs)
                    self._add_locked(doc.id, fp, story)
                    out[doc.id] = story
                    if progress:
                        progress(1)
        return out

    # -- the window --------------------------------------------------------------------------------
    def add(self, article_id: int, fp: Fingerprint, story_id: int) -> None:
        with self._lock:
            self._add_locked(article_id, fp, story_id)

    def _add_locked(self, article_id: int, fp: Fingerprint, story_id: int) -> None:
        if article_id in self._prints:
            self._forget_locked(article_id)
        self._prints[article_id] = fp
        self._story[article_id] = story_id
        for word in fp.tokens:
            self._by_word.setdefault(word, set()).add(article_id)
        for number in fp.numbers:
            self._by_number.setdefault(number, set()).add(article_id)

    def _forget_locked(self, article_id: int) -> None:
        fp = self._prints.pop(article_id, None)
        if fp is None:
            return
        for lists, keys in ((self._by_word, fp.tokens), (self._by_number, fp.numbers)):
            for key in keys:
                holders = lists.get(key)
                if holders is not None:
                    holders.discard(article_id)
                    if not holders:
                        del lists[key]

    def remove(self, article_id: int) -> None:
        with self._lock:
            self._forget_locked(article_id)
            self._story.pop(article_id, None)

    def set_story(self, article_id: int, story_id: int) -> None:
        with self._lock:
            if article_id in self._story:
                self._story[article_id] = story_id

    def expire(self, now: float) -> int:
        """Forget fingerprints older than the window: they can no longer gain copies."""
        with self._lock:
            old = [a for a, fp in self._prints.items() if now - fp.published > self.window]
            for a in old:
                self._forget_locked(a)
                self._story.pop(a, None)
        return len(old)
