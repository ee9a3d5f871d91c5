"""The one normalised item every ingest path produces: feeds, partner pages and ninjs pushes.

Integration (dedup, trust, review queue) works on this type only, so it never needs to know whether a story
came from RSS, a scraped page or a push. Each item keeps where it came from (source key, guid, original URL,
original time) because re-fetching the same story must update the article rather than duplicate it, and a
stale copy must not roll a newer one back. ``content_hash`` lets the poller skip unchanged items cheaply.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from newsportal.text.sanitize import html_to_text

Origin = Literal["feed", "page", "ninjs"]
PubStatus = Literal["usable", "withheld", "canceled"]

_SPACE = re.compile(r"\s+")


class IngestError(Exception):
    """Base of every typed ingest failure: ``reason`` is a stable code, ``message`` Chinese for editors."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message

    @property
    def reason_code(self) -> str:
        return self.reason


def normalise_text(value: str | None) -> str:
    """NFC, collapse whitespace: the form titles and bylines are compared and stored in."""
    if not value:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip()


def content_hash(title: str, body_html: str) -> str:
    """SHA-256 over the normalised title and body *text*, so markup-only changes (attribute order,
    whitespace, a tracking pixel the sanitizer drops) do not count as an edit."""
    text = normalise_text(title) + "\n" + normalise_text(html_to_text(body_html))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IngestItem:
    """A validated, sanitised story from a partner, ready for the store's upsert.

    Times are naive UTC like everything in the store. ``original_time`` is the partner's publication time
    (None when the partner gave none: the integrator uses its fetch time); ``updated_time`` the partner's last
    edit, which is what "do not roll back" compares. ``body_html`` has passed nh3 (no scripts, iframes or
    event handlers); the store sanitizes again.
    """

    source_key: str
    origin: Origin
    guid: str
    original_url: str | None
    original_time: datetime | None
    updated_time: datetime | None
    title: str
    summary: str
    body_html: str
    byline: str = ""
    editor: str = ""
    tags: tuple[str, ...] = ()
    language: str = "zh"
    status: PubStatus = "usable"
    embargoed_until: datetime | None = None  # ninjs ``embargoed``: hold until then
    content_hash: str = field(default="")

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.title, self.body_html))

    @property
    def newest_time(self) -> datetime | None:
        """The time a stored copy is compared with before it may be overwritten."""
        return self.updated_time or self.original_time
