"""The search layer's document type: what the index and the story clusterer read of one article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """The text of one published article, as the recommendation and search layers need it."""

    id: int
    title: str
    text: str
    tags: tuple[str, ...]
    channel_id: int
    source_id: int
    published_at: datetime | None
    story_id: int | None = None
