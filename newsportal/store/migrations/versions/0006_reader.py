"""Reader portal: article_images (lead image per article) and site_reports (违法和不良信息举报).

Revision ID: 0006_reader
Revises: 0005_ingest
Create Date: 2026-12-02 15:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_reader"
down_revision = "0005_ingest"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_images",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("image_json", sa.Text(), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("credit", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.create_table(
        "site_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("site_reports", schema=None) as batch_op:
        batch_op.create_index("ix_site_reports_created", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("site_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_site_reports_created")
    op.drop_table("site_reports")
    op.drop_table("article_images")
