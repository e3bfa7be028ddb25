"""Who may see which tickets, decided here once for the console and the API alike.

Anything not visible answers 404, exactly like a ticket that does not exist.
"""

from __future__ import annotations

from fastapi import HTTPException

from routing.catalog import Catalog
from storage.models import StaffUser, Ticket
from storage.ports import Repositories


def visible_unit_ids(user: StaffUser, catalog: Catalog) -> tuple[str, ...] | None:
    """The units whose tickets ``user`` sees: None for admins (all units); a supervisor's
    unit and every unit below it; an officer's own unit only. A user without a (known)
    unit sees nothing. The user's own unit comes first: oversight complaints kept from
    it stay hidden (:func:`can_see`, ``storage.repositories.staff.visibility_clause``)."""
    if user.role == "admin":
        return None
    if not user.unit_id or not catalog.has_unit(user.unit_id):
        return ()
    if user.role == "supervisor":
        return (user.unit_id, *(u.id for u in catalog.descendants(user.unit_id)))
    if user.role == "officer":
        return (user.unit_id,)
    return ()


def can_see(ticket: Ticket, units: tuple[str, ...] | None) -> bool:
    """Whether a viewer of ``units`` sees this ticket (its unit's or escalated to them).

    An oversight complaint is never seen from the unit it is about, nor by that unit's
    supervisors (the viewer's own unit, first in ``units``, is in the ticket's exclusions).
    """
    if units is None:
        return True
    if units and ticket.excludes(units[0]):
        return False
    return ticket.unit_id in units or (ticket.escalated_to_unit_id is not None
                                       and ticket.escalated_to_unit_id in units)


def not_found() -> HTTPException:
    """The one answer for missing and invisible tickets alike."""
    return HTTPException(status_code=404, detail="ticket not found")


async def load_visible_ticket(repos: Repositories, user: StaffUser, catalog: Catalog,
                              number: str) -> Ticket:
    """The ticket ``number`` if ``user`` may see it; HTTP 404 otherwise (never telling
    whether it exists)."""
    if not number or len(number) > 32:
        raise not_found()
    ticket = await repos.tickets.by_number(number)
    if ticket is None or not can_see(ticket, visible_unit_ids(user, catalog)):
        raise not_found()
    return ticket
