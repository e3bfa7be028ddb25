"""The IKM daily totals (``survey_daily_totals``/``survey_daily_splits``): kept with each
answer, filled by migration 0018_ikm_daily, and giving exactly the tallies the answers
give, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.surveys.skm import ELEMENTS
from routing.catalog import load_catalog
from storage.db import create_engine, session_factory, upgrade_async
from storage.models import (
    IKM_ELEMENTS,
    Citizen,
    Survey,
    SurveyDailySplit,
    SurveyDailyTotal,
    SurveyResponse,
)
from storage.repositories.survey_report import IkmTallies, SurveyReportRepository
from storage.repositories.survey_totals import (
    SUMMARY_OFFSET,
    local_day,
    rebuild_statements,
)
from storage.repositories.surveys import SurveyRepository
from storage.repositories.tickets import ServiceUnitRepository

UNITS = [u for u in ("dinas-pupr-batu", "disdukcapil-batu", "dinas-lingkungan-hidup-batu")
         if load_catalog(None).has_unit(u)] + [None]
CHANNELS = ["rest", "telegram", "whatsapp"]
PERIODS = ("week", "month", "quarter", "semester", "year")
BASE = datetime(2025, 12, 28, 12, tzinfo=UTC)


@dataclass
class Db:
    url: str
    sessions: async_sessionmaker[AsyncSession]


async def _sync_units(sessions: async_sessionmaker[AsyncSession]) -> None:
    catalog = load_catalog(None)
    async with sessions() as s, s.begin():
        await ServiceUnitRepository(s).sync(
            {"id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind,
             "parent_id": u.parent_id, "is_triage": u.is_triage} for u in catalog.units)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Db]:
    await upgrade_async(db_url)
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    await _sync_units(sessions)
    yield Db(db_url, sessions)
    await engine.dispose()


def wib_midnight(day: date) -> datetime:
    """The UTC instant a local (WIB) day starts."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - SUMMARY_OFFSET


def random_answers(rnd: random.Random, surveys: int) -> list[dict[str, Any]]:
    """Surveys' answers as the dialogue stores them, with the awkward cases: answers on
    both sides of midnight WIB (17:00 UTC) and of period edges, answered days after the
    survey, a channel switched mid-survey, no unit; plus hand-edited rows the IKM does
    not count (unknown element, score out of 1-4)."""
    keys = [e.key for e in ELEMENTS]
    out: list[dict[str, Any]] = []
    for n in range(surveys):
        unit, channel = rnd.choice(UNITS), rnd.choice(CHANNELS)
        start = BASE + timedelta(days=rnd.choice([0, 1, 3, 4, 5, 40, 90, 185, 370]),
                                 hours=rnd.choice([4, 9, 10, 16, 23]),
                                 minutes=rnd.randint(0, 59))
        form = rnd.sample(keys, rnd.choice([1, 3, 5, 9]))
        at = start
        answers = []
        for key in form:
            at += timedelta(minutes=rnd.choice([0, 1, 7, 30, 90, 60 * 26]))
            if rnd.random() < 0.05:
                channel = rnd.choice(CHANNELS)
            answers.append({"element": key, "score": rnd.randint(1, 4), "created_at": at,
                            "unit_id": unit, "channel": channel})
        if rnd.random() < 0.1:
            unused = [k for k in keys if k not in form] + ["u10"]
            answers.append({"element": rnd.choice(unused), "score": rnd.choice([0, 4, 5]),
                            "created_at": at, "unit_id": unit, "channel": channel})
        out.append({"survey": n, "unit_id": unit, "channel": answers[0]["channel"],
                    "created_at": start, "answers": answers})
    return out


async def store(db: Db, data: list[dict[str, Any]], rnd: random.Random, *,
                core: bool = False) -> None:
    """Store the surveys: each answer in its own transaction through the repository, or
    a survey's answers flushed together; ``core`` writes around the ORM (no totals)."""
    async with db.sessions() as s, s.begin():
        citizen = Citizen(display_name="warga")
        s.add(citizen)
        await s.flush()
        citizen_id = citizen.id
    for item in data:
        together = core or rnd.random() < 0.5
        async with db.sessions() as s, s.begin():
            survey = Survey(citizen_id=citizen_id, unit_id=item["unit_id"],
                            channel=item["channel"], trigger="ticket_resolved",
                            elements=[a["element"] for a in item["answers"]], status="answered",
                            created_at=item["created_at"],
                            expires_at=item["created_at"] + timedelta(days=3))
            s.add(survey)
            await s.flush()
            rows = [{"survey_id": survey.id, "citizen_id": citizen_id, **a}
                    for a in item["answers"]]
            if core:
                await s.execute(insert(SurveyResponse), rows)
            elif together:
                s.add_all(SurveyResponse(**row) for row in rows)
        if together:
            continue
        for row in rows:
            async with db.sessions() as s, s.begin():
                await SurveyRepository(s).add_response(SurveyResponse(**row))


TableRows = tuple[list[tuple[Any, ...]], list[int]]


async def _read_tables(s: AsyncSession) -> TableRows:
    """Both tables: a daily row as (unit, day, channel, respondents, {element: (answers,
    total)} of the elements answered there), and the split surveys."""
    t = SurveyDailyTotal
    totals = []
    for row in (await s.execute(select(t).order_by(t.unit_id, t.day, t.channel))).scalars():
        answered = {}
        for element in IKM_ELEMENTS:
            answers, total = (getattr(row, f"{element}_answers"),
                              getattr(row, f"{element}_total"))
            if answers or total:
                answered[element] = (answers, total)
        totals.append((row.unit_id, row.day, row.channel, row.respondents, answered))
    splits = list((await s.execute(
        select(SurveyDailySplit.survey_id).order_by(SurveyDailySplit.survey_id))).scalars())
    return totals, splits


async def table_rows(db: Db) -> TableRows:
    async with db.sessions() as s:
        return await _read_tables(s)


async def rebuilt_rows(db: Db) -> TableRows:
    """The tables as recomputed from the answers (the rebuild is rolled back)."""
    async with db.sessions() as s, s.begin():
        await SurveyReportRepository(s).rebuild_daily_totals()
        s.expunge_all()
        rows = await _read_tables(s)
        await s.rollback()
    return rows


FILTERS: list[dict[str, Any]] = [
    {},
    {"unit_ids": ("dinas-pupr-batu",)},
    {"unit_ids": ("dinas-pupr-batu", "disdukcapil-batu")},
    {"since": wib_midnight(date(2026, 1, 1)), "until": wib_midnight(date(2026, 7, 1))},
    {"since": wib_midnight(date(2025, 12, 29)), "channel": "telegram"},
    {"until": wib_midnight(date(2025, 12, 31)), "unit_ids": ("disdukcapil-batu",)},
    {"since": wib_midnight(date(2026, 1, 2)), "until": wib_midnight(date(2026, 1, 3))},
    {"unit_ids": ()},
]


async def assert_same_as_answers(db: Db) -> IkmTallies:
    """For every filter and period, the daily totals' tallies equal the answers'."""
    offset = SUMMARY_OFFSET
    last = IkmTallies({}, {})
    for flt in FILTERS:
        for period in PERIODS:
            async with db.sessions() as s:
                repo = SurveyReportRepository(s)
                got = await repo.ikm_tallies(elements=IKM_ELEMENTS, period=period,
                                             offset=offset, **flt)
                expected = await repo.answer_tallies(elements=IKM_ELEMENTS, period=period,
                                                     offset=offset, **flt)
            assert got == expected, (flt, period)
            if not flt:
                last = got
    return last


def test_the_summary_counts_the_regulations_nine_elements() -> None:
    assert tuple(e.key for e in ELEMENTS) == IKM_ELEMENTS


@pytest.mark.parametrize("seed", [14, 2026])
async def test_daily_totals_give_exactly_the_answers_tallies(db: Db, seed: int) -> None:
    """Random answers stored one by one and flushed together: the tables kept with the
    answers equal the ones recomputed from them, and every report read from them equals
    the one computed from the answers, split surveys included."""
    rnd = random.Random(seed)
    data = random_answers(rnd, 70)
    await store(db, data, rnd)
    kept = await table_rows(db)
    assert kept == await rebuilt_rows(db)
    totals, splits = kept
    assert totals and splits  # the data has both kinds of survey
    overall = await assert_same_as_answers(db)
    counted = [a for item in data for a in item["answers"]
               if a["element"] in IKM_ELEMENTS and 1 <= a["score"] <= 4]
    assert sum(n for n, _ in overall.elements[("overall", None)].values()) == len(counted)
    assert overall.respondents[("overall", None)] == len(
        [item for item in data if any(a in counted for a in item["answers"])])


async def test_an_answer_is_summed_into_its_local_day_unit_channel_and_element(db: Db) -> None:
    """Two surveys of one unit: the first answered across midnight WIB, the second the
    next morning from another channel; each answer adds to its own row."""
    late = datetime(2026, 3, 1, 16, 50, tzinfo=UTC)  # 23:50 WIB on 1 March
    data = [
        {"unit_id": "dinas-pupr-batu", "channel": "rest", "created_at": late, "answers": [
            {"element": "completion_time", "score": 4, "created_at": late,
             "unit_id": "dinas-pupr-batu", "channel": "rest"},
            {"element": "conduct", "score": 3, "created_at": late + timedelta(minutes=20),
             "unit_id": "dinas-pupr-batu", "channel": "rest"}]},
        {"unit_id": "dinas-pupr-batu", "channel": "telegram",
         "created_at": late + timedelta(hours=10), "answers": [
            {"element": "conduct", "score": 1, "created_at": late + timedelta(hours=10),
             "unit_id": "dinas-pupr-batu", "channel": "telegram"}]},
    ]
    await store(db, data, random.Random(1))
    totals, splits = await table_rows(db)
    assert totals == [
        ("dinas-pupr-batu", date(2026, 3, 1), "rest", 1, {"completion_time": (1, 4)}),
        ("dinas-pupr-batu", date(2026, 3, 2), "rest", 1, {"conduct": (1, 3)}),
        ("dinas-pupr-batu", date(2026, 3, 2), "telegram", 1, {"conduct": (1, 1)}),
    ]
    async with db.sessions() as s:
        first = (await s.execute(select(Survey.id).order_by(Survey.id))).scalars().first()
    assert splits == [first]
    assert local_day(late) == date(2026, 3, 1)
    # Both days in one month: two respondents, not three.
    async with db.sessions() as s:
        tallies = await SurveyReportRepository(s).ikm_tallies(
            elements=IKM_ELEMENTS, period="month", offset=SUMMARY_OFFSET)
    assert tallies == IkmTallies(
        elements={
            ("overall", None): {"completion_time": (1, 4), "conduct": (2, 4)},
            ("unit", "dinas-pupr-batu"): {"completion_time": (1, 4), "conduct": (2, 4)},
            ("period", "2026-03"): {"completion_time": (1, 4), "conduct": (2, 4)},
            ("channel", "rest"): {"completion_time": (1, 4), "conduct": (1, 3)},
            ("channel", "telegram"): {"conduct": (1, 1)},
        },
        respondents={("overall", None): 2, ("unit", "dinas-pupr-batu"): 2,
                     ("period", "2026-03"): 2, ("channel", "rest"): 1,
                     ("channel", "telegram"): 1})


async def test_the_report_reads_the_totals_for_whole_days_only(db: Db) -> None:
    """Whole WIB days with the nine elements come from the totals (a changed total shows);
    an hour boundary or other elements are answered from the answers."""
    rnd = random.Random(3)
    await store(db, random_answers(rnd, 20), rnd)
    async with db.sessions() as s, s.begin():
        await s.execute(update(SurveyDailyTotal).values(
            conduct_total=SurveyDailyTotal.conduct_total + 1000,
            conduct_answers=SurveyDailyTotal.conduct_answers + 1))
    since = wib_midnight(date(2025, 12, 1))
    for kwargs, from_totals in [
        ({"since": since}, True),
        ({"since": since + timedelta(hours=10)}, False),
        ({"until": since + timedelta(minutes=1)}, False),
    ]:
        async with db.sessions() as s:
            repo = SurveyReportRepository(s)
            got = await repo.ikm_tallies(elements=IKM_ELEMENTS, period="year",
                                         offset=SUMMARY_OFFSET, **kwargs)
            raw = await repo.answer_tallies(elements=IKM_ELEMENTS, period="year",
                                            offset=SUMMARY_OFFSET, **kwargs)
        assert (got != raw) is from_totals, kwargs
    async with db.sessions() as s:
        repo = SurveyReportRepository(s)
        three = IKM_ELEMENTS[:3]
        assert await repo.ikm_tallies(elements=three, period="year", offset=SUMMARY_OFFSET) \
            == await repo.answer_tallies(elements=three, period="year", offset=SUMMARY_OFFSET)
        utc = timedelta(0)
        assert await repo.ikm_tallies(elements=IKM_ELEMENTS, period="year", offset=utc) \
            == await repo.answer_tallies(elements=IKM_ELEMENTS, period="year", offset=utc)


async def test_migration_fills_the_totals_from_the_answers_already_stored(db_url: str) -> None:
    """Answers stored before 0018_ikm_daily: the upgrade sums them as the application
    would have, and the report from the tables equals the report from the answers."""
    await upgrade_async(db_url, "0014b")
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    await _sync_units(sessions)
    rnd = random.Random(18)
    before = Db(db_url, sessions)
    await store(before, random_answers(rnd, 60), rnd, core=True)
    await upgrade_async(db_url)
    after = Db(db_url, session_factory(engine))
    try:
        totals, splits = await table_rows(after)
        assert totals and splits
        assert (totals, splits) == await rebuilt_rows(after)
        await assert_same_as_answers(after)
        # Later answers add to the filled tables as usual.
        more = random_answers(random.Random(19), 15)
        await store(after, more, random.Random(19))
        assert await table_rows(after) == await rebuilt_rows(after)
        await assert_same_as_answers(after)
    finally:
        await engine.dispose()


def test_rebuild_statements_compile_for_both_databases() -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    for name, dialect in (("postgresql", postgresql.dialect()), ("sqlite", sqlite.dialect())):
        sql = [str(s.compile(dialect=dialect)) for s in rebuild_statements(name)]
        assert [s.split()[0] for s in sql] == ["DELETE", "DELETE", "INSERT", "INSERT"]


async def test_an_answer_adds_one_statement_on_postgresql_two_on_sqlite(db: Db) -> None:
    """What the daily totals cost the survey dialogue: the answer's INSERT is followed by
    the totals' upsert (carrying the split check as a CTE on PostgreSQL)."""
    from sqlalchemy import event

    at = datetime(2026, 5, 5, 3, tzinfo=UTC)
    await store(db, [{"unit_id": "dinas-pupr-batu", "channel": "rest", "created_at": at,
                      "answers": []}], random.Random(0))
    async with db.sessions() as s:
        survey = (await s.execute(select(Survey))).scalars().one()
        citizen_id, survey_id = survey.citizen_id, survey.id
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()[:4]))

    async with db.sessions() as s, s.begin():
        engine = s.get_bind()
        event.listen(engine, "before_cursor_execute", record)
        try:
            await SurveyRepository(s).add_response(SurveyResponse(
                survey_id=survey_id, citizen_id=citizen_id, unit_id="dinas-pupr-batu",
                channel="rest", element="conduct", score=4, created_at=at))
        finally:
            event.remove(engine, "before_cursor_execute", record)
    if engine.dialect.name == "postgresql":
        assert seen == ["INSERT INTO survey_responses (survey_id,", "WITH split AS (INSERT"]
    else:
        assert seen == ["INSERT INTO survey_responses (survey_id,",
                        "INSERT INTO survey_daily_totals (unit_id,",
                        "INSERT INTO survey_daily_splits (survey_id)"]
    assert (await table_rows(db))[0] == [
        ("dinas-pupr-batu", date(2026, 5, 5), "rest", 1, {"conduct": (1, 4)})]


async def test_cli_rebuilds_the_totals_after_answers_imported_with_sql(
        db: Db, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``pintu db rebuild-ikm-totals``: answers written around the ORM are in no total
    until the rebuild, then exactly as if the application had stored them."""
    from bot.cli.main import main

    rnd = random.Random(7)
    await store(db, random_answers(rnd, 25), rnd, core=True)
    assert await table_rows(db) == ([], [])
    monkeypatch.setenv("PINTU_DATABASE__URL", db.url)
    # main() runs its own event loop: call it from a thread, as a shell would.
    assert await asyncio.to_thread(main, ["db", "rebuild-ikm-totals"]) == 0
    kept = await table_rows(db)
    assert capsys.readouterr().out == (
        f"IKM daily totals rebuilt from the stored answers: {len(kept[0])} daily rows\n")
    assert kept[0] and kept == await rebuilt_rows(db)
    await assert_same_as_answers(db)
