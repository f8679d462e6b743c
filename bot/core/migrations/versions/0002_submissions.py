"""indicators, periods, submissions, invites, seen updates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:47:35.783714
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('comparator', sa.String(length=2), nullable=False),
    sa.Column('section', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_indicators_plan_code')
    )
    op.create_table('periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periods')),
    sa.UniqueConstraint('code', name=op.f('uq_periods_code'))
    )
    op.create_table('seen_updates',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_seen_updates'))
    )
    op.create_table('invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=48), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_by', sa.BigInteger(), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_invites_unit_id_units')),
    sa.ForeignKeyConstraint(['used_by'], ['people.id'], name=op.f('fk_invites_used_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invites')),
    sa.UniqueConstraint('token', name=op.f('uq_invites_token'))
    )
    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('numerator', sa.BigInteger(), nullable=True),
    sa.Column('denominator', sa.BigInteger(), nullable=True),
    sa.Column('yes', sa.Boolean(), nullable=True),
    sa.Column('shown', sa.String(length=80), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=True),
    sa.Column('person_name', sa.String(length=200), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('update_id', sa.BigInteger(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_submissions_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_submissions_period_id_periods')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_submissions_person_id_people')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['submissions.id'],
                            name=op.f('fk_submissions_supersedes_id_submissions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_submissions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('update_id', name=op.f('uq_submissions_update_id'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_unit_period', ['unit_id', 'period_id', 'indicator_id'], unique=False)




def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_unit_period')

    op.drop_table('submissions')
    op.drop_table('invites')
    op.drop_table('seen_updates')
    op.drop_table('periods')
    op.drop_table('indicators')

