"""举报: reports on comments and articles, the report queue, decisions, and what the reporter sees.

A decision applies to every pending report on the same target, in one transaction with the comment's
removal when a comment report is upheld: the moderator judges the comment, not each report, and every
reporter then sees the outcome in their account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from newsportal.comments.moderation import Reason
from newsportal.comments.reports import (
    Report,
    ReportState,
    TargetKind,
    decide_report,
    outcome_for_reporter,
    uphold_comment_report,
)
from newsportal.store.comment_posting import upheld_reports
from newsportal.store.comments import to_comment, write_comment
from newsportal.store.comments_common import (
    MAX_PER_PAGE,
    Duplicate,
    RowMissing,
    Sessions,
    session_factory,
    transaction,
)
from newsportal.store.tables_comments import CommentRow, ReportRow

__all__ = ["ReportRecord", "ReportStore"]

_DUPLICATE = "你已举报过这条内容，处理结果会显示在“我的举报”中。"


@dataclass(frozen=True, slots=True)
class ReportRecord:
    report: Report
    #: The line the reporter reads in 我的举报.
    outcome_zh: str

    @property
    def id(self) -> int:
        return self.report.id


def _report(row: ReportRow) -> Report:
    return Report(
        id=row.id,
        reporter_id=row.reporter_id or 0,
        target_kind=TargetKind(row.target_kind),
        target_id=row.target_id,
        reason=Reason(row.reason),
        filed_at=row.filed_at,
        note=row.note,
        state=ReportState(row.state),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        outcome_note=row.outcome_note,
    )


def _record(row: ReportRow) -> ReportRecord:
    report = _report(row)
    return ReportRecord(report, outcome_for_reporter(report))


def _write(row: ReportRow, decided: Report) -> None:
    row.state = decided.state.value
    row.decided_by = decided.decided_by
    row.decided_at = decided.decided_at
    row.outcome_note = decided.outcome_note


class ReportStore:
    def __init__(self, source: Sessions) -> None:
        self._sessions = session_factory(source)

    def existing(self, reporter_id: int) -> list[Report]:
        """The reporter's earlier reports (the pure rules refuse a duplicate with a clear message)."""
        with self._sessions() as s:
            rows = s.scalars(select(ReportRow).where(ReportRow.reporter_id == reporter_id))
            return [_report(r) for r in rows]

    def add(self, report: Report) -> ReportRecord:
        """Save a report made by :func:`~newsportal.comments.reports.file_report` (its id is ignored)."""
        try:
            with transaction(self._sessions) as s:
                row = ReportRow(
                    reporter_id=report.reporter_id,
                    target_kind=report.target_kind.value,
                    target_id=report.target_id,
                    reason=report.reason.value,
                    note=report.note,
                    state=ReportState.PENDING.value,
                    outcome_note="",
                    filed_at=report.filed_at,
                )
                s.add(row)
                s.flush()
                return _record(row)
        except IntegrityError:
            raise Duplicate("duplicate_report", _DUPLICATE) from None

    def get(self, report_id: int) -> ReportRecord:
        with self._sessions() as s:
            row = s.get(ReportRow, report_id)
            if row is None:
                raise RowMissing("no_report", "这条举报不存在。")
            return _record(row)

    def by_reporter(
        self, reporter_id: int, *, page: int = 1, per_page: int = 20
    ) -> tuple[list[ReportRecord], int]:
        """我的举报: newest first, each with the outcome line."""
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        with self._sessions() as s:
            total = s.scalar(
                select(func.count()).select_from(ReportRow).where(ReportRow.reporter_id == reporter_id)
            )
            rows = s.scalars(
                select(ReportRow)
                .where(ReportRow.reporter_id == reporter_id)
                .order_by(ReportRow.filed_at.desc(), ReportRow.id.desc())
                .offset((max(page, 1) - 1) * per_page)
                .limit(per_page)
            ).all()
            return [_record(r) for r in rows], int(total or 0)

    def queue(
        self, *, target_kind: TargetKind | None = None, page: int = 1, per_page: int = 50
    ) -> tuple[list[ReportRecord], int]:
        """Pending reports, oldest first."""
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        cond = [ReportRow.state == ReportState.PENDING.value]
        if target_kind is not None:
            cond.append(ReportRow.target_kind == target_kind.value)
        with self._sessions() as s:
            total = s.scalar(select(func.count()).select_from(ReportRow).where(*cond))
            rows = s.scalars(
                select(ReportRow)
                .where(*cond)
                .order_by(ReportRow.filed_at, ReportRow.id)
                .offset((max(page, 1) - 1) * per_page)
                .limit(per_page)
            ).all()
            return [_record(r) for r in rows], int(total or 0)

    def pending_on_comments(self, comment_ids: list[int]) -> dict[int, list[ReportRecord]]:
        """Pending reports per comment, for the moderation queue beside each reported comment."""
        if not comment_ids:
            return {}
        out: dict[int, list[ReportRecord]] = {}
        with self._sessions() as s:
            rows = s.scalars(
                select(ReportRow)
                .where(
                    ReportRow.target_kind == TargetKind.COMMENT.value,
                    ReportRow.target_id.in_(comment_ids),
                    ReportRow.state == ReportState.PENDING.value,
                )
                .order_by(ReportRow.filed_at, ReportRow.id)
            )
            for r in rows:
                out.setdefault(r.target_id, []).append(_record(r))
        return out

    def upheld_against(self, author_id: int) -> int:
        """Upheld reports on the reader's comments, for credit grading."""
        with self._sessions() as s:
            return int(s.scalar(upheld_reports(author_id)) or 0)

    def decide(
        self, report_id: int, moderator_id: int, *, upheld: bool, now: datetime, note: str = ""
    ) -> list[ReportRecord]:
        """Decide a report and every other pending report on its target, atomically.

        Upholding a comment report removes the comment for the report's reason (with its audit line) in the
        same transaction. Returns the decided reports.
        """
        with transaction(self._sessions) as s:
            row = s.get(ReportRow, report_id, with_for_update=True)
            if row is None:
                raise RowMissing("no_report", "这条举报不存在。")
            first = _report(row)
            decide_report(first, moderator_id, upheld=upheld, now=now, note=note)  # refuses a decided one
            siblings = s.scalars(
                select(ReportRow)
                .where(
                    ReportRow.target_kind == row.target_kind,
                    ReportRow.target_id == row.target_id,
                    ReportRow.state == ReportState.PENDING.value,
                    ReportRow.id != row.id,
                )
                .with_for_update()
            ).all()
            if upheld and first.target_kind is TargetKind.COMMENT:
                comment_row = s.get(CommentRow, first.target_id, with_for_update=True)
                if comment_row is None:
                    raise RowMissing("no_comment", "被举报的跟贴已不存在。")
                before = to_comment(comment_row)
                decided, after = uphold_comment_report(first, before, moderator_id, now, note)
                write_comment(s, comment_row, after, after.events[len(before.events) :])
            else:
                decided = decide_report(first, moderator_id, upheld=upheld, now=now, note=note)
            _write(row, decided)
            out = [row]
            for sib in siblings:
                _write(sib, decide_report(_report(sib), moderator_id, upheld=upheld, now=now, note=note))
                out.append(sib)
            s.flush()
            return [_record(r) for r in out]
