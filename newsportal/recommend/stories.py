"""Story clustering: syndicated copies of one event, reworded by different sources, become one story.

Candidates come from MinHash-LSH (datasketch) over each article's set of content words, and from shared
figures, among articles published within a few days of each other (copies of a news story appear within
hours; the window keeps memory bounded). Every candidate is then verified by ``story_match.same_story``.

Two entry points share one placement rule, so they give the same stories:

- ``assign`` + ``add``: one article as it is published (corpus statistics fetched for its candidates only);
- ``cluster_bulk``: many articles at once, oldest first (first start after a bulk load): bulk MinHash,
  one statistics look-up per batch, the window expired as time moves on — no per-article round trips.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from datasketch import MinHashLSH

from newsportal.recommend.story_match import (
    NUM_PERM,
    Fingerprint,
    fingerprint,
    fingerprints,
    quick_reject,
    same_story,
)
from newsportal.search.docs import IndexDoc
from newsportal.timeutil import to_epoch

__all__ = ["StoryClusterer", "fingerprint", "same_story", "WINDOW_HOURS", "DocFreqs"]

LSH_THRESHOLD = 0.1
WINDOW_HOURS = 72.0
BULK_BATCH = 2000
MIN_SHARED_TITLE_WORDS = 2

# ``doc_freqs(terms) -> (df, n_docs)``: the search index's document frequencies
DocFreqs = Callable[[Iterable[str]], tuple[dict[str, int], int]]


class StoryClusterer:
    """The clustering window: fingerprints of recent articles, their LSH index and their story ids."""

    def __init__(self, window_hours: float = WINDOW_HOURS):
        self.window = window_hours * 3600.0
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._prints: dict[int, Fingerprint] = {}
        self._story: dict[int, int] = {}
        self._by_number: dict[str, set[int]] = {}
        self._by_title_word: dict[str, set[int]] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._prints)

    # -- placement ---------------------------------------------------------------------------------
    def _candidates(self, article_id: int, fp: Fingerprint) -> list[tuple[int, Fingerprint]]:
        found = set(self.lsh.query(fp.minhash)) if fp.tokens else set()
        counts: dict[int, int] = {}
        for number in fp.numbers:  # reports of one event repeat its figures: a second way in
            for other in self._by_number.get(number, ()):
                counts[other] = counts.get(other, 0) + 1
        found |= {o for o, c in counts.items() if c >= 2}
        counts = {}
        for word in fp.title:  # a brief shares few words with its original overall, but its title's
            for other in self._by_title_word.get(word, ()):
                counts[other] = counts.get(other, 0) + 1
        found |= {o for o, c in counts.items() if c >= MIN_SHARED_TITLE_WORDS}
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
        with self._lock:
            candidates = self._candidates(doc.id, fp)
            if not candidates:
                return doc.id, fp
            terms = set(fp.tokens)
            for c, member in candidates:
                terms |= member.tokens
                lead = self._prints.get(self._story.get(c, c))
                if lead is not None:
                    terms |= lead.tokens
            df, n_docs = doc_freqs(terms)
            return self._place(doc.id, fp, candidates, df, n_docs), fp

    def cluster_bulk(self, docs: Sequence[IndexDoc], doc_freqs: DocFreqs,
                     progress: Callable[[int], None] | None = None) -> dict[int, int]:
        """Cluster many unclustered articles in publication order; returns {article id: story id}.

        Each article joins the window as it is placed (so later ones can join it), and the window is
        expired as publication time moves on. Corpus statistics are read once per batch of terms not
        seen yet, instead of once per article.
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
                df.update(more)
                df.update({t: 0 for t in new_terms - more.keys()})
            self.expire(prints[0].published)
            with self._lock:
                for doc, fp in zip(batch, prints, strict=True):
                    story = self._place(doc.id, fp, self._candidates(doc.id, fp), df, n_docs)
                    self._add_locked(doc.id, fp, story)
                    out[doc.id] = story
            if progress:
                progress(len(batch))
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
        self.lsh.insert(article_id, fp.minhash, check_duplication=False)
        for number in fp.numbers:
            self._by_number.setdefault(number, set()).add(article_id)
        for word in fp.title:
            self._by_title_word.setdefault(word, set()).add(article_id)

    def _forget_locked(self, article_id: int) -> None:
        fp = self._prints.pop(article_id, None)
        if fp is None:
            return
        self.lsh.remove(article_id)
        for number in fp.numbers:
            holders = self._by_number.get(number)
            if holders is not None:
                holders.discard(article_id)
                if not holders:
                    del self._by_number[number]
        for word in fp.title:
            holders = self._by_title_word.get(word)
            if holders is not None:
                holders.discard(article_id)
                if not holders:
                    del self._by_title_word[word]

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
