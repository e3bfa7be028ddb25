"""IKM reports from stored survey answers: the query layer and ``pintu report ikm``.

The worked example (three surveys on the short form) is computed by hand:

=====  ================  =========  ==================  ==========  =======  =========
survey unit              channel    answered (WIB)      U3 time     U7       U8
=====  ================  =========  ==================  ==========  =======  =========
1      dinas-pupr-batu   rest       2026-01-15 10:00    4           3        3
2      dinas-pupr-batu   telegram   2026-02-10 10:00    2           3        4
3      disdukcapil-batu  rest       2026-02-20 10:00    3           4        2
=====  ================  =========  ==================  ==========  =======  =========

Overall NRR: U3 9/3 = 3, U7 10/3, U8 9/3 = 3; IKM = (3 + 10/3 + 3)/3 = 28/9 =
3.1111; converted 700/9 = 77.78, grade B. PUPR: (3 + 3 + 3.5)/3 = 3.1667 ->
79.17 B. Disdukcapil: (3 + 4 + 2)/3 = 3 -> 75.00 C. January: 10/3 -> 83.33 B;
February: (2.5 + 3.5 + 3)/3 = 3 -> 75.00 C. rest: (3.5 + 3.5 + 2.5)/3 ->
79.17 B; telegram: 3 -> 75.00 C.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.main import main
from bot.surveys.reports import (
    ReportFilter,
    build_report,
    ikm_report,
    load_answers,
    report_csv,
    report_to_dict,
)
from routing.catalog import Catalog, load_catalog
from storage.db import create_engine, session_factory, upgrade_async
from storage.models import Citizen, Survey, SurveyResponse
from storage.repositories import sql_repositories
from storage.repositories.tickets import ServiceUnitRepository
from tests.conftest import AppClient

WIB = timedelta(hours=7)


@dataclass
class ReportDb:
    url: str
    sessions: async_sessionmaker[AsyncSession]
    catalog: Catalog


@pytest.fixture
async def report_db(db_url: str) -> AsyncIterator[ReportDb]:
    """A migrated database with the demo catalog's units and no NLU."""
    await upgrade_async(db_url)
    engine = create_engine(db_url)
    catalog = load_catalog(None)
    sessions = session_factory(engine)
    async with sessions() as s, s.begin():
        await ServiceUnitRepository(s).sync(
            {"id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind,
             "parent_id": u.parent_id, "is_triage": u.is_triage} for u in catalog.units)
    yield ReportDb(db_url, sessions, catalog)
    await engine.dispose()


def wib(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A local (WIB) wall-clock time as the UTC instant it is stored as."""
    return datetime(year, month, day, hour, tzinfo=UTC) - WIB


async def add_survey(db: ReportDb, unit: str, channel: str, when: datetime,
                     scores: dict[str, int]) -> int:
    async with db.sessions() as s, s.begin():
        citizen = Citizen(display_name="warga")
        s.add(citizen)
        await s.flush()
        survey = Survey(citizen_id=citizen.id, unit_id=unit, channel=channel,
                        trigger="ticket_resolved", elements=list(scores), status="answered",
                        created_at=when, expires_at=when + timedelta(hours=24),
                        completed_at=when)
        s.add(survey)
        await s.flush()
        for key, score in scores.items():
            s.add(SurveyResponse(survey_id=survey.id, citizen_id=citizen.id, unit_id=unit,
                                 channel=channel, element=key, score=score, created_at=when))
        return survey.id


async def worked_example(db: ReportDb) -> None:
    await add_survey(db, "dinas-pupr-batu", "rest", wib(2026, 1, 15),
                     {"completion_time": 4, "conduct": 3, "complaint_handling": 3})
    await add_survey(db, "dinas-pupr-batu", "telegram", wib(2026, 2, 10),
                     {"completion_time": 2, "conduct": 3, "complaint_handling": 4})
    await add_survey(db, "disdukcapil-batu", "rest", wib(2026, 2, 20),
                     {"completion_time": 3, "conduct": 4, "complaint_handling": 2})


async def test_report_numbers_match_the_hand_computation(report_db: ReportDb) -> None:
    await worked_example(report_db)
    async with report_db.sessions() as s:
        report = await ikm_report(sql_repositories(s), report_db.catalog, ReportFilter())
    data = report_to_dict(report)

    assert data["elements"] == ["completion_time", "conduct", "complaint_handling"]
    overall = data["overall"]
    assert overall["respondents"] == 3
    assert overall["ikm"] == 3.1111
    assert overall["converted"] == 77.78
    assert overall["grade"] == "B"
    nrr = {e["code"]: e["nrr"] for e in overall["elements"]}
    assert nrr == {"U3": 3.0, "U7": 3.3333, "U8": 3.0}

    units = {u["unit_id"]: u for u in data["units"]}
    assert units["dinas-pupr-batu"]["converted"] == 79.17
    assert units["dinas-pupr-batu"]["grade"] == "B"
    assert units["dinas-pupr-batu"]["respondents"] == 2
    assert units["disdukcapil-batu"]["converted"] == 75.0
    assert units["disdukcapil-batu"]["grade"] == "C"
    assert units["dinas-pupr-batu"]["unit_name"] == report_db.catalog.unit("dinas-pupr-batu").name

    periods = {p["period"]: (p["converted"], p["grade"]) for p in data["periods"]}
    assert periods == {"2026-01": (83.33, "B"), "2026-02": (75.0, "C")}
    channels = {c["channel"]: (c["converted"], c["respondents"]) for c in data["channels"]}
    assert channels == {"rest": (79.17, 2), "telegram": (75.0, 1)}


async def test_filters_by_unit_subtree_channel_and_local_dates(report_db: ReportDb) -> None:
    await worked_example(report_db)
    # 2026-01-31 20:00 UTC is already 1 February 03:00 in WIB.
    late = datetime(2026, 1, 31, 20, tzinfo=UTC)
    await add_survey(report_db, "dinas-pupr-batu", "whatsapp", late,
                     {"completion_time": 1, "conduct": 1, "complaint_handling": 1})
    catalog = report_db.catalog

    async def respondents(flt: ReportFilter) -> int:
        async with report_db.sessions() as s:
            answers = await load_answers(sql_repositories(s), catalog, flt)
        return len({a.respondent_id for a in answers})

    assert await respondents(ReportFilter()) == 4
    # setda-batu is the parent of both units: its subtree has every answer ...
    assert await respondents(ReportFilter(unit_id="setda-batu")) == 4
    # ... but none is given to setda-batu itself.
    assert await respondents(ReportFilter(unit_id="setda-batu", include_descendants=False)) == 0
    assert await respondents(ReportFilter(unit_id="disdukcapil-batu")) == 1
    assert await respondents(ReportFilter(channel="rest")) == 2
    assert await respondents(ReportFilter(date_from=date(2026, 2, 1))) == 3
    assert await respondents(ReportFilter(date_to=date(2026, 1, 31))) == 1
    assert await respondents(ReportFilter(date_from=date(2026, 2, 20),
                                          date_to=date(2026, 2, 20))) == 1
    # A supervisor of Disdukcapil sees only Disdukcapil, whatever unit is asked for.
    assert await respondents(ReportFilter(visible_units=("disdukcapil-batu",))) == 1
    assert await respondents(ReportFilter(unit_id="dinas-pupr-batu",
                                          visible_units=("disdukcapil-batu",))) == 0
    async with report_db.sessions() as s:
        answers = await load_answers(sql_repositories(s), catalog, ReportFilter(channel="whatsapp"))
    report = build_report(answers, catalog)
    assert list(report.by_period) == ["2026-02"]


async def test_minimum_sample_from_population(report_db: ReportDb) -> None:
    await worked_example(report_db)
    async with report_db.sessions() as s:
        answers = await load_answers(sql_repositories(s), report_db.catalog, ReportFilter())
    # Krejcie-Morgan table: N=100 needs 80 respondents, N=2 needs 2.
    report = build_report(answers, report_db.catalog, overall_population=100,
                          populations={"dinas-pupr-batu": 2})
    assert report.overall.minimum_sample == 80
    assert report.overall.sample_sufficient is False
    pupr = report.by_unit["dinas-pupr-batu"]
    assert (pupr.minimum_sample, pupr.sample_sufficient) == (2, True)
    assert report.by_unit["disdukcapil-batu"].minimum_sample is None


async def test_empty_report_has_no_index(report_db: ReportDb) -> None:
    async with report_db.sessions() as s:
        report = await ikm_report(sql_repositories(s), report_db.catalog, ReportFilter())
    data = report_to_dict(report)
    assert data["overall"]["respondents"] == 0
    assert data["overall"]["ikm"] is None and data["overall"]["grade"] is None
    assert data["units"] == [] and data["periods"] == []


async def test_csv_is_laid_out_as_a_units_skm_report(report_db: ReportDb) -> None:
    await worked_example(report_db)
    flt = ReportFilter(unit_id="dinas-pupr-batu", date_from=date(2026, 1, 1),
                       date_to=date(2026, 6, 30))
    async with report_db.sessions() as s:
        report = await ikm_report(sql_repositories(s), report_db.catalog, flt)
    lines = report_csv(report, report_db.catalog).splitlines()
    name = report_db.catalog.unit("dinas-pupr-batu").name
    assert lines[0] == "Laporan Survei Kepuasan Masyarakat (SKM)"
    assert lines[2] == f"Unit pelayanan,{name}"
    assert lines[3] == "Periode,2026-01-01 s.d. 2026-06-30"
    # U3: answers 4 and 2 -> total 6, NRR 3.
    assert "1,U3,Waktu penyelesaian,2,6,3.0000,0.3333,1.0000," in lines
    assert "IKM konversi (skala 25-100),79.17" in lines
    assert "Mutu pelayanan,B" in lines


def _cli(monkeypatch: pytest.MonkeyPatch, url: str, *argv: str) -> tuple[int, str, str]:
    import contextlib
    import io

    monkeypatch.setenv("PINTU_DATABASE__URL", url)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


async def test_cli_json_and_table(report_db: ReportDb, monkeypatch: pytest.MonkeyPatch,
                                  tmp_path: Path) -> None:
    await worked_example(report_db)
    # main() runs its own event loop: call it from a thread, as a shell would.
    code, out, err = await asyncio.to_thread(_cli, monkeypatch, report_db.url,
                                             "report", "ikm", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["overall"]["converted"] == 77.78
    assert data["overall"]["respondents"] == 3

    csv_file = tmp_path / "skm.csv"
    code, out, err = await asyncio.to_thread(
        _cli, monkeypatch, report_db.url, "report", "ikm", "--unit", "disdukcapil-batu",
        "--from", "2026-02-01", "--to", "2026-02-28", "--population", "50",
        "--csv", str(csv_file))
    assert code == 0, err
    assert "75.00" in out and "C" in out
    # N=50 needs 44 respondents (Krejcie-Morgan); one is far short.
    assert "44 (kurang)" in out
    assert "Sampel minimum (Krejcie-Morgan),44" in csv_file.read_text(encoding="utf-8")

    code, out, err = await asyncio.to_thread(_cli, monkeypatch, report_db.url,
                                             "report", "ikm", "--unit", "no-such-unit")
    assert code == 2 and "no-such-unit" in err


# ---- GET /api/reports/ikm and the console page ------------------------------------

PASSWORD = "rahasia-staf-123"


async def staff(client: AppClient, username: str, role: str, unit: str | None) -> str:
    """Create a staff user and return an API bearer token for them."""
    from bot.staff.accounts import create_staff_user

    rt = client.runtime
    async with rt.sessions() as s, s.begin():
        await create_staff_user(rt.repositories(s), rt.catalog, username=username,
                                password=PASSWORD, role=role, unit_id=unit)
    resp = await client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    token: str = resp.json()["access_token"]
    return token


async def console_cookie(client: AppClient, username: str) -> dict[str, str]:
    """A console session for an existing user, as the Cookie header."""
    from bot.staff.sessions import issue_session
    from bot.web.staff_deps import CONSOLE_COOKIE

    rt = client.runtime
    async with rt.sessions() as s, s.begin():
        repos = rt.repositories(s)
        user = await repos.staff.by_username(username)
        assert user is not None
        token, _ = await issue_session(repos, user, "console", 1)
    return {"Cookie": f"{CONSOLE_COOKIE}={token}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_api_report_for_admins_and_supervisors(client: AppClient) -> None:
    rt = client.runtime
    await worked_example(ReportDb(rt.settings.database.url, rt.sessions, rt.catalog))
    admin = await staff(client, "admin", "admin", None)
    supervisor = await staff(client, "kadis.capil", "supervisor", "disdukcapil-batu")
    officer = await staff(client, "petugas.pupr", "officer", "dinas-pupr-batu")

    everything = await client.get("/api/reports/ikm", headers=bearer(admin))
    assert everything.status_code == 200
    assert everything.json()["overall"]["converted"] == 77.78
    february = await client.get("/api/reports/ikm", headers=bearer(admin),
                                params={"from": "2026-02-01", "to": "2026-02-28",
                                        "period": "quarter"})
    body = february.json()
    assert body["overall"]["respondents"] == 2
    assert [p["period"] for p in body["periods"]] == ["2026-Q1"]
    by_unit = await client.get("/api/reports/ikm", headers=bearer(admin),
                               params={"unit": "disdukcapil-batu", "population": "50"})
    assert by_unit.json()["overall"]["converted"] == 75.0
    assert by_unit.json()["overall"]["minimum_sample"] == 44

    # A supervisor sees their own unit (and below) only.
    own = await client.get("/api/reports/ikm", headers=bearer(supervisor))
    assert own.status_code == 200
    assert own.json()["overall"]["respondents"] == 1
    assert [u["unit_id"] for u in own.json()["units"]] == ["disdukcapil-batu"]
    other = await client.get("/api/reports/ikm", headers=bearer(supervisor),
                             params={"unit": "dinas-pupr-batu"})
    assert other.status_code == 404
    # Officers may not read reports; nobody without a token may.
    assert (await client.get("/api/reports/ikm", headers=bearer(officer))).status_code == 403
    assert (await client.get("/api/reports/ikm")).status_code == 401
    bad = await client.get("/api/reports/ikm", headers=bearer(admin),
                           params={"from": "2026-03-01", "to": "2026-01-01"})
    assert bad.status_code == 400

    csv_resp = await client.get("/api/reports/ikm.csv", headers=bearer(admin),
                                params={"unit": "dinas-pupr-batu"})
    assert csv_resp.status_code == 200
    assert csv_resp.headers["content-type"].startswith("text/csv")
    assert "IKM konversi (skala 25-100),79.17" in csv_resp.text.splitlines()


async def test_console_page_draws_charts_and_links_the_csv(client: AppClient) -> None:
    import base64
    import re

    rt = client.runtime
    await worked_example(ReportDb(rt.settings.database.url, rt.sessions, rt.catalog))
    await staff(client, "admin", "admin", None)
    await staff(client, "petugas.pupr", "officer", "dinas-pupr-batu")

    page = await client.get("/console/reports/ikm", headers=await console_cookie(client, "admin"))
    assert page.status_code == 200
    html = page.text
    images = re.findall(r'<img id="(chart-[a-z-]+)" src="data:image/png;base64,([^"]+)"', html)
    assert [name for name, _ in images] == ["chart-over-time", "chart-per-element",
                                            "chart-per-unit"]
    assert all(base64.b64decode(data).startswith(b"\x89PNG") for _, data in images)
    # Indonesian numbers use the decimal comma throughout (#12); the nav links the report.
    assert "77,78" in html and "77.78" not in html and "<script src=\"http" not in html
    assert re.search(r"<td>\d,\d{4}</td>", html) and not re.search(r"<td>\d\.\d{4}</td>", html)
    assert 'id="nav-ikm"' in html and "(Pengelola" in html and "(admin" not in html
    link = re.search(r'href="(/console/reports/ikm\.csv\?[^"]*)"', html)
    assert link is not None
    csv_resp = await client.get(link.group(1).replace("&amp;", "&"),
                                headers=await console_cookie(client, "admin"))
    assert csv_resp.status_code == 200 and "Mutu pelayanan,B" in csv_resp.text

    officer = await client.get("/console/reports/ikm",
                               headers=await console_cookie(client, "petugas.pupr"))
    assert officer.status_code == 403
    anonymous = await client.get("/console/reports/ikm", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/console/login")


def test_unit_populations_come_from_the_catalog() -> None:
    import dataclasses

    from bot.surveys.reports import unit_populations
    from routing.catalog import load_catalog

    demo = load_catalog(None)
    pupr = dataclasses.replace(demo.unit("dinas-pupr-batu"), population=1200)
    catalog = dataclasses.replace(
        demo, units=tuple(pupr if u.id == pupr.id else u for u in demo.units))
    assert unit_populations(catalog, ["dinas-pupr-batu", "disdukcapil-batu", "gone"]) == {
        "dinas-pupr-batu": 1200}


@pytest.mark.parametrize("seed", [14, 2026])
async def test_sql_tallies_give_exactly_the_python_report(report_db: ReportDb, seed: int) -> None:
    """The report aggregated in SQL equals the one computed from every loaded answer (the
    IKM formula in Python), for random answers over units, channels, forms and local times
    near period edges (year ends, ISO weeks, midnight WIB), every period and filter."""
    import random

    from bot.surveys.skm import ELEMENTS

    rnd = random.Random(seed)
    units = ["dinas-pupr-batu", "disdukcapil-batu", "dinas-lingkungan-hidup-batu", None]
    units = [u for u in units if u is None or report_db.catalog.has_unit(u)]
    keys = [e.key for e in ELEMENTS]
    base = datetime(2025, 12, 28, tzinfo=UTC)
    async with report_db.sessions() as s, s.begin():
        citizen = Citizen(display_name="warga")
        s.add(citizen)
        await s.flush()
        for _ in range(60):
            unit, channel = rnd.choice(units), rnd.choice(["rest", "telegram", "whatsapp"])
            when = base + timedelta(days=rnd.choice([0, 1, 3, 4, 5, 40, 90, 185, 370]),
                                    hours=rnd.randint(0, 23), minutes=rnd.randint(0, 59))
            form = rnd.sample(keys, rnd.choice([3, 5, 9]))
            survey = Survey(citizen_id=citizen.id, unit_id=unit, channel=channel,
                            trigger="ticket_resolved", elements=form, status="answered",
                            created_at=when, expires_at=when + timedelta(hours=24))
            s.add(survey)
            await s.flush()
            for key in form:
                # Answers of one survey may fall on both sides of a period edge.
                at = when + timedelta(minutes=rnd.choice([0, 0, 30, 600]))
                s.add(SurveyResponse(survey_id=survey.id, citizen_id=citizen.id, unit_id=unit,
                                     channel=channel, element=key, score=rnd.randint(1, 4),
                                     created_at=at))
        # A hand-edited row no form knows is skipped by both.
        s.add(SurveyResponse(survey_id=survey.id, citizen_id=citizen.id, unit_id=None,
                             channel="rest", element="u10", score=4, created_at=base))
    filters = [ReportFilter(),
               ReportFilter(unit_id="dinas-pupr-batu"),
               ReportFilter(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)),
               ReportFilter(channel="telegram", date_from=date(2025, 12, 29)),
               ReportFilter(visible_units=("disdukcapil-batu",))]
    for flt in filters:
        for period in ("week", "month", "quarter", "semester", "year"):
            async with report_db.sessions() as s:
                repos = sql_repositories(s)
                answers = await load_answers(repos, report_db.catalog, flt)
                expected = build_report(answers, report_db.catalog, flt=flt, period=period)
                got = await ikm_report(repos, report_db.catalog, flt, period=period)
            assert report_to_dict(got) == report_to_dict(expected), (flt, period)
            assert got == expected, (flt, period)
    assert expected.by_unit  # the data reached the reports
