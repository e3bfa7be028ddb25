"""The catalog over the API: unit listing for staff, reload for admins only."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from routing.catalog import DEMO_CATALOG_PATH
from storage.models import AuditLog, ServiceUnit
from tests.conftest import AppClient
from tests.staff_support import api_headers, light_argon2, make_staff

__all__ = ["light_argon2"]


async def test_staff_list_units(client: AppClient) -> None:
    await make_staff(client.runtime, "sari", "officer", "dinas-pupr-batu")
    resp = await client.get("/api/catalog/units", headers=await api_headers(client, "sari"))
    assert resp.status_code == 200
    ids = {u["id"] for u in resp.json()}
    assert {"dinas-pupr-batu", "triase-batu"} <= ids
    assert (await client.get("/api/catalog/units")).status_code == 401


async def test_reload_is_admin_only_and_switches_the_live_catalog(
        client: AppClient, tmp_path: Path) -> None:
    rt = client.runtime
    await make_staff(rt, "sari", "officer", "dinas-pupr-batu")
    await make_staff(rt, "root", "admin", None)
    officer = await api_headers(client, "sari")
    admin = await api_headers(client, "root")
    assert (await client.post("/api/catalog/reload", headers=officer)).status_code == 403

    # An edited catalog file: the PUPR office gets a new name.
    edited = tmp_path / "catalog.yml"
    text = Path(DEMO_CATALOG_PATH).read_text(encoding="utf-8")
    old_name = rt.catalog.unit("dinas-pupr-batu").name
    assert old_name in text
    edited.write_text(text.replace(old_name, "Dinas PUPR Kota Batu (baru)"), encoding="utf-8")
    rt.settings.catalog.path = str(edited)
    resp = await client.post("/api/catalog/reload", headers=admin)
    assert resp.status_code == 200, resp.text
    assert rt.catalog.unit("dinas-pupr-batu").name == "Dinas PUPR Kota Batu (baru)"
    async with rt.sessions() as s:
        unit = await s.get(ServiceUnit, "dinas-pupr-batu")
        actions = [a.action for a in (await s.execute(select(AuditLog))).scalars()]
    assert unit is not None and unit.name == "Dinas PUPR Kota Batu (baru)"
    assert "catalog_reloaded" in actions

    # A broken file is refused with the reasons, and the live catalog stays.
    edited.write_text(text.replace("infrastructure", "infrastructur"), encoding="utf-8")
    resp = await client.post("/api/catalog/reload", headers=admin)
    assert resp.status_code == 422
    assert "infrastructur" in resp.json()["detail"]
    assert rt.catalog.unit("dinas-pupr-batu").name == "Dinas PUPR Kota Batu (baru)"
