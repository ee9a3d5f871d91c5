"""BM25's inverse document frequency, written once for search (signatures) and story clustering."""

from __future__ import annotations

import math


def idf(doc_freq: int, n_docs: int) -> float:
    """Near 0 for a term in every document, larger the rarer the term (Robertson–Spärck Jones, +1 smoothed).

    ``n_docs`` is raised to ``doc_freq`` when a caller's counts disagree (a term counted in a document the
    searcher does not see yet), so the result is never negative.
    """
    n = max(n_docs, doc_freq)
    return math.log(1.0 + (n - doc_freq + 0.5) / (doc_freq + 0.5))
