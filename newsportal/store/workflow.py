"""Article workflow rows, corrections, and the scheduler's exactly-once claim, in the database.

The state machine itself is pure (:mod:`newsportal.newsroom.workflow`); this module keeps its result.

Exactly once across processes: every process's scheduler may see the same due row, but only one wins
:meth:`WorkflowStore.claim`, a single conditional ``UPDATE … WHERE claimed_by IS NULL`` whose row count says
who won. That is atomic on PostgreSQL (row lock) and on SQLite (one writer at a time), with no advisory
locks or ``SELECT … FOR UPDATE``. The winner publishes, then :meth:`complete` clears the claim *only if it
still holds it*. A claim older than ``stale_after`` (its process died mid-way) may be taken over, so an
item is never stuck; the takeover re-runs the publish step, which the publish flow makes idempotent.

Editors' changes (:meth:`set_status`) are refused while a live claim exists and when the state is not the
one the editor saw, so "unschedule" and the scheduler firing cannot both win.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, literal_column, or_, select, update
from sqlalchemy.exc import IntegrityError

from newsportal.store.base import read_engine_of
from newsportal.store.tables_newsroom import (
    ArticleWorkflowRow,
    Bind,
    CorrectionRow,
    engine_of,
    session_factory,
)

W = ArticleWorkflowRow
SCHEDULED = "scheduled"
PUBLISHED = "published"
DEFAULT_STALE_AFTER = timedelta(minutes=10)
MAX_ERROR = 2000


class WorkflowConflict(RuntimeError):
    """The row changed since the editor loaded it, or the scheduler is publishing it right now."""

    def __init__(self, article_id: int, message: str = "稿件状态已被他人更改或正在定时发布，请刷新后重试"):
        self.article_id = article_id
        self.message = message
        super().__init__(message)


class UnknownArticle(LookupError):
    def __init__(self, article_id: int):
        self.article_id = article_id
        self.message = f"找不到稿件 {article_id}"
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class WorkflowRecord:
    article_id: int
    state: str
    scheduled_at: datetime | None
    embargo: bool
    reason: str | None
    update_at: datetime | None
    author_user_id: int | None
    submitted_by_user_id: int | None
    approved_by_user_id: int | None
    approved_by_name: str | None
    claimed_by: str | None
    claimed_at: datetime | None
    fired_at: datetime | None
    last_error: str | None
    pending_revision: Mapping[str, Any] | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DueItem:
    """A row whose time has come: ``kind`` is ``"publish"`` (scheduled) or ``"update"`` (live article)."""

    article_id: int
    kind: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Correction:
    id: int
    article_id: int
    at: datetime
    note: str
    by_user_id: int | None
    by_name: str


def _record(row: ArticleWorkflowRow) -> WorkflowRecord:
    pending = json.loads(row.pending_revision) if row.pending_revision else None
    return WorkflowRecord(
        article_id=row.article_id,
        state=row.state,
        scheduled_at=row.scheduled_at,
        embargo=bool(row.embargo),
        reason=row.reason,
        update_at=row.update_at,
        author_user_id=row.author_user_id,
        submitted_by_user_id=row.submitted_by_user_id,
        approved_by_user_id=row.approved_by_user_id,
        approved_by_name=row.approved_by_name,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        fired_at=row.fired_at,
        last_error=row.last_error,
        pending_revision=MappingProxyType(pending) if isinstance(pending, dict) else None,
        updated_at=row.updated_at,
    )


def _correction(row: CorrectionRow) -> Correction:
    return Correction(row.id, row.article_id, row.at, row.note, row.by_user_id, row.by_name)


class _Keep:
    """Marker for "leave this column as it is" in :meth:`WorkflowStore.set_status`."""


KEEP: Any = _Keep()


def _page_notes_query() -> Any:
    """An article's approver and its corrections in one statement (the article page reads both).

    One row per correction, oldest first, each carrying the approver; a single row of NULL corrections
    when there is none (the corrections are joined to a one-row select, so the approver always comes).
    """
    approver = select(W.approved_by_name).where(W.article_id == bindparam("aid")).scalar_subquery()
    one = select(literal_column("1").label("one")).subquery("one_row")
    return (
        select(approver.label("approver"), CorrectionRow.id, CorrectionRow.article_id, CorrectionRow.at,
               CorrectionRow.note, CorrectionRow.by_user_id, CorrectionRow.by_name)
        .select_from(one.outerjoin(CorrectionRow, CorrectionRow.article_id == bindparam("aid")))
        .order_by(CorrectionRow.at, CorrectionRow.id)
    )


_PAGE_NOTES = _page_notes_query()


class WorkflowStore:
    def __init__(self, bind: Bind, *, stale_after: timedelta = DEFAULT_STALE_AFTER):
        self._sessions = session_factory(bind)
        self._engine = engine_of(self._sessions)
        self._reads = read_engine_of(self._engine)
        self.stale_after = stale_after

    def page_notes(self, article_id: int) -> tuple[str | None, list[Correction]]:
        """Who approved the article (None without a workflow row or an approval) and its corrections,
        oldest first: what the article page shows under the body, in one statement."""
        with self._reads.connect() as conn:
            rows = conn.execute(_PAGE_NOTES, {"aid": article_id}).all()
        approver = rows[0].approver if rows else None
        return approver, [Correction(r.id, r.article_id, r.at, r.note, r.by_user_id, r.by_name)
                          for r in rows if r.id is not None]

    # -- rows ----------------------------------------------------------------------------------------
    def get(self, article_id: int) -> WorkflowRecord | None:
        with self._sessions() as s:
            row = s.get(W, article_id)
            return _record(row) if row else None

    def ensure(self, article_id: int, *, now: datetime, author_user_id: int | None = None) -> WorkflowRecord:
        """The article's row, created as a draft owned by ``author_user_id`` if it has none yet."""
        with self._sessions() as s:
            row = s.get(W, article_id)
            if row is None:
                row = W(
                    article_id=article_id,
                    state="draft",
                    embargo=False,
                    author_user_id=author_user_id,
                    updated_at=now,
                )
                s.add(row)
                try:
                    s.commit()
                except IntegrityError as exc:
                    s.rollback()
                    existing = s.get(W, article_id)
                    if existing is None:
                        raise UnknownArticle(article_id) from exc
                    row = existing
            return _record(row)

    def set_status(
        self,
        article_id: int,
        *,
        expect_state: str,
        state: str,
        now: datetime,
        scheduled_at: datetime | None = None,
        embargo: bool = False,
        reason: str | None = None,
        update_at: datetime | None = None,
        approved_by_user_id: int | None = KEEP,
        approved_by_name: str | None = KEEP,
        submitted_by_user_id: int | None = KEEP,
        pending_revision: Mapping[str, Any] | None = KEEP,
    ) -> WorkflowRecord:
        """Store an editor's transition; :class:`WorkflowConflict` if the state moved or a claim is live."""
        values: dict[str, Any] = {
            "state": state,
            "scheduled_at": scheduled_at,
            "embargo": embargo,
            "reason": reason,
            "update_at": update_at,
            "updated_at": now,
            "claimed_by": None,
            "claimed_at": None,
            "last_error": None,
        }
        for key, value in (
            ("approved_by_user_id", approved_by_user_id),
            ("approved_by_name", approved_by_name),
            ("submitted_by_user_id", submitted_by_user_id),
        ):
            if value is not KEEP:
                values[key] = value
        if pending_revision is not KEEP:
            values["pending_revision"] = (
                None if pending_revision is None else json.dumps(dict(pending_revision), ensure_ascii=False)
            )
        stmt = (
            update(W)
            .where(W.article_id == article_id, W.state == expect_state, self._unclaimed(now))
            .values(**values)
        )
        with self._engine.begin() as conn:
            won = conn.execute(stmt).rowcount == 1
        if not won:
            if self.get(article_id) is None:
                raise UnknownArticle(article_id)
            raise WorkflowConflict(article_id)
        record = self.get(article_id)
        assert record is not None
        return record

    def set_pending_revision(
        self, article_id: int, payload: Mapping[str, Any] | None, *, now: datetime
    ) -> None:
        """Keep (or drop) the revision that a scheduled update of a live article will put live."""
        text = None if payload is None else json.dumps(dict(payload), ensure_ascii=False)
        with self._engine.begin() as conn:
            n = conn.execute(
                update(W).where(W.article_id == article_id).values(pending_revision=text, updated_at=now)
            ).rowcount
        if n != 1:
            raise UnknownArticle(article_id)

    # -- the scheduler's claim -----------------------------------------------------------------------
    def _unclaimed(self, now: datetime) -> ColumnElement[bool]:
        return or_(W.claimed_by.is_(None), W.claimed_at < now - self.stale_after)

    def _due(self, now: datetime) -> ColumnElement[bool]:
        return or_(
            and_(W.state == SCHEDULED, W.scheduled_at.is_not(None), W.scheduled_at <= now),
            and_(W.state == PUBLISHED, W.update_at.is_not(None), W.update_at <= now),
        )

    def due(self, now: datetime, *, limit: int = 100) -> list[DueItem]:
        """Unclaimed (or stale-claimed) rows whose publication or update time is at or before ``now``."""
        q = (
            select(W.article_id, W.state, W.scheduled_at, W.update_at)
            .where(self._due(now), self._unclaimed(now))
            .order_by(func.coalesce(W.scheduled_at, W.update_at), W.article_id)
            .limit(limit)
        )
        with self._sessions() as s:
            out = []
            for article_id, state, scheduled_at, update_at in s.execute(q):
                if state == SCHEDULED:
                    out.append(DueItem(article_id, "publish", scheduled_at))
                else:
                    out.append(DueItem(article_id, "update", update_at))
            return out

    def claim(self, article_id: int, me: str, now: datetime) -> bool:
        """Atomically take a due row for worker ``me``; True for exactly one of any number of callers."""
        stmt = (
            update(W)
            .where(W.article_id == article_id, self._due(now), self._unclaimed(now))
            .values(claimed_by=me, claimed_at=now)
        )
        # A transaction whose first statement is the UPDATE: on SQLite it waits for the write lock (busy
        # timeout) instead of failing on a stale read snapshot.
        with self._engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def complete(self, article_id: int, me: str, *, state: str, now: datetime) -> bool:
        """Record a firing by the claim holder: new state, schedule and pending revision cleared."""
        stmt = (
            update(W)
            .where(W.article_id == article_id, W.claimed_by == me)
            .values(
                state=state,
                scheduled_at=None,
                embargo=False,
                update_at=None,
                pending_revision=None,
                claimed_by=None,
                claimed_at=None,
                fired_at=now,
                last_error=None,
                reason=None,
                updated_at=now,
            )
        )
        with self._engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def fail(self, article_id: int, me: str, error: str, *, now: datetime) -> bool:
        """Keep the claim and note the error: the item is retried once the claim is stale, not every tick."""
        stmt = (
            update(W)
            .where(W.article_id == article_id, W.claimed_by == me)
            .values(last_error=error[:MAX_ERROR], updated_at=now)
        )
        with self._engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def release(self, article_id: int, me: str) -> bool:
        """Give a claim back without firing (nothing was due after all)."""
        stmt = (
            update(W)
            .where(W.article_id == article_id, W.claimed_by == me)
            .values(claimed_by=None, claimed_at=None)
        )
        with self._engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    # -- lists for the dashboard ---------------------------------------------------------------------
    def by_state(self, state: str, *, limit: int = 50, offset: int = 0) -> list[WorkflowRecord]:
        q = select(W).where(W.state == state).order_by(W.updated_at.desc(), W.article_id.desc())
        with self._sessions() as s:
            return [_record(r) for r in s.scalars(q.limit(limit).offset(offset))]

    def count_by_state(self) -> dict[str, int]:
        with self._sessions() as s:
            return {state: int(n) for state, n in s.execute(select(W.state, func.count()).group_by(W.state))}

    def upcoming(self, *, limit: int = 50) -> list[WorkflowRecord]:
        """Scheduled publications and scheduled updates, soonest first (overdue ones at the top)."""
        when = func.coalesce(W.scheduled_at, W.update_at)
        q = (
            select(W)
            .where(or_(and_(W.state == SCHEDULED, W.scheduled_at.is_not(None)), W.update_at.is_not(None)))
            .order_by(when, W.article_id)
            .limit(limit)
        )
        with self._sessions() as s:
            return [_record(r) for r in s.scalars(q)]

    def overdue(self, before: datetime, *, limit: int = 50) -> list[WorkflowRecord]:
        """Scheduled items whose time is earlier than ``before`` but which have not fired (claimed or not).

        The dashboard passes ``now - grace`` and shows these as an alert: a publication that should have
        happened and did not (a failing publish, or no scheduler running) must not go unnoticed.
        """
        missed = or_(
            and_(W.state == SCHEDULED, W.scheduled_at < before),
            and_(W.state == PUBLISHED, W.update_at < before),
        )
        q = select(W).where(missed).order_by(func.coalesce(W.scheduled_at, W.update_at), W.article_id)
        with self._sessions() as s:
            return [_record(r) for r in s.scalars(q.limit(limit))]

    # -- corrections ---------------------------------------------------------------------------------
    def add_correction(
        self, article_id: int, note: str, *, at: datetime, by_user_id: int | None = None, by_name: str = ""
    ) -> Correction:
        row = CorrectionRow(article_id=article_id, at=at, note=note, by_user_id=by_user_id, by_name=by_name)
        with self._sessions() as s:
            s.add(row)
            try:
                s.commit()
            except IntegrityError as exc:
                raise UnknownArticle(article_id) from exc
            return _correction(row)

    def corrections(self, article_id: int) -> list[Correction]:
        """An article's corrections, oldest first, as the article page lists them."""
        q = select(CorrectionRow).where(CorrectionRow.article_id == article_id)
        with self._sessions() as s:
            return [_correction(r) for r in s.scalars(q.order_by(CorrectionRow.at, CorrectionRow.id))]

    def corrections_for(self, article_ids: Iterable[int]) -> dict[int, list[Correction]]:
        ids = list(article_ids)
        out: dict[int, list[Correction]] = {i: [] for i in ids}
        if not ids:
            return out
        q = select(CorrectionRow).where(CorrectionRow.article_id.in_(ids))
        with self._sessions() as s:
            for row in s.scalars(q.order_by(CorrectionRow.at, CorrectionRow.id)):
                out[row.article_id].append(_correction(row))
        return out
