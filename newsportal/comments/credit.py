"""Reader credit grading (用户分级) from the reader's own record, and who may skip review.

The grade is computed, never stored by hand, so it follows the record: approved and rejected comments,
reports against the reader that moderators upheld, how old the account is, and bans. The thresholds are a
dataclass an operator can tune. :func:`show_before_review` is the one place that combines the grade, the
thread's mode and the pre-check routing into "show now or hold": a flagged comment is always held, whoever
wrote it, so good standing never hides a named reason from the moderator.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from newsportal.comments.moderation import Mode
from newsportal.comments.prechecks import Routing

__all__ = [
    "Grade",
    "ReaderRecord",
    "CreditThresholds",
    "SkipPolicy",
    "grade_reader",
    "may_skip_review",
    "show_before_review",
]


class Grade(StrEnum):
    RESTRICTED = "restricted"
    NEW = "new"
    NORMAL = "normal"
    GOOD = "good"
    EXCELLENT = "excellent"

    @property
    def label_zh(self) -> str:
        return {
            "restricted": "受限",
            "new": "新用户",
            "normal": "普通",
            "good": "良好",
            "excellent": "优秀",
        }[self.value]


@dataclass(frozen=True)
class ReaderRecord:
    account_created_at: datetime
    approved: int = 0
    rejected: int = 0
    #: Reports against this reader's comments that a moderator upheld.
    upheld_reports: int = 0
    #: Bans ever set, and whether one is in force now.
    bans_total: int = 0
    banned_now: bool = False

    def __post_init__(self) -> None:
        if min(self.approved, self.rejected, self.upheld_reports, self.bans_total) < 0:
            raise ValueError("record counts must not be negative")

    @property
    def decided(self) -> int:
        return self.approved + self.rejected

    @property
    def reject_ratio(self) -> float:
        return self.rejected / self.decided if self.decided else 0.0


@dataclass(frozen=True)
class CreditThresholds:
    #: 受限: enough decided comments with at least this share rejected, or this many upheld reports.
    restricted_min_decided: int = 5
    restricted_reject_ratio: float = 0.5
    restricted_upheld_reports: int = 3
    #: 新用户 until the account is this old *and* has this many approved comments.
    new_account_age: timedelta = timedelta(days=7)
    new_min_approved: int = 3
    #: 良好 and 优秀: age, approved count, highest reject share and upheld reports allowed, and no ban ever.
    good_account_age: timedelta = timedelta(days=30)
    good_min_approved: int = 20
    good_max_reject_ratio: float = 0.1
    good_max_upheld_reports: int = 1
    excellent_account_age: timedelta = timedelta(days=180)
    excellent_min_approved: int = 100
    excellent_max_reject_ratio: float = 0.03
    excellent_max_upheld_reports: int = 0

    def __post_init__(self) -> None:
        for name in ("restricted_reject_ratio", "good_max_reject_ratio", "excellent_max_reject_ratio"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.excellent_min_approved < self.good_min_approved:
            raise ValueError("excellent_min_approved must not be below good_min_approved")


def grade_reader(record: ReaderRecord, now: datetime, thresholds: CreditThresholds | None = None) -> Grade:
    t = thresholds or CreditThresholds()
    if record.banned_now:
        return Grade.RESTRICTED
    if record.upheld_reports >= t.restricted_upheld_reports:
        return Grade.RESTRICTED
    if record.decided >= t.restricted_min_decided and record.reject_ratio >= t.restricted_reject_ratio:
        return Grade.RESTRICTED
    age = now - record.account_created_at
    if age < t.new_account_age or record.approved < t.new_min_approved:
        return Grade.NEW
    clean_history = record.bans_total == 0
    if (
        clean_history
        and age >= t.excellent_account_age
        and record.approved >= t.excellent_min_approved
        and record.reject_ratio <= t.excellent_max_reject_ratio
        and record.upheld_reports <= t.excellent_max_upheld_reports
    ):
        return Grade.EXCELLENT
    if (
        clean_history
        and age >= t.good_account_age
        and record.approved >= t.good_min_approved
        and record.reject_ratio <= t.good_max_reject_ratio
        and record.upheld_reports <= t.good_max_upheld_reports
    ):
        return Grade.GOOD
    return Grade.NORMAL


@dataclass(frozen=True)
class SkipPolicy:
    """Which grades are shown before review, per mode.

    Under 先审后发 only the best record skips review by default; under 发后审 everyone is shown at once except
    new and restricted readers, whose comments wait for a moderator.
    """

    pre_review: Collection[Grade] = field(default_factory=lambda: frozenset({Grade.EXCELLENT}))
    post_review: Collection[Grade] = field(
        default_factory=lambda: frozenset({Grade.NORMAL, Grade.GOOD, Grade.EXCELLENT})
    )

    def __post_init__(self) -> None:
        if Grade.RESTRICTED in self.pre_review or Grade.RESTRICTED in self.post_review:
            raise ValueError("restricted readers can never skip review")


def may_skip_review(grade: Grade, mode: Mode, policy: SkipPolicy | None = None) -> bool:
    p = policy or SkipPolicy()
    allowed = p.pre_review if mode is Mode.PRE_REVIEW else p.post_review
    return grade in allowed


def show_before_review(grade: Grade, mode: Mode, routing: Routing, policy: SkipPolicy | None = None) -> bool:
    """Whether a new comment is shown at once (still reviewed later); flagged comments never are."""
    return routing is Routing.OK and may_skip_review(grade, mode, policy)
