"""Exponentially decayed scores without touching every score as time passes.

An event of weight w at time t adds ``w * 2 ** ((t - t0) / half_life)`` to its article's score, for a fixed
reference time t0. All scores then grow by the same factor over time, so their order is the order of the
decayed scores, and the decayed value at ``now`` is ``score * 2 ** (-(now - t0) / half_life)``. When the
exponent grows large, t0 is moved forward and every score is scaled down once (a "rebase"). The Redis
backend uses the same arithmetic on a sorted set.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable

REBASE_EXPONENT = 400.0  # well below float overflow (2 ** 1023)


class DecayedScores:
    def __init__(self, half_life_seconds: float, t0: float = 0.0):
        if half_life_seconds <= 0:
            raise ValueError("half-life must be positive")
        self.half_life = float(half_life_seconds)
        self.t0 = float(t0)
        self._scores: dict[int, float] = {}

    def __len__(self) -> int:
        return len(self._scores)

    def add(self, key: int, weight: float, at: float) -> None:
        exponent = (at - self.t0) / self.half_life
        if exponent > REBASE_EXPONENT:
            self._rebase(at)
            exponent = (at - self.t0) / self.half_life
        self._scores[key] = self._scores.get(key, 0.0) + weight * math.pow(2.0, exponent)

    def value(self, key: int, now: float) -> float:
        return self._scores.get(key, 0.0) * math.pow(2.0, -(now - self.t0) / self.half_life)

    def top(
        self, n: int, now: float, keep: Callable[[int], bool] | None = None
    ) -> list[tuple[int, float]]:
        """The n highest decayed scores, optionally only keys that ``keep`` accepts."""
        scale = math.pow(2.0, -(now - self.t0) / self.half_life)
        items: Iterable[tuple[int, float]] = self._scores.items()
        if keep is not None:
            items = ((k, s) for k, s in items if keep(k))
        best = heapq.nlargest(n, items, key=lambda kv: kv[1])
        return [(k, s * scale) for k, s in best]

    def discard(self, key: int) -> None:
        self._scores.pop(key, None)

    def drop_below(self, now: float, threshold: float) -> int:
        """Forget keys whose decayed score fell under ``threshold``; keeps memory proportional to activity."""
        limit = threshold * math.pow(2.0, (now - self.t0) / self.half_life)
        dead = [k for k, s in self._scores.items() if s < limit]
        for k in dead:
            del self._scores[k]
        return len(dead)

    def _rebase(self, new_t0: float) -> None:
        factor = math.pow(2.0, -(new_t0 - self.t0) / self.half_life)
        self._scores = {k: s * factor for k, s in self._scores.items()}
        self.t0 = new_t0
