"""Partner ingest: ingest_sources (polling state, health, lease, push token) and ingested_items (dedupe).

Revision ID: 0005_ingest
Revises: 0002
Create Date: 2026-12-02 14:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_ingest"
down_revision = "0004_comments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("list_url", sa.String(length=1000), nullable=True),
        sa.Column("urls_json", sa.Text(), nullable=False),
        sa.Column("link_pattern", sa.String(length=300), nullable=True),
        sa.Column("channel_slug", sa.String(length=40), nullable=False),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("full_text", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("next_poll_at", sa.DateTime(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_poll_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(), nullable=True),
        sa.Column("last_error_reason", sa.String(length=40), nullable=True),
        sa.Column("last_error_message", sa.Text(), nullable=True),
        sa.Column("items_taken", sa.Integer(), nullable=False),
        sa.Column("items_refused", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("token_revoked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("ingest_sources", schema=None) as batch_op:
        batch_op.create_index("ix_ingest_sources_due", ["enabled", "next_poll_at"], unique=False)
        batch_op.create_index("ix_ingest_sources_source", ["source_id"], unique=False)

    op.create_table(
        "ingested_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ingest_source_id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=500), nullable=False),
        sa.Column("original_url", sa.String(length=1000), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("original_time", sa.DateTime(), nullable=True),
        sa.Column("updated_time", sa.DateTime(), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ingest_source_id"], ["ingest_sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ingest_source_id", "guid", name="uq_ingested_items_source_guid"),
    )
    with op.batch_alter_table("ingested_items", schema=None) as batch_op:
        batch_op.create_index("ix_ingested_items_url", ["original_url"], unique=False)
        batch_op.create_index("ix_ingested_items_hash", ["content_hash"], unique=False)
        batch_op.create_index("ix_ingested_items_article", ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ingested_items", schema=None) as batch_op:
        batch_op.drop_index("ix_ingested_items_article")
        batch_op.drop_index("ix_ingested_items_hash")
        batch_op.drop_index("ix_ingested_items_url")
    op.drop_table("ingested_items")
    with op.batch_alter_table("ingest_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_ingest_sources_source")
        batch_op.drop_index("ix_ingest_sources_due")
    op.drop_table("ingest_sources")
