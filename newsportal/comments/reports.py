"""举报: reports on comments or articles, decided by a moderator, with the outcome shown to the reporter.

A report names a target (a comment or an article), a reason from the same fixed list moderators use, and an
optional note (required for 其他). Reporting one's own comment or reporting the same target twice is refused
with a clear message instead of silently piling up duplicates. Whether the target exists is the store's
question; everything else is decided here, purely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from newsportal.comments.moderation import (
    Comment,
    CommentState,
    ModerationError,
    Reason,
    clean_note,
    reject,
)

__all__ = [
    "TargetKind",
    "ReportState",
    "Report",
    "file_report",
    "decide_report",
    "uphold_comment_report",
    "outcome_for_reporter",
]


class TargetKind(StrEnum):
    COMMENT = "comment"
    ARTICLE = "article"

    @property
    def label_zh(self) -> str:
        return "跟贴" if self is TargetKind.COMMENT else "文章"


class ReportState(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Report:
    id: int
    reporter_id: int
    target_kind: TargetKind
    target_id: int
    reason: Reason
    filed_at: datetime
    note: str = ""
    state: ReportState = ReportState.PENDING
    decided_by: int | None = None
    decided_at: datetime | None = None
    outcome_note: str = ""


def file_report(
    report_id: int,
    reporter_id: int,
    target_kind: TargetKind | str,
    target_id: int,
    reason: Reason | str,
    now: datetime,
    *,
    note: str = "",
    target_author_id: int | None = None,
    existing: Sequence[Report] = (),
) -> Report:
    """A new pending report; ``existing`` are the reporter's earlier reports (to refuse a duplicate)."""
    try:
        kind = TargetKind(target_kind)
    except ValueError:
        raise ModerationError("bad_target", "只能举报跟贴或文章。") from None
    parsed = Reason.parse(reason)
    cleaned = clean_note(note, what="举报说明")
    if parsed is Reason.OTHER and not cleaned:
        raise ModerationError("note_required", "选择「其他」时请填写具体说明。")
    if kind is TargetKind.COMMENT and target_author_id == reporter_id:
        raise ModerationError("own_comment", "不能举报自己的跟贴，如需删除请在“我的跟贴”中操作。")
    for earlier in existing:
        if (earlier.reporter_id, earlier.target_kind, earlier.target_id) == (reporter_id, kind, target_id):
            raise ModerationError(
                "duplicate_report", f"你已举报过这条{kind.label_zh}，处理结果会显示在“我的举报”中。"
            )
    return Report(report_id, reporter_id, kind, target_id, parsed, now, cleaned)


def decide_report(
    report: Report, moderator_id: int, *, upheld: bool, now: datetime, note: str = ""
) -> Report:
    if report.state is not ReportState.PENDING:
        raise ModerationError("report_decided", "这条举报已经处理过。")
    return replace(
        report,
        state=ReportState.UPHELD if upheld else ReportState.DISMISSED,
        decided_by=moderator_id,
        decided_at=now,
        outcome_note=clean_note(note, what="处理说明"),
    )


def uphold_comment_report(
    report: Report, comment: Comment, moderator_id: int, now: datetime, note: str = ""
) -> tuple[Report, Comment]:
    """Uphold a report on a comment and remove the comment for the report's reason, as one step.

    A comment already rejected or deleted stays as it is; the report is still marked upheld so the reporter
    learns the outcome.
    """
    if report.target_kind is not TargetKind.COMMENT or report.target_id != comment.id:
        raise ModerationError("wrong_target", "这条举报针对的不是这条跟贴。")
    decided = decide_report(report, moderator_id, upheld=True, now=now, note=note)
    if comment.state in (CommentState.PENDING, CommentState.APPROVED):
        reject_note = decided.outcome_note or report.note
        comment = reject(comment, moderator_id, report.reason, now, note=reject_note or "经举报核实")
    return decided, comment


def outcome_for_reporter(report: Report) -> str:
    """What the reporter reads in their account."""
    what = report.target_kind.label_zh
    if report.state is ReportState.PENDING:
        return f"已收到你对这条{what}的举报（{report.reason.label_zh}），正在处理。"
    if report.state is ReportState.UPHELD:
        done = "已删除" if report.target_kind is TargetKind.COMMENT else "已处理"
        text = f"举报属实，这条{what}{done}。感谢你的举报。"
    else:
        text = f"经核查，这条{what}暂未发现违规。"
    return text + (f"说明：{report.outcome_note}" if report.outcome_note else "")
