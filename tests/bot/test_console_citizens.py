"""The console's data-rights page for a citizen, over real HTTP (uvicorn on a local port):
admins export (JSON download) and erase (after confirming); officers and supervisors get
404; a form without the session's CSRF token changes nothing; everything is audited."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from sqlalchemy import select

from bot.core.runtime import Runtime
from storage.models import AuditLog, ChannelIdentity, Citizen, Message, Ticket
from tests.browser_support import serve_app
from tests.conftest import talk
from tests.staff_support import (  # noqa: F401
    console_login,
    csrf_of,
    file_via_chat,
    light_argon2,
    make_staff,
)

COMPLAINT = "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh minggu ini"


async def _citizen_id(rt: Runtime, sender: str) -> int:
    async with rt.sessions() as s:
        return int(await s.scalar(select(ChannelIdentity.citizen_id).where(
            ChannelIdentity.external_id == sender)) or 0)


@contextlib.asynccontextmanager
async def _signed_in(url: str, username: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        signed = await console_login(client, username)
        assert signed.status_code == 303, signed.text
        yield client


async def test_admin_exports_and_erases_from_the_console(make_runtime: Any, db_url: str) -> None:
    rt: Runtime = await make_runtime(db_url)
    await make_staff(rt, "root", "admin", None)
    await make_staff(rt, "pupr", "officer", "dinas-pupr-batu")
    await make_staff(rt, "boss", "supervisor", "setda-batu")
    async with serve_app(rt) as server, httpx.AsyncClient(base_url=server.url,
                                                          timeout=30) as citizen:
        number = await file_via_chat(citizen, "warga-konsol", COMPLAINT)
        await talk(citizen, "warga-konsol", "nama saya Budi Santoso")
        cid = await _citizen_id(rt, "warga-konsol")
        async with rt.sessions() as s, s.begin():
            row = await s.get(Citizen, cid)
            assert row is not None
            row.display_name, row.phone = "Budi Santoso", "+6281234567890"

        # Officers and supervisors: no link on the ticket page, 404 on every route.
        for who in ("pupr", "boss"):
            async with _signed_in(server.url, who) as staff:
                page = await staff.get(f"/console/tickets/{number}")
                assert page.status_code == 200 and "citizen-data" not in page.text
                token = csrf_of(page.text)
                for method, path in (("GET", ""), ("GET", "/erase"), ("POST", "/export"),
                                     ("POST", "/erase")):
                    r = await staff.request(method, f"/console/citizens/{cid}{path}",
                                            data={"csrf_token": token, "confirm": "erase"}
                                            if method == "POST" else None)
                    assert r.status_code == 404, (who, method, path, r.status_code)
                    assert "Budi" not in r.text and "+6281234567890" not in r.text

        async with _signed_in(server.url, "root") as admin:
            ticket_page = await admin.get(f"/console/tickets/{number}")
            link = f'href="/console/citizens/{cid}?ticket={number}"'
            assert link in ticket_page.text
            page = await admin.get(f"/console/citizens/{cid}?ticket={number}")
            assert page.status_code == 200
            assert "Budi Santoso" in page.text and "+6281234567890" in page.text
            assert "Ekspor data (unduh JSON)" in page.text and "rest" in page.text
            token = csrf_of(page.text)

            # No CSRF token, or a wrong one: refused, nothing exported or erased.
            for data in ({}, {"csrf_token": "forged", "confirm": "erase"}):
                assert (await admin.post(f"/console/citizens/{cid}/export",
                                         data=data)).status_code == 403
                assert (await admin.post(f"/console/citizens/{cid}/erase",
                                         data=data)).status_code == 403

            download = await admin.post(f"/console/citizens/{cid}/export",
                                        data={"csrf_token": token})
            assert download.status_code == 200
            assert download.headers["content-type"].startswith("application/json")
            assert download.headers["content-disposition"] == (
                f'attachment; filename="pintu-citizen-{cid}.json"')
            exported = json.loads(download.content)
            assert exported["format"] == "pintu-citizen-export/1"
            assert exported["citizen"]["display_name"] == "Budi Santoso"
            assert exported["citizen"]["phone"] == "+6281234567890"
            assert [i["external_id"] for i in exported["channel_identities"]] == ["warga-konsol"]
            assert COMPLAINT in [m["text"] for m in exported["messages"]]
            assert [t["number"] for t in exported["tickets"]] == [number]

            # Erase: the first POST without "confirm" only asks; nothing changes.
            ask = await admin.get(f"/console/citizens/{cid}/erase")
            assert ask.status_code == 200 and 'id="erase-confirm"' in ask.text
            unconfirmed = await admin.post(f"/console/citizens/{cid}/erase",
                                           data={"csrf_token": token})
            assert unconfirmed.status_code == 200 and 'id="erase-confirm"' in unconfirmed.text
            async with rt.sessions() as s:
                assert (await s.get(Citizen, cid)).erased_at is None  # type: ignore[union-attr]
            done = await admin.post(f"/console/citizens/{cid}/erase",
                                    data={"csrf_token": token, "confirm": "erase"})
            assert done.status_code == 303
            assert done.headers["location"] == f"/console/citizens/{cid}?done=erased"
            after = await admin.get(done.headers["location"])
            assert 'id="erased"' in after.text and "Budi" not in after.text
            # The ticket stays, anonymised, still open in the inbox.
            still = await admin.get(f"/console/tickets/{number}")
            assert still.status_code == 200 and COMPLAINT not in still.text
            assert (await admin.get("/console/citizens/999999")).status_code == 404

    async with rt.sessions() as s:
        erased = await s.get(Citizen, cid)
        assert erased is not None and erased.erased_at is not None
        assert (erased.display_name, erased.phone, erased.email) == (None, None, None)
        assert list(await s.scalars(select(ChannelIdentity).where(
            ChannelIdentity.citizen_id == cid))) == []
        assert COMPLAINT not in list(await s.scalars(select(Message.text).where(
            Message.citizen_id == cid)))
        ticket = await s.scalar(select(Ticket).where(Ticket.number == number))
        assert ticket is not None and ticket.citizen_id == cid
        assert ticket.anonymised_at is not None and COMPLAINT not in (ticket.description or "")
        assert ticket.category == "infrastructure" and ticket.unit_id == "dinas-pupr-batu"
        audit = [(a.action, a.data.get("via")) for a in await s.scalars(
            select(AuditLog).where(AuditLog.target_type == "citizen").order_by(AuditLog.id))]
    assert audit == [("citizen_exported", "console"), ("citizen_erased", "console")]
