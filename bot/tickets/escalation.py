"""The escalation sweep: overdue tickets go up to the parent unit; old resolved ones close."""

from __future__ import annotations

import asyncio
import logging

from bot.core.runtime import Runtime
from bot.tickets.lifecycle import close_expired_resolved, escalate_overdue
from storage.locks import locked_transaction

log = logging.getLogger(__name__)


async def escalation_loop(rt: Runtime) -> None:
    """Background task: sweep every ``tickets.escalation_interval_seconds``, forever."""
    interval = rt.settings.tickets.escalation_interval_seconds
    while True:
        try:
            # Every server process sweeps; one at a time, so no ticket escalates twice.
            async with locked_transaction(rt.sessions, "pintu:escalation-sweep") as session:
                n = await escalate_overdue(session, rt)
                closed = await close_expired_resolved(session, rt)
            if n:
                log.info("escalated %d overdue tickets", n)
                rt.notify("escalated", {"count": n})
            if closed:
                log.info("closed %d resolved tickets past the reopen window", closed)
        except Exception:
            log.exception("escalation sweep failed")
        await asyncio.sleep(interval)
