"""IKM reports over HTTP: ``GET /api/reports/ikm`` (JSON), its SKM-report CSV, and the console page.

Admins see every unit; supervisors their unit and the units below it;
officers may not read reports (403). A unit outside the caller's view
answers 404, like one that does not exist. The console page draws its charts
(IKM over time, per element, per unit) on the server with matplotlib and
embeds them as PNG images: no JavaScript, no chart library from a CDN.
"""

from __future__ import annotations

import asyncio
import base64
import io
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from bot.core.feature import Feature
from bot.core.i18n import IKM_PAGE
from bot.core.runtime import Runtime
from bot.staff.sessions import StaffContext
from bot.staff.visibility import visible_unit_ids
from bot.surveys.ikm import IkmResult
from bot.surveys.reports import (
    IkmReport,
    ReportFilter,
    ikm_report,
    period_label,
    report_csv,
    report_to_dict,
    scope_label,
)
from bot.surveys.skm import Lang, element
from bot.web.console.i18n import request_lang
from bot.web.deps import runtime_of, security_headers
from bot.web.staff_deps import current_staff_api, current_staff_console

REPORT_ROLES = ("admin", "supervisor")
PeriodParam = Literal["week", "month", "quarter", "semester", "year"]
CHANNELS = ("webchat", "rest", "telegram", "whatsapp", "terminal")
# Grade boundaries on the converted scale (PermenPANRB 14/2017), drawn on the charts.
GRADE_LINES = ((88.31, "A"), (76.61, "B"), (65.0, "C"))

api_router = APIRouter(prefix="/api/reports", tags=["reports"])
console_router = APIRouter(prefix="/console/reports", include_in_schema=False)


# ``/api/reports/ikm``, ``/api/reports/ikm.csv`` and ``/console/reports/ikm``.
feature = Feature("reports", routers=(api_router, console_router))


@dataclass(frozen=True)
class ReportQuery:
    """The filters of a report request, as given."""

    unit: str | None
    date_from: date | None
    date_to: date | None
    period: PeriodParam
    channel: str | None
    descendants: bool
    population: int | None

    def params(self, **override: Any) -> str:
        """The query string of these filters (for links)."""
        values: dict[str, Any] = {
            "unit": self.unit, "from": self.date_from, "to": self.date_to,
            "period": self.period, "channel": self.channel,
            "descendants": None if self.descendants else "false",
            "population": self.population, **override}
        return urlencode({k: str(v) for k, v in values.items() if v not in (None, "")})


def report_query(
    unit: str | None = Query(None, max_length=64, description="unit id (and the units below it)"),
    date_from: date | None = Query(None, alias="from", description="first day, inclusive (WIB)"),
    date_to: date | None = Query(None, alias="to", description="last day, inclusive (WIB)"),
    period: PeriodParam = Query("month", description="period of the over-time breakdown"),
    channel: str | None = Query(None, max_length=32, description="only answers on this channel"),
    descendants: bool = Query(True, description="include the units below `unit`"),
    population: int | None = Query(None, ge=1, le=10**12,
                                   description="service users, for the total's minimum sample"),
) -> ReportQuery:
    """FastAPI dependency: the report filters from the query string."""
    return ReportQuery(unit or None, date_from, date_to, period, channel or None, descendants,
                       population)


def _allowed(ctx: StaffContext, rt: Runtime, q: ReportQuery) -> ReportFilter:
    """The filter for this caller: 403 for officers, 404 for a unit they cannot see."""
    if ctx.user.role not in REPORT_ROLES:
        raise HTTPException(status_code=403, detail="reports are for supervisors and admins")
    if q.date_from and q.date_to and q.date_from > q.date_to:
        raise HTTPException(status_code=400, detail="'from' is after 'to'")
    visible = visible_unit_ids(ctx.user, rt.catalog)
    if q.unit is not None and (not rt.catalog.has_unit(q.unit)
                               or (visible is not None and q.unit not in visible)):
        raise HTTPException(status_code=404, detail="unit not found")
    return ReportFilter(unit_id=q.unit, include_descendants=q.descendants,
                        date_from=q.date_from, date_to=q.date_to, channel=q.channel,
                        visible_units=visible)


async def _report(rt: Runtime, flt: ReportFilter, q: ReportQuery) -> IkmReport:
    async with rt.sessions() as session:
        return await ikm_report(rt.repositories(session), rt.catalog, flt, period=q.period,
                                overall_population=q.population)


def _csv_response(report: IkmReport, rt: Runtime, lang: Lang) -> Response:
    name = f"skm-{report.filters.unit_id or 'semua-unit'}.csv"
    return Response(report_csv(report, rt.catalog, lang), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# ---- API -----------------------------------------------------------------------


@api_router.get("/ikm", responses={403: {"description": "officers may not read reports"},
                                   404: {"description": "no such unit, or not yours to see"}})
async def ikm_json(request: Request, q: ReportQuery = Depends(report_query),
                   ctx: StaffContext = Depends(current_staff_api)) -> JSONResponse:
    """The IKM overall, per unit, per period and per channel, each per element.

    Same filters and JSON as ``pintu report ikm --json``.
    """
    rt = runtime_of(request)
    report = await _report(rt, _allowed(ctx, rt, q), q)
    return JSONResponse(report_to_dict(report))


@api_router.get("/ikm.csv", response_class=Response,
                responses={200: {"content": {"text/csv": {}}}})
async def ikm_csv(request: Request, q: ReportQuery = Depends(report_query),
                  lang: Lang = Query("id"),
                  ctx: StaffContext = Depends(current_staff_api)) -> Response:
    """The filtered answers' IKM laid out as a unit's SKM report (CSV)."""
    rt = runtime_of(request)
    report = await _report(rt, _allowed(ctx, rt, q), q)
    return _csv_response(report, rt, lang)


# ---- console page ------------------------------------------------------------------


def _render(request: Request, name: str, ctx: StaffContext, status: int = 200,
            **values: Any) -> HTMLResponse:
    # The console's own Jinja environment and layout (base.html), so the page looks alike.
    from bot.web.console.i18n import Words
    from bot.web.console.routes import templates

    rt = runtime_of(request)
    lang = request_lang(request, ctx)
    unit_id = ctx.user.unit_id
    context = {"w": Words(lang), "lang": lang, "ctx": ctx, "user": ctx.user,
               "csrf": ctx.csrf_token, "rt": rt, "r": IKM_PAGE.in_lang(lang),
               "user_unit": rt.catalog.unit(unit_id).name
               if unit_id and rt.catalog.has_unit(unit_id) else None, **values}
    response = templates.TemplateResponse(request, name, context, status_code=status)
    security_headers(response)
    return response


def _console_filter(request: Request, ctx: StaffContext, q: ReportQuery
                    ) -> ReportFilter | HTMLResponse:
    rt = runtime_of(request)
    lang = request_lang(request, ctx)
    try:
        return _allowed(ctx, rt, q)
    except HTTPException as exc:
        message = {403: IKM_PAGE.raw("forbidden", lang),
                   404: IKM_PAGE.raw("not_found", lang)}.get(exc.status_code, str(exc.detail))
        return _render(request, "error.html", ctx, status=exc.status_code,
                       title=IKM_PAGE.raw("error", lang), message=message)


@console_router.get("/ikm")
async def ikm_page(request: Request, q: ReportQuery = Depends(report_query),
                   ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The IKM page: filters, the per-unit table, three charts and the CSV download."""
    rt = runtime_of(request)
    flt = _console_filter(request, ctx, q)
    if isinstance(flt, HTMLResponse):
        return flt
    lang = request_lang(request, ctx)
    report = await _report(rt, flt, q)
    data = report_to_dict(report)
    charts = await asyncio.to_thread(render_charts, report, lang) \
        if report.overall.respondents else {}
    visible = flt.visible_units
    units = [(u.id, u.name) for u in rt.catalog.units if visible is None or u.id in visible]
    return _render(request, "reports_ikm.html", ctx, data=data, charts=charts, q=q,
                   units=units, channels=CHANNELS, periods=("week", "month", "quarter",
                                                            "semester", "year"),
                   scope=scope_label(report, rt.catalog, lang),
                   dates=period_label(report.filters, lang),
                   csv_url="/console/reports/ikm.csv?" + q.params(lang=lang))


@console_router.get("/ikm.csv")
async def ikm_page_csv(request: Request, q: ReportQuery = Depends(report_query),
                       ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The console's CSV download (the same file as ``GET /api/reports/ikm.csv``)."""
    rt = runtime_of(request)
    flt = _console_filter(request, ctx, q)
    if isinstance(flt, HTMLResponse):
        return flt
    report = await _report(rt, flt, q)
    return _csv_response(report, rt, request_lang(request, ctx))


# ---- charts ------------------------------------------------------------------------


def _png(fig: Any) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _grade_lines(ax: Any, horizontal: bool) -> None:
    for value, grade in GRADE_LINES:
        if horizontal:
            ax.axhline(value, color="#999999", linewidth=0.8, linestyle="--")
            ax.text(1.0, value, f" {grade}", transform=ax.get_yaxis_transform(),
                    va="bottom", fontsize=8, color="#666666")
        else:
            ax.axvline(value, color="#999999", linewidth=0.8, linestyle="--")
            ax.text(value, 1.0, grade, transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom", fontsize=8, color="#666666")


def render_charts(report: IkmReport, lang: Lang = "id") -> dict[str, str]:
    """The page's three charts as PNG data URIs: ``over_time``, ``per_element``, ``per_unit``.

    Drawn with matplotlib's Agg canvas on figures of their own (no pyplot
    state), so it is safe to call from worker threads.
    """
    from matplotlib.figure import Figure

    words = IKM_PAGE.in_lang(lang)
    charts: dict[str, str] = {}

    periods = [(k, r.converted) for k, r in report.by_period.items() if r.converted is not None]
    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    ax.plot([k for k, _ in periods], [v for _, v in periods], marker="o", color="#1f6f8b")
    for i, (_, v) in enumerate(periods):
        ax.annotate(f"{v:.2f}", (i, v), textcoords="offset points", xytext=(0, 6), ha="center",
                    fontsize=8)
    ax.set_ylim(25, 100)
    ax.set_ylabel(words["converted"])
    ax.set_title(words["over_time"])
    _grade_lines(ax, horizontal=True)
    charts["over_time"] = _png(fig)

    scores = [s for s in report.overall.elements if s.nrr is not None]
    fig = Figure(figsize=(7, 0.5 + 0.45 * max(len(scores), 1)))
    ax = fig.add_subplot()
    labels = [f"{element(s.element).code} {element(s.element).name(lang)}" for s in scores]
    values = [s.nrr or 0.0 for s in scores]
    ax.barh(labels, values, color="#2e8b57")
    for y, v in enumerate(values):
        ax.text(v, y, f" {v:.2f}", va="center", fontsize=8)
    ax.set_xlim(0, 4.3)
    ax.invert_yaxis()
    ax.set_xlabel(words["nrr"] + " (1-4)")
    ax.set_title(words["per_element"])
    charts["per_element"] = _png(fig)

    units: list[tuple[str, IkmResult]] = [
        (report.unit_names.get(k, k), r) for k, r in report.by_unit.items()
        if r.converted is not None]
    fig = Figure(figsize=(7, 0.5 + 0.45 * max(len(units), 1)))
    ax = fig.add_subplot()
    ax.barh([name[:40] for name, _ in units], [r.converted or 0.0 for _, r in units],
            color="#c0703a")
    for y, (_, r) in enumerate(units):
        ax.text(r.converted or 0.0, y, f" {r.converted:.2f} {r.grade}", va="center", fontsize=8)
    ax.set_xlim(0, 110)
    ax.invert_yaxis()
    ax.set_xlabel(words["converted"] + " (25-100)")
    ax.set_title(words["per_unit"], pad=14)
    _grade_lines(ax, horizontal=False)
    charts["per_unit"] = _png(fig)
    return charts
