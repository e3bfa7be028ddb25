"""The three SP4N-LAPOR! clocks on the demo catalog's 2026 calendar (holidays, cuti bersama
and weekends, counted in WIB). Every due time below was worked out by hand from the
calendar in routing/data/demo_catalog.yml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.settings import CaseSettings
from bot.tickets.clocks import (
    ClockMarks,
    breached_names,
    clock_marks,
    standard_working_days,
    ticket_clocks,
)
from routing.catalog import Catalog, load_catalog
from storage.models import Ticket, TicketEvent, TicketStatus

WIB = timedelta(hours=7)
CFG = CaseSettings()


def wib(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    """A WIB wall-clock time as the aware UTC instant it is stored as."""
    return datetime(y, m, d, hh, mm, tzinfo=UTC) - WIB


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def ticket(filed: datetime, status: str = TicketStatus.ROUTED, *,
           resolved: datetime | None = None, unit: str = "dinas-pupr-batu",
           category: str = "infrastructure") -> Ticket:
    return Ticket(id=1, number="PTU-2026-000001", created_at=filed, updated_at=filed,
                  status=status, resolved_at=resolved, unit_id=unit, category=category)


# filed (WIB)              verification due (3 working days, WIB)   why
VERIFICATION = [
    # Mon before Nyepi/Idul Fitri: 17 Tue, then 18-24 Mar are holidays, cuti or weekend.
    (wib(2026, 3, 16), wib(2026, 3, 26)),
    # Saturday: counts from the next working day; Mon 17 Aug is Independence Day.
    (wib(2026, 8, 15), wib(2026, 8, 21)),
    # On cuti bersama 24 Dec: 25 Dec holiday, weekend, then 28 Dec counts as day 0.
    (wib(2026, 12, 24), wib(2026, 12, 31)),
    # 23:30 WIB Friday is 16:30 UTC Friday: still Friday locally (Mon 5, Tue 6, Wed 7).
    (wib(2026, 1, 2, 23, 30), wib(2026, 1, 7, 23, 30)),
    # 02:00 WIB Saturday is Friday 19:00 UTC; local Saturday -> counts from Monday.
    (wib(2026, 1, 3, 2, 0), wib(2026, 1, 8, 2, 0)),
    # Wednesday before Ascension (Thu 14 May) and its cuti (Fri 15): then 18, 19, 20.
    (wib(2026, 5, 13), wib(2026, 5, 20)),
]


@pytest.mark.parametrize(("filed", "due"), VERIFICATION)
def test_verification_due_across_holidays_and_weekends(catalog: Catalog, filed: datetime,
                                                       due: datetime) -> None:
    verification, _, _ = ticket_clocks(ticket(filed), ClockMarks(), catalog, CFG, filed)
    assert verification.due_at == due
    assert verification.state == "running"


def test_first_response_counts_from_verification(catalog: Catalog) -> None:
    filed = wib(2026, 3, 16)
    verified = wib(2026, 3, 17, 9)
    marks = ClockMarks(first_staff_action_at=verified)
    _, first, _ = ticket_clocks(ticket(filed), marks, catalog, CFG, wib(2026, 3, 20))
    # 5 working days after Tue 17 Mar: 25, 26, 27, 30, 31 (18-24 are off).
    assert (first.started_at, first.due_at, first.state) == (
        verified, wib(2026, 3, 31, 9), "running")
    # Unverified: it runs from filing (here 16 Mar + 5 = 30 Mar).
    _, unverified, _ = ticket_clocks(ticket(filed), ClockMarks(), catalog, CFG, filed)
    assert unverified.due_at == wib(2026, 3, 30)


def test_resolution_is_sixty_calendar_days_by_default(catalog: Catalog) -> None:
    filed = wib(2026, 3, 16)
    _, _, resolution = ticket_clocks(ticket(filed), ClockMarks(), catalog, CFG, filed)
    assert resolution.due_at == wib(2026, 5, 15)
    short = CaseSettings(resolution_days=10)
    _, _, r10 = ticket_clocks(ticket(filed), ClockMarks(), catalog, short, filed)
    assert r10.due_at == wib(2026, 3, 26)


def test_states_met_breached_running(catalog: Catalog) -> None:
    filed = wib(2026, 3, 16)
    marks = ClockMarks(first_staff_action_at=wib(2026, 3, 26, 10),  # exactly on time
                       first_reply_at=wib(2026, 4, 3, 11))           # due Thu 2 Apr 10:00
    done = ticket(filed, TicketStatus.RESOLVED, resolved=wib(2026, 5, 15, 10, 1))
    clocks = ticket_clocks(done, marks, catalog, CFG, wib(2026, 6, 1))
    assert [(c.name, c.state) for c in clocks] == [
        ("verification", "met"), ("first_response", "breached"), ("resolution", "breached")]
    assert breached_names(clocks) == ("first_response", "resolution")
    # Still open: an unstopped clock is running until its due time, breached after.
    open_ = ticket(filed)
    assert [c.state for c in ticket_clocks(open_, ClockMarks(), catalog, CFG,
                                           wib(2026, 3, 26, 9, 59))] == ["running"] * 3
    assert [c.state for c in ticket_clocks(open_, ClockMarks(), catalog, CFG,
                                           wib(2026, 3, 26, 10, 1))] == [
        "breached", "running", "running"]


def test_marks_come_from_staff_events_only() -> None:
    def ev(kind: str, actor: str, at: datetime) -> TicketEvent:
        return TicketEvent(ticket_id=1, kind=kind, actor_type=actor, created_at=at)

    events = [ev("created", "citizen", wib(2026, 3, 16)),
              ev("routed", "system", wib(2026, 3, 16)),
              ev("citizen_message", "citizen", wib(2026, 3, 17)),
              ev("replied", "staff", wib(2026, 3, 20)),
              ev("noted", "staff", wib(2026, 3, 18)),
              ev("replied", "staff", wib(2026, 3, 25))]
    assert clock_marks(events) == ClockMarks(wib(2026, 3, 18), wib(2026, 3, 20))
    assert clock_marks([]) == ClockMarks(None, None)


def test_a_service_standard_in_working_days_sets_the_resolution_clock(
        catalog: Catalog) -> None:
    # Perumda Among Tirto has one water-supply standard: "... 7 hari kerja ...".
    assert standard_working_days(catalog, "perumda-among-tirto", "water_supply") == 7
    filed = wib(2026, 3, 16)
    water = ticket(filed, unit="perumda-among-tirto", category="water_supply")
    _, _, resolution = ticket_clocks(water, ClockMarks(), catalog, CFG, filed)
    # Counted from Mon 16 Mar: 17 (1), 25 (2), 26 (3), 27 (4), 30 (5), 31 (6), 1 Apr (7).
    assert resolution.due_at == wib(2026, 4, 1)
    # Several standards for one unit and category (Disdukcapil): no single time, default.
    assert standard_working_days(catalog, "disdukcapil-batu", "population_registry") is None
    assert standard_working_days(catalog, "dinas-pupr-batu", None) is None
    assert standard_working_days(catalog, "no-such-unit", "health") is None
