"""Admins train the NLU: training data, review queue, retraining, versions, promotion.

This package is the feature's logic (no routes): :data:`feature` registers the
citizen "you misunderstood me" hook, watches for a newly promoted version in
the background and, at start-up, switches the process to the live version
recorded in the database. The pages and the API live in ``bot.web.nlu_admin``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI

from bot.core.feature import Feature
from bot.core.runtime import Runtime
from bot.nlu_admin.jobs import fail_interrupted
from bot.nlu_admin.review import on_citizen_message
from bot.nlu_admin.versions import sync_live, watch_live

log = logging.getLogger(__name__)


async def startup(rt: Runtime) -> None:
    """Switch to the recorded live version (a failure is logged; the server still starts),
    and mark training jobs a stopped process left behind as failed.

    A restarted process must not serve a newer, unpromoted model file, nor let a job that
    died with it block retraining.
    """
    try:
        await fail_interrupted(rt)
    except Exception:
        log.exception("could not check for interrupted NLU training jobs")
    try:
        await sync_live(rt)
    except Exception:
        log.exception("could not load the live NLU version at start-up")


def setup(app: FastAPI, rt: Runtime) -> None:
    """Register the citizen-flag hook (once per runtime)."""
    if rt.hooks.claim("nlu_admin"):
        rt.hooks.on_citizen_message.append(on_citizen_message)


feature = Feature("nlu_admin", setup=setup, startup=startup, background=(watch_live,))
