"""Admins train the NLU in the browser: training data, review queue, retraining, versions.

A feature module (see ``bot.app.FEATURE_MODULES``): :func:`include` adds the
console pages (``/console/admin/nlu``) and the API (``/api/nlu``);
:func:`setup` hooks the runtime (the live-version watcher, the citizen
"you misunderstood me" hook). At start-up the process switches to the live
version recorded in the database, if it runs another one.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.runtime import Runtime

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


def include(app: FastAPI) -> None:
    """Add the pages, the API and the pages' script; sync the live version at start-up."""
    from bot.nlu_admin import api, pages

    app.mount("/console/admin/nlu/static", StaticFiles(directory=HERE / "static"),
              name="nlu-admin-static")
    app.include_router(pages.router)
    app.include_router(api.router)


async def startup(rt: Runtime) -> None:
    """Switch to the recorded live version (a failure is logged; the server still starts),
    and mark training jobs a stopped process left behind as failed.

    A restarted process must not serve a newer, unpromoted model file, nor let a job that
    died with it block retraining.
    """
    from bot.nlu_admin.jobs import fail_interrupted
    from bot.nlu_admin.versions import sync_live

    try:
        await fail_interrupted(rt)
    except Exception:
        log.exception("could not check for interrupted NLU training jobs")
    try:
        await sync_live(rt)
    except Exception:
        log.exception("could not load the live NLU version at start-up")


def setup(app: FastAPI, rt: Runtime) -> None:
    """Register the live-version watcher and the citizen-flag hook (once per runtime)."""
    from bot.nlu_admin.review import on_citizen_message
    from bot.nlu_admin.versions import watch_live

    background = rt.extras.setdefault("background", [])
    if watch_live not in background:
        background.append(watch_live)
    hooks = rt.extras.setdefault("on_citizen_message", [])
    if on_citizen_message not in hooks:
        hooks.append(on_citizen_message)
