""""saya juga" (issue 16 item 2): ticket joiners, merged tickets, the topic index

Revision ID: 0018_me_too
Revises: 0014b
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018_me_too'
down_revision = '0018_ikm_daily'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ticket_joiners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('merged_from_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('service_code', sa.String(length=64), nullable=True),
    sa.Column('region_code', sa.String(length=16), nullable=True),
    sa.Column('region_name', sa.String(length=200), nullable=True),
    sa.Column('location_text', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_ticket_joiners_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_ticket_joiners_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['merged_from_id'], ['tickets.id'], name=op.f('fk_ticket_joiners_merged_from_id_tickets')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_joiners_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_joiners')),
    sa.UniqueConstraint('ticket_id', 'citizen_id', name=op.f('uq_ticket_joiners_ticket_id'))
    )
    with op.batch_alter_table('ticket_joiners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_joiners_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_joiners_ticket_id'), ['ticket_id'], unique=False)

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_tickets_merged_into_id_tickets'), 'tickets', ['merged_into_id'], ['id'])
        batch_op.create_index('ix_tickets_category_status', ['category', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_category_status')
        batch_op.drop_constraint(batch_op.f('fk_tickets_merged_into_id_tickets'), type_='foreignkey')
        batch_op.drop_column('merged_into_id')
    with op.batch_alter_table('ticket_joiners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_joiners_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_joiners_citizen_id'))
    op.drop_table('ticket_joiners')
