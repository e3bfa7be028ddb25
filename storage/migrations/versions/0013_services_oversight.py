"""tickets: the catalog service, and the units an oversight complaint is kept from

Revision ID: 0013
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_code', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('excluded_unit_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('excluded_unit_ids', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tickets_service_code'), ['service_code'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_service_code'))
        batch_op.drop_column('excluded_unit_ids')
        batch_op.drop_column('excluded_unit_id')
        batch_op.drop_column('service_code')
