"""The 跟贴 section fragment (``/comments/<id>/section``) and its short-lived shared cache.

The article page is cached and shared by every reader, so it carries only a placeholder (count and a link
to the thread page). The page's script fetches this fragment, which is the same for every reader too: it
holds no per-reader state (the reader's nickname and CSRF token come from ``/api/v1/readers/me``). The
fragment is kept for :data:`TTL` seconds and dropped at once when a comment of the article is shown
(approved, posted under 发后审) or hidden (deleted, taken down): the cache hears the comments component's
:class:`~newsportal.comments.signals.CommentCountChanged`. Changes that leave the count alone (a like, the
thread closed) are dropped by their handlers with :func:`invalidate`.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable

from newsportal.comments.component import Comments
from newsportal.comments.signals import CommentCountChanged, CommentsChangedElsewhere

__all__ = ["TTL", "SectionCache", "cache_of", "invalidate"]

TTL = 5.0
MAX_ENTRIES = 2048


class SectionCache:
    def __init__(self, ttl: float = TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._entries: dict[tuple[bool, int], tuple[float, str]] = {}
        self._lock = threading.Lock()

    def get(self, care: bool, article_id: int, build: Callable[[], str]) -> str:
        now = self.clock()
        hit = self._entries.get((care, article_id))
        if hit is not None and hit[0] > now:
            return hit[1]
        text = build()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[(care, article_id)] = (now + self.ttl, text)
        return text

    def invalidate(self, article_id: int) -> None:
        with self._lock:
            self._entries.pop((False, article_id), None)
            self._entries.pop((True, article_id), None)

    def on_count_changed(self, event: CommentCountChanged) -> None:
        self.invalidate(event.article_id)

    def on_changed_elsewhere(self, event: CommentsChangedElsewhere) -> None:
        for article_id in event.article_ids:
            self.invalidate(article_id)


_caches: weakref.WeakKeyDictionary[Comments, SectionCache] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def cache_of(comments: Comments) -> SectionCache:
    with _lock:
        cache = _caches.get(comments)
        if cache is None:
            cache = _caches[comments] = SectionCache()
            comments.signals.count_changed.connect(cache.on_count_changed)
            comments.signals.changed_elsewhere.connect(cache.on_changed_elsewhere)
        return cache


def invalidate(comments: Comments, article_id: int) -> None:
    cache_of(comments).invalidate(article_id)
