"""The service catalog over the API: list units and services, reload the catalog (admins)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from bot.core.feature import Feature
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from bot.tickets.units import sync_units
from bot.web.api import staff
from bot.web.deps import runtime_of
from bot.web.staff_deps import client_ip
from routing.catalog import CatalogError
from routing.router import service_decision

# ``GET /api/catalog/units``, ``GET /api/catalog/services`` and ``POST /api/catalog/reload``.
router = APIRouter()

@router.get("/api/catalog/units", tags=["catalog"])
async def list_units(
    request: Request, ctx: StaffContext = Depends(staff)
) -> list[dict[str, Any]]:
    """Every unit of the live catalog (for forwarding), with the categories it owns."""
    catalog = runtime_of(request).catalog
    return [{"id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind,
             "parent_id": u.parent_id, "categories": list(u.categories),
             "regions": list(u.regions), "is_triage": u.is_triage} for u in catalog.units]

@router.get("/api/catalog/services", tags=["catalog"])
async def list_services(
    request: Request, ctx: StaffContext = Depends(staff),
    region: str | None = Query(None, max_length=16,
                               description="a wilayah code: also say who handles it there"),
) -> list[dict[str, Any]]:
    """Every service of the live catalog: code, names, category, standard, owners per region
    (and, with ``region``, the unit that handles it there after every fallback)."""
    catalog = runtime_of(request).catalog
    out = []
    for s in catalog.services:
        item: dict[str, Any] = {
            "code": s.code, "name": s.name, "name_en": s.name_en, "category": s.category,
            "standard": s.standard_id, "oversight": s.oversight, "keywords": list(s.keywords),
            "response_days": s.response_days, "owners": dict(sorted(s.owners.items()))}
        if region is not None:
            decision = service_decision(catalog, s.code, region, "api")
            item["handled_by"] = {"unit_id": decision.unit.id, "rule": decision.rule.value,
                                  "response_days": decision.response_days}
        out.append(item)
    return out


@router.post("/api/catalog/reload", tags=["catalog"])
async def reload_catalog(request: Request,
                         ctx: StaffContext = Depends(staff)) -> dict[str, Any]:
    """Load the catalog file again; an invalid file is refused and the live one kept."""
    if ctx.user.role != "admin":
        raise HTTPException(status_code=403, detail="only admins can reload the catalog")
    rt = runtime_of(request)
    old = rt.catalog
    try:
        catalog = await asyncio.to_thread(rt.reload_catalog)
    except CatalogError as exc:
        rt.catalog = old
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    await sync_units(rt)
    async with rt.sessions() as session, session.begin():
        await audit(rt.repositories(session), ctx, "catalog_reloaded", target_type="catalog",
                    data={"units": len(catalog.units), "standards": len(catalog.standards)},
                    ip=client_ip(request))
    return {"units": len(catalog.units), "standards": len(catalog.standards),
            "holidays": len(catalog.holidays)}


feature = Feature("catalog", routers=(router,))
