"""The NLU admin's pages (``/console/admin/nlu``) and API (``/api/nlu``), admins only."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.core.feature import Feature
from bot.web.nlu_admin import api, intent_pages, pages

HERE = Path(__file__).resolve().parent


def mount(app: FastAPI) -> None:
    """Serve the pages' script and style."""
    app.mount("/console/admin/nlu/static", StaticFiles(directory=HERE / "static"),
              name="nlu-admin-static")


feature = Feature("nlu_admin_web", routers=(pages.router, intent_pages.router, api.router),
                  mount=mount)
