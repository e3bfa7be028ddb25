"""A ticket's status and the moves between statuses the lifecycle allows.

The enum itself is defined with the column it describes (``storage.models``),
so the storage layer can filter on it without importing ``bot``; this module
is where the rest of ``bot`` takes it from, together with the rules.
Who may make a move is checked by the caller (an officer may only set
:data:`STAFF_SETTABLE` directly; the other moves come from actions such as
forward, resolve and reopen).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from storage.models import OPEN_TICKET_STATUSES, TicketStatus

__all__ = ["ALLOWED", "DONE", "OPEN", "STAFF_SETTABLE", "StaffSettableStatus", "TicketStatus",
           "can_move"]

S = TicketStatus

# Allowed status changes: from a status, the statuses a ticket may move to.
ALLOWED: Mapping[TicketStatus, frozenset[TicketStatus]] = MappingProxyType({
    S.NEW: frozenset({S.ROUTED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.RESOLVED, S.CLOSED}),
    S.ROUTED: frozenset({S.IN_PROGRESS, S.WAITING_CITIZEN, S.RESOLVED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.WAITING_CITIZEN, S.RESOLVED, S.CLOSED, S.ROUTED}),
    S.WAITING_CITIZEN: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CLOSED, S.ROUTED}),
    # Reopening within the window puts a resolved ticket back in progress.
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset(),
})

# The unit still owes the citizen an answer.
OPEN: tuple[TicketStatus, ...] = OPEN_TICKET_STATUSES
# Finished: no forward, no second resolve; only a resolved ticket may still be reopened.
DONE: tuple[TicketStatus, ...] = (S.RESOLVED, S.CLOSED)

# The statuses an officer may set directly; the type lists exactly them (for the API schema).
StaffSettableStatus = Literal[TicketStatus.IN_PROGRESS, TicketStatus.WAITING_CITIZEN]
STAFF_SETTABLE: tuple[TicketStatus, ...] = (S.IN_PROGRESS, S.WAITING_CITIZEN)


def can_move(current: str, target: str) -> bool:
    """Whether the lifecycle allows a ticket in ``current`` to become ``target``.

    Plain strings are accepted (a status read from the database is one); an
    unknown status allows no move.
    """
    try:
        return TicketStatus(target) in ALLOWED.get(TicketStatus(current), frozenset())
    except ValueError:
        return False
