"""Breached clocks escalate: each breach is recorded once and escalates the ticket to the
parent unit (as an overdue ticket does) unless it already went up."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cases.holds import release_expired_holds
from bot.core.runtime import Runtime
from bot.tickets.clocks import ClockMarks, breached_names, marks_by_ticket, ticket_clocks
from routing.router import escalation_target
from storage.models import utcnow

log = logging.getLogger(__name__)


async def escalate_breached_clocks(session: AsyncSession, rt: Runtime,
                                   now: datetime | None = None) -> int:
    """Record every new clock breach of open tickets and escalate them. Returns the count
    of breaches recorded."""
    now = now or utcnow()
    repos = rt.repositories(session)
    tickets = await repos.cases.open_tickets()
    events = await repos.cases.clock_events([t.id for t in tickets])
    recorded: dict[int, set[str]] = {}
    for ev in events:
        if ev.kind == "clock_breached":
            recorded.setdefault(ev.ticket_id, set()).add(str((ev.data or {}).get("clock")))
    marks = marks_by_ticket(events)
    count = 0
    for ticket in tickets:
        clocks = ticket_clocks(ticket, marks.get(ticket.id, ClockMarks()), rt.catalog,
                               rt.settings.cases, now)
        for name in breached_names(clocks):
            if name in recorded.get(ticket.id, set()):
                continue
            await repos.tickets.add_event(ticket, "clock_breached", actor_type="system",
                                          note=f"{name} clock breached", data={"clock": name},
                                          created_at=now)
            count += 1
            if not ticket.escalated:
                parent = escalation_target(rt.catalog, ticket.unit_id)
                ticket.escalated = True
                ticket.escalated_at = now
                ticket.escalated_to_unit_id = parent.id if parent else None
                await repos.tickets.add_event(
                    ticket, "escalated", actor_type="system", from_unit_id=ticket.unit_id,
                    to_unit_id=parent.id if parent else None, note=f"{name} clock breached",
                    created_at=now)
    await session.flush()
    return count


async def breach_loop(rt: Runtime) -> None:
    """Background task: look for breached clocks and expired conversation holds, with the
    escalation sweep's interval."""
    interval = rt.settings.tickets.escalation_interval_seconds
    while True:
        try:
            async with rt.sessions() as session, session.begin():
                n = await escalate_breached_clocks(session, rt)
                released = await release_expired_holds(session, rt)
            if released:
                log.info("handed %d held conversations back to the bot", released)
            if n:
                log.info("recorded %d clock breaches", n)
                rt.notify("escalated", {"count": n})
        except Exception:
            log.exception("clock breach sweep failed")
        await asyncio.sleep(interval)
