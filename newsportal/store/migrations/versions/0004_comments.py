"""Reader accounts and sessions, comments (跟贴) with their audit trail, likes, reports, bans, per-article
thread settings, per-channel comment modes and the banned-word list.

Revision ID: 0004_comments
Revises: 0002
Create Date: 2026-12-02 14:09:35.777816
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_comments"
down_revision = "0003_newsroom"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "banned_words",
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.Column("added_by", sa.String(length=80), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("word"),
    )
    op.create_table(
        "reader_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=120), nullable=False),
        sa.Column("nickname", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("verification", sa.String(length=16), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("verified_by", sa.String(length=80), nullable=True),
        sa.Column("verification_note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("last_ip_label", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login"),
    )
    with op.batch_alter_table("reader_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reader_accounts_verification"), ["verification"], unique=False)

    op.create_table(
        "channel_comment_modes",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("channel_id"),
    )
    op.create_table(
        "reader_bans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lifted_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["reader_id"], ["reader_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reader_bans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reader_bans_reader_id"), ["reader_id"], unique=False)

    op.create_table(
        "reader_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("reader_account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["reader_account_id"], ["reader_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    with op.batch_alter_table("reader_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reader_sessions_reader_account_id"), ["reader_account_id"], unique=False
        )

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("outcome_note", sa.String(length=200), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["reporter_id"], ["reader_accounts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reporter_id", "target_kind", "target_id", name="uq_reports_reporter_target"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_state", ["state", "filed_at"], unique=False)
        batch_op.create_index("ix_reports_target", ["target_kind", "target_id", "state"], unique=False)

    op.create_table(
        "comment_threads",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("root_id", sa.Integer(), nullable=True),
        sa.Column("quoted_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ip_label", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("shown_before_review", sa.Boolean(), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("after_approval", sa.Boolean(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("likes", sa.Integer(), nullable=False),
        sa.Column("appeal_state", sa.String(length=16), nullable=True),
        sa.Column("appeal_text", sa.Text(), nullable=False),
        sa.Column("appeal_filed_at", sa.DateTime(), nullable=True),
        sa.Column("appeal_decided_by", sa.Integer(), nullable=True),
        sa.Column("appeal_decided_at", sa.DateTime(), nullable=True),
        sa.Column("appeal_note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["reader_accounts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["quoted_id"], ["comments.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["root_id"], ["comments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comments_appeal_state"), ["appeal_state"], unique=False)
        batch_op.create_index("ix_comments_article_likes", ["article_id", "visible", "likes"], unique=False)
        batch_op.create_index(
            "ix_comments_article_visible", ["article_id", "visible", "created_at"], unique=False
        )
        batch_op.create_index("ix_comments_author", ["author_id", "created_at"], unique=False)
        batch_op.create_index("ix_comments_root", ["root_id"], unique=False)
        batch_op.create_index("ix_comments_state", ["state", "created_at"], unique=False)

    op.create_table(
        "comment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("comment_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_events_comment_id"), ["comment_id"], unique=False)

    op.create_table(
        "comment_likes",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reader_id"], ["reader_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("comment_id", "reader_id"),
    )


def downgrade() -> None:
    op.drop_table("comment_likes")
    with op.batch_alter_table("comment_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_events_comment_id"))

    op.drop_table("comment_events")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_state")
        batch_op.drop_index("ix_comments_root")
        batch_op.drop_index("ix_comments_author")
        batch_op.drop_index("ix_comments_article_visible")
        batch_op.drop_index("ix_comments_article_likes")
        batch_op.drop_index(batch_op.f("ix_comments_appeal_state"))

    op.drop_table("comments")
    op.drop_table("comment_threads")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_target")
        batch_op.drop_index("ix_reports_state")

    op.drop_table("reports")
    with op.batch_alter_table("reader_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reader_sessions_reader_account_id"))

    op.drop_table("reader_sessions")
    with op.batch_alter_table("reader_bans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reader_bans_reader_id"))

    op.drop_table("reader_bans")
    op.drop_table("channel_comment_modes")
    with op.batch_alter_table("reader_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reader_accounts_verification"))

    op.drop_table("reader_accounts")
    op.drop_table("banned_words")
