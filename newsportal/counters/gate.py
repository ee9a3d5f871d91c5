"""Which events count: not bots, and one per reader per article per window (30 minutes by default)."""

from __future__ import annotations

import functools
import re
import time

_BOT = re.compile(
    r"bot|spider|crawl|slurp|bingpreview|mediapartners|facebookexternalhit|embedly|quora link|"
    r"curl/|wget/|python-requests|python-httpx|python-urllib|aiohttp|go-http-client|java/|okhttp|"
    r"scrapy|httpclient|libwww|headlesschrome|phantomjs|lighthouse|pingdom|uptime|monitor|wrk",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8192)
def is_bot(user_agent: str | None) -> bool:
    """Crawlers, scripts and monitors identify themselves in the user agent; an empty one is a script too.

    Cached: readers share a few thousand agent strings, and the regex costs ~30 us a call.
    """
    if not user_agent or len(user_agent) < 8:
        return True
    return bool(_BOT.search(user_agent))


class EventGate:
    """Remembers (reader, article, kind) for the dedupe window; memory is bounded by periodic pruning."""

    def __init__(self, window_seconds: float = 1800.0, max_entries: int = 2_000_000):
        self.window = float(window_seconds)
        self.max_entries = max_entries
        self._seen: dict[tuple[str, int, str], float] = {}
        self._last_prune = time.monotonic()

    def admit(self, reader: str, article_id: int, kind: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        key = (reader, article_id, kind)
        last = self._seen.get(key)
        if last is not None and abs(now - last) < self.window:
            return False
        self._seen[key] = now
        if len(self._seen) > self.max_entries or now - self._last_prune > self.window:
            self._prune(now)
        return True

    def forget(self, reader: str, article_id: int, kind: str) -> None:
        """Take back an admission whose event could not be stored, so a retry is not a repeat."""
        self._seen.pop((reader, article_id, kind), None)

    def _prune(self, now: float) -> None:
        cutoff = now - self.window
        self._seen = {k: t for k, t in self._seen.items() if t >= cutoff}
        if len(self._seen) > self.max_entries:  # a flood inside one window: keep the newest half
            newest = sorted(self._seen.items(), key=lambda kv: kv[1])[len(self._seen) // 2 :]
            self._seen = dict(newest)
        self._last_prune = now
