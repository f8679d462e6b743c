"""an update's copy kept until it has been handled, for another process to handle if this one is killed first

Revision ID: 0011_seen_payload
Revises: 0010_join_requests
Create Date: 2026-12-03 15:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_seen_payload'
down_revision = '0010_join_requests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('seen_updates') as batch:
        batch.add_column(sa.Column('payload', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('seen_updates') as batch:
        batch.drop_column('payload')
