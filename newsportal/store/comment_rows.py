"""Row ↔ value conversions for comments, shared by :mod:`.comments` and :mod:`.reports`.

:class:`CommentRecord` is what leaves the store; :func:`to_comment` and :func:`write_comment` translate
between a locked row and the pure :class:`~newsportal.comments.moderation.Comment` (what the rules use),
so both stores persist a transition the same way (state, derived visibility, decision, appeal, audit lines).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from newsportal.comments.moderation import (
    Appeal,
    AppealState,
    Comment,
    CommentState,
    Decision,
    Event,
    Mode,
    Reason,
    is_visible,
)
from newsportal.comments.prechecks import Flag
from newsportal.store.comments_common import MAX_PER_PAGE
from newsportal.store.reader_accounts import DELETED_NICKNAME
from newsportal.store.tables_comments import CommentEventRow, CommentRow, ReaderAccountRow

__all__ = [
    "CommentRecord",
    "NewComment",
    "QueueFilter",
    "record_from_row",
    "to_comment",
    "write_comment",
    "select_records",
    "page_args",
]


@dataclass(frozen=True, slots=True)
class CommentRecord:
    """A stored comment as every reader of the store sees it; ``nickname`` is 已注销用户 after deletion."""

    id: int
    article_id: int
    author_id: int | None
    nickname: str
    root_id: int | None
    quoted_id: int | None
    text: str
    ip_label: str
    state: CommentState
    mode: Mode
    shown_before_review: bool
    visible: bool
    posted_at: datetime
    likes: int
    flags: tuple[Flag, ...]
    removal: Decision | None
    appeal: Appeal | None

    def to_comment(self) -> Comment:
        """The pure form the moderation rules work on (a deleted author is id 0)."""
        return Comment(
            id=self.id,
            article_id=self.article_id,
            author_id=self.author_id or 0,
            posted_at=self.posted_at,
            mode=self.mode,
            state=self.state,
            shown_before_review=self.shown_before_review,
            removal=self.removal,
            appeal=self.appeal,
        )


@dataclass(frozen=True, slots=True)
class NewComment:
    article_id: int
    author_id: int
    text: str
    ip_label: str
    mode: Mode
    show_now: bool
    flags: tuple[Flag, ...] = ()
    root_id: int | None = None
    quoted_id: int | None = None


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """The moderation queue's filters; ``status`` is pending, reported, appeals or all."""

    status: str = "pending"
    article_id: int | None = None
    author_id: int | None = None

    def __post_init__(self) -> None:
        if self.status not in ("pending", "reported", "appeals", "all"):
            raise ValueError(f"unknown queue status {self.status!r}")


def record_from_row(row: CommentRow, nickname: str | None, deleted_at: datetime | None) -> CommentRecord:
    removal = None
    if row.reason is not None and row.decided_by is not None and row.decided_at is not None:
        removal = Decision(row.decided_by, row.decided_at, Reason(row.reason), row.note, row.after_approval)
    appeal = None
    if row.appeal_state is not None and row.appeal_filed_at is not None:
        appeal = Appeal(
            row.appeal_text,
            row.appeal_filed_at,
            AppealState(row.appeal_state),
            row.appeal_decided_by,
            row.appeal_decided_at,
            row.appeal_note,
        )
    shown = DELETED_NICKNAME if row.author_id is None or deleted_at is not None else (nickname or "")
    return CommentRecord(
        id=row.id,
        article_id=row.article_id,
        author_id=row.author_id,
        nickname=shown,
        root_id=row.root_id,
        quoted_id=row.quoted_id,
        text=row.text,
        ip_label=row.ip_label,
        state=CommentState(row.state),
        mode=Mode(row.mode),
        shown_before_review=row.shown_before_review,
        visible=row.visible,
        posted_at=row.created_at,
        likes=row.likes,
        flags=tuple(Flag(f["code"], f["detail"]) for f in row.flags or ()),
        removal=removal,
        appeal=appeal,
    )


def to_comment(row: CommentRow) -> Comment:
    return record_from_row(row, None, None).to_comment()


def write_comment(session: Session, row: CommentRow, after: Comment, new_events: Iterable[Event]) -> None:
    """Copy a transition's result onto the locked row and append its events (caller owns the transaction)."""
    row.state = after.state.value
    row.shown_before_review = after.shown_before_review
    row.visible = is_visible(after)
    if after.removal is not None:
        row.decided_at = after.removal.at
        row.decided_by = after.removal.moderator_id
        row.reason = after.removal.reason.value
        row.note = after.removal.note
        row.after_approval = after.removal.after_approval
    if after.appeal is not None:
        row.appeal_state = after.appeal.state.value
        row.appeal_text = after.appeal.text
        row.appeal_filed_at = after.appeal.filed_at
        row.appeal_decided_by = after.appeal.decided_by
        row.appeal_decided_at = after.appeal.decided_at
        row.appeal_note = after.appeal.note
    for e in new_events:
        session.add(
            CommentEventRow(comment_id=row.id, at=e.at, actor=e.actor, action=e.action, state=e.state)
        )


def select_records() -> Select:  # type: ignore[type-arg]
    return select(CommentRow, ReaderAccountRow.nickname, ReaderAccountRow.deleted_at).outerjoin(
        ReaderAccountRow, ReaderAccountRow.id == CommentRow.author_id
    )


def page_args(page: int, per_page: int) -> tuple[int, int]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    return (max(page, 1) - 1) * per_page, per_page
