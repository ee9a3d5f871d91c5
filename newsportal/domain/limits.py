"""Field limits of an article, written once: the wire schema, newsroom checks and the sanitizer use them.

They are editorial and technical at once: a 120-character title still fits a list line and a share card, a
body of 400,000 characters is far beyond any news article yet small enough to sanitize in milliseconds.
"""

from __future__ import annotations

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
