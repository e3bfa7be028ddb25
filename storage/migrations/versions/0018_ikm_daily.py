"""IKM answers summed per local day: survey_daily_totals and survey_daily_splits (issue 14)

The IKM report of every unit over a year read every answer of the year (~300k at a
million tickets: 0.7-1.1 s on PostgreSQL). ``survey_daily_totals`` keeps, per local
(WIB) day, unit ('' for none), channel and element, the answers' count, their score
total and the respondents (surveys whose first answer there is that element's); the
report sums days. ``survey_daily_splits`` lists the surveys answered on more than
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

ELEMENTS = ("'requirements', 'procedure', 'completion_time', 'cost', 'product', "
            "'competence', 'conduct', 'complaint_handling', 'facilities'")
COUNTED = f"element IN ({ELEMENTS}) AND score BETWEEN 1 AND 4"
DAY = {
    'postgresql': "CAST(timezone('UTC', created_at) + interval '7 hours' AS date)",
    'sqlite': "date(created_at, '+25200 seconds')",
}
BACKFILL_TOTALS = """
INSERT INTO survey_daily_totals (unit_id, day, channel, element, answer_count, answer_sum,
                                 respondents)
SELECT unit_id, day, channel, element, count(*), sum(score),
       sum(CASE WHEN nth = 1 THEN 1 ELSE 0 END)
FROM (SELECT coalesce(unit_id, '') AS unit_id, {day} AS day, channel, element, score,
             row_number() OVER (PARTITION BY survey_id, coalesce(unit_id, ''), channel, {day}
                                ORDER BY id) AS nth
      FROM survey_responses WHERE {counted}) AS answers
GROUP BY unit_id, day, channel, element
"""
BACKFILL_SPLITS = """
INSERT INTO survey_daily_splits (survey_id)
SELECT survey_id
FROM (SELECT DISTINCT survey_id, coalesce(unit_id, '') AS unit_id, channel, {day} AS day
      FROM survey_responses WHERE {counted}) AS cells
GROUP BY survey_id HAVING count(*) > 1
"""


def upgrade() -> None:
    op.create_table(
        'survey_daily_totals',
        sa.Column('unit_id', sa.String(length=64), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('element', sa.String(length=32), nullable=False),
        sa.Column('answer_count', sa.Integer(), nullable=False),
        sa.Column('answer_sum', sa.Integer(), nullable=False),
        sa.Column('respondents', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('unit_id', 'day', 'channel', 'element',
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
    op.execute(BACKFILL_TOTALS.format(day=day, counted=COUNTED))
    op.execute(BACKFILL_SPLITS.format(day=day, counted=COUNTED))


def downgrade() -> None:
    op.drop_table('survey_daily_splits')
    with op.batch_alter_table('survey_daily_totals', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_daily_totals_day')
    op.drop_table('survey_daily_totals')
