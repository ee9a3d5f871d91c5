"""Tables for reader accounts and 跟贴 (comments), on the same declarative ``Base`` as :mod:`.tables`.

The schema is owned by migration ``0004_comments``; ``tests/store/test_comments_schema.py`` checks that the
migrated database and these mappings agree. Choices worth knowing:

* Reader accounts are separate from newsroom staff. Deleting an account is a soft delete that scrubs the
  login, nickname and password hash and detaches the comments (``comments.author_id`` becomes NULL), so the
  comments stay and show as 已注销用户.
* ``comments.visible`` is derived (approved, or pending but shown before review) and kept in step by the
  store on every write, so the article page's count and lists are one indexed query each.
* ``comment_likes`` has the pair (comment, reader) as its primary key: one like per reader is a database
  rule, not a hope; ``comments.likes`` is the denormalised count, updated in the same transaction.
* Moderator ids are plain integers (the newsroom's user ids) without a foreign key, so this module does not
  depend on the newsroom tables; actors outside the newsroom (the CLI) are recorded by name in
  ``verified_by``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from newsportal.store.tables import Base

__all__ = [
    "ReaderAccountRow",
    "ReaderSessionRow",
    "CommentRow",
    "CommentEventRow",
    "CommentLikeRow",
    "ReportRow",
    "ReaderBanRow",
    "CommentThreadRow",
    "ChannelCommentModeRow",
    "BannedWordRow",
    "COMMENT_TABLES",
]


class ReaderAccountRow(Base):
    __tablename__ = "reader_accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Normalised e-mail address or mobile number; unique, never shown in front.
    login: Mapped[str] = mapped_column(String(120), unique=True)
    nickname: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    #: pending / verified / refused; only verified readers may post.
    verification: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    verified_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    verification_note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: IP属地 label of the last login (the label, never the address).
    last_ip_label: Mapped[str] = mapped_column(String(40), default="")


class ReaderSessionRow(Base):
    __tablename__ = "reader_sessions"
    #: SHA-256 of the session token; the token itself lives only in the reader's cookie.
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    reader_account_id: Mapped[int] = mapped_column(
        ForeignKey("reader_accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class CommentRow(Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_article_visible", "article_id", "visible", "created_at"),
        Index("ix_comments_article_likes", "article_id", "visible", "likes"),
        Index("ix_comments_author", "author_id", "created_at"),
        Index("ix_comments_state", "state", "created_at"),
        Index("ix_comments_root", "root_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("reader_accounts.id", ondelete="SET NULL"), nullable=True
    )
    #: The top-level comment of the thread (None for a top-level comment) and the reply it quotes.
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), nullable=True)
    quoted_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text)
    ip_label: Mapped[str] = mapped_column(String(40), default="未知")
    state: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    shown_before_review: Mapped[bool] = mapped_column(Boolean, default=False)
    visible: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: The removal decision (reject or take-down), when there is one.
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    after_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Pre-check flags at posting time: [{"code": ..., "detail": ...}], shown to the moderator.
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    appeal_state: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    appeal_text: Mapped[str] = mapped_column(Text, default="")
    appeal_filed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    appeal_decided_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    appeal_decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    appeal_note: Mapped[str] = mapped_column(String(200), default="")


class CommentEventRow(Base):
    """A comment's audit trail, written in the same transaction as the state it records."""

    __tablename__ = "comment_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    #: indexed: each worker asks for the lines written since its last look (migration 0009)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))


class CommentLikeRow(Base):
    __tablename__ = "comment_likes"
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    reader_id: Mapped[int] = mapped_column(
        ForeignKey("reader_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "target_kind", "target_id", name="uq_reports_reporter_target"),
        Index("ix_reports_target", "target_kind", "target_id", "state"),
        Index("ix_reports_state", "state", "filed_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("reader_accounts.id", ondelete="SET NULL"), nullable=True
    )
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    outcome_note: Mapped[str] = mapped_column(String(200), default="")
    decided_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    filed_at: Mapped[datetime] = mapped_column(DateTime)


class ReaderBanRow(Base):
    __tablename__ = "reader_bans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("reader_accounts.id", ondelete="CASCADE"), index=True)
    moderator_id: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    lifted_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class CommentThreadRow(Base):
    """Per-article settings: closed (跟贴已关闭) and the article's own mode, overriding its channel's."""

    __tablename__ = "comment_threads"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    mode: Mapped[str | None] = mapped_column(String(16), nullable=True)


class ChannelCommentModeRow(Base):
    __tablename__ = "channel_comment_modes"
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))


class BannedWordRow(Base):
    __tablename__ = "banned_words"
    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(80), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime)


COMMENT_TABLES = [
    t.__table__
    for t in (
        ReaderAccountRow,
        ReaderSessionRow,
        CommentRow,
        CommentEventRow,
        CommentLikeRow,
        ReportRow,
        ReaderBanRow,
        CommentThreadRow,
        ChannelCommentModeRow,
        BannedWordRow,
    )
]
