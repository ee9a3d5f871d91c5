"""The life of a comment as a pure state machine.

States: 待审 ``pending`` → 已通过 ``approved`` or 已拒绝 ``rejected``; an approved comment can still be
removed (→ ``rejected``); the author can delete their own comment at any time (→ ``deleted``). A rejected
comment can be appealed (申诉) exactly once, and the appeal must be decided by a moderator other than the
one who removed it: that is the whole point of an appeal. Overturning restores the comment (→ ``approved``).

Every transition is a function that takes a frozen :class:`Comment` and returns a new one with an
:class:`Event` appended, or raises :class:`ModerationError` with a stable ``code`` and a Chinese message;
the store persists the result inside one transaction, so an illegal step never leaves half a change.

Whether a pending comment is already shown depends on the mode: 先审后发 (``pre_review``, the default,
as the rules ask for news) hides it until approved; 发后审 (``post_review``) shows it at once and a
moderator reviews it afterwards. Which mode applies comes from the article, else the channel.
Reports live in :mod:`.reports`, bans in :mod:`.bans`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from newsportal.comments.text import strip_invisible

__all__ = [
    "ModerationError",
    "Mode",
    "Reason",
    "CommentState",
    "AppealState",
    "Decision",
    "Appeal",
    "Event",
    "Comment",
    "ThreadSettings",
    "effective_mode",
    "new_comment",
    "approve",
    "reject",
    "delete_by_author",
    "file_appeal",
    "decide_appeal",
    "is_visible",
    "status_for_author",
    "ensure_open",
    "close_thread",
    "reopen_thread",
    "clean_note",
    "NOTE_MAX_CHARS",
    "APPEAL_MAX_CHARS",
]

NOTE_MAX_CHARS = 200
APPEAL_MAX_CHARS = 300


class ModerationError(ValueError):
    """An illegal moderation step; ``message_zh`` is shown to the reader or moderator as is."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


class Mode(StrEnum):
    PRE_REVIEW = "pre_review"
    POST_REVIEW = "post_review"

    @property
    def label_zh(self) -> str:
        return "先审后发" if self is Mode.PRE_REVIEW else "发后审"


class Reason(StrEnum):
    """The fixed list of reasons for rejecting a comment or reporting content."""

    AD = "ad"
    ABUSE = "abuse"
    ILLEGAL = "illegal"
    VULGAR = "vulgar"
    RUMOUR = "rumour"
    OFF_TOPIC = "off_topic"
    OTHER = "other"

    @property
    def label_zh(self) -> str:
        return _REASON_LABELS[self]

    @classmethod
    def parse(cls, value: Reason | str) -> Reason:
        """Accept an enum member, its value or its Chinese label (as a form might post it)."""
        if isinstance(value, Reason):
            return value
        for member in cls:
            if value in (member.value, member.label_zh):
                return member
        raise ModerationError("bad_reason", "请从列表中选择一个原因。")


_REASON_LABELS = {
    Reason.AD: "广告引流",
    Reason.ABUSE: "辱骂攻击",
    Reason.ILLEGAL: "违法违规",
    Reason.VULGAR: "色情低俗",
    Reason.RUMOUR: "谣言",
    Reason.OFF_TOPIC: "无关内容",
    Reason.OTHER: "其他",
}


class CommentState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DELETED = "deleted"

    @property
    def label_zh(self) -> str:
        labels = {"pending": "待审", "approved": "已通过", "rejected": "已拒绝", "deleted": "已删除"}
        return labels[self.value]


class AppealState(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"
    OVERTURNED = "overturned"

    @property
    def label_zh(self) -> str:
        return {"pending": "申诉处理中", "upheld": "申诉未通过", "overturned": "申诉成功"}[self.value]


@dataclass(frozen=True)
class Decision:
    moderator_id: int
    at: datetime
    reason: Reason
    note: str = ""
    #: True when the comment had been approved (and shown) before it was taken down.
    after_approval: bool = False


@dataclass(frozen=True)
class Appeal:
    text: str
    filed_at: datetime
    state: AppealState = AppealState.PENDING
    decided_by: int | None = None
    decided_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class Event:
    """One line of a comment's audit trail, shown to moderators in the thread."""

    at: datetime
    actor: str  # "reader:<id>", "moderator:<id>" or "system"
    action: str
    state: CommentState


@dataclass(frozen=True)
class Comment:
    id: int
    article_id: int
    author_id: int
    posted_at: datetime
    mode: Mode
    state: CommentState = CommentState.PENDING
    #: Shown while still pending (发后审, or a trusted reader); decided at posting time.
    shown_before_review: bool = False
    removal: Decision | None = None
    appeal: Appeal | None = None
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class ThreadSettings:
    """Per-article comment settings; ``mode`` overrides the channel's when set."""

    article_id: int
    closed: bool = False
    mode: Mode | None = None


def effective_mode(article_mode: Mode | None, channel_mode: Mode | None) -> Mode:
    """The article's own mode wins, then the channel's; with neither, review first."""
    return article_mode or channel_mode or Mode.PRE_REVIEW


def ensure_open(thread: ThreadSettings) -> None:
    if thread.closed:
        raise ModerationError("thread_closed", "本文跟贴已关闭，不能再发表或回复。")


def close_thread(thread: ThreadSettings) -> ThreadSettings:
    return replace(thread, closed=True)


def reopen_thread(thread: ThreadSettings) -> ThreadSettings:
    return replace(thread, closed=False)


def clean_note(note: object, limit: int = NOTE_MAX_CHARS, *, what: str = "说明") -> str:
    """Trim a free-text note and enforce its length; notes are plain text like comments."""
    if note is None:
        return ""
    if not isinstance(note, str):
        raise ModerationError("bad_note", f"{what}必须是文字。")
    cleaned = strip_invisible(note).strip()
    if len(cleaned) > limit:
        raise ModerationError("note_too_long", f"{what}最多 {limit} 字，当前 {len(cleaned)} 字。")
    return cleaned


def _event(comment: Comment, at: datetime, actor: str, action: str, state: CommentState) -> tuple[Event, ...]:
    return (*comment.events, Event(at, actor, action, state))


def new_comment(
    comment_id: int, article_id: int, author_id: int, now: datetime, *, mode: Mode, show_now: bool
) -> Comment:
    """A freshly posted comment, always pending; ``show_now`` says whether readers see it before review."""
    state = CommentState.PENDING
    action = "posted_shown" if show_now else "posted_held"
    return Comment(
        id=comment_id,
        article_id=article_id,
        author_id=author_id,
        posted_at=now,
        mode=mode,
        state=state,
        shown_before_review=show_now,
        events=(Event(now, f"reader:{author_id}", action, state),),
    )


def approve(comment: Comment, moderator_id: int, now: datetime) -> Comment:
    if comment.state is not CommentState.PENDING:
        raise ModerationError(
            "not_pending", f"只能审核待审的跟贴，这条跟贴当前状态为「{comment.state.label_zh}」。"
        )
    return replace(
        comment,
        state=CommentState.APPROVED,
        events=_event(comment, now, f"moderator:{moderator_id}", "approved", CommentState.APPROVED),
    )


def reject(
    comment: Comment, moderator_id: int, reason: Reason | str, now: datetime, note: str = ""
) -> Comment:
    """Reject a pending comment or remove an approved one, always with a reason from the list."""
    if comment.state not in (CommentState.PENDING, CommentState.APPROVED):
        raise ModerationError(
            "cannot_reject", f"这条跟贴当前状态为「{comment.state.label_zh}」，不能再拒绝或删除。"
        )
    parsed = Reason.parse(reason)
    cleaned = clean_note(note)
    if parsed is Reason.OTHER and not cleaned:
        raise ModerationError("note_required", "选择「其他」时请填写具体说明。")
    action = "removed" if comment.state is CommentState.APPROVED else "rejected"
    return replace(
        comment,
        state=CommentState.REJECTED,
        removal=Decision(moderator_id, now, parsed, cleaned, comment.state is CommentState.APPROVED),
        events=_event(comment, now, f"moderator:{moderator_id}", action, CommentState.REJECTED),
    )


def delete_by_author(comment: Comment, reader_id: int, now: datetime) -> Comment:
    if reader_id != comment.author_id:
        raise ModerationError("not_author", "只能删除自己发表的跟贴。")
    if comment.state is CommentState.DELETED:
        raise ModerationError("already_deleted", "这条跟贴已经删除。")
    return replace(
        comment,
        state=CommentState.DELETED,
        events=_event(comment, now, f"reader:{reader_id}", "deleted_by_author", CommentState.DELETED),
    )


def file_appeal(comment: Comment, reader_id: int, text: str, now: datetime) -> Comment:
    """The author appeals a removal; allowed once per comment."""
    if reader_id != comment.author_id:
        raise ModerationError("not_author", "只能对自己被删除的跟贴提出申诉。")
    if comment.appeal is not None:
        raise ModerationError("appeal_used", "每条跟贴只能申诉一次，这条跟贴已经申诉过。")
    if comment.state is not CommentState.REJECTED or comment.removal is None:
        raise ModerationError("not_removed", "只有被删除或未通过审核的跟贴才能申诉。")
    cleaned = clean_note(text, APPEAL_MAX_CHARS, what="申诉理由")
    if not cleaned:
        raise ModerationError("appeal_empty", "请写明申诉理由。")
    return replace(
        comment,
        appeal=Appeal(text=cleaned, filed_at=now),
        events=_event(comment, now, f"reader:{reader_id}", "appealed", comment.state),
    )


def decide_appeal(
    comment: Comment, moderator_id: int, *, overturn: bool, now: datetime, note: str = ""
) -> Comment:
    """Decide a pending appeal; the moderator who removed the comment may not decide it."""
    appeal = comment.appeal
    if appeal is None or appeal.state is not AppealState.PENDING:
        raise ModerationError("no_pending_appeal", "这条跟贴没有待处理的申诉。")
    if comment.removal is not None and comment.removal.moderator_id == moderator_id:
        raise ModerationError(
            "same_moderator", "申诉须由另一位审核员处理，不能由删除这条跟贴的审核员本人复核。"
        )
    if comment.state is not CommentState.REJECTED:
        raise ModerationError("not_removed", f"这条跟贴当前状态为「{comment.state.label_zh}」，无需复核。")
    cleaned = clean_note(note)
    decided = replace(
        appeal,
        state=AppealState.OVERTURNED if overturn else AppealState.UPHELD,
        decided_by=moderator_id,
        decided_at=now,
        note=cleaned,
    )
    state = CommentState.APPROVED if overturn else CommentState.REJECTED
    action = "appeal_overturned" if overturn else "appeal_upheld"
    return replace(
        comment,
        state=state,
        appeal=decided,
        events=_event(comment, now, f"moderator:{moderator_id}", action, state),
    )


def is_visible(comment: Comment) -> bool:
    """Whether readers other than the author see the comment."""
    if comment.state is CommentState.APPROVED:
        return True
    return comment.state is CommentState.PENDING and comment.shown_before_review


def status_for_author(comment: Comment) -> str:
    """The line the author sees beside their comment in their account."""
    if comment.state is CommentState.DELETED:
        return "已由你删除"
    if comment.state is CommentState.PENDING:
        return "已发布，审核中" if comment.shown_before_review else "审核中，通过后对他人可见"
    appeal = comment.appeal
    if comment.state is CommentState.APPROVED:
        return "已发布（申诉成功，已恢复）" if appeal and appeal.state is AppealState.OVERTURNED else "已发布"
    removal = comment.removal
    reason = removal.reason.label_zh if removal else "其他"
    detail = f"原因：{reason}" + (f"，{removal.note}" if removal and removal.note else "")
    what = "已被删除" if removal and (removal.after_approval or comment.shown_before_review) else "未通过审核"
    if appeal is None:
        return f"{what}（{detail}），可申诉一次"
    if appeal.state is AppealState.PENDING:
        return f"{what}（{detail}），申诉处理中"
    return f"{what}（{detail}），申诉未通过" + (f"：{appeal.note}" if appeal.note else "")
