"""Named row types that leave the store: every multi-column read is one of these, never a bare tuple.

NamedTuples rather than dataclasses because callers on hot paths (start-up over 100,000 rows, counters
replaying events) build and read millions of them; they still compare equal to plain tuples, which keeps
assertions such as ``store.stats(a) == (1, 0)`` readable.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple


class CatalogRow(NamedTuple):
    """What the in-memory catalogue needs of one published article."""

    id: int
    channel_id: int
    story_id: int | None
    published_at: datetime | None
    source_id: int
    title: str


class ChangedRow(NamedTuple):
    """One article written since a point in time (cross-process sync), whatever its status."""

    id: int
    status: str
    channel_id: int
    story_id: int | None
    published_at: datetime | None
    source_id: int
    title: str
    updated_at: datetime


class StoredEvent(NamedTuple):
    """A counted engagement event as kept in the ``events`` table."""

    article_id: int
    kind: str
    at: datetime


class Stats(NamedTuple):
    """An article's running totals."""

    views: int
    shares: int


class Read(NamedTuple):
    """One article in a reader's history and when it was last read."""

    article_id: int
    read_at: datetime
