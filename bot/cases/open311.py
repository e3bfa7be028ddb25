"""Open311 GeoReport v2: the services, filing a request as a routed ticket, and requests
as GeoReport records (the HTTP edge is ``bot.web.open311``).

Services come from :func:`catalog_services`, the one adapter between the catalog and
Open311: the catalog's services below its categories (``service_code`` = the service's
code, e.g. ``jalan-rusak``); a request is filed in the service's category and routed by
the service (its owner for the region, as the chat's service picker routes).
Clients file requests with an ``api_key`` made by ``pintu open311 keys create``;
only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import category_label
from bot.core.runtime import Runtime
from bot.tickets.lifecycle import create_ticket
from bot.tickets.status import DONE
from nlu.entities import mask_personal_data
from nlu.places import extract_region
from routing.catalog import Catalog
from storage.models import Open311Client, Ticket, utcnow
from storage.ports import Repositories

CHANNEL = "open311"
NAME_CHARS = 64


class Open311Error(ValueError):
    """A request the GeoReport spec answers with an error (``code`` is the HTTP status)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


@dataclass(frozen=True)
class Open311Service:
    """One GeoReport service."""

    service_code: str
    service_name: str
    description: str
    group: str
    keywords: str = ""
    metadata: bool = False
    type: str = "realtime"


def catalog_services(catalog: Catalog) -> list[Open311Service]:
    """The services clients may file under: the catalog's services, in catalog order."""
    return [Open311Service(service_code=v.code, service_name=v.display_name("id"),
                           description=v.description or v.display_name("en"),
                           group=category_label(v.category, "id"),
                           keywords=",".join(v.keywords))
            for v in catalog.services]


def hash_key(api_key: str) -> str:
    """What is stored of an api_key."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


async def create_client(repos: Repositories, name: str) -> str:
    """A new client and its api_key (shown once). ValueError for a bad or taken name."""
    name = name.strip()
    if not name or len(name) > NAME_CHARS or not name.replace("-", "").replace("_", "").replace(
            ".", "").isalnum():
        raise ValueError("the name must be 1-64 letters, digits, '-', '_' or '.'")
    if await repos.cases.open311_client(name=name) is not None:
        raise ValueError(f"a client named {name!r} exists")
    key = secrets.token_urlsafe(32)
    await repos.cases.add_open311_client(Open311Client(name=name, key_hash=hash_key(key),
                                                       created_at=utcnow()))
    return key


async def client_for(repos: Repositories, api_key: str | None) -> Open311Client:
    """The live client an api_key belongs to; Open311Error 403 otherwise."""
    if not api_key:
        raise Open311Error(403, "api_key is required to create a service request")
    client = await repos.cases.open311_client(key_hash=hash_key(api_key))
    if client is None or client.revoked_at is not None:
        raise Open311Error(403, "api_key is not valid")
    return client


def _coordinate(value: str | None, low: float, high: float, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise Open311Error(400, f"{name} is not a number") from None
    if not low <= number <= high:
        raise Open311Error(400, f"{name} is out of range")
    return number


@dataclass(frozen=True)
class RequestForm:
    """A POST /requests body, as given (form fields)."""

    service_code: str | None
    description: str | None
    lat: str | None
    long: str | None
    address_string: str | None
    media_url: str | None
    email: str | None
    device_id: str | None
    account_id: str | None
    first_name: str | None
    last_name: str | None


async def file_request(session: AsyncSession, rt: Runtime, client: Open311Client,
                       form: RequestForm) -> Ticket:
    """Validate a GeoReport request and file it as a ticket routed like any other."""
    cfg = rt.settings.open311
    codes = {s.service_code for s in catalog_services(rt.catalog)}
    if not form.service_code or form.service_code not in codes:
        raise Open311Error(400, "service_code is missing or unknown")
    service = rt.catalog.service(form.service_code)
    description = (form.description or "").replace("\x00", "").strip()
    if not description:
        raise Open311Error(400, "description is required")
    if len(description) > cfg.max_description_chars:
        raise Open311Error(400, f"description is over {cfg.max_description_chars} characters")
    lat = _coordinate(form.lat, -90, 90, "lat")
    lon = _coordinate(form.long, -180, 180, "long")
    address = (form.address_string or "").strip()[:500] or None
    if (lat is None or lon is None) and not address:
        raise Open311Error(400, "a location is required: lat and long, or address_string")
    media_url = (form.media_url or "").strip() or None
    if media_url and not media_url.startswith(("https://", "http://")):
        raise Open311Error(400, "media_url must be an http(s) URL")
    region, _ = extract_region(f"{address or ''} {description}")
    who = (form.email or form.account_id or form.device_id or "anonymous").strip()[:100]
    name = " ".join(p for p in (form.first_name, form.last_name) if p).strip()[:200] or None
    repos = rt.repositories(session)
    citizen, _ = await repos.citizens.identify(CHANNEL, f"{client.name}:{who}",
                                               reply_address=f"{client.name}:{who}",
                                               display_name=name)
    ticket, _decision = await create_ticket(
        session, rt, citizen=citizen, kind="complaint", description=description,
        category=service.category, confidence=1.0, service_code=service.code,
        service_confidence=1.0,
        region_code=region.code if region else None,
        region_name=region.name if region else None, channel=CHANNEL,
        location_text=address, latitude=lat, longitude=lon)
    await repos.tickets.add_event(ticket, "open311", actor_type="system",
                                  data={"client": client.name, "media_url": media_url})
    return ticket


def _w3c(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _service_name(catalog: Catalog, ticket: Ticket) -> str:
    if ticket.service_code and catalog.has_service(ticket.service_code):
        return catalog.service(ticket.service_code).display_name("id")
    return category_label(ticket.category, "id")


def service_notice(rt: Runtime, ticket: Ticket) -> str:
    """What the citizen is told: the unit and the response target."""
    return (f"Diteruskan ke {rt.unit_name(ticket.unit_id)}; tanggapan dalam "
            f"{ticket.response_days or '-'} hari kerja.")


def request_record(rt: Runtime, ticket: Ticket, media_url: str | None,
                   status_note: str | None) -> dict[str, Any]:
    """A ticket as a GeoReport service request (every field the spec lists)."""
    own = ticket.channel == CHANNEL
    text = ticket.description if own else mask_personal_data(ticket.description)
    if status_note and not own:
        status_note = mask_personal_data(status_note)
    return {
        "service_request_id": ticket.number,
        "status": "closed" if ticket.status in DONE else "open",
        "status_notes": status_note,
        "service_name": _service_name(rt.catalog, ticket),
        "service_code": ticket.service_code or ticket.category,
        "description": None if ticket.confidential else text,
        "agency_responsible": rt.unit_name(ticket.unit_id),
        "service_notice": service_notice(rt, ticket),
        "requested_datetime": _w3c(ticket.created_at),
        "updated_datetime": _w3c(ticket.updated_at),
        "expected_datetime": _w3c(ticket.due_at),
        "address": ticket.location_text or ticket.region_name,
        "address_id": None,
        "zipcode": None,
        "lat": ticket.latitude,
        "long": ticket.longitude,
        "media_url": media_url,
    }


async def request_records(repos: Repositories, rt: Runtime,
                          tickets: Sequence[Ticket]) -> list[dict[str, Any]]:
    """The records of these tickets, with their media_url and latest public status note."""
    ids = [t.id for t in tickets]
    media: dict[int, str | None] = {}
    notes: dict[int, str | None] = {}
    for ev in await repos.cases.events_of_kind(ids, ("open311", "replied", "status_changed")):
        if ev.kind == "open311":
            media[ev.ticket_id] = (ev.data or {}).get("media_url")
        elif ev.kind == "replied":
            notes[ev.ticket_id] = ev.note
    return [request_record(rt, t, media.get(t.id), notes.get(t.id)) for t in tickets]
