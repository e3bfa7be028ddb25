"""IKM answers summed per local day: survey_daily_totals and survey_daily_splits (issue 14)

The IKM report of every unit over a year read every answer of the year (~300k at a
million tickets: 0.7-1.1 s on PostgreSQL). ``survey_daily_totals`` keeps, per local
(WIB) day, unit ('' for none) and channel, each of the nine elements' answer count
and score total, and the respondents (distinct surveys); the report sums days. ``survey_daily_splits`` lists the surveys answered on more than
one (day, unit, channel), whose respondent the report corrects from their answers.

The application keeps both in the transaction of each answer
(``storage.repositories.survey_totals``); this migration fills them from the answers
already stored, counting what the IKM counts (the nine elements, scores 1-4). The
backfill reads ``survey_responses`` once (seconds per million answers); answers
stored while it runs on a live system would be missed, so upgrade with the
application stopped (as for every migration) or rebuild afterwards.

Revision ID: 0018_ikm_daily
Revises: 0014b
Create Date: 2026-11-26 07:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018_ikm_daily'
down_revision = '0014b'
branch_labels = None
depends_on = None

#: The nine SKM elements of PermenPANRB 14/2017, as the application names them.
ELEMENTS = ("requirements", "procedure", "completion_time", "cost", "product",
            "competence", "conduct", "complaint_handling", "facilities")
COUNTED = ("element IN (" + ", ".join(f"'{e}'" for e in ELEMENTS) + ")"
           " AND score BETWEEN 1 AND 4")
DAY = {
    'postgresql': "CAST(timezone('UTC', created_at) + interval '7 hours' AS date)",
    'sqlite': "date(created_at, '+25200 seconds')",
}
ELEMENT_COLUMNS = ", ".join(f"{e}_answers, {e}_total" for e in ELEMENTS)
ELEMENT_SUMS = ", ".join(f"sum(CASE WHEN element = '{e}' THEN 1 ELSE 0 END), "
                         f"sum(CASE WHEN element = '{e}' THEN score ELSE 0 END)"
                         for e in ELEMENTS)
BACKFILL_TOTALS = f"""
INSERT INTO survey_daily_totals (unit_id, day, channel, respondents, {ELEMENT_COLUMNS})
SELECT coalesce(unit_id, ''), {{day}}, channel, count(DISTINCT survey_id), {ELEMENT_SUMS}
FROM survey_responses WHERE {COUNTED}
GROUP BY coalesce(unit_id, ''), {{day}}, channel
"""
BACKFILL_SPLITS = f"""
INSERT INTO survey_daily_splits (survey_id)
SELECT survey_id
FROM (SELECT DISTINCT survey_id, coalesce(unit_id, '') AS unit_id, channel, {{day}} AS day
      FROM survey_responses WHERE {COUNTED}) AS cells
GROUP BY survey_id HAVING count(*) > 1
"""


def upgrade() -> None:
    element_columns = [sa.Column(f'{e}_{what}', sa.Integer(), nullable=False)
                       for e in ELEMENTS for what in ('answers', 'total')]
    op.create_table(
        'survey_daily_totals',
        sa.Column('unit_id', sa.String(length=64), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('respondents', sa.Integer(), nullable=False),
        *element_columns,
        sa.PrimaryKeyConstraint('unit_id', 'day', 'channel',
                                name=op.f('pk_survey_daily_totals')),
    )
    with op.batch_alter_table('survey_daily_totals', schema=None) as batch_op:
        batch_op.create_index('ix_survey_daily_totals_day', ['day'], unique=False)
    op.create_table(
        'survey_daily_splits',
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'],
                                name=op.f('fk_survey_daily_splits_survey_id_surveys')),
        sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_survey_daily_splits')),
    )
    bind = op.get_bind()
    day = DAY['postgresql' if bind.dialect.name == 'postgresql' else 'sqlite']
    op.execute(BACKFILL_TOTALS.format(day=day))
    op.execute(BACKFILL_SPLITS.format(day=day))


def downgrade() -> None:
    op.drop_table('survey_daily_splits')
    with op.batch_alter_table('survey_daily_totals', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_daily_totals_day')
    op.drop_table('survey_daily_totals')
