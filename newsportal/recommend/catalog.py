"""What the recommendation layer knows about every published article, kept in memory.

One small record per article (channel, story, time, source, quality) answers "is it live", "which story",
"how fresh" and "how trustworthy" without a query; at 100,000 articles it is a few tens of MB.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(slots=True)
class Entry:
    channel_id: int
    story_id: int  # the article's own id when it is not part of a multi-source story
    published: float  # epoch seconds
    source_id: int
    quality: float = 1.0  # ranking weight: clickbait and source trust folded in (never 0: demote, not hide)
    base_quality: float = 1.0  # the same at full source trust, so a trust change needs no re-assessment
    clickbait: bool = False  # the quality model flagged title or body


class Catalog:
    def __init__(self) -> None:
        self._entries: dict[int, Entry] = {}
        self._stories: dict[int, set[int]] = {}
        self._lock = threading.Lock()

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[int]:
        return iter(list(self._entries))

    def get(self, article_id: int) -> Entry | None:
        return self._entries.get(article_id)

    def __getitem__(self, article_id: int) -> Entry:
        return self._entries[article_id]

    def put(self, article_id: int, entry: Entry) -> None:
        with self._lock:
            self._drop_locked(article_id)
            self._entries[article_id] = entry
            self._stories.setdefault(entry.story_id, set()).add(article_id)

    def drop(self, article_id: int) -> None:
        with self._lock:
            self._drop_locked(article_id)

    def _drop_locked(self, article_id: int) -> None:
        old = self._entries.pop(article_id, None)
        if old is not None:
            members = self._stories.get(old.story_id)
            if members is not None:
                members.discard(article_id)
                if not members:
                    del self._stories[old.story_id]

    def story_of(self, article_id: int) -> int | None:
        e = self._entries.get(article_id)
        return e.story_id if e else None

    def story_members(self, story_id: int) -> set[int]:
        return set(self._stories.get(story_id, ()))

    def set_story(self, article_id: int, story_id: int) -> None:
        with self._lock:
            e = self._entries.get(article_id)
            if e is None or e.story_id == story_id:
                return
            members = self._stories.get(e.story_id)
            if members is not None:
                members.discard(article_id)
                if not members:
                    del self._stories[e.story_id]
            e.story_id = story_id
            self._stories.setdefault(story_id, set()).add(article_id)


def one_per_story(ids: Iterable[int], catalog: Catalog, seen: set[int] | None = None) -> list[int]:
    """Keep the first article of each story, in order: no list shows one story twice."""
    seen_stories = set() if seen is None else seen
    out = []
    for aid in ids:
        story = catalog.story_of(aid)
        key = story if story is not None else aid
        if key in seen_stories:
            continue
        seen_stories.add(key)
        out.append(aid)
    return out
