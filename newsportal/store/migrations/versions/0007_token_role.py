"""Per-token role: api_tokens.role, the newsroom role a partner's token acts with.

Existing tokens keep NULL, which means "the configured NEWSPORTAL_TOKEN_ROLE" (default chief_editor): that
is exactly the role they acted with before this migration, so nothing changes for a connected partner.
The default lives in the settings (environment or TOML file), which a migration cannot read reliably, so
it is resolved when the token is used rather than copied into the rows here.

Revision ID: 0007_token_role
Revises: 0006_reader
Create Date: 2026-12-03 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_token_role"
down_revision = "0006_reader"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("role")
