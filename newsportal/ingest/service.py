"""Partner ingest as a service: poll due sources, take their items into articles, accept ninjs pushes.

The service joins the pieces that know nothing of each other: the fetch/parse library (bytes to
:class:`~newsportal.ingest.items.IngestItem`), the ingest ledger (:class:`~newsportal.store.ingest_sources.
IngestSources`) and the publish flow, injected as a :class:`~newsportal.ingest.outcomes.SaveArticle`
callable so this module never imports the portal. Time and randomness are injected too (``clock``, ``rng``):
scheduling, backoff and "is this item from the future" are then testable without sleeping.

Rules an item goes through (:meth:`IngestService.take`): times in the future are clamped to now, times older
than ``max_age`` are refused; a known item (same guid, else same URL, else same content hash) updates its
article, unless its content hash is unchanged (nothing written) or its time is older than the stored copy's
(never rolled back); a new item becomes an article, published directly for a trusted source and left for
review otherwise. One broken source, or one broken item, never stops the others.
"""

from __future__ import annotations

import hashlib
import html
import logging
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from newsportal.domain import ArticleDraft
from newsportal.ingest.admin import SourceAdmin
from newsportal.ingest.fetch import Backoff, Fetcher, FetchError
from newsportal.ingest.items import IngestError, IngestItem
from newsportal.ingest.ninjs import FieldProblem, NinjsInvalid, ninjs_to_item, parse_ninjs
from newsportal.ingest.outcomes import (
    ItemResult,
    SaveArticle,
    SaveBatch,
    SourcePoll,
    Unauthorized,
    WithdrawArticle,
    token_hash,
)
from newsportal.ingest.pages import extract_page
from newsportal.ingest.poll import PollOutcome, Refused, poll_feed, poll_pages
from newsportal.newsroom.batch import BatchSave
from newsportal.store.ingest_sources import (
    IngestedItem,
    IngestSource,
    IngestSources,
    ItemLedgerRow,
    ItemMatch,
    PollRecord,
)
from newsportal.timeutil import utcnow

log = logging.getLogger(__name__)

MAX_TAGS, MAX_TAG, MAX_NAME, MAX_BYLINE = 12, 40, 40, 200  # the publish flow's limits, clipped not refused
#: An item a poll finds unchanged (or stale) writes nothing to its ledger row unless the row's ``last_seen``
#: is older than this: a feed re-polled every ten minutes with the same 500 items would otherwise write 500
#: rows per poll for nothing. ``last_seen`` is then right to within a day, which is all its readers need
#: (the newest of several rows for one URL or text; a page source's recently seen URLs).
LEDGER_TOUCH = timedelta(days=1)


def external_id(source_key: str, guid: str) -> str:
    """Stable per (partner, guid) and short enough for ``articles.external_id`` whatever the guid."""
    return f"ingest:{source_key}:{hashlib.sha256(guid.encode('utf-8')).hexdigest()[:32]}"


@dataclass(frozen=True)
class _ToSave:
    """An item that passed every rule and must be written: its draft and the article it updates."""

    item: IngestItem
    match: ItemMatch | None
    draft: ArticleDraft
    existing: int | None
    publish: bool


class IngestService(SourceAdmin):
    """Polling, item taking and pushes, plus the source administration of :class:`SourceAdmin`
    (``add_feed``, ``add_pages``, ``add_push``, ``list_sources``, ``disable``, ``health`` …)."""

    def __init__(self, repo: IngestSources, fetcher: Fetcher, save_article: SaveArticle, *,
                 withdraw_article: WithdrawArticle, clock: Callable[[], datetime] = utcnow,
                 rng: random.Random | None = None, backoff: Backoff | None = None,
                 lease: timedelta = timedelta(minutes=15), max_age: timedelta = timedelta(days=365),
                 actor: str = "ingest", page_limit: int = 50, batch: int = 100,
                 save_batch: SaveBatch | None = None, ledger_touch: timedelta = LEDGER_TOUCH) -> None:
        super().__init__(repo, clock)
        self.fetcher = fetcher
        self.save_article = save_article
        self.save_batch = save_batch  # many items at once (a big feed); None: one by one
        self.withdraw_article = withdraw_article
        self.backoff = backoff or Backoff(rng=rng or random.Random(), clock=clock)
        self.lease = lease
        self.max_age = max_age
        self.actor = actor
        self.page_limit = page_limit
        self.batch = batch
        self.ledger_touch = ledger_touch

    # -- polling -------------------------------------------------------------------------------------
    def poll_due(self, me: str, now: datetime | None = None) -> list[SourcePoll]:
        """Claim every due source this poller can get and poll it; sources another poller holds are left
        to it. ``me`` names this poller in the lease (host:pid is a good choice)."""
        now = now or self.clock()
        polls: list[SourcePoll] = []
        for candidate in self.repo.due(now, self.batch):
            poll = self._claim_and_poll(candidate.id, me, now, force=False)
            if poll is not None:
                polls.append(poll)
        return polls

    def due_source_ids(self, now: datetime | None = None) -> list[int]:
        """Ids of the sources whose poll is due and whose lease is free (a job engine defers one poll job
        per id; :meth:`poll_one` re-checks both under the lease, so a stale list polls nothing twice)."""
        return [s.id for s in self.repo.due(now or self.clock(), self.batch)]

    def poll_one(self, ingest_source_id: int, me: str, now: datetime | None = None) -> SourcePoll | None:
        """Poll one source if it is still due and its lease is free; None when it is not (already polled
        this interval, held by another poller, disabled or gone). Never raises for the source's errors."""
        return self._claim_and_poll(ingest_source_id, me, now or self.clock(), force=False)

    def poll_now(self, source: IngestSource, me: str, now: datetime | None = None) -> SourcePoll | None:
        """An operator's "poll now": ignores the schedule, never a live lease (None if another poller has
        the source right now, or it is a push source)."""
        if source.kind == "ninjs":
            return None
        return self._claim_and_poll(source.id, me, now or self.clock(), force=True)

    def _claim_and_poll(self, ingest_source_id: int, me: str, now: datetime, *,
                        force: bool) -> SourcePoll | None:
        try:
            if not self.repo.claim(ingest_source_id, me, now=now, until=now + self.lease, force=force):
                return None
            source = self.repo.get(ingest_source_id)
            if source is None:
                return None
            poll = self._poll(source, now)
            next_at = self._next_poll(source, poll, now)
            poll.next_poll_at = next_at
            record = PollRecord(
                at=now, next_poll_at=next_at, ok=poll.ok, failures=0 if poll.ok else source.failures + 1,
                taken=poll.taken, refused=poll.refused_count, etag=poll.etag,
                last_modified=poll.last_modified,
                error_reason=poll.error_reason, error_message=poll.error_message)
            if not self.repo.finish_poll(source.id, me, record):
                log.warning("lease on ingest source %s expired before its poll ended", source.id)
            return poll
        except Exception:  # a failing database for one source must not end the loop over the others
            log.exception("poll of ingest source %s failed outside the source's own errors", ingest_source_id)
            return None

    def _next_poll(self, source: IngestSource, poll: SourcePoll, now: datetime) -> datetime:
        failures = 0 if poll.ok else source.failures + 1
        delay = self.backoff.delay(failures, interval=source.interval_seconds, retry_after=poll.retry_after)
        return now + timedelta(seconds=delay)

    def _poll(self, source: IngestSource, now: datetime) -> SourcePoll:
        poll = SourcePoll(source.id, source.source_key, source.kind, now, etag=source.etag,
                          last_modified=source.last_modified)
        try:
            outcome = self._fetch(source)
        except IngestError as exc:
            poll.ok, poll.error_reason, poll.error_message = False, exc.reason, exc.message
            poll.retry_after = exc.retry_after if isinstance(exc, FetchError) else None
            return poll
        except Exception as exc:  # a parser bug on hostile input is this source's error, not the poller's
            log.exception("ingest source %s: unexpected error", source.id)
            poll.ok, poll.error_reason = False, "internal"
            poll.error_message = f"内部错误：{exc.__class__.__name__}"
            return poll
        poll.etag, poll.last_modified = outcome.etag, outcome.last_modified
        poll.not_modified, poll.warning = outcome.not_modified, outcome.warning
        poll.refused = list(outcome.refused)
        try:
            self.take_all(source, outcome.items, now, into=poll.items)
        except Exception as exc:  # e.g. the database went away mid-poll: items taken so far stay taken
            log.exception("ingest source %s: taking items failed", source.id)
            poll.ok, poll.error_reason = False, "internal"
            poll.error_message = f"保存稿件时出错：{exc.__class__.__name__}"
        return poll

    def _fetch(self, source: IngestSource) -> PollOutcome:
        if source.kind == "feed":
            outcome = poll_feed(self.fetcher, source.url or "", source.source_key, etag=source.etag,
                                last_modified=source.last_modified)
            if source.full_text and outcome.items:
                self._full_text(source, outcome)
            return outcome
        pattern = re.compile(source.link_pattern) if source.link_pattern else None
        known = self.repo.known_urls(source.id) if source.list_url else set()
        return poll_pages(self.fetcher, source.source_key, list_url=source.list_url, urls=source.urls,
                          pattern=pattern, known=known, limit=self.page_limit)

    def _full_text(self, source: IngestSource, outcome: PollOutcome) -> None:
        """Replace summary-only feed bodies by the text of each item's page. Items already stored with the
        same feed content cost no request; the feed's content hash stays the item's identity."""
        kept: list[IngestItem] = []
        fetched = 0
        for item in outcome.items:
            match = self.repo.find_item(source, guid=item.guid, url=item.original_url,
                                        content_hash=item.content_hash)
            if not item.original_url or (match and match.item.content_hash == item.content_hash):
                kept.append(item)
                continue
            if fetched >= self.page_limit:
                break  # the rest waits for the next poll
            fetched += 1
            try:
                page = self.fetcher.fetch(item.original_url)
                text = extract_page(page.body, url=page.url, content_type=page.content_type)
            except IngestError as exc:
                outcome.refused.append(Refused(item.guid, exc.reason, "全文抓取失败：" + exc.message))
                continue
            kept.append(replace(item, body_html=text.body_html, byline=item.byline or text.byline,
                                editor=item.editor or text.editor, content_hash=item.content_hash))
        outcome.items = kept

    # -- one item ------------------------------------------------------------------------------------
    def take(self, source: IngestSource, item: IngestItem, now: datetime) -> ItemResult:
        """Turn one item into a new or updated article (or decide it must not be); see the module doc."""
        screened = self._screen(source, item, now)
        if isinstance(screened, ItemResult):
            return screened
        try:
            article = self.save_article(screened.draft, publish=screened.publish,
                                        existing_article_id=screened.existing, actor=self.actor)
        except ValueError as exc:
            return self._refused(screened, exc)
        self._remember(source, screened.item, article.id, now)
        return ItemResult(screened.item.guid, "updated" if screened.match else "created", article.id)

    def _screen(self, source: IngestSource, item: IngestItem, now: datetime) -> ItemResult | _ToSave:
        """Every rule before the write: too old, withdrawn or held, unchanged, stale (an ItemResult, with
        the ledger touched as needed), or the draft to write (:class:`_ToSave`)."""
        original = min(item.original_time, now) if item.original_time else None
        updated = min(item.updated_time, now) if item.updated_time else None
        item = replace(item, original_time=original, updated_time=updated, content_hash=item.content_hash)
        newest = item.newest_time
        if newest is not None and newest < now - self.max_age:
            return ItemResult(item.guid, "refused", None, "too_old",
                              f"稿件时间 {newest:%Y-%m-%d} 过于久远，不予导入")
        match = self.repo.find_item(source, guid=item.guid, url=item.original_url,
                                    content_hash=item.content_hash)
        if item.status != "usable":
            return self._withdraw_or_hold(source, item, match, now)
        if match is not None:
            stored = match.item
            if stored.content_hash == item.content_hash:
                if not self._ledger_current(match, item, now):
                    self._remember(source, item, stored.article_id, now, keep=stored)
                return ItemResult(item.guid, "unchanged", stored.article_id)
            if newest is not None and stored.newest_time is not None and newest < stored.newest_time:
                if stored.last_seen < now - self.ledger_touch:
                    self.repo.touch_item(stored.id, now)
                return ItemResult(item.guid, "stale", stored.article_id)
        draft = self._draft(source, item, now, same_guid=match is None or match.by == "guid")
        embargoed = item.embargoed_until is not None and item.embargoed_until > now
        return _ToSave(item, match, draft, match.item.article_id if match else None,
                       source.trusted and not embargoed)

    def _ledger_current(self, match: ItemMatch, item: IngestItem, now: datetime) -> bool:
        """Whether the ledger row of an unchanged item already says what :meth:`_remember` would write: the
        same guid (a story met under a new guid needs a row of its own), URL and times, and a ``last_seen``
        younger than ``ledger_touch``. Then the item costs no write at all."""
        stored = match.item
        return (match.by == "guid" and stored.original_url == item.original_url
                and (stored.original_time or item.original_time) == stored.original_time
                and (stored.updated_time or item.updated_time) == stored.updated_time
                and stored.last_seen >= now - self.ledger_touch)

    @staticmethod
    def _refused(screened: _ToSave, exc: ValueError) -> ItemResult:
        return ItemResult(screened.item.guid, "refused", screened.existing, "article_invalid",
                          f"稿件未通过发布检查：{exc}")

    # -- many items ----------------------------------------------------------------------------------
    def take_all(self, source: IngestSource, items: Sequence[IngestItem], now: datetime,
                 into: list[ItemResult] | None = None) -> list[ItemResult]:
        """Take a poll's items, in order of the feed, appending each result to ``into`` as it is known.

        With a batch writer and more than one item, the items are screened one by one (the same rules as
        :meth:`take`) and the ones to write go through ``save_batch`` together: one transaction and one
        index commit for the lot. An item sharing a guid, URL or content hash with an earlier item of the
        same batch waits for the next round, so it meets that item's ledger row as it would one by one.
        """
        out = into if into is not None else []
        if self.save_batch is None or len(items) < 2:
            for item in items:
                out.append(self.take(source, item, now))
            return out
        results: dict[int, ItemResult] = {}
        try:
            self._take_rounds(source, items, now, results)
        finally:  # a failure mid-poll (the database went away) still reports the items already taken
            out.extend(results[i] for i in range(len(items)) if i in results)
        return out

    def _take_rounds(self, source: IngestSource, items: Sequence[IngestItem], now: datetime,
                     results: dict[int, ItemResult]) -> None:
        pending = list(range(len(items)))
        while pending:
            later: list[int] = []
            keys: set[tuple[str, str]] = set()
            batch: list[tuple[int, _ToSave]] = []
            for i in pending:
                item = items[i]
                mine = {("guid", item.guid), ("hash", item.content_hash)}
                if item.original_url:
                    mine.add(("url", item.original_url))
                if mine & keys:
                    later.append(i)
                    continue
                keys |= mine
                screened = self._screen(source, item, now)
                if isinstance(screened, ItemResult):
                    results[i] = screened
                else:
                    batch.append((i, screened))
            if batch:
                self._save_batch(source, batch, now, results)
            pending = later

    def _save_batch(self, source: IngestSource, batch: list[tuple[int, _ToSave]], now: datetime,
                    results: dict[int, ItemResult]) -> None:
        assert self.save_batch is not None
        saves = [BatchSave(t.draft, article_id=t.existing, publish_now=t.publish and t.existing is None,
                           review=not t.publish) for _, t in batch]
        outcomes = self.save_batch(saves, actor=self.actor)
        remember: list[ItemLedgerRow] = []
        for (i, t), outcome in zip(batch, outcomes, strict=True):
            if outcome.article is None:
                results[i] = self._refused(t, outcome.error or ValueError("未保存"))
                continue
            remember.append(ItemLedgerRow(t.item.guid, t.item.original_url, t.item.content_hash,
                                          outcome.article.id, t.item.original_time, t.item.updated_time))
            results[i] = ItemResult(t.item.guid, "updated" if t.match else "created", outcome.article.id)
        self.repo.remember_items(source.id, remember, now=now)

    def _withdraw_or_hold(self, source: IngestSource, item: IngestItem, match: ItemMatch | None,
                          now: datetime) -> ItemResult:
        """``canceled``/``withheld``: a known story comes off the site; an unknown canceled one is ignored and
        an unknown withheld one is kept for review."""
        if match is not None:
            article = self.withdraw_article(match.item.article_id, actor=self.actor)
            self.repo.touch_item(match.item.id, now)
            return ItemResult(item.guid, "withdrawn", article.id)
        if item.status == "canceled":
            return ItemResult(item.guid, "ignored", None, "canceled_unknown", "撤稿的稿件本站没有收录")
        try:
            article = self.save_article(self._draft(source, item, now, same_guid=True), publish=False,
                                        existing_article_id=None, actor=self.actor)
        except ValueError as exc:
            return ItemResult(item.guid, "refused", None, "article_invalid", f"稿件未通过发布检查：{exc}")
        self._remember(source, item, article.id, now)
        return ItemResult(item.guid, "created", article.id)

    def _remember(self, source: IngestSource, item: IngestItem, article_id: int, now: datetime,
                  keep: IngestedItem | None = None) -> None:
        """Ledger row for (source, guid); ``keep`` is the stored row of an unchanged story, whose times
        stand (an identical copy carrying an older time must not lower them)."""
        original, updated = item.original_time, item.updated_time
        if keep is not None:
            original, updated = keep.original_time or original, keep.updated_time or updated
        self.repo.remember_item(source.id, guid=item.guid, url=item.original_url,
                                content_hash=item.content_hash, article_id=article_id,
                                original_time=original, updated_time=updated, now=now)

    @staticmethod
    def _draft(source: IngestSource, item: IngestItem, now: datetime, *, same_guid: bool) -> ArticleDraft:
        body = item.body_html or f"<p>{html.escape(item.summary)}</p>"
        tags = tuple(t[:MAX_TAG] for t in item.tags if t)[:MAX_TAGS]
        return ArticleDraft(
            title=item.title, body_html=body, channel_slug=source.channel_slug, source_key=source.source_key,
            summary=item.summary, byline=item.byline[:MAX_BYLINE], tags=tags,
            editors=(item.editor[:MAX_NAME],) if item.editor else (),
            # a story recognised by URL or hash under a new guid keeps the external id it already has
            external_id=external_id(source.source_key, item.guid) if same_guid else None,
            published_at=item.original_time or now,
        )

    # -- push ----------------------------------------------------------------------------------------
    def authenticate(self, token: str) -> IngestSource:
        """The push source a token belongs to, or :class:`Unauthorized`."""
        source = self.repo.by_token_hash(token_hash(token or ""))
        if source is None or source.kind != "ninjs":
            raise Unauthorized("unknown_token", "推送令牌无效")
        if source.token_revoked:
            raise Unauthorized("revoked_token", "推送令牌已被吊销")
        if not source.enabled:
            raise Unauthorized("disabled", "该推送来源已停用")
        return source

    def push_ninjs(self, token: str, body: bytes | str, now: datetime | None = None) -> ItemResult:
        """Take one ninjs push. Raises :class:`Unauthorized` (401) or :class:`NinjsInvalid` (422, with the
        field problems); a ``canceled`` push withdraws the article it names."""
        source = self.authenticate(token)
        now = now or self.clock()
        try:
            item = ninjs_to_item(parse_ninjs(body), source.source_key)
            result = self.take(source, item, now)
            if result.action == "refused":
                field = "$.versioncreated" if result.reason == "too_old" else "$"
                raise NinjsInvalid([FieldProblem(field, result.message, result.reason)])
        except NinjsInvalid as exc:
            self.repo.record_push(source.id, at=now, refused=1, error_reason=exc.reason,
                                  error_message=exc.message)
            raise
        self.repo.record_push(source.id, at=now, taken=int(result.taken))
        return result
