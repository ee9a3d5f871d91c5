"""Channel lists without sorting the subtree: a partial index of the rows lists show, newest first.

A channel page asks for "published, leads its story (``story_id IS NULL OR story_id = id``), newest first".
Without an index of exactly those rows PostgreSQL sorted the channel's whole subtree for every page (130-160
ms for 23,000 rows at 100k articles): it guessed the OR at 0.5 % of the rows, so walking an ordered index
looked hopeless. The partial index holds only listed rows, ordered per channel; the expression statistics
give PostgreSQL the true share of such rows (the query writes the predicate as ``(...) IS TRUE`` so that it
is one expression the statistics match). SQLite has no CREATE STATISTICS and needs none: it uses a partial
index whenever the query's WHERE contains the index's terms.

Revision ID: 0008_listed_index
Revises: 0007_token_role
Create Date: 2026-12-03 19:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_listed_index"
down_revision = "0007_token_role"
branch_labels = None
depends_on = None

# the same text as newsportal.store.tables.LISTED_SQL, frozen here as a migration must be
_WHERE = {
    "postgresql": "status = 'published' AND (story_id IS NULL OR story_id = id) IS true",
    "sqlite": "status = 'published' AND (story_id IS NULL OR story_id = id) IS 1",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    where = sa.text(_WHERE.get(dialect, _WHERE["postgresql"]))
    op.create_index(
        "ix_articles_listed_channel_pub", "articles",
        ["channel_id", sa.text("published_at DESC"), sa.text("id DESC")],
        postgresql_where=where, sqlite_where=where,
    )
    if dialect == "postgresql":
        op.execute("CREATE STATISTICS IF NOT EXISTS st_articles_leads_story "
                   "ON ((story_id IS NULL OR story_id = id)) FROM articles")
        op.execute("ANALYZE articles")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_articles_leads_story")
    op.drop_index("ix_articles_listed_channel_pub", table_name="articles")
