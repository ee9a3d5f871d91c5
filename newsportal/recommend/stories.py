"""Story clustering: syndicated copies of one event, reworded by different sources, become one story.

Candidates come from MinHash-LSH (datasketch) over each article's set of rjieba tokens, among articles
published within a few days of each other (copies of a news story appear within hours; the window keeps
memory bounded). Reworded copies share only part of their words, so the LSH threshold is low and every
candidate is then verified on what rewording keeps: the *rare* words (names, places, terms; weighted by idf)
and the *figures* (a copy repeats the event's numbers). Thresholds were set on the hand-written demo stories
and are checked by ``bench/recommend_eval.py`` on the synthetic corpus.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from newsportal.search.bm25 import idf as bm25_idf
from newsportal.search.docs import IndexDoc
from newsportal.text import tokenize
from newsportal.timeutil import to_epoch

NUM_PERM = 128
LSH_THRESHOLD = 0.1
WINDOW_HOURS = 72.0
NEAR_DUPLICATE = 0.5  # weighted Jaccard above which two texts are copies of one another
MIN_FIGURES = 0.6  # share of the shorter report's figures found in the other, at least
MIN_FIGURES_OF_LONGER = 0.25  # …and of the longer report's (chance overlaps of small numbers stay out)
MIN_WORDS_WITH_FIGURES = 0.28  # idf-weighted share of the shorter report's words, when the figures agree
MIN_WORDS_ALL_FIGURES = 0.2  # …when all of the shorter report's figures (four or more) recur
MIN_WORDS_WITHOUT_FIGURES = 0.6  # …and when there are too few figures to compare
MIN_OVERLAP_WITHOUT_FIGURES = 0.35
MIN_SHARED_TOKENS_SHARE = 0.2  # plain token overlap below which a candidate is not even weighed
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
    """A confidence in (0, 1] that two fingerprints report one event; 0 means no.

    Words are weighted by BM25's idf, so words nearly every article uses (a region's name, a stock
    phrase) count for almost nothing. Near-identical texts are one story unless their figures disagree.
    Reworded reports must agree on most of their figures *and* share enough rare words; texts with too few
    figures to compare must share a great deal of rare wording. Every rule errs towards keeping two reports
    apart: a missed merge shows a story twice, a wrong merge hides a story.
    """
    if not a.tokens or not b.tokens:
        return 0.0
    fewest, most = sorted((len(a.numbers), len(b.numbers)))
    shared_figures = len(a.numbers & b.numbers)
    figures = shared_figures / fewest if fewest >= 2 else None
    if figures is not None and figures < MIN_FIGURES:
        return 0.0  # different figures: a different event, however similar the words

    def idf(t: str) -> float:  # BM25's idf: near 0 for words in every article, positive for rare ones
        return bm25_idf(df.get(t, 0), n_docs)

    total_a, total_b = sum(idf(t) for t in a.tokens), sum(idf(t) for t in b.tokens)
    shared = sum(idf(t) for t in a.tokens & b.tokens)
    if min(total_a, total_b) <= 0:
        return 0.0
    contained = shared / min(total_a, total_b)  # a short report inside a long one
    overlap = shared / (total_a + total_b - shared)  # weighted Jaccard
    if overlap >= NEAR_DUPLICATE:
        return overlap
    if figures is not None:
        enough = shared_figures >= 3 or shared_figures == fewest
        # every figure of the shorter report, four or more of them, found in the longer: fewer words suffice
        all_agree = figures == 1.0 and shared_figures >= 4
        words_needed = MIN_WORDS_ALL_FIGURES if all_agree else MIN_WORDS_WITH_FIGURES
        if enough and shared_figures / most >= MIN_FIGURES_OF_LONGER and contained >= words_needed:
            return (contained + figures) / 2
        return 0.0
    enough = contained >= MIN_WORDS_WITHOUT_FIGURES and overlap >= MIN_OVERLAP_WITHOUT_FIGURES
    return contained if enough else 0.0


def _quick_reject(a: Fingerprint, b: Fingerprint) -> bool:
    """Cheap set tests that rule most candidates out before any idf work."""
    fewest = min(len(a.numbers), len(b.numbers))
    if fewest >= 2 and len(a.numbers & b.numbers) / fewest < MIN_FIGURES:
        return True
    shared = len(a.tokens & b.tokens)
    return shared < MIN_SHARED_TOKENS_SHARE * min(len(a.tokens), len(b.tokens))


class StoryClusterer:
    def __init__(self, window_hours: float = WINDOW_HOURS):
        self.window = window_hours * 3600.0
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._prints: dict[int, Fingerprint] = {}
        self._story: dict[int, int] = {}
        self._by_number: dict[str, set[int]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._prints)

    def assign(self, doc: IndexDoc, doc_freqs) -> tuple[int, Fingerprint]:
        """The story this article belongs to (another article's story, or its own id) and its fingerprint.

        ``doc_freqs(terms) -> (df, n_docs)`` supplies corpus statistics (the search index has them).
        """
        fp = fingerprint(doc)
        with self._lock:
            found = set(self.lsh.query(fp.minhash))
            counts: dict[int, int] = {}
            for number in fp.numbers:  # reports of one event repeat its figures: a second way in
                for other in self._by_number.get(number, ()):
                    counts[other] = counts.get(other, 0) + 1
            found |= {o for o, c in counts.items() if c >= 2}
            found.discard(doc.id)
            candidates = [
                (c, self._prints[c]) for c in found
                if abs(self._prints[c].published - fp.published) <= self.window
                and not _quick_reject(fp, self._prints[c])
            ]
        if not candidates:
            return doc.id, fp
        terms = set(fp.tokens)
        for _, member_fp in candidates:
            terms |= member_fp.tokens
        df, n_docs = doc_freqs(terms)
        best, best_score = doc.id, 0.0
        for c, member in candidates:
            score = same_story(fp, member, df, n_docs)
            if score <= best_score:
                continue
            story = self._story.get(c, c)
            lead = self._prints.get(story)
            # Join a story only if the article also matches the story's first report: matching any one
            # member would let stories grow by chains of look-alikes.
            if lead is not None and story != c:
                lead_df, lead_n = doc_freqs(lead.tokens - terms) if lead.tokens - terms else ({}, n_docs)
                if same_story(fp, lead, {**df, **lead_df}, n_docs) <= 0:
                    continue
            best, best_score = story, score
        return best, fp

    def add(self, article_id: int, fp: Fingerprint, story_id: int) -> None:
        with self._lock:
            if article_id in self._prints:
                self._forget_locked(article_id)
            self._prints[article_id] = fp
            self._story[article_id] = story_id
            self.lsh.insert(article_id, fp.minhash)
            for number in fp.numbers:
                self._by_number.setdefault(number, set()).add(article_id)

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
            self.remove(a)
        return len(old)
