"""What one post needs from the database, read in four queries, and the insert, all in one transaction.

Posting used to ask each store on its own (article, thread, channel mode, bans, two record counts, upheld
reports, two history reads, banned words, the reply target, then the author again after the insert): twelve
statements in ten sessions. The reads do not depend on each other's answers, so they are batched here:

1. the article with its thread settings, its channel's mode, the reader's record counts (approved,
   rejected, upheld reports), the reader's nickname and, for a reply, the parent comment: one row;
2. the reader's bans;
3. the pre-check history (every comment in the repeat window plus the last decided ones): one UNION ALL;
4. the banned-word list.

The service applies every rule to that snapshot in the same order as before (see
:meth:`newsportal.comments.service.CommentService.post`), and the comment plus its first audit line are
written in the same transaction, without re-reading the author. ``tests/comments/test_post_queries.py``
pins the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from newsportal.comments.bans import Ban
from newsportal.comments.moderation import CommentState, Mode, ThreadSettings, is_visible, new_comment
from newsportal.comments.prechecks import PriorComment
from newsportal.comments.reports import ReportState, TargetKind
from newsportal.store.bans import ban_from_row
from newsportal.store.comment_rows import CommentRecord, NewComment, record_from_row, write_comment
from newsportal.store.comment_settings import ArticleInfo
from newsportal.store.tables import ArticleRow
from newsportal.store.tables_comments import (
    BannedWordRow,
    ChannelCommentModeRow,
    CommentRow,
    CommentThreadRow,
    ReaderAccountRow,
    ReaderBanRow,
    ReportRow,
)

__all__ = ["ParentInfo", "PostContext", "read_post_context", "insert_comment"]

#: The pre-check history reads at most this many comments of the repeat window (as before).
RECENT_LIMIT = 500
_DECIDED = (CommentState.APPROVED.value, CommentState.REJECTED.value)


@dataclass(frozen=True, slots=True)
class ParentInfo:
    """What the reply rules need of the comment being answered."""

    id: int
    article_id: int
    root_id: int | None
    author_id: int | None
    state: CommentState
    visible: bool


@dataclass(frozen=True, slots=True)
class PostContext:
    """A snapshot of everything the posting rules look at, taken inside the posting transaction."""

    #: None when the article does not exist (nothing else is read then).
    article: ArticleInfo | None
    thread: ThreadSettings
    channel_mode: Mode | None
    approved: int
    rejected: int
    upheld_reports: int
    nickname: str | None
    deleted_at: datetime | None
    bans: tuple[Ban, ...]
    history: tuple[PriorComment, ...]
    banned_words: tuple[str, ...]
    #: The reply target, or None when this is no reply or the parent does not exist.
    parent: ParentInfo | None


def _count(*cond) -> Select:  # type: ignore[no-untyped-def,type-arg]
    return select(func.count()).select_from(CommentRow).where(*cond)


def upheld_reports(author_id: int) -> Select:  # type: ignore[type-arg]
    """How many of the reader's comments have an upheld report: part of their record for credit grading,
    read here inside the posting snapshot and by :meth:`ReportStore.upheld_against` on its own."""
    return (
        select(func.count(func.distinct(ReportRow.target_id)))
        .select_from(ReportRow)
        .join(CommentRow, CommentRow.id == ReportRow.target_id)
        .where(
            ReportRow.target_kind == TargetKind.COMMENT.value,
            ReportRow.state == ReportState.UPHELD.value,
            CommentRow.author_id == author_id,
        )
    )


def _head(reader_id: int, article_id: int, reply_to: int | None) -> Select:  # type: ignore[type-arg]
    """Query 1: the article row joined to its settings, with the reader's record as scalar subqueries."""
    upheld = upheld_reports(reader_id)
    mine = CommentRow.author_id == reader_id
    stmt = (
        select(
            ArticleRow.id,
            ArticleRow.channel_id,
            ArticleRow.status,
            CommentThreadRow.article_id.label("thread_row"),
            CommentThreadRow.closed.label("thread_closed"),
            CommentThreadRow.mode.label("thread_mode"),
            ChannelCommentModeRow.mode.label("channel_mode"),
            _count(mine, CommentRow.state == CommentState.APPROVED.value).scalar_subquery().label("approved"),
            _count(mine, CommentRow.state == CommentState.REJECTED.value).scalar_subquery().label("rejected"),
            upheld.scalar_subquery().label("upheld"),
            select(ReaderAccountRow.nickname)
            .where(ReaderAccountRow.id == reader_id)
            .scalar_subquery()
            .label("author_nickname"),
            select(ReaderAccountRow.deleted_at)
            .where(ReaderAccountRow.id == reader_id)
            .scalar_subquery()
            .label("author_deleted_at"),
        )
        .select_from(ArticleRow)
        .outerjoin(CommentThreadRow, CommentThreadRow.article_id == ArticleRow.id)
        .outerjoin(ChannelCommentModeRow, ChannelCommentModeRow.channel_id == ArticleRow.channel_id)
        .where(ArticleRow.id == article_id)
    )
    if reply_to is not None:
        parent = aliased(CommentRow, name="parent")
        stmt = stmt.add_columns(
            parent.id.label("parent_id"),
            parent.article_id.label("parent_article_id"),
            parent.root_id.label("parent_root_id"),
            parent.author_id.label("parent_author_id"),
            parent.state.label("parent_state"),
            parent.visible.label("parent_visible"),
        ).outerjoin(parent, parent.id == reply_to)
    return stmt


def _history(s: Session, reader_id: int, since: datetime, lookback: int) -> tuple[PriorComment, ...]:
    """Query 3: the repeat window's comments (newest first), then the last decided ones not among them."""
    cols = (CommentRow.id, CommentRow.text, CommentRow.created_at, CommentRow.state)
    recent = (
        select(*cols, literal(0).label("part"))
        .where(CommentRow.author_id == reader_id, CommentRow.created_at >= since)
        .order_by(CommentRow.created_at.desc())
        .limit(RECENT_LIMIT)
        .subquery()
    )
    decided = (
        select(*cols, literal(1).label("part"))
        .where(CommentRow.author_id == reader_id, CommentRow.state.in_(_DECIDED))
        .order_by(CommentRow.created_at.desc())
        .limit(lookback)
        .subquery()
    )
    rows = list(s.execute(union_all(select(recent), select(decided))))
    rows.sort(key=lambda r: (r.part, -r.created_at.timestamp(), -r.id))
    merged = {r.id: r for r in rows}
    return tuple(PriorComment(r.text, r.created_at, r.state) for r in merged.values())


def read_post_context(
    s: Session,
    reader_id: int,
    article_id: int,
    *,
    since: datetime,
    lookback: int,
    reply_to: int | None = None,
) -> PostContext:
    """Read the snapshot for one post in four queries (one when the article does not exist)."""
    head = s.execute(_head(reader_id, article_id, reply_to)).first()
    if head is None:
        return PostContext(None, ThreadSettings(article_id), None, 0, 0, 0, None, None, (), (), (), None)
    thread = ThreadSettings(article_id)
    if head.thread_row is not None:
        mode = Mode(head.thread_mode) if head.thread_mode else None
        thread = ThreadSettings(article_id, head.thread_closed, mode)
    parent = None
    if reply_to is not None and head.parent_id is not None:
        parent = ParentInfo(
            head.parent_id,
            head.parent_article_id,
            head.parent_root_id,
            head.parent_author_id,
            CommentState(head.parent_state),
            bool(head.parent_visible),
        )
    bans = tuple(
        ban_from_row(r)
        for r in s.scalars(
            select(ReaderBanRow)
            .where(ReaderBanRow.reader_id == reader_id)
            .order_by(ReaderBanRow.starts_at.desc(), ReaderBanRow.id.desc())
        )
    )
    words = tuple(s.scalars(select(BannedWordRow.word).order_by(BannedWordRow.word)))
    return PostContext(
        article=ArticleInfo(head.id, head.channel_id, head.status),
        thread=thread,
        channel_mode=Mode(head.channel_mode) if head.channel_mode else None,
        approved=int(head.approved or 0),
        rejected=int(head.rejected or 0),
        upheld_reports=int(head.upheld or 0),
        nickname=head.author_nickname,
        deleted_at=head.author_deleted_at,
        bans=bans,
        history=_history(s, reader_id, since, lookback),
        banned_words=words,
        parent=parent,
    )


def insert_comment(
    s: Session, new: NewComment, now: datetime, nickname: str | None, deleted_at: datetime | None
) -> CommentRecord:
    """Write the comment and its first audit line (two INSERTs); the record is built from what was written."""
    fresh = new_comment(0, new.article_id, new.author_id, now, mode=new.mode, show_now=new.show_now)
    row = CommentRow(
        article_id=new.article_id,
        author_id=new.author_id,
        root_id=new.root_id,
        quoted_id=new.quoted_id,
        text=new.text,
        ip_label=new.ip_label,
        state=fresh.state.value,
        mode=new.mode.value,
        shown_before_review=new.show_now,
        visible=is_visible(fresh),
        created_at=now,
        note="",
        after_approval=False,
        flags=[{"code": f.code, "detail": f.detail_zh} for f in new.flags],
        likes=0,
        appeal_text="",
        appeal_note="",
    )
    s.add(row)
    s.flush()
    write_comment(s, row, fresh, fresh.events)
    s.flush()
    return record_from_row(row, nickname, deleted_at)
