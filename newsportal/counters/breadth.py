"""Anti-gaming: an article's events move its hot score only once it is read from many places.

Dedupe and the per-reader flood cap bound what one reader can do, but a handful of machines can still
send a few dozen "readers" each. What a small group cannot fake is *breadth*: readers in many different
address blocks (``origin``: a /24 or /48, see :func:`~newsportal.web.api.auth.client_origin`). So, per
article and per window (an hour by default):

* an event scores only once the article has been read from ``min_origins`` distinct blocks in the
  window (the first readers of any article are free riders: a small, equal handicap for every article);
* each block scores at most ``cap`` events per article per window, however many readers it holds.

Events that do not score are still counted (views and shares are a fact, the hot list is a judgement)
and stored without an event row, so a rebuild of the scores from the store cannot bring them back.
Events without an origin (internal callers, replays) always score. The Redis counters apply the same rule
inside their Lua script.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Defaults, also in :class:`~newsportal.config.Settings`.
MIN_ORIGINS = 5
ORIGIN_CAP = 3
WINDOW_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class BreadthRule:
    min_origins: int = MIN_ORIGINS
    cap: int = ORIGIN_CAP
    window: float = WINDOW_SECONDS


class BreadthGuard:
    """The rule's state in one process: per (article, window) the scored events per origin block."""

    def __init__(self, rule: BreadthRule | None = None):
        self.rule = rule or BreadthRule()
        self._window = -1
        self._seen: dict[int, dict[str, int]] = {}  # this window: article -> origin -> events from it
        self._previous: dict[int, dict[str, int]] = {}

    def scores(self, article_id: int, origin: str, ts: float) -> bool:
        """Count one event from ``origin``; True when it may add to the article's hot score."""
        if not origin:
            return True
        window = int(ts // self.rule.window) if self.rule.window > 0 else 0
        if window > self._window:
            # Two windows kept: an article read widely just before the boundary does not restart at zero.
            self._previous = self._seen if window == self._window + 1 else {}
            self._seen = {}
            self._window = window
        origins = self._seen.setdefault(article_id, {})
        used = origins.get(origin, 0) + 1
        origins[origin] = used
        before = self._previous.get(article_id, {})
        breadth = len(origins.keys() | before.keys())
        return breadth >= self.rule.min_origins and used <= self.rule.cap
