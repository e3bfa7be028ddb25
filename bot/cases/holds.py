"""An officer takes a citizen's conversation: the bot stays quiet (every message the
citizen sends goes to the ticket, for the officer) until the officer hands it back or
``alerts.hold_minutes`` pass, whichever comes first.

Taking puts the citizen's current conversation in the dialogue's handover mode for the
ticket (the mode a citizen's own request for a person uses) without the bot's "an
officer will read this" notice, and records a :class:`~storage.models.ConversationHold`;
handing back, the expiry sweep, or the ticket being resolved returns it to the bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import dialogue as dlg
from bot.core.runtime import Runtime
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from bot.staff.visibility import load_visible_ticket
from bot.tickets.lifecycle import TicketError
from bot.tickets.status import DONE
from storage.models import ConversationHold, Ticket, utcnow


@dataclass(frozen=True)
class HoldView:
    """What the ticket page shows of a hold."""

    held: bool
    staff_user_id: int | None = None
    expires_at: datetime | None = None


async def take_conversation(session: AsyncSession, rt: Runtime, ticket: Ticket,
                            staff_user_id: int | None, now: datetime | None = None
                            ) -> ConversationHold:
    """Take the citizen's conversation about ``ticket`` from the bot (or extend a hold)."""
    now = now or utcnow()
    if ticket.status in DONE:
        raise TicketError(f"a {ticket.status} ticket's conversation cannot be taken")
    repos = rt.repositories(session)
    expires = now + timedelta(minutes=rt.settings.alerts.hold_minutes)
    current = await repos.cases.active_hold(ticket.id)
    if current is not None:
        current.staff_user_id, current.expires_at = staff_user_id, expires
        hold = current
    else:
        conv = await repos.conversations.current(ticket.citizen_id)
        if conv is None:
            identity = await repos.citizens.last_identity(ticket.citizen_id)
            conv = await repos.conversations.start(
                ticket.citizen_id, identity.channel if identity else ticket.channel,
                dlg.DialogueState().to_dict())
        hold = await repos.cases.add_hold(ConversationHold(
            conversation_id=conv.id, ticket_id=ticket.id, staff_user_id=staff_user_id,
            taken_at=now, expires_at=expires))
    conv = await repos.conversations.get(hold.conversation_id)
    if conv is not None:
        state = dlg.DialogueState.from_dict(conv.state)
        state.mode, state.handover_ticket, state.handover_acked = (
            dlg.Mode.HANDOVER, ticket.number, True)
        state.draft, state.survey_id, state.choices = None, None, []
        conv.state = state.to_dict()
    await repos.tickets.add_event(ticket, "conversation_taken", actor_type="staff",
                                  actor_id=str(staff_user_id) if staff_user_id else None,
                                  data={"until": expires.isoformat()}, created_at=now)
    await session.flush()
    return hold


async def release_hold(session: AsyncSession, rt: Runtime, hold: ConversationHold, reason: str,
                       *, actor_id: int | None = None, now: datetime | None = None) -> None:
    """Give the conversation back to the bot (if it is still in this ticket's handover)."""
    now = now or utcnow()
    repos = rt.repositories(session)
    hold.released_at, hold.release_reason = now, reason
    ticket = await repos.tickets.get(hold.ticket_id)
    conv = await repos.conversations.get(hold.conversation_id)
    if conv is not None and ticket is not None:
        state = dlg.DialogueState.from_dict(conv.state)
        if state.mode == dlg.Mode.HANDOVER and state.handover_ticket == ticket.number:
            state.mode, state.handover_ticket, state.handover_acked = dlg.Mode.IDLE, None, False
            conv.state = state.to_dict()
    if ticket is not None:
        await repos.tickets.add_event(ticket, "conversation_released",
                                      actor_type="staff" if actor_id else "system",
                                      actor_id=str(actor_id) if actor_id else None,
                                      note=reason, created_at=now)
    await session.flush()


async def release_expired_holds(session: AsyncSession, rt: Runtime,
                                now: datetime | None = None) -> int:
    """Hand back every hold whose time has passed. Returns the count."""
    now = now or utcnow()
    holds = await rt.repositories(session).cases.expired_holds(now)
    for hold in holds:
        await release_hold(session, rt, hold, "expired", now=now)
    return len(holds)


async def staff_hold_action(rt: Runtime, ctx: StaffContext, number: str, *, take: bool,
                            ip: str | None = None) -> Ticket:
    """Take or hand back a ticket's conversation as a staff user, in its own transaction
    (HTTP 404 for a ticket the user may not see; TicketError when it cannot be done)."""
    async with rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        ticket = await load_visible_ticket(repos, ctx.user, rt.catalog, number)
        if take:
            hold = await take_conversation(session, rt, ticket, ctx.user_id)
            data = {"until": hold.expires_at.isoformat()}
        else:
            current = await repos.cases.active_hold(ticket.id)
            if current is None:
                raise TicketError("the conversation is not held")
            await release_hold(session, rt, current, "handed_back", actor_id=ctx.user_id)
            data = {}
        await audit(repos, ctx, "conversation_take" if take else "conversation_hand_back",
                    target_type="ticket", target_id=ticket.number, data=data, ip=ip)
    rt.notify("ticket_updated", {"number": ticket.number, "unit_id": ticket.unit_id,
                                 "action": "take" if take else "hand_back"})
    return ticket


async def hold_view(rt: Runtime, ticket_id: int) -> HoldView:
    """Whether the ticket's conversation is held, by whom and until when."""
    async with rt.sessions() as session:
        hold = await rt.repositories(session).cases.active_hold(ticket_id)
    if hold is None or hold.expires_at <= utcnow():
        return HoldView(False)
    return HoldView(True, hold.staff_user_id, hold.expires_at)
