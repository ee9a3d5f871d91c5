"""Field limits of an article, written once: the wire schema, newsroom checks and the sanitizer use them.

They are editorial and technical at once: a 120-character title still fits a list line and a share card, a
body of 400,000 characters is far beyond any news article yet small enough to sanitize in milliseconds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_TITLE = 120
MAX_SUMMARY = 500
MAX_BYLINE = 200
MAX_TAGS = 12
MAX_TAG = 40
MAX_PEOPLE = 10  # reporters, and editors, each
MAX_NAME = 40
MAX_EXTERNAL_ID = 200
MAX_BODY_CHARS = 400_000
MAX_CHANNEL_SLUG = 40
MAX_SOURCE_KEY = 64
MAX_PARAGRAPHS = 2000
#: The summary made from the first line of the body when none is given.
AUTO_SUMMARY_CHARS = 120

#: The earliest publication date accepted: older dates are typos or broken feeds, not news archives.
EARLIEST_PUBLISHED = datetime(1990, 1, 1)
#: How far ahead of this server's clock a ``published_at`` may be without being a scheduled publication:
#: partner clocks drift, but an article dated tomorrow would sit on top of every "latest" list until then.
PUBLISHED_AT_SKEW = timedelta(minutes=5)


def published_at_problem(value: datetime, now: datetime, *, scheduled: bool = False) -> str | None:
    """Why ``value`` (naive UTC) cannot be an article's publication time, or None when it can.

    Future dates are the scheduler's business (``scheduled=True`` on its path), never a submitter's.
    """
    if value < EARLIEST_PUBLISHED:
        return f"must not be before {EARLIEST_PUBLISHED:%Y-%m-%d}"
    if not scheduled and value > now + PUBLISHED_AT_SKEW:
        return "must not be in the future (schedule the publication instead)"
    return None
