"""The counters interface: engagement events in, per-article counts and decayed hot scores out.

Two implementations share this contract and one test suite: :class:`EmbeddedCounters` (this process, the
store for durability) and :class:`RedisCounters` (sorted sets shared by every worker). Both filter bots,
count one event per reader, article and kind per dedupe window, cap floods from one reader, and keep a
decayed score per *scope*: ``None`` for the whole site and a channel id for each channel the article sits in
(its own channel and the channels above it), so per-channel hot lists are a direct read, not a filter.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

WEIGHTS = {"view": 1.0, "share": 5.0}  # a share is a stronger signal of interest than a view
#: Events one reader may have counted per minute; beyond it a script or a stuck tab is at work.
READER_EVENTS_PER_MINUTE = 30
#: Exponent at which decayed scores are rebased (well below float overflow at 2 ** 1023).
REBASE_EXPONENT = 400.0
#: Channel scopes of an article, None when it is not published (see :meth:`Counters.load`).
ScopesOf = Callable[[int], tuple[int, ...] | None]


@dataclass(frozen=True, slots=True)
class Event:
    article_id: int
    kind: str  # "view" or "share"
    reader: str  # opaque reader id (cookie) or a salted hash of address and agent
    at: datetime  # naive UTC
    scopes: tuple[int, ...] = ()  # channel ids whose hot lists this article counts toward
    user_agent: str | None = None
    origin: str = ""  # the client's address block (anti-gaming, see counters/breadth.py); "" = trusted


class Outcome(NamedTuple):
    """What became of one event: counted (and durable), or not, with a short machine-readable reason."""

    counted: bool
    reason: str | None = None


#: Reasons an event is not counted.
BOT, UNKNOWN_KIND, REPEAT = "bot", "unknown_kind", "repeat"
READER_FLOOD, UNAVAILABLE = "reader_flood", "unavailable"


def growth(at: float, t0: float, half_life: float) -> float:
    """The weight multiplier of an event at ``at``: scores grow as 2 ** ((at - t0) / half-life).

    Letting new events weigh more, instead of decaying every stored score, keeps a hit one write; ``t0`` is
    the reference time the stored scores were last rebased to (see :data:`REBASE_EXPONENT`).
    """
    return math.pow(2.0, (at - t0) / half_life)


class Counters(ABC):
    half_life: float  # seconds

    def record(self, event: Event) -> bool:
        return self.record_many([event])[0]

    @abstractmethod
    def record_many(self, events: Sequence[Event]) -> list[bool]:
        """Count a batch; returns, per event, whether it counted (not a bot, repeat or flood)."""

    @abstractmethod
    def record_durable(self, event: Event) -> Outcome:
        """Count one event and return only once it survives a crash of this process (the beacon's path).

        ``Outcome(True)`` is a promise: the event is in the store (embedded) or in Redis (shared), so an
        acknowledged event is never lost; anything that fails before that answers ``Outcome(False, ...)``.
        """

    def mark_seen(self, reader: str, article_id: int, kind: str, at: datetime) -> None:  # noqa: B027
        """Note that ``reader`` saw the article, without counting it (its event was counted under
        another key, e.g. before the browser had its id), so the dedupe window covers it too."""

    def heal(self, scopes_of: ScopesOf | None = None, now: datetime | None = None) -> int:
        """Rebuild the hot scores if their storage lost them since start-up; returns events replayed.

        Called periodically by the web app. Embedded scores live in this process and cannot be lost
        without losing the process, so the default does nothing.
        """
        return 0

    @abstractmethod
    def top(self, n: int, scope: int | None = None, now: float | None = None) -> list[tuple[int, float]]:
        """The n hottest articles in a scope with their decayed scores at ``now``, best first."""

    @abstractmethod
    def counts(self, article_id: int) -> tuple[int, int]:
        """Views and shares so far, including events not yet written to the store."""

    @abstractmethod
    def flush(self) -> int:
        """Write counted events to the store; returns how many."""

    @abstractmethod
    def load(self, now: datetime | None = None, scopes_of: ScopesOf | None = None) -> int:
        """Prepare after a restart (rebuild scores from stored events where needed); returns events replayed.

        ``scopes_of(article_id)`` gives a stored event's channel scopes (None or () for an article no longer
        published), since the events table keeps only the article id.
        """

    @abstractmethod
    def forget(self, article_id: int, scopes: Sequence[int] = ()) -> None:
        """Drop an article from every hot list (withdrawn)."""

    def close(self) -> None:  # noqa: B027 - optional hook: nothing to release by default  # pragma: no cover
        pass
