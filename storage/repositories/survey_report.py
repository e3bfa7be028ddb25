"""The IKM report's tallies, aggregated in SQL (issue 14: a year of every unit at 1M tickets).

Instead of loading every answer, the database returns, per reporting dimension
(overall, unit, period, channel) and group, each element's answer count and
score total, and the group's respondents (distinct surveys). That is all the
IKM arithmetic needs (NRR = total / answers), so the report built from the
tallies is exactly the one built from the answers.

The tallies are read from the daily totals (:mod:`storage.repositories.survey_totals`:
sums and counts per local day, unit, channel and element, kept with each answer) when
the report asks for the nine elements over whole WIB days, as the IKM report always
does; otherwise from the answers themselves (:meth:`SurveyReportRepository.answer_tallies`).

The period key (ISO week, month, quarter, semester, year) is computed in SQL
from the local day, or the local time ``created_at + offset`` (a fixed offset:
Indonesia has no DST), in PostgreSQL's and SQLite's own date functions, spelled
exactly as :func:`bot.surveys.ikm.period_key` spells it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    String,
    and_,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import IKM_ELEMENTS, SurveyDailySplit, SurveyDailyTotal, SurveyResponse
from storage.repositories.survey_totals import (
    SUMMARY_OFFSET,
    day_expression,
    element_columns,
    rebuild_statements,
)

#: The report's dimensions, in the order a result lists them.
DIMENSIONS = ("overall", "unit", "period", "channel")
PERIODS = ("week", "month", "quarter", "semester", "year")


@dataclass(frozen=True)
class IkmTallies:
    """What an IKM report needs from the answers.

    ``elements[(dimension, group)][element] = (answers, total)`` and
    ``respondents[(dimension, group)] = distinct surveys``; ``group`` is None
    for the overall dimension and for answers with no unit.
    """

    elements: dict[tuple[str, str | None], dict[str, tuple[int, int]]]
    respondents: dict[tuple[str, str | None], int]


def _pg_period(local: Any, period: str) -> ColumnElement[str]:
    if period == "week":
        return func.to_char(local, 'IYYY-"W"IW')
    if period == "month":
        return func.to_char(local, "YYYY-MM")
    if period == "quarter":
        return func.to_char(local, 'YYYY-"Q"Q')
    if period == "year":
        return func.to_char(local, "YYYY")
    half = cast(func.floor((func.extract("month", local) - 1) / 6) + 1, Integer)
    return func.to_char(local, "YYYY") + "-S" + cast(half, String)


def _sqlite_period(local: Any, period: str) -> ColumnElement[str]:
    month = cast(func.strftime("%m", local), Integer)
    if period == "week":
        # ISO week: the week's Thursday gives the ISO year, its day of year the week number.
        weekday = (cast(func.strftime("%w", local), Integer) + 6) % 7  # Monday 0
        thursday = func.date(local, "-" + cast(weekday, String) + " days", "+3 days")
        week = (cast(func.strftime("%j", thursday), Integer) - 1) // 7 + 1
        return func.printf("%s-W%02d", func.strftime("%Y", thursday), week)
    if period == "month":
        return func.strftime("%Y-%m", local)
    if period == "quarter":
        return func.strftime("%Y", local) + "-Q" + cast((month + 2) // 3, String)
    if period == "year":
        return func.strftime("%Y", local)
    return func.strftime("%Y", local) + "-S" + cast((month + 5) // 6, String)


def period_expression(dialect: str, offset: timedelta, period: str) -> ColumnElement[str]:
    """SQL for the reporting period of an answer's local time (``period_key``'s spelling)."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    ts = SurveyResponse.created_at
    if dialect == "postgresql":
        return _pg_period(func.timezone("UTC", ts) + literal(offset), period)
    return _sqlite_period(func.datetime(ts, f"{int(offset.total_seconds()):+d} seconds"),
                          period)


#: PostgreSQL's ``date_trunc`` unit whose buckets fall inside one period each.
_PG_BUCKETS = {"week": "week", "month": "month", "quarter": "quarter", "semester": "quarter",
               "year": "year"}


def day_period_grouping(dialect: str, day: Any,
                        period: str) -> tuple[ColumnElement[Any], ColumnElement[str]]:
    """What to GROUP BY for the period of a local day (a ``DATE`` column), and the
    period's key computed from it.

    On PostgreSQL the days are grouped by the period's first day (``date_trunc`` on a
    timestamp without zone: cheap, no text per row), on SQLite by the date text's
    month or year prefix (weeks by day), and only the groups are spelled; a semester
    is grouped by quarters or months, which the caller adds up under one key.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    if dialect == "postgresql":
        # The unit is spelled into the SQL (not bound) so that the SELECT's expression
        # is recognisably the GROUP BY's.
        bucket = func.date_trunc(literal_column(f"'{_PG_BUCKETS[period]}'"),
                                 cast(day, DateTime))
        return bucket, _pg_period(bucket, period)
    if period == "week":
        key = _sqlite_period(day, period)
        return key, key
    # SQLite keeps a date as 'YYYY-MM-DD' text: its month (or year) is a prefix.
    if period == "year":
        year = func.substr(day, 1, 4, type_=String)
        return year, year
    month = func.substr(day, 1, 7, type_=String)
    return month, _sqlite_period(month + "-01", period)


def _whole_day(at: datetime | None, offset: timedelta) -> date | None:
    """The local day starting at ``at`` (None: unbounded); ValueError unless ``at`` is a
    local midnight."""
    if at is None:
        return None
    local = at.astimezone(UTC) + offset
    if local.time() != time.min:
        raise ValueError("not a local midnight")
    return local.date()


class SurveyReportRepository:
    """Aggregates survey answers for IKM reports in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _where(*, elements: Sequence[str], unit_ids: Sequence[str] | None,
               since: datetime | None, until: datetime | None,
               channel: str | None) -> ColumnElement[bool]:
        r = SurveyResponse
        conditions = [r.element.in_(elements), r.score >= 1, r.score <= 4]
        if unit_ids is not None:
            conditions.append(r.unit_id.in_(unit_ids))
        if since is not None:
            conditions.append(r.created_at >= since)
        if until is not None:
            conditions.append(r.created_at < until)
        if channel:
            conditions.append(r.channel == channel)
        return and_(*conditions)

    async def ikm_tallies(self, *, elements: Sequence[str], period: str, offset: timedelta,
                          unit_ids: Sequence[str] | None = None, since: datetime | None = None,
                          until: datetime | None = None,
                          channel: str | None = None) -> IkmTallies:
        """Answers and score totals per element, and respondents, per dimension and group.

        Only answers to ``elements`` with a score 1-4 count (what the report's
        Python reader keeps); the filters are those of
        :meth:`SurveyRepository.responses_for_report`. Read from the daily totals
        when the question is theirs (the nine elements, whole WIB days), else from
        the answers; both give the same tallies.
        """
        if period not in PERIODS:
            raise ValueError(f"unknown period {period!r}")
        if set(elements) == set(IKM_ELEMENTS) and offset == SUMMARY_OFFSET:
            try:
                first, end = _whole_day(since, offset), _whole_day(until, offset)
            except ValueError:
                pass
            else:
                return await self._summary_tallies(period=period, unit_ids=unit_ids,
                                                   first=first, end=end, channel=channel)
        return await self.answer_tallies(elements=elements, period=period, offset=offset,
                                         unit_ids=unit_ids, since=since, until=until,
                                         channel=channel)

    async def _summary_tallies(self, *, period: str, unit_ids: Sequence[str] | None,
                               first: date | None, end: date | None,
                               channel: str | None) -> IkmTallies:
        """The tallies from ``survey_daily_totals`` for local days ``[first, end)``.

        A day's respondents are its distinct surveys, so a survey answered on two
        days (or from two channels) of one group would count twice there: for the
        few such surveys (``survey_daily_splits``) the second query reads their
        answers and takes the excess off.
        """
        t = SurveyDailyTotal
        dialect = self.session.get_bind().dialect.name
        bucket, pkey = day_period_grouping(dialect, t.day, period)
        conditions: list[ColumnElement[bool]] = []
        if unit_ids is not None:
            conditions.append(t.unit_id.in_(unit_ids))
        if first is not None:
            conditions.append(t.day >= first)
        if end is not None:
            conditions.append(t.day < end)
        if channel:
            conditions.append(t.channel == channel)
        sums = [func.sum(t.respondents)]
        for element in IKM_ELEMENTS:
            answers, total = element_columns(element)
            sums += [func.sum(answers), func.sum(total)]
        query = select(t.unit_id, t.channel, pkey, *sums).where(*conditions).group_by(
            t.unit_id, t.channel, bucket)
        tallies: dict[tuple[str, str | None], dict[str, tuple[int, int]]] = {}
        respondents: dict[tuple[str, str | None], int] = {}
        for unit_key, chan, period_key, surveys, *totals in (
                await self.session.execute(query)).all():
            unit = unit_key or None
            for key in (("overall", None), ("unit", unit), ("period", period_key),
                        ("channel", chan)):
                respondents[key] = respondents.get(key, 0) + int(surveys)
                group = tallies.setdefault(key, {})
                for n, element in enumerate(IKM_ELEMENTS):
                    answered = int(totals[2 * n])
                    if answered:
                        had_n, had_total = group.get(element, (0, 0))
                        group[element] = (had_n + answered, had_total + int(totals[2 * n + 1]))
        for key, excess in (await self._split_excess(
                dialect=dialect, period=period, unit_ids=unit_ids, first=first, end=end,
                channel=channel)).items():
            respondents[key] -= excess
        return IkmTallies(tallies, {k: n for k, n in respondents.items() if n})

    async def _split_excess(self, *, dialect: str, period: str,
                            unit_ids: Sequence[str] | None, first: date | None,
                            end: date | None, channel: str | None
                            ) -> dict[tuple[str, str | None], int]:
        """Per dimension and group, how many times the daily totals count a split survey
        beyond once (its days, units and channels in the group, less one)."""
        r = SurveyResponse
        day = day_expression(dialect, r.created_at)
        where = self._where(elements=IKM_ELEMENTS, unit_ids=unit_ids, since=None, until=None,
                            channel=channel)
        conditions = [where, r.survey_id.in_(select(SurveyDailySplit.survey_id))]
        if first is not None:
            conditions.append(day >= first)
        if end is not None:
            conditions.append(day < end)
        pkey = period_expression(dialect, SUMMARY_OFFSET, period)
        query = select(r.survey_id, r.unit_id, r.channel, day, pkey).where(*conditions
                                                                           ).distinct()
        groups: dict[tuple[int, str, str | None], set[tuple[Any, ...]]] = {}
        for survey_id, unit, chan, answer_day, period_key in (
                await self.session.execute(query)).all():
            cell = (unit, chan, answer_day)
            for dim, group in (("overall", None), ("unit", unit), ("period", period_key),
                               ("channel", chan)):
                groups.setdefault((survey_id, dim, group), set()).add(cell)
        excess: dict[tuple[str, str | None], int] = {}
        for (_, dim, group), cells in groups.items():
            if len(cells) > 1:
                excess[(dim, group)] = excess.get((dim, group), 0) + len(cells) - 1
        return excess

    async def rebuild_daily_totals(self) -> int:
        """Recompute the daily totals from every stored answer (after answers were
        written around the ORM, e.g. generated with SQL); how many daily rows."""
        for stmt in rebuild_statements(self.session.get_bind().dialect.name):
            await self.session.execute(stmt)
        count = select(func.count()).select_from(SurveyDailyTotal)
        return int((await self.session.execute(count)).scalar_one())

    async def answer_tallies(self, *, elements: Sequence[str], period: str, offset: timedelta,
                             unit_ids: Sequence[str] | None = None,
                             since: datetime | None = None, until: datetime | None = None,
                             channel: str | None = None) -> IkmTallies:
        """:meth:`ikm_tallies` computed from the answers themselves (any elements,
        offset and bounds)."""
        r = SurveyResponse
        dialect = self.session.get_bind().dialect.name
        pkey = period_expression(dialect, offset, period).label("pkey")
        where = self._where(elements=elements, unit_ids=unit_ids, since=since, until=until,
                            channel=channel)
        # One pass over the answers (materialised once), then: element counts and totals
        # at the finest grouping (they add up to every dimension's), and the respondents
        # per dimension, which do not add up (a survey can fall into two periods): the
        # distinct (survey, unit, channel, period) rows, counted per group.
        answers = select(r.survey_id, r.unit_id, r.channel, pkey, r.element,
                         r.score).where(where).cte("answers")
        a = answers.c
        surveys = select(a.survey_id, a.unit_id, a.channel, a.pkey).distinct().cte("surveys")
        sv = surveys.c
        none = cast(literal(None), String)

        def respondents_by(dim: str, col: Any) -> Any:
            pairs = select(sv.survey_id, col.label("g")).distinct().subquery()
            return select(literal(dim), pairs.c.g, none, none, none, func.count(),
                          cast(literal(None), Integer)).group_by(pairs.c.g)

        query = union_all(
            select(literal("tally"), a.unit_id, a.channel, a.pkey, a.element, func.count(),
                   func.sum(a.score)).group_by(a.unit_id, a.channel, a.pkey, a.element),
            respondents_by("overall", none),
            respondents_by("unit", sv.unit_id),
            respondents_by("period", sv.pkey),
            respondents_by("channel", sv.channel),
        )
        if dialect == "postgresql":
            # Hash the groups in memory rather than sorting on disk (one report's query).
            await self.session.execute(text("SET LOCAL work_mem = '32MB'"))
        tallies: dict[tuple[str, str | None], dict[str, tuple[int, int]]] = {}
        respondents: dict[tuple[str, str | None], int] = {}

        def add(key: tuple[str, str | None], element: str, n: int, total: int) -> None:
            group = tallies.setdefault(key, {})
            had_n, had_total = group.get(element, (0, 0))
            group[element] = (had_n + n, had_total + total)

        for kind, first, chan, period_key, element, n, total in (
                await self.session.execute(query)).all():
            if kind != "tally":
                if n:
                    respondents[(kind, first)] = int(n)
                continue
            for key in (("overall", None), ("unit", first), ("period", period_key),
                        ("channel", chan)):
                add(key, element, int(n), int(total))
        return IkmTallies(tallies, respondents)
