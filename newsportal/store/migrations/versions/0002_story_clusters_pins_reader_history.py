"""Story clusters (articles.story_id), editor pins for top stories, and reader history for 为你推荐.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 22:27:26.860478
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pins',
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('pinned_by', sa.String(length=80), nullable=False),
    sa.Column('pinned_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('channel_id', 'article_id')
    )
    op.create_table('reader_history',
    sa.Column('reader_id', sa.String(length=64), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('reader_id', 'article_id')
    )
    with op.batch_alter_table('reader_history', schema=None) as batch_op:
        batch_op.create_index('ix_reader_history_at', ['read_at'], unique=False)
        batch_op.create_index('ix_reader_history_reader_at', ['reader_id', 'read_at'], unique=False)

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('story_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_articles_story_id'), ['story_id'], unique=False)
        batch_op.create_index('ix_articles_updated', ['updated_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_updated')
        batch_op.drop_index(batch_op.f('ix_articles_story_id'))
        batch_op.drop_column('story_id')

    with op.batch_alter_table('reader_history', schema=None) as batch_op:
        batch_op.drop_index('ix_reader_history_reader_at')
        batch_op.drop_index('ix_reader_history_at')

    op.drop_table('reader_history')
    op.drop_table('pins')
