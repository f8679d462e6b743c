"""indicator full names: the office's files show an indicator's name uncut

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('indicators') as batch:
        batch.add_column(sa.Column('full_name', sa.String(length=500), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('indicators') as batch:
        batch.drop_column('full_name')
