"""Case handling over HTTP (issue 16): the compliance report as
``GET /api/reports/compliance`` (JSON), ``.csv`` and ``/console/reports/compliance``.

Who may read the report follows the IKM report: admins every unit, supervisors
their unit and the units below it, officers not at all (403); a unit outside
the caller's view answers 404.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from pydantic import BaseModel
from starlette.background import BackgroundTask

from bot.cases.compliance import (
    ComplianceReport,
    compliance_csv,
    compliance_report,
    compliance_to_dict,
)
from bot.cases.holds import hold_view, staff_hold_action
from bot.cases.media import media_store
from bot.cases.media_store import MediaStoreError
from bot.cases.ticket_map import load_centroids, place_tickets
from bot.core.feature import Feature
from bot.core.i18n import CASES
from bot.core.runtime import Runtime
from bot.staff.sessions import StaffContext, csrf_ok
from bot.staff.visibility import can_see, visible_unit_ids
from bot.surveys.reports import ReportFilter
from bot.tickets.lifecycle import TicketError
from bot.web.console.i18n import Words, request_lang
from bot.web.deps import runtime_of
from bot.web.reports import ReportQuery, _allowed, _render, report_query
from bot.web.staff_deps import client_ip, current_staff_api, current_staff_console
from storage.models import utcnow

api_router = APIRouter(prefix="/api/reports", tags=["reports"])
console_router = APIRouter(prefix="/console/reports", include_in_schema=False)
hold_api_router = APIRouter(prefix="/api/tickets", tags=["tickets"])
hold_console_router = APIRouter(prefix="/console/tickets", include_in_schema=False)
media_router = APIRouter(prefix="/console/media", include_in_schema=False)
map_router = APIRouter(prefix="/console/map", include_in_schema=False)
log = logging.getLogger(__name__)

feature = Feature("cases_web", routers=(api_router, console_router, hold_api_router,
                                        hold_console_router, media_router, map_router))


async def _report(rt: Runtime, flt: ReportFilter, q: ReportQuery) -> ComplianceReport:
    async with rt.sessions() as session:
        return await compliance_report(rt.repositories(session), rt.catalog, rt.settings.cases,
                                       flt, q.period, utcnow())


def _csv(report: ComplianceReport) -> Response:
    name = f"kepatuhan-{report.filters.unit_id or 'semua-unit'}.csv"
    return Response(compliance_csv(report), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@api_router.get("/compliance",
                responses={403: {"description": "officers may not read reports"},
                           404: {"description": "no such unit, or not yours to see"}})
async def compliance_json(request: Request, q: ReportQuery = Depends(report_query),
                          ctx: StaffContext = Depends(current_staff_api)) -> JSONResponse:
    """Share of tickets within each clock per unit and period (as ``pintu report compliance
    --json``). Filters: ``unit``, ``descendants``, ``from``, ``to`` (days filed), ``period``."""
    rt = runtime_of(request)
    return JSONResponse(compliance_to_dict(await _report(rt, _allowed(ctx, rt, q), q)))


@api_router.get("/compliance.csv", response_class=Response,
                responses={200: {"content": {"text/csv": {}}}})
async def compliance_api_csv(request: Request, q: ReportQuery = Depends(report_query),
                             ctx: StaffContext = Depends(current_staff_api)) -> Response:
    """The compliance report as CSV (as ``pintu report compliance --csv``)."""
    rt = runtime_of(request)
    return _csv(await _report(rt, _allowed(ctx, rt, q), q))


def _console_filter(request: Request, ctx: StaffContext,
                    q: ReportQuery) -> ReportFilter | HTMLResponse:
    rt = runtime_of(request)
    lang = request_lang(request, ctx)
    try:
        return _allowed(ctx, rt, q)
    except HTTPException as exc:
        key = {403: "forbidden", 404: "not_found"}.get(exc.status_code, "error")
        return _render(request, "error.html", ctx, status=exc.status_code,
                       title=CASES.raw("error", lang), message=CASES.raw(key, lang))


@console_router.get("/compliance")
async def compliance_page(request: Request, q: ReportQuery = Depends(report_query),
                          ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The compliance page: filters, the table per unit and period, the CSV download."""
    rt = runtime_of(request)
    flt = _console_filter(request, ctx, q)
    if isinstance(flt, HTMLResponse):
        return flt
    lang = request_lang(request, ctx)
    data: dict[str, Any] = compliance_to_dict(await _report(rt, flt, q))
    visible = flt.visible_units
    units = [(u.id, u.name) for u in rt.catalog.units if visible is None or u.id in visible]
    return _render(request, "reports_compliance.html", ctx, data=data, q=q, units=units,
                   c=CASES.in_lang(lang),
                   periods=("week", "month", "quarter", "semester", "year"),
                   csv_url="/console/reports/compliance.csv?" + q.params())


@console_router.get("/compliance.csv")
async def compliance_page_csv(request: Request, q: ReportQuery = Depends(report_query),
                              ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The console's CSV download (the same file as the API's)."""
    rt = runtime_of(request)
    flt = _console_filter(request, ctx, q)
    if isinstance(flt, HTMLResponse):
        return flt
    return _csv(await _report(rt, flt, q))


# ---- an officer takes a conversation from the bot, and hands it back ------------------


HOLD_ACTIONS = {"take": True, "release": False}


class HoldOut(BaseModel):
    """A ticket's conversation: held by an officer (the bot quiet) or with the bot."""

    number: str
    held: bool
    staff_user_id: int | None = None
    until: str | None = None


@hold_api_router.post("/{number}/hold/{do}", response_model=HoldOut,
                      responses={404: {"description": "no such ticket, or not yours to see"},
                                 400: {"description": "the ticket is done, or not held"}})
async def hold_api(number: str, do: Literal["take", "release"], request: Request,
                   ctx: StaffContext = Depends(current_staff_api)) -> HoldOut:
    """``take``: the bot stops answering the citizen's conversation about this ticket (for
    ``alerts.hold_minutes`` at most); ``release``: hand it back to the bot."""
    rt = runtime_of(request)
    try:
        ticket = await staff_hold_action(rt, ctx, number, take=HOLD_ACTIONS[do],
                                         ip=client_ip(request))
    except TicketError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    view = await hold_view(rt, ticket.id)
    return HoldOut(number=ticket.number, held=view.held, staff_user_id=view.staff_user_id,
                   until=view.expires_at.isoformat() if view.expires_at else None)


@hold_console_router.post("/{number}/hold/{do}")
async def hold_console(number: str, do: str, request: Request,
                       ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The ticket page's take / hand-back buttons (CSRF-checked form posts)."""
    form = await request.form()
    token = form.get("csrf_token")
    if do not in HOLD_ACTIONS or not csrf_ok(ctx, token if isinstance(token, str) else None):
        raise HTTPException(status_code=403 if do in HOLD_ACTIONS else 404)
    rt = runtime_of(request)
    try:
        ticket = await staff_hold_action(rt, ctx, number, take=HOLD_ACTIONS[do],
                                         ip=client_ip(request))
    except TicketError:
        return RedirectResponse(f"/console/tickets/{number}", status_code=303)
    return RedirectResponse(f"/console/tickets/{ticket.number}", status_code=303)


# ---- citizens' media, for the officers who may see their ticket ------------------------

@media_router.get("/{media_file_id}")
async def media_file(media_file_id: int, request: Request,
                     ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """A stored media file, to a staff user who may see its ticket (404 otherwise; media
    on no ticket only to admins)."""
    rt = runtime_of(request)
    async with rt.sessions() as session:
        found = await rt.repositories(session).cases.media_ticket(media_file_id)
    if found is None:
        raise HTTPException(status_code=404)
    row, ticket = found
    units = visible_unit_ids(ctx.user, rt.catalog)
    allowed = can_see(ticket, units) if ticket is not None else units is None
    if not allowed or row.status != "stored" or not row.path:
        raise HTTPException(status_code=404)
    try:
        body = await media_store(rt.settings.media).open(row.path)
    except MediaStoreError as exc:
        log.warning("media %s not readable: %s", row.id, exc)
        return PlainTextResponse("The media store cannot be read now; try again later.",
                                 status_code=503, headers={"Retry-After": "60"})
    if body is None:
        raise HTTPException(status_code=404)
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "default-src 'none'; sandbox"}
    if body.size is not None:
        headers["Content-Length"] = str(body.size)
    if not (row.mime_type or "").startswith("image/"):
        headers["Content-Disposition"] = f'attachment; filename="media-{row.id}"'
    # The bytes pass through Pintu (the officer's session decides), never a bucket URL.
    return StreamingResponse(body.chunks, media_type=row.mime_type or "application/octet-stream",
                             headers=headers, background=BackgroundTask(body.close))


# ---- the ticket map ----------------------------------------------------------------------


def _map_csp(tile_url: str) -> str:
    """The console's policy, with the tile server's origin allowed for images."""
    parts = urlsplit(tile_url)
    tiles = f" {parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""
    return ("default-src 'self'; img-src 'self' data:" + tiles + "; style-src 'self'; "
            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
            "form-action 'self'; base-uri 'none'")


@map_router.get("")
async def map_page(request: Request,
                   ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The map of the tickets the inbox's filters select (the same query string)."""
    from bot.web.console.routes import CHANNELS, STATUSES, inbox_filter

    rt = runtime_of(request)
    _flt, chosen = inbox_filter(request, visible_unit_ids(ctx.user, rt.catalog))
    cfg = rt.settings.map
    query = urlencode({k: v for k, v in chosen.items() if v})
    response = _render(request, "map.html", ctx, c=CASES.in_lang(request_lang(request, ctx)),
                       chosen=chosen, statuses=STATUSES, channels=CHANNELS, query=query,
                       points_url="/console/map/points.json?" + query, cfg=cfg,
                       center=json.dumps(cfg.center))
    response.headers["Content-Security-Policy"] = _map_csp(cfg.tile_url)
    return response


@map_router.get("/points.json")
async def map_points(request: Request,
                     ctx: StaffContext = Depends(current_staff_console)) -> JSONResponse:
    """The filtered tickets as map points (approximate where placed at a centroid)."""
    from bot.web.console.routes import inbox_filter

    rt = runtime_of(request)
    flt, _chosen = inbox_filter(request, visible_unit_ids(ctx.user, rt.catalog))
    limit = rt.settings.map.max_points
    # One more than is drawn: whether the filter matched more than the map holds.
    flt = replace(flt, limit=limit + 1)
    async with rt.sessions() as session:
        found = await rt.repositories(session).inbox.search(flt, utcnow())
    tickets, more = found[:limit], len(found) > limit
    centroids = load_centroids(rt.settings.map.centroids_path)
    points, unplaced = place_tickets(tickets, centroids)
    lang = request_lang(request, ctx)
    words = Words(lang)
    return JSONResponse({"points": [
        {"number": p.ticket.number, "lat": p.lat, "lon": p.lon, "approximate": p.approximate,
         "status": p.ticket.status, "status_label": words.status(p.ticket.status),
         "category": words.category(p.ticket.category), "unit": rt.unit_name(p.ticket.unit_id),
         "url": f"/console/tickets/{p.ticket.number}"} for p in points],
        "unplaced": unplaced, "more": more, "limit": limit},
        headers={"Cache-Control": "no-store"})
