"""The compliance report (clocks per unit and period) over real HTTP, the CLI and both
databases, and breached clocks escalating.

Worked example (WIB; "now" is the real time, long after March 2026):

=====  ================  ==========  =====================  ==================  ===========
ticket unit              filed       first officer action   first reply         resolved
=====  ================  ==========  =====================  ==================  ===========
T1     dinas-pupr-batu   16 Mar      note 17 Mar (met)      26 Mar (met)        10 Apr (met)
T2     dinas-pupr-batu   16 Mar      note 27 Mar (late)     none (breached)     open (breached)
T3     dinkes-batu       6 Apr       none (breached)        none (breached)     open (breached)
T4     dinkes-batu       now - 1h    none (running)         none (running)      open (running)
=====  ================  ==========  =====================  ==================  ===========

PUPR 2026-03: 2 tickets, each clock 1 met / 1 breached = 50 %. Dinkes: 2026-04 all
breached (0 %); T4 is undecided (running), so Dinkes' total is 0 % of 1 decided. All
units: verification 1 met, 2 breached, 1 running = 33.33 %.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cases.breaches import escalate_breached_clocks
from bot.cli.main import main
from bot.core.runtime import Runtime
from bot.tickets.lifecycle import Actor, add_note, reply_to_citizen, resolve_ticket
from storage.models import utcnow
from tests.conftest import AppClient
from tests.staff_support import UNIT_A, UNIT_B, api_headers, make_team, new_ticket

WIB = timedelta(hours=7)


def wib(y: int, m: int, d: int, hh: int = 10) -> datetime:
    return datetime(y, m, d, hh, tzinfo=UTC) - WIB


async def worked_example(rt: Runtime, officer_a: int) -> dict[str, str]:
    t1 = await new_ticket(rt, UNIT_A, sender="w1", now=wib(2026, 3, 16))
    t2 = await new_ticket(rt, UNIT_A, sender="w2", now=wib(2026, 3, 16))
    t3 = await new_ticket(rt, UNIT_B, sender="w3", now=wib(2026, 4, 6))
    t4 = await new_ticket(rt, UNIT_B, sender="w4", now=utcnow() - timedelta(hours=1))
    staff = Actor.staff(officer_a)
    async with rt.sessions() as s, s.begin():
        repo = rt.repositories(s).tickets
        one = await repo.get(t1.id)
        two = await repo.get(t2.id)
        assert one and two
        await add_note(s, rt, one, "dicek", staff, now=wib(2026, 3, 17))
        await reply_to_citizen(s, rt, one, "Sedang ditangani", staff, now=wib(2026, 3, 26))
        await resolve_ticket(s, rt, one, staff, now=wib(2026, 4, 10))
        await add_note(s, rt, two, "dicek terlambat", staff, now=wib(2026, 3, 27))
    return {"t1": t1.number, "t2": t2.number, "t3": t3.number, "t4": t4.number}


def _cli(monkeypatch: pytest.MonkeyPatch, url: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setenv("PINTU_DATABASE__URL", url)
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = main(["--config", str(Path(__file__).resolve().parents[2] / "config.yml"), *argv])
    return code, out.getvalue(), err.getvalue()


EXPECTED_UNITS = {
    UNIT_A: {"tickets": 2, "clocks": {
        "verification": {"met": 1, "breached": 1, "running": 0, "within_pct": 50.0},
        "first_response": {"met": 1, "breached": 1, "running": 0, "within_pct": 50.0},
        "resolution": {"met": 1, "breached": 1, "running": 0, "within_pct": 50.0}}},
    UNIT_B: {"tickets": 2, "clocks": {
        "verification": {"met": 0, "breached": 1, "running": 1, "within_pct": 0.0},
        "first_response": {"met": 0, "breached": 1, "running": 1, "within_pct": 0.0},
        "resolution": {"met": 0, "breached": 1, "running": 1, "within_pct": 0.0}}},
}
EXPECTED_OVERALL = {"tickets": 4, "clocks": {
    name: {"met": 1, "breached": 2, "running": 1, "within_pct": 33.33}
    for name in ("verification", "first_response", "resolution")}}


async def test_report_over_http_cli_and_console(client: AppClient,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rt = client.runtime
    team = await make_team(rt)
    await worked_example(rt, team["officer_a"].id)
    admin = await api_headers(client, "admin")
    resp = await client.get("/api/reports/compliance", headers=admin)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["overall"] == EXPECTED_OVERALL
    units = {u["unit_id"]: {"tickets": u["tickets"], "clocks": u["clocks"]}
             for u in data["units"]}
    assert units == EXPECTED_UNITS
    periods = {(p["unit_id"], p["period"]): p["tickets"] for p in data["periods"]}
    this_month = utcnow().astimezone(rt.catalog.tzinfo).strftime("%Y-%m")
    assert periods == {(UNIT_A, "2026-03"): 2, (UNIT_B, "2026-04"): 1,
                       (UNIT_B, this_month): 1}

    # Filters: one unit, a date range; a supervisor sees only their tree; officers 403.
    march = await client.get("/api/reports/compliance", headers=admin,
                             params={"from": "2026-03-01", "to": "2026-03-31"})
    assert march.json()["overall"]["tickets"] == 2
    sup = await api_headers(client, "supervisor")
    assert (await client.get("/api/reports/compliance", headers=sup)).json()[
        "overall"]["tickets"] == 4  # both units are under setda-batu
    outside = await client.get("/api/reports/compliance", headers=sup,
                               params={"unit": "perumda-among-tirto"})
    assert outside.status_code == 404
    officer = await api_headers(client, "officer_a")
    assert (await client.get("/api/reports/compliance", headers=officer)).status_code == 403

    csv_resp = await client.get("/api/reports/compliance.csv", headers=admin)
    rows = list(csv.DictReader(io.StringIO(csv_resp.text)))
    total = [r for r in rows if r["unit_id"] == "*"]
    assert total[0]["verification_within_pct"] == "33.33"
    assert {(r["unit_id"], r["period"]) for r in rows} == {
        (UNIT_A, "2026-03"), (UNIT_B, "2026-04"), (UNIT_B, this_month),
        (UNIT_A, "total"), (UNIT_B, "total"), ("*", "total")}

    code, out, err = await asyncio.to_thread(_cli, monkeypatch, rt.settings.database.url,
                                             "report", "compliance", "--json")
    assert code == 0, err
    assert json.loads(out)["overall"] == EXPECTED_OVERALL
    code, out, err = await asyncio.to_thread(_cli, monkeypatch, rt.settings.database.url,
                                             "report", "compliance", "--csv")
    assert code == 0 and out == csv_resp.text
    code, out, err = await asyncio.to_thread(_cli, monkeypatch, rt.settings.database.url,
                                             "report", "compliance", "--lang", "en")
    assert code == 0, err
    assert "Verification (within)" in out and "33.3% (1/3)" in out and "50.0% (1/2)" in out
    code, _, err = await asyncio.to_thread(_cli, monkeypatch, rt.settings.database.url,
                                           "report", "compliance", "--unit", "nope")
    assert code == 2 and "nope" in err


async def test_console_shows_clocks_and_the_compliance_page(client: AppClient) -> None:
    from tests.bot.test_reports import console_cookie

    rt = client.runtime
    team = await make_team(rt)
    numbers = await worked_example(rt, team["officer_a"].id)
    cookie = await console_cookie(client, "admin")
    page = await client.get("/console/reports/compliance", headers=cookie)
    assert page.status_code == 200
    assert 'id="compliance-table"' in page.text and "33.3%" in page.text
    inbox = await client.get("/console/inbox", headers=cookie)
    row_t2 = inbox.text.split(f'data-number="{numbers["t2"]}"')[1].split("</tr>")[0]
    assert 'data-clock="verification" data-state="breached"' in row_t2
    ticket = await client.get(f"/console/tickets/{numbers['t1']}", headers=cookie)
    clocks = ticket.text.split('id="ticket-clocks"')[1].split("</dd>")[0]
    assert clocks.count('data-state="met"') == 3
    officer = await client.get("/console/reports/compliance",
                               headers=await console_cookie(client, "officer_a"))
    assert officer.status_code == 403


async def test_breached_clocks_escalate_once(client: AppClient) -> None:
    rt = client.runtime
    team = await make_team(rt)
    numbers = await worked_example(rt, team["officer_a"].id)
    async with rt.sessions() as s, s.begin():
        assert await escalate_breached_clocks(s, rt) == 6  # T2 and T3, three clocks each
    async with rt.sessions() as s, s.begin():
        assert await escalate_breached_clocks(s, rt) == 0
        repo = rt.repositories(s).tickets
        for key, escalated in (("t1", False), ("t2", True), ("t3", True), ("t4", False)):
            t = await repo.by_number(numbers[key])
            assert t is not None and t.escalated is escalated, key
            if escalated:
                assert t.escalated_to_unit_id == "setda-batu"
                events = await repo.events(t.id)
                breached = sorted(str(e.data["clock"]) for e in events
                                  if e.kind == "clock_breached")
                assert breached == ["first_response", "resolution", "verification"]
