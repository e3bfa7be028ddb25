"""Services and oversight over the REST channel and the staff API, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.tickets.lifecycle import escalate_overdue
from storage.models import Ticket, TicketEvent, utcnow
from tests.conftest import AppClient, talk
from tests.staff_support import NUMBER, api_headers, console_login, make_staff


async def _file(client: AppClient, sender: str, text: str, where: str) -> tuple[str, list[Any]]:
    """File a report through the REST channel; (ticket number, the confirm step's answer)."""
    answer = await talk(client, sender, text)
    confirm: list[Any] = []
    for _ in range(4):
        reply = " ".join(a.get("text") or "" for a in answer)
        match = NUMBER.search(reply)
        if match:
            return match.group(0), confirm
        buttons = [b.get("payload") for a in answer for b in a.get("buttons") or []]
        if any(str(p).startswith("/confirm") for p in buttons):
            confirm = answer
            answer = await talk(client, sender, "ya")
        else:
            answer = await talk(client, sender, where)
    raise AssertionError(f"no ticket number in {answer}")


async def _ticket(client: AppClient, number: str) -> tuple[Ticket, list[TicketEvent]]:
    async with client.runtime.sessions() as s:
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
        events = list((await s.execute(select(TicketEvent).where(
            TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id))).scalars())
    return ticket, events


async def test_street_lighting_in_bandung_reaches_its_transport_office(client: AppClient) -> None:
    number, _ = await _file(client, "warga-bdg",
                            "lampu jalan mati di jl. Riau kota bandung, sudah seminggu gelap",
                            "Jl. Riau, Kota Bandung")
    ticket, events = await _ticket(client, number)
    assert (ticket.unit_id, ticket.service_code, ticket.routing_rule, ticket.category) == (
        "dishub-bandung", "penerangan-jalan", "service+regency", "infrastructure")
    assert ticket.region_code == "32.73"
    routed = next(e for e in events if e.kind == "routed")
    assert routed.note is not None and routed.note.startswith(
        "layanan Penerangan Jalan Umum ")
    assert "di Kota Bandung: Dinas Perhubungan Kota Bandung (tingkat kabupaten/kota)" in (
        routed.note)
    assert routed.data["service"] == "penerangan-jalan"
    assert routed.data["service_confidence"] >= 0.5


async def test_the_same_in_batu_reaches_batus_owner(client: AppClient) -> None:
    number, _ = await _file(client, "warga-batu",
                            "lampu jalan mati di jl. Panglima Sudirman kota batu",
                            "Jl. Panglima Sudirman, Kota Batu")
    ticket, _ = await _ticket(client, number)
    assert (ticket.unit_id, ticket.service_code, ticket.routing_rule) == (
        "dinas-pupr-batu", "penerangan-jalan", "service+regency")


async def test_vehicle_tax_from_a_city_goes_to_the_province(client: AppClient) -> None:
    number, _ = await _file(client, "warga-pkb",
                            "sudah bayar pajak motor online tapi di samsat kota bandung masih "
                            "tercatat nunggak", "Kota Bandung")
    ticket, _ = await _ticket(client, number)
    assert (ticket.unit_id, ticket.service_code, ticket.routing_rule) == (
        "bapenda-jabar", "pajak-kendaraan", "service+province")


async def test_bribery_reaches_the_inspektorat_and_never_the_registry(client: AppClient) -> None:
    rt = client.runtime
    number, confirm = await _file(client, "warga-kk",
                                  "petugas kelurahan minta uang 200rb buat urus KK",
                                  "Kelurahan Sisir, Kecamatan Batu, Kota Batu")
    # Confidentiality was offered by default, with sending openly as the explicit choice.
    payloads = [b.get("payload") for a in confirm for b in a.get("buttons") or []]
    assert payloads[:2] == ["/confirm_confidential", "/confirm_open"]
    assert "Inspektorat" in confirm[-1]["text"] and "dirahasiakan" in confirm[-1]["text"]
    ticket, events = await _ticket(client, number)
    assert (ticket.unit_id, ticket.routing_rule, ticket.category, ticket.service_code) == (
        "inspektorat-batu", "oversight", "civil_service", "pungli-aparatur")
    assert ticket.confidential is True
    assert ticket.excluded_unit_id == "disdukcapil-batu"
    assert ticket.excluded_unit_ids == ",disdukcapil-batu,setda-batu,"
    routed = next(e for e in events if e.kind == "routed")
    assert routed.data["complained_unit"] == "disdukcapil-batu"

    await make_staff(rt, "capil", "officer", "disdukcapil-batu")
    await make_staff(rt, "sekda", "supervisor", "setda-batu")
    await make_staff(rt, "walikota", "supervisor", "pemkot-batu")
    await make_staff(rt, "irban", "officer", "inspektorat-batu")
    await make_staff(rt, "root", "admin", None)
    for user in ("capil", "sekda"):
        headers = await api_headers(client, user)
        assert (await client.get(f"/api/tickets/{number}", headers=headers)).status_code == 404
        listed = (await client.get("/api/tickets", headers=headers)).json()["items"]
        assert number not in [t["number"] for t in listed]
    for user in ("walikota", "irban", "root"):
        headers = await api_headers(client, user)
        resp = await client.get(f"/api/tickets/{number}", headers=headers)
        assert resp.status_code == 200, (user, resp.text)
        assert resp.json()["excluded_unit_id"] == "disdukcapil-batu"

    # The Inspektorat's console shows who is excluded and never offers them as forward targets.
    await console_login(client, "irban")
    page = (await client.get(f"/console/tickets/{number}")).text
    assert "Dinas Kependudukan dan Pencatatan Sipil Kota Batu" in page.split(
        'id="ticket-excluded"')[1].split("</dd>")[0]
    targets = page.split('id="forward-form"')[1].split("</select>")[0]
    assert 'value="disdukcapil-batu"' not in targets and 'value="setda-batu"' not in targets
    assert 'value="dinkes-batu"' in targets
    # The Inspektorat cannot hand the report to the unit complained about or its supervisor.
    irban = await api_headers(client, "irban")
    for target in ("disdukcapil-batu", "setda-batu"):
        resp = await client.post(f"/api/tickets/{number}/forward", headers=irban,
                                 json={"unit_id": target, "reason": "ini urusan KK"})
        assert resp.status_code == 400, resp.text
        assert "cannot be forwarded there" in resp.json()["detail"]
    ticket, _ = await _ticket(client, number)
    assert ticket.unit_id == "inspektorat-batu"
    # Even after a forward elsewhere under the excluded supervisor, the Sekda does not see it.
    resp = await client.post(f"/api/tickets/{number}/forward", headers=irban,
                             json={"unit_id": "diskominfo-batu", "reason": "cek data aduan"})
    assert resp.status_code == 200, resp.text
    sekda = await api_headers(client, "sekda")
    assert (await client.get(f"/api/tickets/{number}", headers=sekda)).status_code == 404
    assert number not in [t["number"] for t in (
        await client.get("/api/tickets", headers=sekda)).json()["items"]]


async def test_escalation_skips_the_excluded_supervisor(client: AppClient) -> None:
    rt = client.runtime
    number, _ = await _file(client, "warga-esc",
                            "oknum pegawai disdukcapil minta uang pelicin supaya ktp cepat jadi",
                            "Kota Batu")
    ticket, _ = await _ticket(client, number)
    assert ticket.unit_id == "inspektorat-batu"
    async with rt.sessions() as session, session.begin():
        row = await session.get(Ticket, ticket.id)
        assert row is not None
        row.unit_id = "diskominfo-batu"  # as if forwarded; its parent is the excluded Sekda
        row.due_at = utcnow().replace(year=2020)
    async with rt.sessions() as session, session.begin():
        await escalate_overdue(session, rt)
    ticket, _ = await _ticket(client, number)
    assert ticket.escalated_to_unit_id == "pemkot-batu"


async def test_an_open_report_about_an_officer_when_the_citizen_chooses(
        client: AppClient) -> None:
    sender = "warga-open"
    answer = await talk(client, sender,
                        "pegawai kecamatan minta uang rokok waktu saya urus akta kelahiran "
                        "di kota batu")
    for _ in range(3):
        if any(b.get("payload") == "/confirm_open" for a in answer for b in a.get("buttons")
               or []):
            break
        answer = await talk(client, sender, "Kecamatan Batu, Kota Batu")
    done = await talk(client, sender, "/confirm_open")  # the button's payload
    match = NUMBER.search(" ".join(a.get("text") or "" for a in done))
    assert match, done
    ticket, _ = await _ticket(client, match.group(0))
    assert (ticket.unit_id, ticket.confidential, ticket.excluded_unit_id) == (
        "inspektorat-batu", False, "disdukcapil-batu")


async def test_model_parse_shows_the_service(client: AppClient) -> None:
    resp = await client.post("/model/parse", json={"text": "pajak motor saya belum tercatat"})
    body = resp.json()
    assert body["service"]["code"] == "pajak-kendaraan"
    assert body["service"]["confident"] is True and body["service"]["confidence"] >= 0.5
    assert body["service"]["category"] == "taxes_fees"
    assert body["service"]["ranking"][0]["code"] == "pajak-kendaraan"
    unsure = (await client.post("/model/parse", json={"text": "selamat pagi"})).json()
    assert unsure["service"] is None or unsure["service"]["confident"] is False
