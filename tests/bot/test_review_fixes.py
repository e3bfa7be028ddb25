"""Regression tests for defects found in review: which messages a ticket owns, handover
after resolution, Telegram group replies, local dates, surveys after stale reports."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.conversation.service import ConversationService
from bot.core.runtime import Runtime
from bot.tickets.lifecycle import SYSTEM, reply_to_citizen, resolve_ticket
from channels.base import InboundMessage
from storage.models import ChannelIdentity, Conversation, Message, Survey, Ticket, utcnow
from tests.conftest import AppClient, talk

NUMBER = re.compile(r"PTU-\d{4}-\d{6}")


async def _file(client: AppClient, sender: str, text: str, place: str = "Kota Batu") -> str:
    answer = await talk(client, sender, text)
    if "lokasi" in answer[-1]["text"].lower():
        answer = await talk(client, sender, place)
    done = await talk(client, sender, "ya")
    match = NUMBER.search(done[0]["text"])
    assert match, done
    return match.group(0)


async def _ticket(rt: Runtime, number: str) -> Ticket:
    async with rt.sessions() as s:
        return (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()


async def test_a_ticket_owns_only_its_report_and_status_talk(client: AppClient) -> None:
    rt = client.runtime
    a = await _file(client, "w1", "jalan di depan SDN 2 Sisir berlubang besar sudah sebulan, "
                                  "Kota Batu")
    ticket_a = await _ticket(rt, a)
    async with rt.sessions() as s, s.begin():
        t = await s.get(Ticket, ticket_a.id)
        assert t is not None
        await reply_to_citizen(s, rt, t, "RAHASIA-PUPR: tim kami menambal besok", SYSTEM)
    status = await talk(client, "w1", f"status {a}")
    assert "RAHASIA-PUPR" in status[0]["text"]  # the owner sees the officer's answer
    b = await _file(client, "w1", "puskesmas di kecamatan kami tutup terus padahal jam buka, "
                                  "dokternya tidak pernah ada, Kota Batu")
    ticket_b = await _ticket(rt, b)
    assert ticket_b.unit_id != ticket_a.unit_id
    async with rt.sessions() as s:
        texts_b = [m.text for m in (await s.execute(
            select(Message).where(Message.ticket_id == ticket_b.id))).scalars()]
        texts_a = [m.text for m in (await s.execute(
            select(Message).where(Message.ticket_id == ticket_a.id))).scalars()]
    assert not any("RAHASIA-PUPR" in x for x in texts_b)
    assert any(a in x for x in texts_b) is False
    assert any(x.startswith("status") for x in texts_a)  # the question belongs to ticket A
    assert any("puskesmas" in x for x in texts_b)


async def test_a_resolved_ticket_ends_the_handover(make_runtime: object, sqlite_url: str) -> None:
    rt: Runtime = await make_runtime(sqlite_url, surveys={"enabled": False})  # type: ignore[operator]
    service = ConversationService(rt)

    def rest(text: str) -> InboundMessage:
        return InboundMessage(channel="rest", sender_id="w2", text=text)

    first = await service.handle(rest("tolong sambungkan ke petugas"), inline=True)
    number = NUMBER.search(first.replies[0].text)
    assert number
    async with rt.sessions() as s, s.begin():
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number.group(0))
                                  )).scalar_one()
        await resolve_ticket(s, rt, ticket, SYSTEM)
        conv = (await s.execute(select(Conversation).where(Conversation.status == "open")
                                )).scalar_one()
        assert conv.state["mode"] == "idle"
    # Even a conversation still marked handover lets go once the ticket is resolved.
    async with rt.sessions() as s, s.begin():
        conv = (await s.execute(select(Conversation))).scalars().first()
        assert conv is not None
        conv.state = {**conv.state, "mode": "handover", "handover_ticket": number.group(0)}
    after = await service.handle(rest("jalan berlubang besar di depan pasar Kota Batu sudah "
                                      "sebulan"), inline=True)
    assert after.replies, "the bot must answer again"
    assert "Kirim laporan ini?" in after.replies[-1].text


async def test_telegram_group_reply_goes_to_the_group_but_later_ones_private(
        runtime: Runtime) -> None:
    service = ConversationService(runtime)
    msg = InboundMessage(channel="telegram", sender_id="555", reply_address="-100777",
                         text="halo", provider_message_id="u1",
                         metadata={"chat_type": "supergroup", "chat_id": "-100777"},
                         private_address="555")
    result = await service.handle(msg)
    assert result.replies[0].recipient_id == "-100777"
    async with runtime.sessions() as s:
        identity = (await s.execute(select(ChannelIdentity))).scalar_one()
    assert identity.reply_address == "555"


def test_dates_to_citizens_are_in_local_time() -> None:
    from zoneinfo import ZoneInfo

    from bot.conversation.service import local_date

    wib = ZoneInfo("Asia/Jakarta")
    # 23:30 UTC on Sunday 1 March is already Monday 06:30 in WIB.
    assert local_date(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), wib) == "02-03-2026"
    assert local_date(datetime(2026, 3, 1, 23, 30), wib) == "02-03-2026"  # naive = UTC
    assert local_date(None, wib) == "-"


async def test_stale_report_does_not_block_the_resolved_ticket_survey(
        client: AppClient) -> None:
    rt = client.runtime
    number = await _file(client, "w3", "lampu penerangan jalan di gang kami mati semua, Kota Batu")
    await talk(client, "w3", "mau lapor")  # a second report, left half-told
    async with rt.sessions() as s, s.begin():
        conv = (await s.execute(select(Conversation).where(Conversation.status == "open")
                                )).scalar_one()
        assert conv.state["mode"] == "awaiting_what"
        conv.updated_at = utcnow() - timedelta(days=3)
    async with rt.sessions() as s, s.begin():
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
        await resolve_ticket(s, rt, ticket, SYSTEM)
    async with rt.sessions() as s:
        surveys = (await s.execute(select(Survey))).scalars().all()
    assert len(surveys) == 1 and surveys[0].status == "pending"


async def test_a_confidential_report_hides_the_citizen_from_the_unit(client: AppClient) -> None:
    from tests.staff_support import api_headers, make_staff

    answer = await talk(client, "w4", "pegawai kelurahan minta uang pelicin buat surat "
                                      "domisili, Kota Batu", metadata={"name": "Budi Santoso"})
    if "lokasi" in answer[-1]["text"].lower():
        answer = await talk(client, "w4", "Kelurahan Sisir, Kota Batu")
    assert any(b["payload"] == "/confirm_confidential" for b in answer[-1]["buttons"])
    done = await talk(client, "w4", "/confirm_confidential")
    assert "dirahasiakan" in done[0]["text"]
    match = NUMBER.search(done[0]["text"])
    assert match
    ticket = await _ticket(client.runtime, match.group(0))
    assert ticket.confidential is True
    await make_staff(client.runtime, "insp", "officer", ticket.unit_id)
    view = (await client.get(f"/api/tickets/{ticket.number}",
                             headers=await api_headers(client, "insp"))).json()
    assert view["citizen"]["confidential"] is True
    assert view["citizen"]["display_name"] is None
    assert "Budi" not in str(view)
    assert view["citizen"]["channels"] == []
    assert all(e["actor_id"] is None for e in view["events"] if e["actor_type"] == "citizen")
