"""Citizens' data rights (UU 27/2022) and the per-citizen flood limit (issue 15).

The privacy notice with consent at first contact per channel; export and
erasure through the admin API and ``pintu citizens``; the retention sweep; all
audited. Flood: one sender over the limit gets one polite answer, others are
served as usual.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.cli.citizens import erase, export
from bot.core.runtime import Runtime
from bot.privacy.consent import AGREE, DECLINE
from bot.privacy.rights import apply_retention
from storage.models import AuditLog, ChannelIdentity, Citizen, Message, Ticket, utcnow
from tests.conftest import talk
from tests.log_scan import scanned_logs  # noqa: F401  (scans this module's logs)
from tests.staff_support import api_headers, file_via_chat, light_argon2, make_staff  # noqa: F401

COMPLAINT = "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh minggu ini"


@contextlib.asynccontextmanager
async def app_on(make_runtime: Any, url: str, **overrides: dict[str, Any]
                 ) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    rt: Runtime = await make_runtime(url, **overrides)
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pintu.test") as c:
            yield c, rt


async def _citizen_id(rt: Runtime, sender: str) -> int:
    async with rt.sessions() as s:
        return int(await s.scalar(select(ChannelIdentity.citizen_id).where(
            ChannelIdentity.external_id == sender)) or 0)


async def test_notice_and_consent_at_first_contact(make_runtime: Any, sqlite_url: str) -> None:
    async with app_on(make_runtime, sqlite_url, privacy={"notice": True}) as (c, rt):
        first = await talk(c, "warga-p", "halo")
        assert "Privasi" in first[0]["text"] and "730 hari" in first[0]["text"]
        assert [b["payload"] for b in first[0]["buttons"]] == [AGREE, DECLINE]
        assert len(first) >= 2  # the usual answer follows the notice
        again = await talk(c, "warga-p", "halo")
        assert all("Privasi" not in a["text"] for a in again)
        thanks = await talk(c, "warga-p", AGREE)
        assert thanks == [{"recipient_id": "warga-p", "text": "Terima kasih. Silakan lanjutkan."}]
        async with rt.sessions() as s:
            citizen = await s.get(Citizen, await _citizen_id(rt, "warga-p"))
            assert citizen is not None and citizen.privacy_consent == "given"
        # Declining: messages are kept, not processed, until the citizen agrees.
        en = await talk(c, "warga-q", "hello", metadata={"language": "en"})
        assert en[0]["text"].startswith("Privacy:")
        await talk(c, "warga-q", DECLINE)
        refused = await talk(c, "warga-q", COMPLAINT)
        assert len(refused) == 1 and "without your consent" in refused[0]["text"]
        async with rt.sessions() as s:
            assert await s.scalar(select(func.count()).select_from(Ticket)) == 0
            assert COMPLAINT in list(await s.scalars(select(Message.text)))
        assert "Thank you" in (await talk(c, "warga-q", "I agree"))[0]["text"]


async def test_export_and_erase_through_the_admin_api(make_runtime: Any, db_url: str) -> None:
    async with app_on(make_runtime, db_url) as (c, rt):
        number = await file_via_chat(c, "warga-e", COMPLAINT)
        await make_staff(rt, "admin", "admin", None)
        await make_staff(rt, "officer", "officer", "dinas-pupr-batu")
        cid = await _citizen_id(rt, "warga-e")
        officer = await api_headers(c, "officer")
        assert (await c.get(f"/api/citizens/{cid}/export", headers=officer)).status_code == 403
        admin = await api_headers(c, "admin")
        data = (await c.get(f"/api/citizens/{cid}/export", headers=admin)).json()
        assert data["citizen"]["id"] == cid
        assert data["channel_identities"][0]["external_id"] == "warga-e"
        assert COMPLAINT in [m["text"] for m in data["messages"]]
        assert [t["number"] for t in data["tickets"]] == [number]
        gone = await c.post(f"/api/citizens/{cid}/erase", headers=admin)
        assert gone.status_code == 200 and gone.json()["changed"]["tickets"] == 1
        after = (await c.get(f"/api/citizens/{cid}/export", headers=admin)).json()
        assert after["channel_identities"] == [] and after["citizen"]["erased_at"]
        assert COMPLAINT not in json.dumps(after)
        assert after["tickets"][0]["category"] == "infrastructure"  # kept for statistics
        assert (await c.get("/api/citizens/999999/export", headers=admin)).status_code == 404
        async with rt.sessions() as s:
            actions = list(await s.scalars(select(AuditLog.action).where(
                AuditLog.target_type == "citizen")))
        assert actions == ["citizen_exported", "citizen_erased", "citizen_exported"]


async def test_cli_export_and_erase(make_runtime: Any, sqlite_url: str, tmp_path: Path) -> None:
    async with app_on(make_runtime, sqlite_url) as (c, rt):
        await talk(c, "warga-cli", "halo, saya Budi")
        cid = await _citizen_id(rt, "warga-cli")
    settings = rt.settings
    out = io.StringIO()
    assert await export(settings, cid, out) == 0  # type: ignore[arg-type]
    assert json.loads(out.getvalue())["messages"][0]["text"] == "halo, saya Budi"
    out = io.StringIO()
    assert await erase(settings, cid, out) == 0  # type: ignore[arg-type]
    assert out.getvalue().startswith(f"erased citizen {cid}: identities 1")
    assert await export(settings, 424242, io.StringIO()) == 2  # type: ignore[arg-type]


async def test_retention_anonymises_old_closed_tickets(make_runtime: Any, db_url: str) -> None:
    async with app_on(make_runtime, db_url, privacy={"retention_days": 30}) as (c, rt):
        old = await file_via_chat(c, "warga-r1", COMPLAINT)
        new = await file_via_chat(c, "warga-r2", COMPLAINT)
        async with rt.sessions() as s, s.begin():
            for number, days in ((old, 40), (new, 5)):
                t = (await s.scalars(select(Ticket).where(Ticket.number == number))).one()
                t.status, t.closed_at = "closed", utcnow() - timedelta(days=days)
        assert await apply_retention(rt) == [old]
        assert await apply_retention(rt) == []
        async with rt.sessions() as s:
            rows = {t.number: t for t in await s.scalars(select(Ticket))}
            audit = list(await s.scalars(select(AuditLog.data).where(
                AuditLog.action == "tickets_anonymised")))
        assert COMPLAINT not in rows[old].description and rows[old].anonymised_at
        assert rows[old].category == "infrastructure" and rows[old].unit_id
        assert rows[new].description == COMPLAINT or COMPLAINT in rows[new].description
        assert audit == [{"numbers": [old], "retention_days": 30}]


async def test_one_citizen_flooding_gets_one_polite_answer(make_runtime: Any,
                                                           sqlite_url: str) -> None:
    async with app_on(make_runtime, sqlite_url, limits={"citizen_per_minute": 3}) as (c, rt):
        answers = [await talk(c, "warga-f", f"halo {i}") for i in range(6)]
        assert all(a for a in answers[:3])
        assert answers[3] == [{"recipient_id": "warga-f", "text": (
            "Mohon maaf, pesan Anda terlalu banyak dalam waktu singkat. Mohon tunggu "
            "sebentar lalu kirim lagi.")}]
        assert answers[4] == answers[5] == []
        assert await talk(c, "warga-g", "halo")  # another citizen is served as usual
        async with rt.sessions() as s:
            kept = list(await s.scalars(select(Message.text).where(Message.direction == "in")))
        assert [f"halo {i}" for i in range(6)] == [t for t in kept if t.startswith("halo ")]


@pytest.mark.parametrize("bad", ["0", "-1", "99999999999999999999999"])
async def test_bad_citizen_ids_are_refused(make_runtime: Any, sqlite_url: str, bad: str) -> None:
    async with app_on(make_runtime, sqlite_url) as (c, rt):
        await make_staff(rt, "admin", "admin", None)
        admin = await api_headers(c, "admin")
        assert (await c.get(f"/api/citizens/{bad}/export", headers=admin)).status_code == 422
