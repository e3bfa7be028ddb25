"""case handling beyond LAPOR! (issue 16): low-rating follow-ups, conversation holds, media files,
Open311 clients

Revision ID: 0016
Revises: 0015
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
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

    op.create_table('conversation_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('release_reason', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_holds_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], name=op.f('fk_conversation_holds_staff_user_id_staff_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_conversation_holds_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_holds'))
    )
    with op.batch_alter_table('conversation_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_holds_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_holds_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_holds_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('media_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('media_id', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('path', sa.Text(), nullable=True),
    sa.Column('filename', sa.String(length=300), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_media_files_message_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_files')),
    sa.UniqueConstraint('message_id', 'media_id', name=op.f('uq_media_files_message_id'))
    )
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_files_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_files_status'), ['status'], unique=False)

    op.create_table('open311_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_clients')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_open311_clients_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_open311_clients_name'))
    )


def downgrade() -> None:
    op.drop_table('open311_clients')
    op.drop_table('media_files')
    op.drop_table('conversation_holds')
    with op.batch_alter_table('low_rating_followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_low_rating_followups_survey_id'))
    op.drop_table('low_rating_followups')
