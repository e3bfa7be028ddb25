"""The case-handling feature as the composition root wires it."""

from __future__ import annotations

from fastapi import FastAPI

from bot.cases.breaches import breach_loop
from bot.core.feature import Feature
from bot.core.runtime import Runtime


def setup(app: FastAPI, rt: Runtime) -> None:
    """Register the case-handling hooks on the runtime (once per runtime)."""
    if not rt.hooks.claim("cases"):
        return


feature = Feature("cases", setup=setup, background=(breach_loop,))
