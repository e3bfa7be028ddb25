"""Admin API for citizens' data rights: ``GET /api/citizens/{id}/export`` and
``POST /api/citizens/{id}/erase`` (admins only, audited)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from bot.core.feature import Feature
from bot.privacy.rights import NoSuchCitizen, erase_citizen, export_citizen
from bot.staff.sessions import StaffContext
from bot.web.api import staff
from bot.web.deps import RowId, json_error, runtime_of
from bot.web.staff_deps import client_ip

router = APIRouter(prefix="/api/citizens", tags=["privacy"],
                   responses={401: {"description": "not signed in"},
                              403: {"description": "not an admin"},
                              404: {"description": "no such citizen"}})


async def admin(ctx: StaffContext = Depends(staff)) -> StaffContext:
    """The caller, who must be an admin (403 otherwise)."""
    if ctx.user.role != "admin":
        raise HTTPException(status_code=403, detail="citizens' data is for admins only")
    return ctx


@router.get("/{citizen_id}/export")
async def export(citizen_id: RowId, request: Request,
                 ctx: StaffContext = Depends(admin)) -> Any:
    """Everything kept about the citizen, as JSON (UU 27/2022 right of access)."""
    try:
        return await export_citizen(runtime_of(request), citizen_id, actor_user_id=ctx.user_id,
                                    via=ctx.kind, ip=client_ip(request))
    except NoSuchCitizen:
        return json_error(404, "no such citizen")


@router.post("/{citizen_id}/erase")
async def erase(citizen_id: RowId, request: Request,
                ctx: StaffContext = Depends(admin)) -> Any:
    """Erase identity, contact data and words; tickets stay anonymised for statistics."""
    try:
        counts = await erase_citizen(runtime_of(request), citizen_id, actor_user_id=ctx.user_id,
                                     via=ctx.kind, ip=client_ip(request))
    except NoSuchCitizen:
        return json_error(404, "no such citizen")
    return {"erased": citizen_id, "changed": counts}


feature = Feature("privacy-api", routers=(router,))
