"""Newsroom tables: accounts, login sessions, the audit log, article workflow, corrections, self-media pages.

They share the declarative ``Base`` (and so the metadata) of :mod:`newsportal.store.tables`; the schema is
created by the Alembic revision ``0003_newsroom``. Kept apart from the reader-side tables because the
newsroom's rows change for different reasons (people and review, not content and traffic).

Times are naive UTC like everywhere in the store. ``audit_log`` is append-only: no code path updates or
deletes it, and the migration installs triggers that make the database refuse it too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from newsportal.store.tables import Base

USERNAME_LEN = 32
NAME_LEN = 40


class UserRow(Base):
    """A newsroom account. ``source_id`` links a self-media owner to the source their articles carry."""

    __tablename__ = "users"
    __table_args__ = (Index("ix_users_role_status", "role", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LEN), unique=True)
    display_name: Mapped[str] = mapped_column(String(NAME_LEN))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="active")
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_login_ip: Mapped[str | None] = mapped_column(String(45), nullable=True)


class NewsroomSessionRow(Base):
    """A login session, keyed by the SHA-256 of the cookie value (the cookie itself is never stored)."""

    __tablename__ = "newsroom_sessions"
    __table_args__ = (Index("ix_newsroom_sessions_user", "user_id", "created_at"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ip: Mapped[str | None] = mapped_column(String(45), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(300), nullable=True)


class AuditRow(Base):
    """One audit entry. No foreign keys: the log must outlive whatever it talks about."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor_at", "actor_user_id", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
        Index("ix_audit_log_target", "target_kind", "target_id", "at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    ip: Mapped[str | None] = mapped_column(String(45), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    target_kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    target_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")


class ArticleWorkflowRow(Base):
    """Where an article stands in review, who approved it, and the scheduler's claim on it."""

    __tablename__ = "article_workflow"
    __table_args__ = (
        Index("ix_article_workflow_state_sched", "state", "scheduled_at"),
        Index("ix_article_workflow_update_at", "update_at"),
    )
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    embargo: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    update_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    author_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    submitted_by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_by_name: Mapped[str | None] = mapped_column(String(NAME_LEN), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    fired_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    pending_revision: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CorrectionRow(Base):
    """A dated correction note shown under the article."""

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_article_at", "article_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    by_name: Mapped[str] = mapped_column(String(80), default="")


class SelfMediaAccountRow(Base):
    """A self-media source's account page (名称, 简介, 运营主体, 内容类别, 联系方式) and suspension."""

    __tablename__ = "self_media_accounts"
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    intro: Mapped[str] = mapped_column(Text, default="")
    operator: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    contact: Mapped[str] = mapped_column(String(120), default="")
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    suspended_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


NEWSROOM_TABLES = [
    t.__table__
    for t in (UserRow, NewsroomSessionRow, AuditRow, ArticleWorkflowRow, CorrectionRow, SelfMediaAccountRow)
]

Bind = Engine | sessionmaker
"""What the newsroom store classes accept: an engine, or a session factory already bound to one."""


def session_factory(bind: Bind) -> sessionmaker:
    """A session factory for ``bind``; objects stay readable after commit because rows are copied out."""
    if isinstance(bind, sessionmaker):
        return bind
    return sessionmaker(bind, expire_on_commit=False)


def engine_of(factory: sessionmaker) -> Engine:
    """The engine behind a session factory (claims use Core statements on a connection of their own)."""
    bind = factory.kw.get("bind")
    if not isinstance(bind, Engine):
        raise TypeError("the session factory must be bound to an Engine")
    return bind
