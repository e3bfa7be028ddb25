"""custom intents and kept Rasa training data (issue 17)

Revision ID: 0017
Revises: 0012
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('custom_intents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('answer_id', sa.Text(), nullable=False),
    sa.Column('answer_en', sa.Text(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['staff_users.id'], name=op.f('fk_custom_intents_created_by_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_intents')),
    sa.UniqueConstraint('name', name=op.f('uq_custom_intents_name'))
    )
    op.create_table('nlu_rasa_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nlu_rasa_items'))
    )
    with op.batch_alter_table('nlu_rasa_items', schema=None) as batch_op:
        batch_op.create_index('ix_nlu_rasa_items_kind_name', ['kind', 'name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('nlu_rasa_items', schema=None) as batch_op:
        batch_op.drop_index('ix_nlu_rasa_items_kind_name')
    op.drop_table('nlu_rasa_items')
    op.drop_table('custom_intents')
