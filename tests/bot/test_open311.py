"""Open311 GeoReport v2 (issue 16, item 6) over real HTTP: keys made with the CLI, requests
filed and routed like any ticket, every response checked against the field lists of the
spec's examples (JSON and XML), errors in the spec's shape, and a real Open311 client
library (``georeport``, from PyPI) reading the server over a socket."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from georeport import GeoReport

from bot.cli.main import main
from tests.browser_support import serve_app
from tests.conftest import AppClient

# Field lists of the GeoReport v2 spec's example responses.
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type",
                  "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "address_id", "zipcode", "lat", "long", "media_url"}
CREATED_FIELDS = {"service_request_id", "service_notice", "account_id"}
BATU = {"lat": "-7.8801", "long": "112.5302"}


def _cli(monkeypatch: pytest.MonkeyPatch, url: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setenv("PINTU_DATABASE__URL", url)
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = main(["--config", str(Path(__file__).resolve().parents[2] / "config.yml"), *argv])
    return code, out.getvalue(), err.getvalue()


async def make_key(client: AppClient, monkeypatch: pytest.MonkeyPatch, name: str) -> str:
    code, out, err = await asyncio.to_thread(_cli, monkeypatch,
                                             client.runtime.settings.database.url,
                                             "open311", "keys", "create", "--name", name)
    assert code == 0, err
    return out.strip()


async def test_file_and_read_requests(client: AppClient,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    key = await make_key(client, monkeypatch, "aplikasi-kota")
    assert len(key) >= 40
    services = (await client.get("/open311/v2/services.json")).json()
    assert services and all(set(s) == SERVICE_FIELDS for s in services)
    assert {"jalan-rusak", "layanan-puskesmas", "air-minum"} <= {
        s["service_code"] for s in services}
    assert all(s["metadata"] is False and s["type"] == "realtime" for s in services)
    definition = (await client.get("/open311/v2/services/jalan-rusak.json")).json()
    assert definition == {"service_code": "jalan-rusak", "attributes": []}

    resp = await client.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "jalan-rusak",
        "description": "Lubang besar di Jl. Diponegoro depan SDN 2 Sisir",
        "address_string": "Jl. Diponegoro, Kota Batu", "media_url": "https://foto.example/1.jpg",
        "email": "warga@example.com", "first_name": "Sari", **BATU})
    assert resp.status_code == 200, resp.text
    (created,) = resp.json()
    assert set(created) == CREATED_FIELDS
    number = created["service_request_id"]
    assert "Dinas Pekerjaan Umum" in created["service_notice"] or "PUPR" in created[
        "service_notice"]

    rt = client.runtime
    async with rt.sessions() as s:
        ticket = await rt.repositories(s).tickets.by_number(number)
    assert ticket is not None
    assert (ticket.channel, ticket.category, ticket.service_code, ticket.unit_id,
            ticket.region_code, ticket.latitude, ticket.location_text) == (
        "open311", "infrastructure", "jalan-rusak", "dinas-pupr-batu", "35.79", -7.8801,
        "Jl. Diponegoro, Kota Batu")

    (one,) = (await client.get(f"/open311/v2/requests/{number}.json")).json()
    assert set(one) == REQUEST_FIELDS
    assert (one["status"], one["service_code"], one["media_url"], one["lat"], one["long"],
            one["agency_responsible"]) == ("open", "jalan-rusak",
                                           "https://foto.example/1.jpg", -7.8801, 112.5302,
                                           rt.unit_name("dinas-pupr-batu"))
    assert one["requested_datetime"].endswith("+00:00")
    listed = (await client.get("/open311/v2/requests.json", params={"status": "open"})).json()
    assert [r["service_request_id"] for r in listed] == [number]
    assert (await client.get("/open311/v2/requests.json",
                             params={"status": "closed"})).json() == []

    xml = await client.get(f"/open311/v2/requests/{number}.xml")
    assert xml.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(xml.content)
    assert root.tag == "service_requests"
    (req,) = list(root)
    assert req.tag == "request" and {c.tag for c in req} == REQUEST_FIELDS
    assert req.findtext("service_request_id") == number
    services_xml = ET.fromstring((await client.get("/open311/v2/services.xml")).content)
    assert services_xml.tag == "services"
    assert all({c.tag for c in s} == SERVICE_FIELDS for s in services_xml)


@pytest.mark.parametrize(("form", "code", "text"), [
    ({}, 403, "api_key"),
    ({"api_key": "wrong"}, 403, "not valid"),
    ({"service_code": "no-such", "description": "x", **BATU}, 400, "service_code"),
    ({"service_code": "layanan-puskesmas", **BATU}, 400, "description"),
    ({"service_code": "layanan-puskesmas", "description": "x"}, 400, "location"),
    ({"service_code": "layanan-puskesmas", "description": "x", "lat": "99", "long": "1"},
     400, "lat"),
    ({"service_code": "layanan-puskesmas", "description": "x", "media_url": "javascript:1",
      **BATU}, 400, "media_url"),
])
async def test_bad_requests_get_the_specs_errors(client: AppClient,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 form: dict[str, str], code: int,
                                                 text: str) -> None:
    if form and form.get("api_key") != "wrong":
        form = {"api_key": await make_key(client, monkeypatch, "app"), **form}
    resp = await client.post("/open311/v2/requests.json", data=form)
    assert resp.status_code == code
    (error,) = resp.json()
    assert set(error) == {"code", "description"} and error["code"] == code
    assert text in error["description"]
    xml = await client.post("/open311/v2/requests.xml", data=form)
    root = ET.fromstring(xml.content)
    assert root.tag == "errors" and root.find("error/code") is not None
    async with client.runtime.sessions() as s:
        assert await client.runtime.repositories(s).cases.tickets_by_channel("open311") == []


async def test_revoked_keys_are_refused(client: AppClient,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    key = await make_key(client, monkeypatch, "lama")
    url = client.runtime.settings.database.url
    code, out, _ = await asyncio.to_thread(_cli, monkeypatch, url, "open311", "keys", "list")
    assert code == 0 and out.startswith("lama\tlive")
    code, _, _ = await asyncio.to_thread(_cli, monkeypatch, url, "open311", "keys", "revoke",
                                         "--name", "lama")
    assert code == 0
    resp = await client.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "layanan-puskesmas", "description": "x", **BATU})
    assert resp.status_code == 403
    code, _, err = await asyncio.to_thread(_cli, monkeypatch, url, "open311", "keys", "create",
                                           "--name", "lama")
    assert code == 2 and "exists" in err


async def test_a_real_open311_client_reads_the_server(client: AppClient,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    key = await make_key(client, monkeypatch, "georeport")
    resp = await client.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "air-minum", "description": "Air PDAM mati 2 hari",
        "address_string": "Kecamatan Junrejo, Kota Batu"})
    number = resp.json()[0]["service_request_id"]
    async with serve_app(client.runtime) as live:
        root = f"{live.url}/open311/v2"

        def read(fmt: str) -> tuple[Any, Any, Any, Any]:
            api = GeoReport(root, output_format=fmt)
            return (api.get_service_list(), api.get_service_definition("air-minum"),
                    api.get_service_requests(status="open"), api.get_service_request(number))

        services, definition, listed, one = await asyncio.to_thread(read, "json")
        assert "air-minum" in {s["service_code"] for s in services}
        assert definition["service_code"] == "air-minum"
        assert [r["service_request_id"] for r in listed] == [number]
        assert one["agency_responsible"] == client.runtime.unit_name("perumda-among-tirto")
        services, definition, listed, one = await asyncio.to_thread(read, "xml")
        assert "air-minum" in {s["service_code"] for s in services}
        assert definition["service_code"] == "air-minum"
        assert one["service_request_id"] == number and one["status"] == "open"
