"""The admin console's services pages: ``/console/services`` (list, search, ticket counts)
and ``/console/services/{code}`` (edit example sentences and owners per region)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from bot.core.feature import Feature
from bot.core.i18n import SERVICES_ADMIN
from bot.staff.sessions import StaffContext, csrf_ok
from bot.tickets.catalog_services import ServiceEditError, save_service_edit, services_overview
from bot.web.console.i18n import request_lang
from bot.web.console.routes import render_page
from bot.web.deps import runtime_of
from bot.web.staff_deps import client_ip, current_staff_console

router = APIRouter(prefix="/console/services", include_in_schema=False)
MAX_OWNER_ROWS = 200


def _words(request: Request, ctx: StaffContext) -> Any:
    lang = request_lang(request, ctx)
    return lambda key: SERVICES_ADMIN.raw(key, lang)


def _forbidden(request: Request, ctx: StaffContext) -> Response:
    s = _words(request, ctx)
    return render_page(request, "error.html", ctx, status=403, title=s("title"),
                       message=s("admins_only"))


@router.get("")
async def services_page(request: Request, q: str = "",
                        ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Every service with its owners per region, tickets and forwards; searchable."""
    if ctx.user.role != "admin":
        return _forbidden(request, ctx)
    query = q.strip()[:200]
    rows = await services_overview(runtime_of(request), query, request_lang(request, ctx))
    return render_page(request, "services.html", ctx, s=_words(request, ctx), rows=rows,
                       q=query)


async def _edit_page(request: Request, ctx: StaffContext, code: str, *, status: int = 200,
                     problems: tuple[str, ...] = (), examples: str | None = None,
                     owners: list[tuple[str, str]] | None = None) -> Response:
    s = _words(request, ctx)
    rt = runtime_of(request)
    rows = [r for r in await services_overview(rt, None, request_lang(request, ctx))
            if r.service.code == code]
    if not rows:
        return render_page(request, "error.html", ctx, status=404, title=s("title"),
                           message=s("not_found"))
    row = rows[0]
    return render_page(
        request, "service_edit.html", ctx, status=status, s=s, row=row, problems=problems,
        examples=examples if examples is not None else "\n".join(row.service.examples),
        owners=owners if owners is not None else [(o.region_code, o.unit_id)
                                                  for o in row.owners],
        units=[(u.id, u.short_name) for u in rt.catalog.units if not u.is_triage],
        saved=request.query_params.get("saved") == "1",
        kept_in=str(rt.settings.catalog.overrides_file()))


@router.get("/{code}")
async def service_edit_page(code: str, request: Request,
                            ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """One service: its standard, examples and owners, and the edit form."""
    if ctx.user.role != "admin":
        return _forbidden(request, ctx)
    return await _edit_page(request, ctx, code)


@router.post("/{code}")
async def service_edit(code: str, request: Request,
                       ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Save the examples and owners; an invalid edit is shown with its problems, unsaved."""
    if ctx.user.role != "admin":
        return _forbidden(request, ctx)
    form = await request.form()
    token = form.get("csrf_token")
    if not csrf_ok(ctx, token if isinstance(token, str) else ""):
        return render_page(request, "error.html", ctx, status=403, title="CSRF",
                           message=_words(request, ctx)("invalid"))
    examples = str(form.get("examples") or "")
    regions = [str(v).strip() for v in form.getlist("owner_region")][:MAX_OWNER_ROWS]
    units = [str(v).strip() for v in form.getlist("owner_unit")][:MAX_OWNER_ROWS]
    pairs = [(r, u) for r, u in zip(regions, units, strict=False) if r and u]
    problems = [f"region {r!r} is listed twice" for r in {r for r, _ in pairs}
                if sum(1 for x, _ in pairs if x == r) > 1]
    if not problems:
        try:
            await save_service_edit(runtime_of(request), ctx, code, examples.splitlines(),
                                    dict(pairs), ip=client_ip(request))
        except ServiceEditError as exc:
            problems = list(exc.problems)
    if problems:
        return await _edit_page(request, ctx, code, status=422, problems=tuple(problems),
                                examples=examples, owners=pairs)
    return RedirectResponse(f"/console/services/{code}?saved=1", status_code=303)


feature = Feature("console_services", routers=(router,))
