"""chat topic: a follow-up question carries the last answer's topic; the rest of a long answer

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('chats') as batch:
        batch.add_column(sa.Column('last_more', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('topic', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('topic_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('chats') as batch:
        batch.drop_column('topic_at')
        batch.drop_column('topic')
        batch.drop_column('last_more')
