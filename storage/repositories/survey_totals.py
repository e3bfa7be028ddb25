"""IKM answers summed per local day (issue 14: the IKM report of every unit over a year
at a million tickets reads days, not answers).

``survey_daily_totals`` holds, per local (WIB) day, unit, channel and element, the
number of answers, their score total and the respondents; ``survey_daily_splits``
lists the surveys whose answers fall on more than one such (day, unit, channel).

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

from storage.models import SurveyDailySplit, SurveyDailyTotal, SurveyResponse

#: The local time the days are cut in: WIB (Indonesia has no DST), the reports' zone.
SUMMARY_OFFSET = timedelta(hours=7)
#: The nine SKM elements of PermenPANRB 14/2017 (``bot.surveys.skm.ELEMENTS``'s keys;
#: a test checks they agree). Answers to anything else are not summed.
IKM_ELEMENTS = ("requirements", "procedure", "completion_time", "cost", "product",
                "competence", "conduct", "complaint_handling", "facilities")


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


def _counted_sql(r: Any) -> ColumnElement[bool]:
    return and_(r.element.in_(IKM_ELEMENTS), r.score >= 1, r.score <= 4)


def _insert(dialect: str, table: Any) -> Any:
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def answer_statements(dialect: str, answer: SurveyResponse) -> list[Executable]:
    """The statements that add a stored answer (id set) to the daily totals.

    The totals' upsert counts a respondent when no earlier answer (lower id) of the
    survey is in the same (day, unit, channel); the second statement lists the survey
    as split when an earlier answer is in another one. Both look only at earlier
    answers, so answers flushed together give what one-by-one inserts give.
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
    upsert = _insert(dialect, t).values(
        unit_id=unit, day=day, channel=answer.channel, element=answer.element,
        answer_count=1, answer_sum=answer.score,
        respondents=case((exists().where(earlier, same_cell), 0), else_=1))
    upsert = upsert.on_conflict_do_update(
        index_elements=[t.unit_id, t.day, t.channel, t.element],
        set_={"answer_count": t.answer_count + upsert.excluded.answer_count,
              "answer_sum": t.answer_sum + upsert.excluded.answer_sum,
              "respondents": t.respondents + upsert.excluded.respondents})
    split = _insert(dialect, SurveyDailySplit).from_select(
        ["survey_id"], select(literal(answer.survey_id)).where(exists().where(earlier,
                                                                              other_cell)))
    return [upsert, split.on_conflict_do_nothing()]


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
    first = func.row_number().over(partition_by=(r.survey_id, unit, r.channel, day),
                                   order_by=r.id)
    a = select(unit.label("unit_id"), day.label("day"), r.channel, r.element, r.score,
               first.label("nth")).where(_counted_sql(r)).subquery()
    totals = select(a.c.unit_id, a.c.day, a.c.channel, a.c.element, func.count(),
                    func.sum(a.c.score), func.sum(case((a.c.nth == 1, 1), else_=0))
                    ).group_by(a.c.unit_id, a.c.day, a.c.channel, a.c.element)
    cells = select(r.survey_id, unit.label("unit_id"), r.channel, day.label("day")
                   ).where(_counted_sql(r)).distinct().subquery()
    splits = select(cells.c.survey_id).group_by(cells.c.survey_id).having(func.count() > 1)
    t = SurveyDailyTotal
    return [
        delete(SurveyDailySplit),
        delete(t),
        insert(t).from_select([t.unit_id, t.day, t.channel, t.element, t.answer_count,
                               t.answer_sum, t.respondents], totals),
        insert(SurveyDailySplit).from_select([SurveyDailySplit.survey_id], splits),
    ]
