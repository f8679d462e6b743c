"""the office's web page: one-time sign-in links, browser sessions, the audit log

Revision ID: 0008_web
Revises: 0007
Create Date: 2026-12-01 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008_web'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'web_sign_ins',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('person_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_web_sign_ins')),
    )
    op.create_table(
        'web_sessions',
        sa.Column('id_hash', sa.String(length=64), nullable=False),
        sa.Column('person_id', sa.BigInteger(), nullable=False),
        sa.Column('csrf', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_web_sessions')),
    )
    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.BigInteger(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    )
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_audit_log_at'), table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('web_sessions')
    op.drop_table('web_sign_ins')
