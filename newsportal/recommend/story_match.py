"""Is this pair of reports one event? Fingerprints, and the verification run on the clusterer's candidates.

Reworded copies keep what rewording cannot change: the *rare* words (names, places, terms; weighted by
BM25's idf so that words nearly every article uses count for almost nothing) and the *figures* (a copy
repeats the event's numbers). Before anything is compared, Chinese numerals become Arabic digits
(三千二百 → 3200) and full-width characters half-width, so a print-style copy keeps its figures.

Three ways in, each erring towards keeping two reports apart (a missed merge shows a story twice; a wrong
merge hides a story from its channel):

- near-identical wording (weighted Jaccard ≥ 0.5) and no disagreeing figures;
- agreeing figures plus a fair share of the rarer report's words;
- too few figures to compare (and none that disagree): the smaller report lies largely inside the larger
  (containment), which is what a reworded brief with an intro line looks like, however short it is.

A *follow-up* repeats the original's figures but adds new facts days later. So when the newer report came
out more than a day after the older one, it must be nearly wholly contained in the older (nothing new to
say); otherwise it is its own story. Thresholds were set on the development half of ``bench/eval``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from newsportal.recommend.numerals import figures, to_arabic
from newsportal.search.bm25 import idf as bm25_idf
from newsportal.search.docs import IndexDoc
from newsportal.text import tokenize
from newsportal.timeutil import to_epoch

NEAR_DUPLICATE = 0.5  # weighted Jaccard above which two texts are copies of one another
MIN_FIGURES = 0.6  # share of the report with fewer figures found in the other, at least
MIN_FIGURES_OF_LONGER = 0.25  # …and of the other report's (chance overlaps of small numbers stay out)
MIN_WORDS_WITH_FIGURES = 0.28  # idf-weighted share of the smaller report's words, when the figures agree
MIN_WORDS_ALL_FIGURES = 0.2  # …when all of the smaller report's figures (four or more) recur
MIN_CONTAINED = 0.4  # without figures: weighted share of the smaller report inside the larger…
MIN_OVERLAP_WITHOUT_FIGURES = 0.2  # …together with this much weighted Jaccard,
MIN_CONTAINED_ALONE = 0.8  # …or this much containment (a brief inside its original: the case, 0.93)…
MIN_OVERLAP_CONTAINED = 0.12  # …with a little Jaccard still (a brief inside a long explainer is no copy)
MIN_TOKENS_CONTAINED_ALONE = 15  # …if the smaller report has at least this many content words
MIN_TOKENS = 6  # fewer distinct content words than this: too little text to call anything a copy
MIN_SHARED_TOKENS_SHARE = 0.2  # plain token overlap below which a candidate is not even weighed
FOLLOWUP_GAP_HOURS = 24.0  # a report this much later than another must bring nothing new to join it
MIN_LATE_CONTAINED = 0.85  # …measured as the weighted share of the later report inside the earlier one
_TRIVIAL_NUMBERS = frozenset({"0", "1", "2", "3", "4", "5", "10", "2024", "2025", "2026", "2027"})


@dataclass(slots=True)
class Fingerprint:
    """What verification and LSH read of one article (kept in the clustering window)."""

    tokens: frozenset[str]
    numbers: frozenset[str]
    published: float


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC) and Chinese numerals to Arabic: one spelling for every figure."""
    return to_arabic(unicodedata.normalize("NFKC", text or ""))


def features(doc: IndexDoc) -> tuple[frozenset[str], frozenset[str]]:
    """The content words (two characters or more) and the non-trivial figures of an article."""
    text = normalise(f"{doc.title}\n{doc.text}")
    numbers = frozenset(n for n in figures(text) if n not in _TRIVIAL_NUMBERS)
    return frozenset(t for t in tokenize(text) if len(t) > 1), numbers


def fingerprint(doc: IndexDoc) -> Fingerprint:
    tokens, numbers = features(doc)
    return Fingerprint(tokens, numbers, to_epoch(doc.published_at))


def fingerprints(docs: list[IndexDoc]) -> list[Fingerprint]:
    """Fingerprints of many articles (start-up clustering, benchmarks)."""
    return [fingerprint(d) for d in docs]


def quick_reject(a: Fingerprint, b: Fingerprint) -> bool:
    """Cheap set tests that rule most candidates out before any idf work."""
    if len(a.tokens) < MIN_TOKENS or len(b.tokens) < MIN_TOKENS:
        return a.tokens != b.tokens or not a.tokens
    fewest = min(len(a.numbers), len(b.numbers))
    if fewest >= 2 and len(a.numbers & b.numbers) / fewest < MIN_FIGURES:
        return True
    shared = len(a.tokens & b.tokens)
    return shared < MIN_SHARED_TOKENS_SHARE * min(len(a.tokens), len(b.tokens))


def same_story(a: Fingerprint, b: Fingerprint, df: dict[str, int], n_docs: int) -> float:
    """A confidence in (0, 1] that two fingerprints report one event; 0 means no.

    ``df``/``n_docs`` are document frequencies from the search index (or any corpus statistics).
    """
    if not a.tokens or not b.tokens:
        return 0.0
    if len(a.tokens) < MIN_TOKENS or len(b.tokens) < MIN_TOKENS:
        # a title-only or emoji-only article: only the very same words make a copy
        return 1.0 if a.tokens == b.tokens and a.numbers == b.numbers else 0.0
    fewest, most = sorted((len(a.numbers), len(b.numbers)))
    shared_figures = len(a.numbers & b.numbers)
    figure_share = shared_figures / fewest if fewest >= 2 else None
    if figure_share is not None and figure_share < MIN_FIGURES:
        return 0.0  # different figures: a different event, however similar the words

    def idf(t: str) -> float:  # BM25's idf: near 0 for words in every article, positive for rare ones
        return bm25_idf(df.get(t, 0), n_docs)

    total_a, total_b = sum(idf(t) for t in a.tokens), sum(idf(t) for t in b.tokens)
    shared = sum(idf(t) for t in a.tokens & b.tokens)
    if min(total_a, total_b) <= 0:
        return 0.0
    contained = shared / min(total_a, total_b)  # a short report inside a long one
    overlap = shared / (total_a + total_b - shared)  # weighted Jaccard
    newer = total_b if a.published <= b.published else total_a
    if abs(a.published - b.published) > FOLLOWUP_GAP_HOURS * 3600 and shared / newer < MIN_LATE_CONTAINED:
        return 0.0  # days later and saying something new: a follow-up, its own story
    if overlap >= NEAR_DUPLICATE:
        return overlap
    if figure_share is not None:
        enough = shared_figures >= 3 or shared_figures == fewest
        # every figure of the shorter report, four or more of them, found in the longer: fewer words suffice
        all_agree = figure_share == 1.0 and shared_figures >= 4
        words_needed = MIN_WORDS_ALL_FIGURES if all_agree else MIN_WORDS_WITH_FIGURES
        if enough and shared_figures / most >= MIN_FIGURES_OF_LONGER and contained >= words_needed:
            return (contained + figure_share) / 2
        return 0.0
    if fewest >= 1 and shared_figures == 0:
        return 0.0  # the one figure the shorter report gives is not the other's: not a copy without figures
    if (contained >= MIN_CONTAINED_ALONE and overlap >= MIN_OVERLAP_CONTAINED
            and min(len(a.tokens), len(b.tokens)) >= MIN_TOKENS_CONTAINED_ALONE):
        return contained
    if contained >= MIN_CONTAINED and overlap >= MIN_OVERLAP_WITHOUT_FIGURES:
        return contained
    return 0.0
