"""One poll of one source, from URL to items: the unit the scheduler will run (no store access here).

A poll either raises an :class:`~newsportal.ingest.items.IngestError` (nothing was taken: record the reason
on the source and back off) or returns a :class:`PollOutcome` with the items to upsert, the entries that were
refused and why (for the source's "items refused" count), and the validators for the next conditional GET.
For page sources a broken article page is refused on its own; the other pages of the same poll still count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsportal.ingest.encoding import decode_bytes
from newsportal.ingest.feeds import parse_feed
from newsportal.ingest.fetch import Fetcher
from newsportal.ingest.items import IngestError, IngestItem
from newsportal.ingest.pages import extract_page, links_from_list_page


@dataclass(frozen=True)
class Refused:
    ref: str  # guid or URL of the refused entry
    reason: str  # stable code
    message: str  # Chinese, for the health view


@dataclass
class PollOutcome:
    url: str  # final URL after redirects
    not_modified: bool = False
    items: list[IngestItem] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    warning: str = ""
    etag: str | None = None
    last_modified: str | None = None


def poll_feed(fetcher: Fetcher, url: str, source_key: str, *, etag: str | None = None,
              last_modified: str | None = None) -> PollOutcome:
    """Fetch and parse an RSS/Atom source. A 304 returns ``not_modified`` and no items."""
    result = fetcher.fetch(url, etag=etag, last_modified=last_modified)
    outcome = PollOutcome(url=result.url, not_modified=result.not_modified,
                          etag=result.etag or etag, last_modified=result.last_modified or last_modified)
    if result.not_modified:
        return outcome
    feed = parse_feed(result.body, content_type=result.content_type, base_url=result.url)
    outcome.items = [entry.to_item(source_key) for entry in feed.items]
    outcome.refused = [Refused(s.guid or f"#{s.index}", "entry_invalid", s.reason) for s in feed.skipped]
    outcome.warning = feed.warning
    return outcome


def poll_pages(fetcher: Fetcher, source_key: str, *, list_url: str | None = None,
               urls: Iterable[str] = (), pattern: re.Pattern[str] | None = None,
               known: set[str] | None = None, limit: int = 50) -> PollOutcome:
    """Fetch article pages given directly (``urls``) and/or found on a list page.

    ``known`` holds URLs already stored, so a list page that did not change costs one request; ``limit``
    bounds the pages fetched per poll. A failure of the list page itself raises; a failure of one article
    page is recorded in ``refused``.
    """
    targets = list(dict.fromkeys(urls))
    outcome = PollOutcome(url=list_url or (targets[0] if targets else ""))
    if list_url:
        listing = fetcher.fetch(list_url)
        outcome.url = listing.url
        text = decode_bytes(listing.body, listing.content_type).text
        found = links_from_list_page(text, listing.url, pattern=pattern)
        targets.extend(u for u in found if u not in targets)
    known = known or set()
    for url in [u for u in targets if u not in known][:limit]:
        try:
            page = fetcher.fetch(url)
            item = extract_page(page.body, url=page.url, content_type=page.content_type)
        except IngestError as exc:
            outcome.refused.append(Refused(url, exc.reason, exc.message))
            continue
        outcome.items.append(item.to_item(source_key))
    return outcome
