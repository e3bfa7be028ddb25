"""The admin console's data-rights page for one citizen (UU 27/2022):
``/console/citizens/{id}`` with "export data" (a JSON download) and "erase identity and
contact data" (after a confirmation step). Admins only (others get 404), a CSRF token on
every form, and the same audited service functions as the API and ``pintu citizens``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from bot.core.feature import Feature
from bot.privacy.rights import NoSuchCitizen, erase_citizen, export_citizen
from bot.staff.sessions import StaffContext, csrf_ok
from bot.web.console.i18n import Words, request_lang
from bot.web.console.routes import render_page
from bot.web.deps import RowId, runtime_of, security_headers
from bot.web.staff_deps import client_ip, current_staff_console

router = APIRouter(prefix="/console/citizens", include_in_schema=False)


def _not_found(request: Request, ctx: StaffContext) -> Response:
    # Officers and supervisors are not told that the page exists.
    words = Words(request_lang(request, ctx))
    return render_page(request, "error.html", ctx, status=404, title=words("error"),
                       message=words("citizen_not_found"))


def _csrf_refused(request: Request, ctx: StaffContext) -> Response:
    words = Words(request_lang(request, ctx))
    return render_page(request, "error.html", ctx, status=403, title=words("error"),
                       message=words("csrf_failed"))


async def _citizen_page(request: Request, ctx: StaffContext, citizen_id: int, *,
                        confirm: bool = False, back: str | None = None) -> Response:
    rt = runtime_of(request)
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        citizen = await repos.citizens.get(citizen_id)
        channels = await repos.citizens.channels(citizen_id) if citizen else []
    if citizen is None:
        return _not_found(request, ctx)
    done = request.query_params.get("done")
    return render_page(request, "citizen.html", ctx, citizen=citizen, channels=channels,
                       confirm=confirm, done=done if done == "erased" else None,
                       back=back or _safe_ticket(request.query_params.get("ticket")))


def _safe_ticket(number: str | None) -> str | None:
    """The ticket number the admin came from (only a plain number, for the back link)."""
    if number and len(number) <= 40 and all(ch.isalnum() or ch in "-/" for ch in number):
        return number
    return None


@router.get("/{citizen_id}")
async def citizen_page(citizen_id: RowId, request: Request,
                       ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The citizen's identity at a glance and the two data-rights actions."""
    if ctx.user.role != "admin":
        return _not_found(request, ctx)
    return await _citizen_page(request, ctx, citizen_id)


@router.get("/{citizen_id}/erase")
async def erase_confirmation(citizen_id: RowId, request: Request,
                             ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The confirmation step before erasure (nothing changes here)."""
    if ctx.user.role != "admin":
        return _not_found(request, ctx)
    return await _citizen_page(request, ctx, citizen_id, confirm=True)


@router.post("/{citizen_id}/export")
async def export_download(citizen_id: RowId, request: Request,
                          ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Everything kept about the citizen as a JSON file (audited as ``citizen_exported``)."""
    if ctx.user.role != "admin":
        return _not_found(request, ctx)
    form = await request.form()
    token = form.get("csrf_token")
    if not csrf_ok(ctx, token if isinstance(token, str) else ""):
        return _csrf_refused(request, ctx)
    try:
        data: dict[str, Any] = await export_citizen(
            runtime_of(request), citizen_id, actor_user_id=ctx.user_id, via="console",
            ip=client_ip(request))
    except NoSuchCitizen:
        return _not_found(request, ctx)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    response = Response(body, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="pintu-citizen-{citizen_id}.json"',
        "Cache-Control": "no-store"})
    security_headers(response)
    return response


@router.post("/{citizen_id}/erase")
async def erase(citizen_id: RowId, request: Request,
                ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Erase identity, contact data and words once confirmed; tickets stay, anonymised
    (audited as ``citizen_erased``)."""
    if ctx.user.role != "admin":
        return _not_found(request, ctx)
    form = await request.form()
    token = form.get("csrf_token")
    if not csrf_ok(ctx, token if isinstance(token, str) else ""):
        return _csrf_refused(request, ctx)
    back = _safe_ticket(str(form.get("ticket") or ""))
    if form.get("confirm") != "erase":
        return await _citizen_page(request, ctx, citizen_id, confirm=True, back=back)
    try:
        await erase_citizen(runtime_of(request), citizen_id, actor_user_id=ctx.user_id,
                            via="console", ip=client_ip(request))
    except NoSuchCitizen:
        return _not_found(request, ctx)
    then = f"&{urlencode({'ticket': back})}" if back else ""
    return RedirectResponse(f"/console/citizens/{citizen_id}?done=erased{then}",
                            status_code=303)


feature = Feature("console_citizens", routers=(router,))
