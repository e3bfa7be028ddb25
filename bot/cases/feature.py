"""The case-handling feature as the composition root wires it."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cases.alerts import alert_loop
from bot.cases.breaches import breach_loop
from bot.cases.holds import release_hold
from bot.cases.low_rating import with_low_rating_followup
from bot.cases.media import media_loop, on_citizen_message
from bot.core.feature import Feature
from bot.core.runtime import Runtime
from storage.models import Ticket


def setup(app: FastAPI, rt: Runtime) -> None:
    """Register the case-handling hooks on the runtime (once per runtime)."""
    if not rt.hooks.claim("cases"):
        return
    # The survey feature is set up before this one (bot.app.features lists it first).
    if rt.hooks.survey_input is not None:
        rt.hooks.survey_input = with_low_rating_followup(rt, rt.hooks.survey_input)

    async def release_on_resolve(session: AsyncSession, ticket: Ticket) -> None:
        hold = await rt.repositories(session).cases.active_hold(ticket.id)
        if hold is not None:
            await release_hold(session, rt, hold, "resolved")

    rt.hooks.on_ticket_resolved.append(release_on_resolve)
    if rt.settings.media.enabled:
        rt.hooks.on_citizen_message.append(on_citizen_message)


feature = Feature("cases", setup=setup, background=(breach_loop, alert_loop, media_loop))
