"""unit-wide invites: an invite's places, uses and approval; the join requests admins approve or refuse

Revision ID: 0010_join_requests
Revises: 0009_checkins
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_join_requests'
down_revision = '0009_checkins'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invites') as batch:
        batch.add_column(sa.Column('places', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('uses', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('approval', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'join_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invite_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.BigInteger(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.BigInteger(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['invite_id'], ['invites.id'], name=op.f('fk_join_requests_invite_id_invites'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_join_requests')),
        sa.UniqueConstraint('invite_id', 'person_id', name='uq_join_requests_invite_person'),
    )
    op.create_index(op.f('ix_join_requests_person_id'), 'join_requests', ['person_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_join_requests_person_id'), table_name='join_requests')
    op.drop_table('join_requests')
    with op.batch_alter_table('invites') as batch:
        batch.drop_column('approval')
        batch.drop_column('uses')
        batch.drop_column('places')
