"""Telling a ticket's joiners ("saya juga", :mod:`bot.tickets.me_too`) what its reporter is
told: each on the channel they last used, in their language, through the outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import ME_TOO
from bot.core.runtime import Runtime
from bot.delivery.queue import deliver_to_citizen
from storage.models import Ticket


async def tell_joiners(session: AsyncSession, rt: Runtime, ticket: Ticket, key: str, *,
                       sender_type: str = "system", staff_user_id: int | None = None,
                       skip_citizen_id: int | None = None, **params: object) -> int:
    """Send the ``ME_TOO`` text ``key`` (``number`` and ``unit`` are filled in) to every
    citizen who joined ``ticket`` but ``skip_citizen_id`` (who did it and was answered
    already); returns how many were reached."""
    repos = rt.repositories(session)
    joiners = await repos.joiners.for_ticket(ticket.id)
    reached = 0
    for joiner in joiners:
        if joiner.citizen_id == skip_citizen_id:
            continue
        citizen = await repos.citizens.get(joiner.citizen_id)
        lang = citizen.language if citizen else "id"
        text = ME_TOO.text(key, lang, number=ticket.number,
                           unit=rt.unit_short_name(ticket.unit_id), **params)
        sent = await deliver_to_citizen(session, rt, joiner.citizen_id, text,
                                        ticket_id=ticket.id, sender_type=sender_type,
                                        staff_user_id=staff_user_id)
        reached += sent is not None
    return reached
