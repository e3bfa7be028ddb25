"""case handling beyond LAPOR! (issue 16): low-rating follow-ups

Revision ID: 0016
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('low_rating_followups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('element', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_low_rating_followups_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_low_rating_followups_survey_id_surveys')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_low_rating_followups_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_low_rating_followups')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_low_rating_followups_ticket_id'))
    )
    with op.batch_alter_table('low_rating_followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_low_rating_followups_survey_id'), ['survey_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('low_rating_followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_low_rating_followups_survey_id'))
    op.drop_table('low_rating_followups')
