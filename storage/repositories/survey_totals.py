"""IKM answers summed per local day (issue 14: the IKM report of every unit over a year
at a million tickets reads days, not answers).

``survey_daily_totals`` holds, per local (WIB) day, unit and channel, the number of
answers to each of the nine elements, their score totals and the respondents;
``survey_daily_splits`` lists the surveys whose answers fall on more than one such
(day, unit, channel).

Both are kept in the transaction that stores the answer: a mapper event on
:class:`~storage.models.SurveyResponse` runs :func:`answer_statements` right after
the answer's INSERT, whoever inserts it through the ORM (the survey dialogue's
``SurveyRepository.add_response``, imports, tests). An answer written with a Core
``INSERT`` must execute :func:`answer_statements` itself, in the same transaction.
:func:`rebuild_statements` recomputes both tables from the answers (migration
``0018_ikm_daily`` does the same; ``python -m bench.pipeline.growth`` after filling
answers with SQL).

Only answers the IKM counts are summed: one of the regulation's nine elements, a
score 1-4 (the report's own filter).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Executable,
    and_,
    case,
    cast,
    delete,
    event,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper, aliased

from storage.models import IKM_ELEMENTS, SurveyDailySplit, SurveyDailyTotal, SurveyResponse

#: The local time the days are cut in: WIB (Indonesia has no DST), the reports' zone.
SUMMARY_OFFSET = timedelta(hours=7)


def day_expression(dialect: str, ts: Any) -> ColumnElement[date]:
    """SQL for the local day of a stored UTC time (:func:`local_day` in the database)."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", ts) + literal(SUMMARY_OFFSET), Date)
    return func.date(ts, f"{int(SUMMARY_OFFSET.total_seconds()):+d} seconds",
                     type_=Date)


def local_day(at: datetime) -> date:
    """The local day an answer given at ``at`` is summed into."""
    return (at.astimezone(UTC) + SUMMARY_OFFSET).date()


def counted(element: str, score: int) -> bool:
    """Whether the IKM counts this answer (and so the summary sums it)."""
    return element in IKM_ELEMENTS and 1 <= score <= 4


def element_columns(element: str) -> tuple[Any, Any]:
    """The daily totals' answers and score-total columns of one of the nine elements."""
    c = SurveyDailyTotal.__table__.c
    return c[f"{element}_answers"], c[f"{element}_total"]


def _counted_sql(r: Any) -> ColumnElement[bool]:
    return and_(r.element.in_(IKM_ELEMENTS), r.score >= 1, r.score <= 4)


def _insert(dialect: str, table: Any) -> Any:
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def answer_statements(dialect: str, answer: SurveyResponse) -> list[Executable]:
    """The statements that add a stored answer (id set) to the daily totals.

    The totals' upsert counts a respondent when no earlier answer (lower id) of the
    survey is in the same (day, unit, channel); the split INSERT lists the survey as
    split when an earlier answer is in another one. Both look only at earlier
    answers, so answers flushed together give what one-by-one inserts give. One
    statement on PostgreSQL (the split INSERT as a CTE of the upsert), two on SQLite;
    none for an answer the IKM does not count.
    """
    if not counted(answer.element, answer.score):
        return []
    unit = answer.unit_id or ""
    day = local_day(answer.created_at)
    o = aliased(SurveyResponse)
    earlier = and_(o.survey_id == answer.survey_id, o.id < answer.id, _counted_sql(o))
    o_day = day_expression(dialect, o.created_at)
    same_cell = and_(func.coalesce(o.unit_id, "") == unit, o.channel == answer.channel,
                     o_day == literal(day, Date))
    other_cell = or_(func.coalesce(o.unit_id, "") != unit, o.channel != answer.channel,
                     o_day != literal(day, Date))
    t = SurveyDailyTotal
    answers, total = element_columns(answer.element)
    values: dict[Any, Any] = {c: 0 for e in IKM_ELEMENTS for c in element_columns(e)}
    values.update({t.unit_id: unit, t.day: day, t.channel: answer.channel, answers: 1,
                   total: answer.score,
                   t.respondents: case((exists().where(earlier, same_cell), 0), else_=1)})
    upsert = _insert(dialect, t).values(values)
    upsert = upsert.on_conflict_do_update(
        index_elements=[t.unit_id, t.day, t.channel],
        set_={answers.key: answers + 1, total.key: total + upsert.excluded[total.key],
              t.respondents.key: t.respondents + upsert.excluded.respondents})
    split = _insert(dialect, SurveyDailySplit).from_select(
        ["survey_id"], select(literal(answer.survey_id)).where(exists().where(earlier,
                                                                              other_cell)))
    split = split.on_conflict_do_nothing()
    if dialect == "postgresql":
        # One round trip: the split's INSERT rides along as a data-modifying CTE.
        return [upsert.add_cte(split.cte("split"))]
    return [upsert, split]


def _count_answer(mapper: Mapper[Any], connection: Connection, target: SurveyResponse) -> None:
    """After an answer's INSERT, in its transaction: add it to the daily totals."""
    for stmt in answer_statements(connection.dialect.name, target):
        connection.execute(stmt)


event.listen(SurveyResponse, "after_insert", _count_answer)


def rebuild_statements(dialect: str) -> list[Executable]:
    """Statements that recompute both summary tables from every stored answer."""
    r = SurveyResponse
    unit = func.coalesce(r.unit_id, "")
    day = day_expression(dialect, r.created_at)
    t = SurveyDailyTotal
    columns: list[Any] = [t.unit_id, t.day, t.channel, t.respondents]
    sums: list[Any] = [unit, day, r.channel, func.count(r.survey_id.distinct())]
    for element in IKM_ELEMENTS:
        answers, total = element_columns(element)
        columns += [answers, total]
        sums += [func.sum(case((r.element == element, 1), else_=0)),
                 func.sum(case((r.element == element, r.score), else_=0))]
    totals = select(*sums).where(_counted_sql(r)).group_by(unit, day, r.channel)
    cells = select(r.survey_id, unit.label("unit_id"), r.channel, day.label("day")
                   ).where(_counted_sql(r)).distinct().subquery()
    splits = select(cells.c.survey_id).group_by(cells.c.survey_id).having(func.count() > 1)
    return [
        delete(SurveyDailySplit),
        delete(t),
        insert(t).from_select(columns, totals),
        insert(SurveyDailySplit).from_select([SurveyDailySplit.survey_id], splits),
    ]
