"""相关推荐, first version: shared tags and shared words, favouring the same channel and fresh articles.

An in-memory inverted index over each published article's title tokens, tags and top body keywords. A query
scores only the articles that share at least one term with the article (found through the postings), with
rare terms worth more than common ones (idf). Publishing or editing one article updates only its own entries.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from newsportal.store import IndexDoc
from newsportal.text import keywords, tokenize

TITLE_WEIGHT = 2.0
TAG_WEIGHT = 3.0
BODY_WEIGHT = 1.0
SAME_CHANNEL_BONUS = 0.25  # multiplicative: a nudge toward the reader's current channel
RECENCY_DAYS = 14.0
# Terms carried by more than this share of the corpus say nothing about topic (e.g. 记者, 城市).
MAX_DF_SHARE = 0.2


@dataclass(slots=True)
class _Doc:
    terms: dict[str, float]
    channel_id: int
    published_at: datetime | None


class RelatedIndex:
    def __init__(self) -> None:
        self._docs: dict[int, _Doc] = {}
        self._postings: dict[str, set[int]] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, article_id: int) -> bool:
        return article_id in self._docs

    @staticmethod
    def terms_of(doc: IndexDoc) -> dict[str, float]:
        terms: Counter[str] = Counter()
        for tok in set(tokenize(doc.title)):
            if len(tok) > 1:
                terms[tok] += TITLE_WEIGHT
        for tag in doc.tags:
            terms["#" + tag.lower()] += TAG_WEIGHT
        for tok in keywords(doc.text, limit=15):
            terms[tok] += BODY_WEIGHT
        return dict(terms)

    def add(self, doc: IndexDoc) -> None:
        """Index (or re-index after an edit) one published article."""
        entry = _Doc(self.terms_of(doc), doc.channel_id, doc.published_at)
        with self._lock:
            self._remove_locked(doc.id)
            self._docs[doc.id] = entry
            for term in entry.terms:
                self._postings.setdefault(term, set()).add(doc.id)

    def remove(self, article_id: int) -> None:
        with self._lock:
            self._remove_locked(article_id)

    def _remove_locked(self, article_id: int) -> None:
        old = self._docs.pop(article_id, None)
        if old is None:
            return
        for term in old.terms:
            posting = self._postings.get(term)
            if posting is not None:
                posting.discard(article_id)
                if not posting:
                    del self._postings[term]

    def related(
        self, article_id: int, n: int = 8, exclude: set[int] | frozenset[int] = frozenset()
    ) -> list[tuple[int, float]]:
        """Up to n (article id, score) pairs, best first; never the article itself."""
        with self._lock:
            doc = self._docs.get(article_id)
            if doc is None:
                return []
            total = len(self._docs)
            max_df = max(2, int(total * MAX_DF_SHARE))
            scores: dict[int, float] = {}
            for term, weight in doc.terms.items():
                posting = self._postings.get(term, ())
                df = len(posting)
                if df <= 1 or (df > max_df and not term.startswith("#")):
                    continue
                idf = math.log(1 + total / df)
                for other in posting:
                    if other == article_id or other in exclude:
                        continue
                    w = self._docs[other].terms.get(term, 0.0)
                    scores[other] = scores.get(other, 0.0) + idf * min(weight, w)
            ranked = []
            for other, score in scores.items():
                od = self._docs[other]
                if od.channel_id == doc.channel_id:
                    score *= 1 + SAME_CHANNEL_BONUS
                if doc.published_at and od.published_at:
                    age_days = abs((doc.published_at - od.published_at).total_seconds()) / 86400
                    score *= 1 / (1 + age_days / RECENCY_DAYS)
                ranked.append((other, score))
        ranked.sort(key=lambda kv: (-kv[1], -kv[0]))
        return ranked[:n]
