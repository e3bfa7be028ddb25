"""indexes that keep the hot path and the inbox fast as the tables grow (issue 14)

- messages.reply_to_id: a new ticket ties the report's messages *and the replies to
  them* to itself (``attach_to_ticket``), and a re-delivery looks up the replies to
  the original; without it both scan every message ever stored.
- tickets.escalated_to_unit_id: the inbox shows a unit's own tickets *or* those
  escalated to it; with both sides indexed PostgreSQL combines two index scans
  instead of reading the table.
- survey_responses (unit_id, created_at) and (created_at): the IKM report's filter
  (units and a period, or only a period).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 04:30:00
"""
from __future__ import annotations

from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_reply_to_id', ['reply_to_id'], unique=False)
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_escalated_to_unit_id', ['escalated_to_unit_id'],
                              unique=False)
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_unit_created', ['unit_id', 'created_at'],
                              unique=False)
        batch_op.create_index('ix_survey_responses_created_at', ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_created_at')
        batch_op.drop_index('ix_survey_responses_unit_created')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_escalated_to_unit_id')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_reply_to_id')
