"""reminders: admin deadlines, plan extensions, subscriptions, deliveries, marks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 22:54:42.111289
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_extensions',
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_plan_extensions'))
    )
    op.create_table('reminder_marks',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_reminder_marks'))
    )
    op.create_table('subscriptions',
    sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('changed_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', name=op.f('pk_subscriptions'))
    )
    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_deadlines_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines'))
    )
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_key', sa.String(length=160), nullable=False),
    sa.Column('offset_label', sa.String(length=16), nullable=False),
    sa.Column('occurrence', sa.DateTime(timezone=True), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=40), nullable=True),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('migrated_from', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_deliveries_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('deadline_key', 'offset_label', 'occurrence', 'chat_id', name='uq_deliveries_key')
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_state_due', ['state', 'due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_state_due')

    op.drop_table('deliveries')
    op.drop_table('deadlines')
    op.drop_table('subscriptions')
    op.drop_table('reminder_marks')
    op.drop_table('plan_extensions')
