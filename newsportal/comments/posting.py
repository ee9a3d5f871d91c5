"""One pure call that turns a reader's submission into what the store should save.

It runs the rules in the order that gives the reader the most useful answer: closed thread and ban first
(nothing the reader can fix by editing), then the text itself, then the pre-checks and the reader's grade,
which decide whether the comment is shown before review. The store only has to assign an id and save the
:class:`Prepared` result (with the pre-check flags, so the moderator sees the named reasons) in one
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsportal.comments.bans import Ban, ensure_not_banned
from newsportal.comments.credit import (
    CreditThresholds,
    Grade,
    ReaderRecord,
    SkipPolicy,
    grade_reader,
    show_before_review,
)
from newsportal.comments.moderation import Mode, ThreadSettings, effective_mode, ensure_open
from newsportal.comments.prechecks import BannedWords, PrecheckConfig, PrecheckResult, PriorComment, precheck
from newsportal.comments.text import DEFAULT_RULES, TextRules, normalise_comment

__all__ = ["Prepared", "prepare_post"]


@dataclass(frozen=True)
class Prepared:
    text: str
    mode: Mode
    grade: Grade
    checks: PrecheckResult
    #: Shown to other readers before a moderator has looked at it.
    show_now: bool


def prepare_post(
    raw_text: object,
    *,
    reader_id: int,
    thread: ThreadSettings,
    channel_mode: Mode | None,
    record: ReaderRecord,
    history: Sequence[PriorComment],
    bans: Iterable[Ban],
    banned_words: BannedWords,
    now: datetime,
    text_rules: TextRules = DEFAULT_RULES,
    precheck_config: PrecheckConfig | None = None,
    thresholds: CreditThresholds | None = None,
    skip_policy: SkipPolicy | None = None,
) -> Prepared:
    """Raise :class:`~.moderation.ModerationError` or :class:`~.text.CommentRejected`, or say what to save."""
    ensure_open(thread)
    ensure_not_banned(bans, reader_id, now)
    text = normalise_comment(raw_text, text_rules)
    mode = effective_mode(thread.mode, channel_mode)
    grade = grade_reader(record, now, thresholds)
    checks = precheck(text, history=history, now=now, banned=banned_words, config=precheck_config)
    return Prepared(text, mode, grade, checks, show_before_review(grade, mode, checks.routing, skip_policy))
