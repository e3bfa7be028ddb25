"""``GET /healthz``: 200 when the database answers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.core.feature import Feature
from bot.web.deps import runtime_of
from storage.db import ping
from storage.sqlite_driver import inline_statements

# The health route.
router = APIRouter()

@router.get("/healthz", tags=["health"])
async def healthz(request: Request) -> JSONResponse:
    rt = runtime_of(request)
    with inline_statements():  # one "SELECT 1"
        ok = await ping(rt.engine)
    body = {
        "status": "ok" if ok else "unavailable",
        "database": "ok" if ok else "unreachable",
        "nlu_version": rt.nlu.version,
        "channels": sorted(rt.adapters),
    }
    return JSONResponse(body, status_code=200 if ok else 503)


feature = Feature("health", routers=(router,))
