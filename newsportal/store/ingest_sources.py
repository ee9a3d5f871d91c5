"""Persistence of partner ingest: sources, their polling lease and health, and the items already taken.

A standalone repository over an Engine (the same one the store uses), returning named, frozen row types.
The one subtle part is :meth:`IngestSources.claim`: a poller takes a due source with a single conditional
``UPDATE … WHERE lease is free`` and looks at the row count. The database serialises competing updates of one
row (SQLite by its write lock, PostgreSQL by re-checking the WHERE clause after the first writer commits), so
two processes can race for the same source and exactly one wins, without advisory locks or a job server.
A poller that dies keeps its lease only until ``lease_until``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from newsportal.domain import SourceKind
from newsportal.store.tables import ChannelRow, SourceRow
from newsportal.store.tables_ingest import IngestedItemRow, IngestSourceRow

IngestKind = Literal["feed", "pages", "ninjs"]
MatchedBy = Literal["guid", "url", "hash"]


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """What the newsroom, the CLI and the API show about one source."""

    ingest_source_id: int
    source_key: str
    kind: str
    enabled: bool
    failures: int
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error_reason: str | None
    last_error_message: str | None
    items_taken: int
    items_refused: int
    next_poll_at: datetime

    @property
    def status(self) -> Literal["disabled", "new", "ok", "failing"]:
        if not self.enabled:
            return "disabled"
        if self.failures:
            return "failing"
        return "ok" if self.last_success_at else "new"


@dataclass(frozen=True, slots=True)
class IngestSource:
    id: int
    source_id: int
    source_key: str
    source_name: str
    kind: IngestKind
    url: str | None
    list_url: str | None
    urls: tuple[str, ...]
    link_pattern: str | None
    channel_slug: str
    interval_seconds: int
    trusted: bool
    full_text: bool
    enabled: bool
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime
    failures: int
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error_reason: str | None
    last_error_message: str | None
    items_taken: int
    items_refused: int
    lease_owner: str | None
    lease_until: datetime | None
    has_token: bool
    token_revoked: bool
    created_at: datetime

    @property
    def health(self) -> SourceHealth:
        return SourceHealth(
            self.id, self.source_key, self.kind, self.enabled, self.failures, self.last_poll_at,
            self.last_success_at, self.last_error_at, self.last_error_reason, self.last_error_message,
            self.items_taken, self.items_refused, self.next_poll_at,
        )


@dataclass(frozen=True, slots=True)
class IngestedItem:
    id: int
    ingest_source_id: int
    guid: str
    original_url: str | None
    content_hash: str
    article_id: int
    original_time: datetime | None
    updated_time: datetime | None
    first_seen: datetime
    last_seen: datetime

    @property
    def newest_time(self) -> datetime | None:
        return self.updated_time or self.original_time


@dataclass(frozen=True, slots=True)
class ItemMatch:
    item: IngestedItem
    by: MatchedBy


@dataclass(frozen=True, slots=True)
class ItemLedgerRow:
    """One item to record with :meth:`IngestSources.remember_items` (the fields of ``remember_item``)."""

    guid: str
    url: str | None
    content_hash: str
    article_id: int
    original_time: datetime | None
    updated_time: datetime | None


@dataclass(frozen=True, slots=True)
class MediaSourceRef:
    id: int
    key: str
    name: str
    created: bool


@dataclass(frozen=True, slots=True)
class PollRecord:
    """The end of one poll, written together with the lease release in one UPDATE."""

    at: datetime
    next_poll_at: datetime
    ok: bool
    failures: int  # consecutive failures after this poll (0 on success)
    taken: int = 0
    refused: int = 0
    etag: str | None = None
    last_modified: str | None = None
    error_reason: str | None = None
    error_message: str | None = None


def _source(row: IngestSourceRow, media: SourceRow) -> IngestSource:
    return IngestSource(
        id=row.id, source_id=row.source_id, source_key=media.key, source_name=media.name,
        kind=row.kind,  # type: ignore[arg-type]
        url=row.url, list_url=row.list_url, urls=tuple(json.loads(row.urls_json or "[]")),
        link_pattern=row.link_pattern, channel_slug=row.channel_slug, interval_seconds=row.interval_seconds,
        trusted=row.trusted, full_text=row.full_text, enabled=row.enabled, etag=row.etag,
        last_modified=row.last_modified, next_poll_at=row.next_poll_at, failures=row.failures,
        last_poll_at=row.last_poll_at, last_success_at=row.last_success_at, last_error_at=row.last_error_at,
        last_error_reason=row.last_error_reason, last_error_message=row.last_error_message,
        items_taken=row.items_taken, items_refused=row.items_refused, lease_owner=row.lease_owner,
        lease_until=row.lease_until, has_token=row.token_hash is not None, token_revoked=row.token_revoked,
        created_at=row.created_at,
    )


def _item(row: IngestedItemRow) -> IngestedItem:
    return IngestedItem(
        id=row.id, ingest_source_id=row.ingest_source_id, guid=row.guid, original_url=row.original_url,
        content_hash=row.content_hash, article_id=row.article_id, original_time=row.original_time,
        updated_time=row.updated_time, first_seen=row.first_seen, last_seen=row.last_seen,
    )


class IngestSources:
    """CRUD, leases and health of ingest sources, and the ingested-item ledger."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _session(self) -> Session:
        return self._sessions()

    def _select(self):
        return select(IngestSourceRow, SourceRow).join(SourceRow, SourceRow.id == IngestSourceRow.source_id)

    # -- media sources and channels ------------------------------------------------------------------
    def ensure_media_source(self, key: str, name: str | None = None) -> MediaSourceRef:
        """The ``sources`` row a partner's items are credited to; created as partner media if missing
        (an existing row keeps its name, kind and trust: editors own those)."""
        with self._session() as s, s.begin():
            row = s.scalar(select(SourceRow).where(SourceRow.key == key))
            if row is not None:
                return MediaSourceRef(row.id, row.key, row.name, False)
            row = SourceRow(key=key, name=name or key, kind=SourceKind.MEDIA.value, trust=0.7, about="")
            s.add(row)
            s.flush()
            return MediaSourceRef(row.id, row.key, row.name, True)

    def channel_usable(self, slug: str) -> bool:
        """True for a channel one can publish into (exists and is not the root)."""
        with self._session() as s:
            row = s.scalar(select(ChannelRow).where(ChannelRow.slug == slug))
            return row is not None and row.parent_id is not None

    # -- sources -------------------------------------------------------------------------------------
    def add(self, source_id: int, kind: IngestKind, *, channel_slug: str, now: datetime,
            url: str | None = None, list_url: str | None = None, urls: tuple[str, ...] = (),
            link_pattern: str | None = None, interval_seconds: int = 600, trusted: bool = False,
            full_text: bool = False, token_hash: str | None = None) -> IngestSource:
        with self._session() as s, s.begin():
            row = IngestSourceRow(
                source_id=source_id, kind=kind, url=url, list_url=list_url, urls_json=json.dumps(list(urls)),
                link_pattern=link_pattern, channel_slug=channel_slug, interval_seconds=interval_seconds,
                trusted=trusted, full_text=full_text, enabled=True, next_poll_at=now, failures=0,
                items_taken=0, items_refused=0, token_hash=token_hash, token_revoked=False, created_at=now,
            )
            s.add(row)
            s.flush()
            return _source(row, s.get_one(SourceRow, source_id))

    def get(self, ingest_source_id: int) -> IngestSource | None:
        with self._session() as s:
            found = s.execute(self._select().where(IngestSourceRow.id == ingest_source_id)).first()
            return _source(*found) if found else None

    def all(self) -> list[IngestSource]:
        with self._session() as s:
            rows = s.execute(self._select().order_by(SourceRow.key, IngestSourceRow.id)).all()
            return [_source(*r) for r in rows]

    def for_media_source(self, key: str) -> list[IngestSource]:
        with self._session() as s:
            rows = s.execute(self._select().where(SourceRow.key == key).order_by(IngestSourceRow.id)).all()
            return [_source(*r) for r in rows]

    def by_token_hash(self, token_hash: str) -> IngestSource | None:
        with self._session() as s:
            found = s.execute(self._select().where(IngestSourceRow.token_hash == token_hash)).first()
            return _source(*found) if found else None

    def _set(self, ingest_source_id: int, **values: object) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(IngestSourceRow).where(IngestSourceRow.id == ingest_source_id).values(**values))
            return result.rowcount == 1

    def set_enabled(self, ingest_source_id: int, enabled: bool, *, now: datetime | None = None) -> bool:
        """Disable, or enable again (then due at ``now``, with a clean failure count)."""
        if enabled:
            extra: dict[str, object] = {"failures": 0}
            if now is not None:
                extra["next_poll_at"] = now
            return self._set(ingest_source_id, enabled=True, **extra)
        return self._set(ingest_source_id, enabled=False)

    def set_token(self, ingest_source_id: int, token_hash: str) -> bool:
        return self._set(ingest_source_id, token_hash=token_hash, token_revoked=False)

    def revoke_token(self, ingest_source_id: int) -> bool:
        """Keep the hash so a push with the old token is told it was revoked, not that it is unknown."""
        return self._set(ingest_source_id, token_revoked=True)

    # -- polling: due list, lease, end of poll -------------------------------------------------------
    def due(self, now: datetime, limit: int = 100) -> list[IngestSource]:
        """Enabled, pollable sources whose time has come and whose lease is free, most overdue first."""
        with self._session() as s:
            rows = s.execute(
                self._select().where(
                    IngestSourceRow.enabled.is_(True), IngestSourceRow.kind != "ninjs",
                    IngestSourceRow.next_poll_at <= now,
                    or_(IngestSourceRow.lease_owner.is_(None), IngestSourceRow.lease_until < now),
                ).order_by(IngestSourceRow.next_poll_at, IngestSourceRow.id).limit(limit)
            ).all()
            return [_source(*r) for r in rows]

    def claim(self, ingest_source_id: int, owner: str, *, now: datetime, until: datetime,
              force: bool = False) -> bool:
        """Take the lease on a source; True only for the one caller whose UPDATE matched the row.

        ``force`` ignores ``next_poll_at`` (an operator's "poll now") but never a live lease.
        """
        conditions = [
            IngestSourceRow.id == ingest_source_id,
            IngestSourceRow.enabled.is_(True),
            or_(IngestSourceRow.lease_owner.is_(None), IngestSourceRow.lease_until < now),
        ]
        if not force:
            conditions.append(IngestSourceRow.next_poll_at <= now)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(IngestSourceRow).where(*conditions).values(lease_owner=owner, lease_until=until))
            return result.rowcount == 1

    def finish_poll(self, ingest_source_id: int, owner: str, record: PollRecord) -> bool:
        """Write health and the next poll time and release the lease, only if ``owner`` still holds it
        (False means the lease expired and another poller may have the source by now)."""
        values: dict[str, object] = {
            "lease_owner": None, "lease_until": None, "last_poll_at": record.at,
            "next_poll_at": record.next_poll_at, "failures": record.failures,
            "items_taken": IngestSourceRow.items_taken + record.taken,
            "items_refused": IngestSourceRow.items_refused + record.refused,
        }
        if record.ok:
            values.update(last_success_at=record.at, etag=record.etag, last_modified=record.last_modified)
        else:
            values.update(last_error_at=record.at, last_error_reason=record.error_reason,
                          last_error_message=record.error_message)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(IngestSourceRow)
                .where(IngestSourceRow.id == ingest_source_id, IngestSourceRow.lease_owner == owner)
                .values(**values))
            return result.rowcount == 1

    def record_push(self, ingest_source_id: int, *, at: datetime, taken: int = 0, refused: int = 0,
                    error_reason: str | None = None, error_message: str | None = None) -> None:
        """Health of a push source: counts, and the last success or the last refusal with its reason."""
        values: dict[str, object] = {
            "items_taken": IngestSourceRow.items_taken + taken,
            "items_refused": IngestSourceRow.items_refused + refused,
        }
        if error_reason:
            values.update(last_error_at=at, last_error_reason=error_reason, last_error_message=error_message)
        else:
            values.update(last_success_at=at)
        self._set(ingest_source_id, **values)

    # -- ingested items ------------------------------------------------------------------------------
    def find_item(self, source: IngestSource, *, guid: str, url: str | None,
                  content_hash: str) -> ItemMatch | None:
        """A known item by guid (this ingest source), else by original URL, else by content hash (both
        within the same partner, across its feeds and page lists: a partner's story is one article)."""
        with self._session() as s:
            row = s.scalar(select(IngestedItemRow).where(
                IngestedItemRow.ingest_source_id == source.id, IngestedItemRow.guid == guid))
            if row is not None:
                return ItemMatch(_item(row), "guid")
            same_partner = (select(IngestedItemRow)
                            .join(IngestSourceRow, IngestSourceRow.id == IngestedItemRow.ingest_source_id)
                            .where(IngestSourceRow.source_id == source.source_id)
                            .order_by(IngestedItemRow.last_seen.desc(), IngestedItemRow.id.desc()).limit(1))
            if url:
                row = s.scalar(same_partner.where(IngestedItemRow.original_url == url))
                if row is not None:
                    return ItemMatch(_item(row), "url")
            row = s.scalar(same_partner.where(IngestedItemRow.content_hash == content_hash))
            return ItemMatch(_item(row), "hash") if row is not None else None

    def remember_item(self, ingest_source_id: int, *, guid: str, url: str | None, content_hash: str,
                      article_id: int, original_time: datetime | None, updated_time: datetime | None,
                      now: datetime) -> IngestedItem:
        """Insert or update the ledger row of (source, guid). A concurrent insert of the same row (two
        pushes racing) is turned into an update rather than an error."""
        for _ in range(2):
            try:
                with self._session() as s, s.begin():
                    row = s.scalar(select(IngestedItemRow).where(
                        IngestedItemRow.ingest_source_id == ingest_source_id, IngestedItemRow.guid == guid))
                    if row is None:
                        row = IngestedItemRow(ingest_source_id=ingest_source_id, guid=guid, first_seen=now)
                        s.add(row)
                    row.original_url, row.content_hash, row.article_id = url, content_hash, article_id
                    row.original_time, row.updated_time, row.last_seen = original_time, updated_time, now
                    s.flush()
                    return _item(row)
            except IntegrityError:
                continue
        raise RuntimeError(f"could not record item {guid!r} of ingest source {ingest_source_id}")

    def remember_items(self, ingest_source_id: int, rows: list[ItemLedgerRow], *, now: datetime) -> None:
        """:meth:`remember_item` for a batch, in one transaction (a big feed's ledger). A concurrent
        insert of one of the rows rolls the batch back and records the rows one by one instead."""
        if not rows:
            return
        try:
            with self._session() as s, s.begin():
                guids = [r.guid for r in rows]
                known: dict[str, IngestedItemRow] = {}
                for start in range(0, len(guids), 500):
                    known.update((row.guid, row) for row in s.scalars(select(IngestedItemRow).where(
                        IngestedItemRow.ingest_source_id == ingest_source_id,
                        IngestedItemRow.guid.in_(guids[start:start + 500]))))
                for r in rows:
                    row = known.get(r.guid)
                    if row is None:
                        row = known[r.guid] = IngestedItemRow(ingest_source_id=ingest_source_id, guid=r.guid,
                                                              first_seen=now)
                        s.add(row)
                    row.original_url, row.content_hash, row.article_id = r.url, r.content_hash, r.article_id
                    row.original_time, row.updated_time, row.last_seen = r.original_time, r.updated_time, now
            return
        except IntegrityError:
            pass
        for r in rows:
            self.remember_item(ingest_source_id, guid=r.guid, url=r.url, content_hash=r.content_hash,
                               article_id=r.article_id, original_time=r.original_time,
                               updated_time=r.updated_time, now=now)

    def touch_item(self, item_id: int, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(IngestedItemRow).where(IngestedItemRow.id == item_id).values(last_seen=now))

    def item_by_guid(self, ingest_source_id: int, guid: str) -> IngestedItem | None:
        with self._session() as s:
            row = s.scalar(select(IngestedItemRow).where(
                IngestedItemRow.ingest_source_id == ingest_source_id, IngestedItemRow.guid == guid))
            return _item(row) if row else None

    def items(self, ingest_source_id: int) -> list[IngestedItem]:
        with self._session() as s:
            rows = s.scalars(select(IngestedItemRow)
                             .where(IngestedItemRow.ingest_source_id == ingest_source_id)
                             .order_by(IngestedItemRow.id))
            return [_item(r) for r in rows]

    def known_urls(self, ingest_source_id: int, limit: int = 5000) -> set[str]:
        """Recently seen original URLs of a page source, so an unchanged list page costs one request."""
        with self._session() as s:
            rows = s.scalars(select(IngestedItemRow.original_url)
                             .where(IngestedItemRow.ingest_source_id == ingest_source_id,
                                    IngestedItemRow.original_url.is_not(None))
                             .order_by(IngestedItemRow.last_seen.desc()).limit(limit))
            return {u for u in rows if u}
