"""Admins manage services: the console pages, the overrides file, the catalog API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bot.app import create_app
from bot.core.runtime import Runtime
from bot.tickets.lifecycle import Actor, forward_ticket
from routing.service_picking import service_picker
from storage.models import Ticket
from tests.conftest import AppClient
from tests.staff_support import (  # noqa: F401
    api_headers,
    console_login,
    csrf_of,
    light_argon2,
    make_staff,
)


@pytest.fixture
async def admin_client(make_runtime: Any, db_url: str,
                       tmp_path: Path) -> AsyncIterator[AppClient]:
    rt: Runtime = await make_runtime(
        db_url, catalog={"overrides_path": str(tmp_path / "overrides.yml")})
    await make_staff(rt, "root", "admin", None)
    await make_staff(rt, "pupr", "officer", "dinas-pupr-batu")
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with AppClient(transport=transport, base_url="http://pintu.test") as c:
            c.runtime = rt
            c.app = app
            yield c


async def _routed_ticket(rt: Runtime, service: str, region: str, text: str) -> Ticket:
    from bot.tickets.lifecycle import create_ticket
    from storage.repositories.citizens import CitizenRepository

    async with rt.sessions() as session, session.begin():
        citizen, _ = await CitizenRepository(session).identify("rest", "w1", reply_address="w1")
        ticket, _decision = await create_ticket(
            session, rt, citizen=citizen, kind="complaint", description=text,
            category=rt.catalog.service(service).category, confidence=0.9, region_code=region,
            region_name=None, channel="rest", service_code=service, service_confidence=0.9)
    return ticket


async def test_the_list_shows_owners_and_where_tickets_were_forwarded(
        admin_client: AppClient) -> None:
    rt = admin_client.runtime
    first = await _routed_ticket(rt, "penerangan-jalan", "35.79", "lampu jalan mati")
    await _routed_ticket(rt, "penerangan-jalan", "35.79", "pju padam")
    async with rt.sessions() as session, session.begin():
        ticket = await session.get(Ticket, first.id)
        assert ticket is not None
        await forward_ticket(session, rt, ticket, "dishub-batu", "PJU dikelola Dishub",
                             Actor("staff", "1"))
    async with rt.sessions() as session:
        counts = await rt.repositories(session).tickets.service_counts()
    assert {k: (v.tickets, v.forwarded, v.forwarded_to) for k, v in counts.items()} == {
        "penerangan-jalan": (2, 1, (("dishub-batu", 1),))}

    assert (await console_login(admin_client, "root")).status_code == 303
    page = await admin_client.get("/console/services")
    assert page.status_code == 200
    html = page.text
    assert html.count('<tr id="service-') == len(rt.catalog.services)
    row = html.split('id="service-penerangan-jalan"')[1].split("</tr>")[0]
    assert "Kota Bandung: Dinas Perhubungan Kota Bandung" in row
    assert "Kota Batu: Dinas PUPR Kota Batu" in row
    assert '<td class="count">2</td>' in row
    assert "1 (50%)" in row and "→ Dishub Kota Batu: 1" in row
    # Half its tickets forwarded away: the row is flagged (the owner may be wrong).
    assert 'class="overdue"' in html.split('id="service-penerangan-jalan"')[1].split(">")[0]

    found = await admin_client.get("/console/services", params={"q": "SAMSAT"})
    # Its keyword, and an example sentence of the bribery service ("petugas samsat ...").
    assert _codes(found.text) == ["pajak-kendaraan", "pungli-aparatur"]
    by_unit = await admin_client.get("/console/services", params={"q": "dishub-bandung"})
    assert _codes(by_unit.text) == [
        "angkutan-kota", "lampu-lalu-lintas", "parkir", "penerangan-jalan"]
    none = await admin_client.get("/console/services", params={"q": "<script>"})
    assert "&lt;script&gt;" in none.text and "<script>" not in none.text.split("<main>")[1]


def _codes(html: str) -> list[str]:
    return sorted(x.split('"')[0] for x in html.split('<tr id="service-')[1:])


async def test_officers_may_not_manage_services(admin_client: AppClient) -> None:
    await console_login(admin_client, "pupr")
    assert (await admin_client.get("/console/services")).status_code == 403
    assert (await admin_client.get("/console/services/parkir")).status_code == 403
    resp = await admin_client.post("/console/services/parkir", data={"examples": "x"})
    assert resp.status_code == 403


async def test_editing_owners_and_examples_reloads_the_catalog(
        admin_client: AppClient, tmp_path: Path) -> None:
    rt = admin_client.runtime
    await console_login(admin_client, "root")
    page = await admin_client.get("/console/services/penerangan-jalan")
    assert page.status_code == 200
    assert "lampu pju di depan gang rusak tidak menyala" in page.text
    examples = "lampu jalan mati\nornamen cahaya di tugu alun-alun padam\n\nlampu jalan mati"
    form = {"csrf_token": csrf_of(page.text), "examples": examples,
            "owner_region": ["32.73", "35.79", "35.79.02"],
            "owner_unit": ["dishub-bandung", "dishub-batu", "dinas-pupr-batu"]}
    resp = await admin_client.post("/console/services/penerangan-jalan", data=form)
    assert resp.status_code == 303, resp.text
    assert resp.headers["location"] == "/console/services/penerangan-jalan?saved=1"
    service = rt.catalog.service("penerangan-jalan")
    assert service.examples == ("lampu jalan mati", "ornamen cahaya di tugu alun-alun padam")
    assert dict(service.owners) == {"32.73": "dishub-bandung", "35.79": "dishub-batu",
                                    "35.79.02": "dinas-pupr-batu"}
    owner = rt.catalog.service_owner("penerangan-jalan", "35.79.01")
    assert owner is not None and owner.unit.id == "dishub-batu"
    saved = yaml.safe_load((tmp_path / "overrides.yml").read_text(encoding="utf-8"))
    assert saved == {"services": {"penerangan-jalan": {
        "examples": ["lampu jalan mati", "ornamen cahaya di tugu alun-alun padam"],
        "owners": {"32.73": "dishub-bandung", "35.79": "dishub-batu",
                   "35.79.02": "dinas-pupr-batu"}}}}
    picked = service_picker(rt.catalog).pick("ornamen cahaya di tugu alun-alun padam")
    assert picked is not None and picked.code == "penerangan-jalan"
    # A reload (restart or the API) keeps the edit.
    reloaded = rt.reload_catalog()
    assert reloaded.service("penerangan-jalan").owners["35.79"] == "dishub-batu"
    # Removing a region (empty unit) drops the file's entry too.
    page = await admin_client.get("/console/services/penerangan-jalan")
    form = {"csrf_token": csrf_of(page.text), "examples": "lampu jalan mati",
            "owner_region": ["32.73", "35.79"], "owner_unit": ["dishub-bandung", ""]}
    assert (await admin_client.post("/console/services/penerangan-jalan",
                                    data=form)).status_code == 303
    assert dict(rt.catalog.service("penerangan-jalan").owners) == {"32.73": "dishub-bandung"}


async def test_an_invalid_edit_is_refused_with_its_location_and_changes_nothing(
        admin_client: AppClient, tmp_path: Path) -> None:
    rt = admin_client.runtime
    before = rt.catalog
    await console_login(admin_client, "root")
    page = await admin_client.get("/console/services/parkir")
    form = {"csrf_token": csrf_of(page.text), "examples": "parkir liar",
            "owner_region": ["35.79", "99.99"], "owner_unit": ["dishub-bandung", "dishub-batu"]}
    resp = await admin_client.post("/console/services/parkir", data=form)
    assert resp.status_code == 422
    assert ("service &#39;parkir&#39;.owners.35.79: unit &#39;dishub-bandung&#39; does not "
            "serve region &#39;35.79&#39;") in resp.text
    assert "unknown region code &#39;99.99&#39;" in resp.text
    assert 'value="99.99"' in resp.text  # the form keeps what was typed
    assert rt.catalog is before and not (tmp_path / "overrides.yml").exists()
    twice = {"csrf_token": csrf_of(page.text), "examples": "parkir liar",
             "owner_region": ["35.79", "35.79"], "owner_unit": ["dishub-batu", "dishub-batu"]}
    assert (await admin_client.post("/console/services/parkir", data=twice)).status_code == 422
    no_csrf = {"examples": "parkir", "owner_region": ["35.79"], "owner_unit": ["dishub-batu"]}
    assert (await admin_client.post("/console/services/parkir", data=no_csrf)).status_code == 403
    assert (await admin_client.get("/console/services/nope")).status_code == 404


async def test_the_catalog_api_lists_services_and_who_handles_them(
        admin_client: AppClient) -> None:
    headers = await api_headers(admin_client, "pupr")
    resp = await admin_client.get("/api/catalog/services", params={"region": "32.73.01"},
                                  headers=headers)
    assert resp.status_code == 200
    by_code = {s["code"]: s for s in resp.json()}
    assert by_code["penerangan-jalan"]["owners"] == {"32.73": "dishub-bandung",
                                                    "35.79": "dinas-pupr-batu"}
    assert by_code["penerangan-jalan"]["handled_by"] == {
        "unit_id": "dishub-bandung", "rule": "service+regency", "response_days": 5}
    assert by_code["pajak-kendaraan"]["handled_by"]["unit_id"] == "bapenda-jabar"
    assert by_code["pungli-aparatur"]["oversight"] is True
    assert by_code["ktp-el"]["standard"] == "ktp-el"
    plain = (await admin_client.get("/api/catalog/services", headers=headers)).json()
    assert "handled_by" not in plain[0]
    assert (await admin_client.get("/api/catalog/services")).status_code == 401
