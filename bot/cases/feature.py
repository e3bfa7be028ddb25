"""The case-handling feature as the composition root wires it."""

from __future__ import annotations

from fastapi import FastAPI

from bot.cases.breaches import breach_loop
from bot.cases.low_rating import with_low_rating_followup
from bot.core.feature import Feature
from bot.core.runtime import Runtime


def setup(app: FastAPI, rt: Runtime) -> None:
    """Register the case-handling hooks on the runtime (once per runtime)."""
    if not rt.hooks.claim("cases"):
        return
    # The survey feature is set up before this one (bot.app.features lists it first).
    if rt.hooks.survey_input is not None:
        rt.hooks.survey_input = with_low_rating_followup(rt, rt.hooks.survey_input)


feature = Feature("cases", setup=setup, background=(breach_loop,))
