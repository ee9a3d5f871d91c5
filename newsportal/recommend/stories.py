"""Story clustering: syndicated copies of one event, reworded by different sources, become one story.

Candidates come from MinHash-LSH (datasketch) over each article's set of rjieba tokens, among articles
published within a few days of each other (copies of a news story appear within hours; the window keeps
memory bounded). Reworded copies share only part of their words, so the LSH threshold is low and every
candidate is then verified on what rewording keeps: the *rare* words (names, places, terms; weighted by idf)
and the *figures* (a copy repeats the event's numbers). Thresholds were set on the hand-written demo stories
and are checked by ``bench/recommend_eval.py`` on the synthetic corpus.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from newsportal.recommend.catalog import to_epoch
from newsportal.store import IndexDoc
from newsportal.text import tokenize

NUM_PERM = 128
LSH_THRESHOLD = 0.1
WINDOW_HOURS = 72.0
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TRIVIAL_NUMBERS = {"1", "2", "3", "4", "5", "10", "2025", "2026", "2027"}


@dataclass(slots=True)
class Fingerprint:
    tokens: frozenset[str]
    numbers: frozenset[str]
    minhash: MinHash
    published: float


def fingerprint(doc: IndexDoc) -> Fingerprint:
    text = f"{doc.title}\n{doc.text}"
    tokens = frozenset(t for t in tokenize(text) if len(t) > 1)
    numbers = frozenset(n for n in _NUMBER.findall(text) if n not in _TRIVIAL_NUMBERS)
    mh = MinHash(num_perm=NUM_PERM)
    mh.update_batch([t.encode("utf-8") for t in tokens])
    return Fingerprint(tokens, numbers, mh, to_epoch(doc.published_at))


def same_story(a: Fingerprint, b: Fingerprint, df: dict[str, int], n_docs: int) -> float:
    """A confidence in [0, 1] that two fingerprints report one event; 0 means no."""
    if not a.tokens or not b.tokens:
        return 0.0

    def idf(t: str) -> float:
        return math.log((n_docs + 1) / (df.get(t, 0) + 1)) + 1.0

    shared = sum(idf(t) for t in a.tokens & b.tokens)
    weighted = shared / min(sum(idf(t) for t in a.tokens), sum(idf(t) for t in b.tokens))
    fewest = min(len(a.numbers), len(b.numbers))
    if fewest >= 2:
        figures = len(a.numbers & b.numbers) / fewest
        if figures >= 0.6 and weighted >= 0.28:
            return min(1.0, (weighted + figures) / 2)
        if figures < 0.3:
            return 0.0  # different figures: a different event, however similar the words
    return weighted if weighted >= 0.5 else 0.0


class StoryClusterer:
    def __init__(self, window_hours: float = WINDOW_HOURS):
        self.window = window_hours * 3600.0
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._prints: dict[int, Fingerprint] = {}
        self._story: dict[int, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._prints)

    def assign(self, doc: IndexDoc, doc_freqs) -> tuple[int, Fingerprint]:
        """The story this article belongs to (another article's story, or its own id) and its fingerprint.

        ``doc_freqs(terms) -> (df, n_docs)`` supplies corpus statistics (the search index has them).
        """
        fp = fingerprint(doc)
        with self._lock:
            candidates = [c for c in self.lsh.query(fp.minhash) if c != doc.id]
            candidates = [c for c in candidates if abs(self._prints[c].published - fp.published) <= self.window]
            if not candidates:
                return doc.id, fp
            terms = set(fp.tokens)
            for c in candidates:
                terms |= self._prints[c].tokens
        df, n_docs = doc_freqs(terms)
        best, best_score = doc.id, 0.0
        with self._lock:
            for c in candidates:
                other = self._prints.get(c)
                if other is None:
                    continue
                score = same_story(fp, other, df, n_docs)
                if score > best_score:
                    best, best_score = self._story.get(c, c), score
        return best, fp

    def add(self, article_id: int, fp: Fingerprint, story_id: int) -> None:
        with self._lock:
            if article_id in self._prints:
                self.lsh.remove(article_id)
            self._prints[article_id] = fp
            self._story[article_id] = story_id
            self.lsh.insert(article_id, fp.minhash)

    def remove(self, article_id: int) -> None:
        with self._lock:
            if self._prints.pop(article_id, None) is not None:
                self.lsh.remove(article_id)
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
            self.remove(a)
        return len(old)
