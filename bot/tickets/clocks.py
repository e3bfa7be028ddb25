"""The three SP4N-LAPOR! clocks of a ticket, on the working-day calendar (pure logic).

* **verification** starts when the ticket is filed and stops at the first
  action an officer takes on it (accepting it, a note, a forward, a reply, a
  status change): the check and disposition LAPOR!'s coordinating admin does.
  Due after ``cases.verification_days`` working days (default 3).
* **first_response** starts when verification stops (at filing while the
  ticket is still unverified) and stops at the unit's first reply to the
  citizen. Due after ``cases.first_response_days`` working days (default 5).
* **resolution** starts at filing and stops when the ticket is resolved or
  closed. Due after the service standard's completion time when the unit has
  exactly one standard for the ticket's category stated as "N hari kerja",
  otherwise after ``cases.resolution_days`` calendar days (default 60,
  LAPOR!'s limit).

Working days skip weekends and the catalog's holidays, counted in the
catalog's time zone (:mod:`routing.workdays`). A clock is ``met`` when it
stopped by its due time, ``breached`` when it stopped late or is still
running past it, ``running`` otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.core.settings import CaseSettings
from routing.catalog import Catalog
from routing.workdays import add_working_days
from storage.models import Ticket, TicketEvent, TicketStatus

ClockName = Literal["verification", "first_response", "resolution"]
ClockState = Literal["met", "breached", "running"]
CLOCKS: tuple[ClockName, ...] = ("verification", "first_response", "resolution")
_WORKING_DAYS = re.compile(r"(\d{1,3})\s*hari\s+kerja", re.IGNORECASE)


@dataclass(frozen=True)
class ClockMarks:
    """When a ticket's officers first acted on it and first replied to the citizen."""

    first_staff_action_at: datetime | None = None
    first_reply_at: datetime | None = None


@dataclass(frozen=True)
class TicketClock:
    """One clock of one ticket."""

    name: ClockName
    started_at: datetime
    due_at: datetime
    stopped_at: datetime | None
    state: ClockState


def clock_marks(events: Iterable[TicketEvent]) -> ClockMarks:
    """The marks the clocks stop at, from a ticket's events (any order)."""
    first_action: datetime | None = None
    first_reply: datetime | None = None
    for ev in events:
        if ev.actor_type != "staff":
            continue
        if first_action is None or ev.created_at < first_action:
            first_action = ev.created_at
        if ev.kind == "replied" and (first_reply is None or ev.created_at < first_reply):
            first_reply = ev.created_at
    return ClockMarks(first_action, first_reply)


def marks_by_ticket(events: Iterable[TicketEvent]) -> dict[int, ClockMarks]:
    """:func:`clock_marks` for many tickets' events at once, keyed by ticket id."""
    grouped: dict[int, list[TicketEvent]] = {}
    for ev in events:
        grouped.setdefault(ev.ticket_id, []).append(ev)
    return {tid: clock_marks(evs) for tid, evs in grouped.items()}


def standard_working_days(catalog: Catalog, unit_id: str, category: str | None) -> int | None:
    """The completion time in working days of the one service standard the unit has for
    ``category`` ("Paling lama 28 hari kerja ..."), or None when there is not exactly one."""
    if category is None or not catalog.has_unit(unit_id):
        return None
    standards = catalog.standards_for(unit_id, category)
    if len(standards) != 1 or not standards[0].completion_time:
        return None
    found = _WORKING_DAYS.search(standards[0].completion_time)
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def _state(due: datetime, stopped: datetime | None, now: datetime) -> ClockState:
    if stopped is not None:
        return "met" if stopped <= due else "breached"
    return "breached" if now > due else "running"


def _stopped_resolution(ticket: Ticket) -> datetime | None:
    if ticket.status == TicketStatus.RESOLVED:
        return ticket.resolved_at or ticket.updated_at
    if ticket.status == TicketStatus.CLOSED:
        return ticket.resolved_at or ticket.closed_at or ticket.updated_at
    return None


def ticket_clocks(ticket: Ticket, marks: ClockMarks, catalog: Catalog, cfg: CaseSettings,
                  now: datetime) -> tuple[TicketClock, TicketClock, TicketClock]:
    """The verification, first-response and resolution clocks of ``ticket`` at ``now``."""
    hols, tz = catalog.holidays, catalog.tzinfo
    filed = ticket.created_at
    verified = marks.first_staff_action_at
    v_due = add_working_days(filed, cfg.verification_days, hols, tz=tz)
    verification = TicketClock("verification", filed, v_due, verified,
                               _state(v_due, verified, now))
    r_start = verified or filed
    r_due = add_working_days(r_start, cfg.first_response_days, hols, tz=tz)
    replied = marks.first_reply_at
    first_response = TicketClock("first_response", r_start, r_due, replied,
                                 _state(r_due, replied, now))
    std_days = standard_working_days(catalog, ticket.unit_id, ticket.category)
    s_due = (add_working_days(filed, std_days, hols, tz=tz) if std_days
             else filed + timedelta(days=cfg.resolution_days))
    solved = _stopped_resolution(ticket)
    resolution = TicketClock("resolution", filed, s_due, solved, _state(s_due, solved, now))
    return verification, first_response, resolution


def breached_names(clocks: Sequence[TicketClock]) -> tuple[ClockName, ...]:
    """The names of the breached clocks among ``clocks``."""
    return tuple(c.name for c in clocks if c.state == "breached")
