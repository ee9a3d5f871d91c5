"""An index on ``comment_events.at``: how a worker finds the 跟贴 other workers changed since it last looked.

Every change to which comments readers see (a post, an approval, a take-down, a deletion, an appeal upheld)
writes an audit line in the same transaction. Each server process asks every few seconds for the lines
written since its last look (``CommentStore.articles_changed_since``) and drops its cached pages of those
articles, so a 跟贴 count shown by any worker is at most that old. Without the index that question scans the
whole audit trail.

Revision ID: 0009_comment_events_at
Revises: 0008_listed_index
Create Date: 2026-12-04 23:30:00
"""
from alembic import op

revision = "0009_comment_events_at"
down_revision = "0008_listed_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_comment_events_at", "comment_events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_comment_events_at", table_name="comment_events")
