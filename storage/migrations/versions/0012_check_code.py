"""tickets.check_code: the code that, with the number, shows a ticket's status to others

Revision ID: 0012
Revises: 0016
Create Date: 2026-11-26 04:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_code', sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('check_code')
