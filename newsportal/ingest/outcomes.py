"""The vocabulary of :mod:`newsportal.ingest.service`: what it needs injected, reports and raises.

Kept apart from the service so the web layer (push endpoint, health view) and the CLI can import the result
and error types without the polling machinery.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from newsportal.domain import Article, ArticleDraft
from newsportal.ingest.items import IngestError
from newsportal.ingest.poll import Refused
from newsportal.newsroom.batch import BatchOutcome, BatchSave


class SaveArticle(Protocol):
    """Write one partner story through the publish flow.

    ``existing_article_id`` is the article this item was recognised as (same guid, URL or content hash), or
    None for a new story. ``publish`` is only a request for *new* articles: True publishes directly (trusted
    source), False leaves the article waiting for review; an update keeps whatever status editors gave the
    article. ``draft.external_id`` is stable per (partner, guid), so a save repeated after a crash between the
    article write and the ledger write finds the article instead of duplicating it. Refusals of the content
    raise a ``ValueError`` subclass (the newsroom's ``ValidationError``, the store's ``Conflict``).
    """

    def __call__(self, draft: ArticleDraft, *, publish: bool, existing_article_id: int | None,
                 actor: str) -> Article: ...


class SaveBatch(Protocol):
    """Write many partner stories at once (:func:`newsportal.newsroom.batch.save_articles`): one outcome per
    save, in order; a refused save carries its ``error`` and never stops the others."""

    def __call__(self, saves: Sequence[BatchSave], *, actor: str) -> list[BatchOutcome]: ...


class WithdrawArticle(Protocol):
    """Take an article off the site (a ninjs push with ``pubstatus: canceled``)."""

    def __call__(self, article_id: int, *, actor: str) -> Article: ...


class SourceConfigError(IngestError):
    """An ingest source cannot be configured as asked: ``bad_url``, ``bad_channel``, ``bad_pattern``,
    ``bad_interval``, ``no_pages`` or ``unknown_source``."""


class Unauthorized(IngestError):
    """A push whose token is unknown (``unknown_token``), revoked (``revoked_token``) or belongs to a disabled
    source (``disabled``): the push endpoint answers 401."""


ItemAction = Literal["created", "updated", "unchanged", "stale", "refused", "withdrawn", "ignored"]


@dataclass(frozen=True)
class ItemResult:
    """What happened to one item: ``stale`` means older than the stored copy (not rolled back)."""

    guid: str
    action: ItemAction
    article_id: int | None = None
    reason: str = ""
    message: str = ""

    @property
    def taken(self) -> bool:
        return self.action in ("created", "updated", "withdrawn")


@dataclass
class SourcePoll:
    """One poll of one source, as the CLI prints it and the scheduler logs it."""

    ingest_source_id: int
    source_key: str
    kind: str
    at: datetime
    ok: bool = True
    not_modified: bool = False
    items: list[ItemResult] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)  # entries refused before they became items
    warning: str = ""
    error_reason: str | None = None
    error_message: str | None = None
    next_poll_at: datetime | None = None
    etag: str | None = None  # validators for the next conditional GET
    last_modified: str | None = None
    retry_after: float | None = None  # a failing server's Retry-After, seconds

    def count(self, action: ItemAction) -> int:
        return sum(1 for r in self.items if r.action == action)

    @property
    def taken(self) -> int:
        return sum(1 for r in self.items if r.taken)

    @property
    def refused_count(self) -> int:
        return len(self.refused) + self.count("refused")


def token_hash(token: str) -> str:
    """Push tokens are 32 random bytes, so SHA-256 is as strong as a slow hash and cheap per push."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
