"""What the recommendation layer knows about every published article, kept in memory.

One small record per article (channel, story, time, source, quality) answers "is it live", "which story",
"how fresh" and "how trustworthy" without a query. Most stories have one article, so the story → members
map holds that article's id itself and only a story of two or more holds a set: a set per story cost about
220 bytes each, half of the catalogue's memory at 1,000,000 articles (474 MiB before, see bench/README).
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
        self._stories: dict[int, int | set[int]] = {}  # story id → its one article, or a set of two or more
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
            self._join_locked(entry.story_id, article_id)

    def drop(self, article_id: int) -> None:
        with self._lock:
            self._drop_locked(article_id)

    def _drop_locked(self, article_id: int) -> None:
        old = self._entries.pop(article_id, None)
        if old is not None:
            self._leave_locked(old.story_id, article_id)

    def _join_locked(self, story_id: int, article_id: int) -> None:
        members = self._stories.get(story_id)
        if members is None:
            self._stories[story_id] = article_id
        elif isinstance(members, set):
            members.add(article_id)
        elif members != article_id:
            self._stories[story_id] = {members, article_id}

    def _leave_locked(self, story_id: int, article_id: int) -> None:
        members = self._stories.get(story_id)
        if members is None:
            return
        if isinstance(members, set):
            members.discard(article_id)
            if len(members) == 1:
                self._stories[story_id] = next(iter(members))
            elif not members:
                del self._stories[story_id]
        elif members == article_id:
            del self._stories[story_id]

    def story_of(self, article_id: int) -> int | None:
        e = self._entries.get(article_id)
        return e.story_id if e else None

    def story_members(self, story_id: int) -> set[int]:
        members = self._stories.get(story_id)
        if members is None:
            return set()
        return set(members) if isinstance(members, set) else {members}

    def set_story(self, article_id: int, story_id: int) -> None:
        with self._lock:
            e = self._entries.get(article_id)
            if e is None or e.story_id == story_id:
                return
            self._leave_locked(e.story_id, article_id)
            e.story_id = story_id
            self._join_locked(story_id, article_id)


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
