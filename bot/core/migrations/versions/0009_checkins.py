"""admin appointments (admins of a unit and its sub-units), check-in snoozes, summary chats

Revision ID: 0009_checkins
Revises: 0008_web
Create Date: 2026-12-01 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0009_checkins'
down_revision = '0008_web'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'admin_appointments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.BigInteger(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('appointed_by', sa.BigInteger(), nullable=False),
        sa.Column('appointed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_admin_appointments_unit_id_units'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_appointments')),
        sa.UniqueConstraint('person_id', 'unit_id', name='uq_admin_appointments_person_unit'),
    )
    op.create_index(op.f('ix_admin_appointments_person_id'), 'admin_appointments', ['person_id'])
    op.create_table(
        'checkin_snoozes',
        sa.Column('person_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('until', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_checkin_snoozes')),
    )
    op.create_table(
        'summary_chats',
        sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('schedule', sa.String(length=10), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('units', sa.JSON(), nullable=True),
        sa.Column('changed_by', sa.BigInteger(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('chat_id', name=op.f('pk_summary_chats')),
    )


def downgrade() -> None:
    op.drop_table('summary_chats')
    op.drop_table('checkin_snoozes')
    op.drop_index(op.f('ix_admin_appointments_person_id'), table_name='admin_appointments')
    op.drop_table('admin_appointments')
