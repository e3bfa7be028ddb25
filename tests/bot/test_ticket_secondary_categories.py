"""The console ticket page names the other problems a long written report raised
(``secondary_categories`` of its parse, issue 11), filed over REST and read over
real HTTP on SQLite and PostgreSQL; a ticket without any shows nothing."""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlalchemy import select

from bot.core.runtime import Runtime
from storage.models import Message, Ticket
from tests.browser_support import serve_app
from tests.staff_support import console_login, file_via_chat, light_argon2, make_staff  # noqa: F401

REPORT = ("Selamat siang. Saya warga RT 03 RW 05 dan sudah tinggal di sini sejak 2010. "
          "Jalan di depan rumah kami berlubang besar dan banyak pengendara jatuh. "
          "Sampah di TPS dekat pasar juga tidak diangkut seminggu dan baunya menyengat. "
          "Kami sudah melapor ke kelurahan tetapi belum ada tindak lanjut. "
          "Mohon DLH Kota Batu segera mengangkut sampah itu.")
SHORT = "lampu jalan di jalan diponegoro kota batu mati sudah seminggu"
FACT = re.compile(r'<dd id="ticket-secondary">(.*?)</dd>', re.S)


async def _ticket(rt: Runtime, number: str) -> Ticket:
    async with rt.sessions() as s:
        return (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()


async def test_the_ticket_page_lists_a_reports_other_problems(make_runtime: Any,
                                                              db_url: str) -> None:
    rt: Runtime = await make_runtime(db_url)
    await make_staff(rt, "admin", "admin", None)
    async with serve_app(rt) as server, httpx.AsyncClient(base_url=server.url) as client:
        long_number = await file_via_chat(client, "warga-panjang", REPORT)
        short_number = await file_via_chat(client, "warga-pendek", SHORT)
        await console_login(client, "admin")

        ticket = await _ticket(rt, long_number)
        assert ticket.category == "environment"
        async with rt.sessions() as s:
            stored = (await s.execute(
                select(Message).where(Message.text == REPORT))).scalar_one()
        assert stored.nlu is not None and stored.nlu["secondary_categories"] == ["infrastructure"]

        page = await client.get(f"/console/tickets/{long_number}")
        assert page.status_code == 200
        found = FACT.findall(page.text)
        assert found == ["infrastruktur"]
        assert "<dt>Masalah lain dalam laporan</dt>" in page.text
        page_en = await client.get(f"/console/tickets/{long_number}?lang=en")
        assert FACT.findall(page_en.text) == ["infrastructure"]
        assert "<dt>Other problems in the report</dt>" in page_en.text

        plain = await client.get(f"/console/tickets/{short_number}")
        assert plain.status_code == 200 and (await _ticket(rt, short_number)).category
        assert FACT.findall(plain.text) == []
        assert "Masalah lain dalam laporan" not in plain.text
