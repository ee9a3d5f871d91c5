"""Take in the 跟贴 changes other server processes made, so every worker's pages show the same count.

With several workers (or hosts) each keeps its own page cache, and an article page carries its 跟贴 count.
A comment approved through worker A fires :class:`~newsportal.comments.signals.CommentCountChanged` in A
only; worker B's cached copy of the page would show the old count until it expires (a minute). Every change
of what readers see writes an audit line (``comment_events``) in the same transaction, so each process asks
every few seconds for the lines written since its last look and announces their articles as
:class:`~newsportal.comments.signals.CommentsChangedElsewhere`; the web layer drops those pages.

    refresh → store.events_since(last − OVERLAP) → skip lines already seen → changed_elsewhere(article ids)

A process also sees its own lines; dropping a page it has just rebuilt costs one more build, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from newsportal.comments.signals import CommentsChangedElsewhere, CommentSignals
from newsportal.timeutil import utcnow

__all__ = ["OVERLAP", "CommentSync", "EventSource"]

#: Lines stamped this long before the last look are asked for again: a transaction that stamped its line
#: before the last look but committed after it (or a host whose clock is a little behind) is not missed.
OVERLAP = timedelta(seconds=10)


class EventSource(Protocol):
    def events_since(self, since: datetime) -> list[tuple[int, int]]: ...


class CommentSync:
    def __init__(self, events: EventSource, signals: CommentSignals,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.events = events
        self.signals = signals
        self.clock = clock
        self.last = clock()
        #: event ids of the last look's window: the next window overlaps it, and they were announced
        self._seen: set[int] = set()

    def refresh(self) -> tuple[int, ...]:
        """Announce the articles whose shown comments changed since the last look; returns their ids."""
        now = self.clock()
        rows = self.events.events_since(self.last - OVERLAP)
        self.last = now
        fresh = [article for event, article in rows if event not in self._seen]
        self._seen = {event for event, _ in rows}
        articles = tuple(dict.fromkeys(fresh))
        if articles:
            self.signals.changed_elsewhere.send(CommentsChangedElsewhere(articles))
        return articles
