"""trigram indexes for the inbox's text search on PostgreSQL (issue 14)

The inbox search is ``lower(column) LIKE '%words%'`` over the ticket's number,
description, region and location: no B-tree helps a pattern with a leading
wildcard, so at a million tickets it read the whole table (136-464 ms). With the
``pg_trgm`` extension a GIN index of each ``lower(column)`` with
``gin_trgm_ops`` answers those LIKEs (PostgreSQL ORs the four index scans).

Guarded: SQLite is left alone, and where ``pg_trgm`` is not installed and cannot
be created here (not shipped, or the role may not create extensions) the
migration only logs it and the search stays a sequential scan, as before. The
queries are unchanged, so nothing depends on the indexes being there. On a big
existing table the index build locks writes to ``tickets`` for its duration
(seconds per million tickets); build them ``CONCURRENTLY`` by hand first if that
matters (same names: the migration skips existing indexes).

Revision ID: 0014b
Revises: 0017
Create Date: 2026-11-26 05:40:00
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = '0014b'
down_revision = '0017'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

#: index name -> the ticket column searched as lower(column).
TRIGRAM_INDEXES = {
    'ix_tickets_description_trgm': 'description',
    'ix_tickets_number_trgm': 'number',
    'ix_tickets_region_name_trgm': 'region_name',
    'ix_tickets_location_text_trgm': 'location_text',
}


def _have_trigrams(bind: sa.engine.Connection) -> bool:
    """Whether pg_trgm is installed, creating it when this role may (in a savepoint, so a
    refusal does not abort the migration's transaction)."""
    installed = sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if bind.execute(installed).first() is not None:
        return True
    available = sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    if bind.execute(available).first() is None:
        log.warning("pg_trgm is not available: the inbox text search stays unindexed")
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning("could not create pg_trgm (%s): the inbox text search stays unindexed",
                    str(exc).splitlines()[0])
        return False
    return True


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql' or not _have_trigrams(bind):
        return
    for name, column in TRIGRAM_INDEXES.items():
        op.execute(f'CREATE INDEX IF NOT EXISTS {name} ON tickets '
                   f'USING gin (lower({column}) gin_trgm_ops)')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name in TRIGRAM_INDEXES:
        op.execute(f'DROP INDEX IF EXISTS {name}')
