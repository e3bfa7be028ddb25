"""The IKM report's tallies, aggregated in SQL (issue 14: a year of every unit at 1M tickets).

Instead of loading every answer, the database returns, per reporting dimension
(overall, unit, period, channel) and group, each element's answer count and
score total, and the group's respondents (distinct surveys). That is all the
IKM arithmetic needs (NRR = total / answers), so the report built from the
tallies is exactly the one built from the answers.

The period key (ISO week, month, quarter, semester, year) is computed in SQL
from the local time ``created_at + offset`` (a fixed offset: Indonesia has no
DST), in PostgreSQL's and SQLite's own date functions, spelled exactly as
:func:`bot.surveys.ikm.period_key` spells it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SurveyResponse

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


def _pg_period(ts: Any, offset: timedelta, period: str) -> ColumnElement[str]:
    local = func.timezone("UTC", ts) + literal(offset)
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


def _sqlite_period(ts: Any, offset: timedelta, period: str) -> ColumnElement[str]:
    shift = f"{int(offset.total_seconds()):+d} seconds"
    local = func.datetime(ts, shift)
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
        return _pg_period(ts, offset, period)
    return _sqlite_period(ts, offset, period)


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
        :meth:`SurveyRepository.responses_for_report`.
        """
        r = SurveyResponse
        dialect = self.session.get_bind().dialect.name
        pkey = period_expression(dialect, offset, period).label("pkey")
        where = self._where(elements=elements, unit_ids=unit_ids, since=since, until=until,
                            channel=channel)
        # The finest grouping (unit, channel, period, element): counts and sums add up.
        fine = select(r.unit_id, r.channel, pkey, r.element, func.count().label("n"),
                      func.sum(r.score).label("total")).where(where).group_by(
                          r.unit_id, r.channel, pkey, r.element)
        tallies: dict[tuple[str, str | None], dict[str, tuple[int, int]]] = {}

        def add(key: tuple[str, str | None], element: str, n: int, total: int) -> None:
            group = tallies.setdefault(key, {})
            had_n, had_total = group.get(element, (0, 0))
            group[element] = (had_n + n, had_total + total)

        for unit_id, chan, period_key, element, n, total in (
                await self.session.execute(fine)).all():
            n, total = int(n), int(total)
            add(("overall", None), element, n, total)
            add(("unit", unit_id), element, n, total)
            add(("period", period_key), element, n, total)
            add(("channel", chan), element, n, total)
        # Respondents do not add up (one survey in two groups): distinct surveys per dimension.
        surveys = select(r.survey_id, r.unit_id, r.channel, pkey).where(where).distinct().cte(
            "answered")
        c = surveys.c
        counts = union_all(
            select(literal("overall"), cast(literal(None), String),
                   func.count(func.distinct(c.survey_id))),
            select(literal("unit"), c.unit_id, func.count(func.distinct(c.survey_id)))
            .group_by(c.unit_id),
            select(literal("period"), c.pkey, func.count(func.distinct(c.survey_id)))
            .group_by(c.pkey),
            select(literal("channel"), c.channel, func.count(func.distinct(c.survey_id)))
            .group_by(c.channel),
        )
        respondents = {(dim, group): int(n)
                       for dim, group, n in (await self.session.execute(counts)).all()
                       if n}
        return IkmTallies(tallies, respondents)
