"""report drafts: a guided report in progress, in the database

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_drafts',
    sa.Column('person_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('step', sa.String(length=12), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('numerator', sa.BigInteger(), nullable=True),
    sa.Column('denominator', sa.BigInteger(), nullable=True),
    sa.Column('yes', sa.Boolean(), nullable=True),
    sa.Column('shown', sa.String(length=80), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_report_drafts_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                            name=op.f('fk_report_drafts_submission_id_submissions')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['submissions.id'],
                            name=op.f('fk_report_drafts_supersedes_id_submissions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_report_drafts_unit_id_units'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_report_drafts'))
    )


def downgrade() -> None:
    op.drop_table('report_drafts')
