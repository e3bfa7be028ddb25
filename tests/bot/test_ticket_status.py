"""The ticket status enum and its transition table."""

from __future__ import annotations

import itertools
import json
from typing import get_args

from bot.tickets.status import (
    ALLOWED,
    DONE,
    OPEN,
    STAFF_SETTABLE,
    StaffSettableStatus,
    TicketStatus,
    can_move,
)
from storage.models import OPEN_TICKET_STATUSES
from storage.models import TicketStatus as StoredTicketStatus

# The whole table, spelled out as the stored strings: every pair not listed is refused.
EXPECTED: dict[str, set[str]] = {
    "new": {"routed", "in_progress", "waiting_citizen", "resolved", "closed"},
    "routed": {"in_progress", "waiting_citizen", "resolved", "closed"},
    "in_progress": {"waiting_citizen", "resolved", "closed", "routed"},
    "waiting_citizen": {"in_progress", "resolved", "closed", "routed"},
    "resolved": {"closed", "in_progress"},
    "closed": set(),
}


def test_the_values_are_the_stored_strings() -> None:
    assert [s.value for s in TicketStatus] == [
        "new", "routed", "in_progress", "waiting_citizen", "resolved", "closed"]
    assert TicketStatus is StoredTicketStatus  # one definition
    assert TicketStatus.IN_PROGRESS == "in_progress"
    assert json.dumps({"status": TicketStatus.WAITING_CITIZEN}) == '{"status": "waiting_citizen"}'
    assert f"{TicketStatus.RESOLVED}" == "resolved"


def test_the_whole_transition_table() -> None:
    assert set(ALLOWED) == set(TicketStatus)
    assert {str(k): {str(v) for v in vs} for k, vs in ALLOWED.items()} == EXPECTED


def test_can_move_agrees_with_the_table_for_every_pair() -> None:
    for a, b in itertools.product(TicketStatus, TicketStatus):
        assert can_move(a, b) == (b.value in EXPECTED[a.value]), (a, b)
        assert can_move(a.value, b.value) == can_move(a, b)  # plain strings from the database
    assert not can_move("closed", "closed")
    assert not can_move("new", "archived")
    assert not can_move("archived", "new")


def test_status_groups() -> None:
    assert OPEN == OPEN_TICKET_STATUSES == (
        TicketStatus.NEW, TicketStatus.ROUTED, TicketStatus.IN_PROGRESS,
        TicketStatus.WAITING_CITIZEN)
    assert DONE == (TicketStatus.RESOLVED, TicketStatus.CLOSED)
    assert set(OPEN) | set(DONE) == set(TicketStatus) and not set(OPEN) & set(DONE)
    assert STAFF_SETTABLE == (TicketStatus.IN_PROGRESS, TicketStatus.WAITING_CITIZEN)
    assert set(get_args(StaffSettableStatus)) == set(STAFF_SETTABLE)
    # Nothing moves out of closed; a resolved ticket can only be closed or reopened.
    assert not ALLOWED[TicketStatus.CLOSED]
    # Every open status can reach each status an officer may set.
    for s in OPEN:
        assert all(can_move(s, t) for t in STAFF_SETTABLE if t != s), s
