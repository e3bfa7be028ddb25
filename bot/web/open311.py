"""Open311 GeoReport v2 at ``/open311/v2``: services, service definitions, requests (file,
list, one), in JSON or XML by the path's extension, errors as the spec shapes them.

Reads are public, as in GeoReport; filing needs an ``api_key``. Dates are W3C
(ISO 8601 with offset). See :mod:`bot.cases.open311` for what a request becomes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from bot.cases.open311 import (
    CHANNEL,
    Open311Error,
    Open311Service,
    RequestForm,
    catalog_services,
    client_for,
    file_request,
    request_records,
    service_notice,
)
from bot.core.feature import Feature
from bot.tickets.status import DONE, OPEN
from bot.web.deps import runtime_of

Format = Literal["json", "xml"]
router = APIRouter(prefix="/open311/v2", tags=["open311"])
feature = Feature("open311", routers=(router,))
MAX_LIST = 1000


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> Response:
    top = ET.Element(root)
    for row in rows:
        el = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(el, key)
            if isinstance(value, bool):
                child.text = "true" if value else "false"
            elif isinstance(value, list):
                for entry in value:
                    sub = ET.SubElement(child, "attribute")
                    for k, v in entry.items():
                        ET.SubElement(sub, k).text = "" if v is None else str(v)
            elif value is not None:
                child.text = str(value)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return Response(body, media_type="text/xml; charset=utf-8")


def _answer(fmt: Format, root: str, item: str, rows: list[dict[str, Any]],
            status: int = 200) -> Response:
    if fmt == "xml":
        response = _xml(root, item, rows)
        response.status_code = status
        return response
    return JSONResponse(rows, status_code=status)


def _error(fmt: Format, code: int, description: str) -> Response:
    return _answer(fmt, "errors", "error", [{"code": code, "description": description}],
                   status=code)


def _service(s: Open311Service) -> dict[str, Any]:
    return {"service_code": s.service_code, "service_name": s.service_name,
            "description": s.description, "metadata": s.metadata, "type": s.type,
            "keywords": s.keywords, "group": s.group}


@router.get("/services.{fmt}")
async def services(fmt: Format, request: Request) -> Response:
    """GET Service List."""
    rt = runtime_of(request)
    return _answer(fmt, "services", "service",
                   [_service(s) for s in catalog_services(rt.catalog)])


@router.get("/services/{code}.{fmt}")
async def service_definition(code: str, fmt: Format, request: Request) -> Response:
    """GET Service Definition (no extra attributes: ``metadata`` is false everywhere)."""
    rt = runtime_of(request)
    if code not in {s.service_code for s in catalog_services(rt.catalog)}:
        return _error(fmt, 404, f"no service {code!r}")
    if fmt == "xml":
        top = ET.Element("service_definition")
        ET.SubElement(top, "service_code").text = code
        ET.SubElement(top, "attributes")
        return Response(b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top),
                        media_type="text/xml; charset=utf-8")
    return JSONResponse({"service_code": code, "attributes": []})


def _field(form: Any, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


@router.post("/requests.{fmt}")
async def create_request(fmt: Format, request: Request) -> Response:
    """POST Service Request (form-encoded, as the spec sends it; JSON bodies also read)."""
    rt = runtime_of(request)
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            return _error(fmt, 400, "the body is not JSON")
        form: Any = body if isinstance(body, dict) else {}
        form = {k: str(v) for k, v in form.items() if v is not None}
    else:
        form = await request.form()
    fields = RequestForm(*(_field(form, n) for n in (
        "service_code", "description", "lat", "long", "address_string", "media_url", "email",
        "device_id", "account_id", "first_name", "last_name")))
    try:
        async with rt.sessions() as session, session.begin():
            client = await client_for(rt.repositories(session), _field(form, "api_key"))
            ticket = await file_request(session, rt, client, fields)
            notice = service_notice(rt, ticket)
    except Open311Error as exc:
        return _error(fmt, exc.code, exc.description)
    rt.notify("ticket", {"number": ticket.number, "unit_id": ticket.unit_id})
    return _answer(fmt, "service_requests", "request", [
        {"service_request_id": ticket.number, "service_notice": notice, "account_id": None}])


def _when(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} is not a W3C datetime") from None
    if moment.tzinfo is None:
        raise Open311Error(400, f"{name} needs a time zone (e.g. Z)")
    return moment


@router.get("/requests.{fmt}")
async def list_requests(fmt: Format, request: Request,
                        service_request_id: str | None = Query(None, max_length=2000),
                        service_code: str | None = Query(None, max_length=500),
                        start_date: str | None = Query(None, max_length=40),
                        end_date: str | None = Query(None, max_length=40),
                        status: str | None = Query(None, max_length=20)) -> Response:
    """GET Service Requests (by ids, or by service, dates and status)."""
    rt = runtime_of(request)
    try:
        since, until = _when(start_date, "start_date"), _when(end_date, "end_date")
        wanted = {s.strip() for s in (status or "").split(",") if s.strip()}
        if wanted - {"open", "closed"}:
            raise Open311Error(400, "status must be open and/or closed")
    except Open311Error as exc:
        return _error(fmt, exc.code, exc.description)
    statuses = [*(OPEN if "open" in wanted else ()), *(DONE if "closed" in wanted else ())]
    numbers = [n.strip().upper() for n in (service_request_id or "").split(",") if n.strip()]
    codes = [c.strip() for c in (service_code or "").split(",") if c.strip()]
    channel = None if rt.settings.open311.list_all_tickets else CHANNEL
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        tickets = await repos.cases.tickets_by_channel(
            channel, numbers=numbers, categories=[] if numbers else codes,
            since=None if numbers else since, until=None if numbers else until,
            statuses=[] if numbers else statuses, limit=MAX_LIST)
        rows = await request_records(repos, rt, tickets)
    return _answer(fmt, "service_requests", "request", rows)


@router.get("/requests/{request_id}.{fmt}")
async def one_request(request_id: str, fmt: Format, request: Request) -> Response:
    """GET Service Request (one, as a list of one, as the spec shows)."""
    rt = runtime_of(request)
    channel = None if rt.settings.open311.list_all_tickets else CHANNEL
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        tickets = await repos.cases.tickets_by_channel(channel, numbers=[request_id.upper()],
                                                       limit=1)
        rows = await request_records(repos, rt, tickets)
    if not rows:
        return _error(fmt, 404, f"no service request {request_id!r}")
    return _answer(fmt, "service_requests", "request", rows)
