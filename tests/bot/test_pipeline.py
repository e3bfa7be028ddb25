"""The intake pipeline end to end over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.tickets import SYSTEM, reply_to_citizen
from storage.models import InboundPayload, Message, Ticket, TicketEvent
from tests.conftest import AppClient, talk

NUMBER = re.compile(r"PTU-\d{4}-\d{6}")


async def file_complaint(client: AppClient, sender: str) -> str:
    """A complaint in a few turns; returns the ticket number from the bot's reply."""
    first = await talk(
        client,
        sender,
        "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh minggu ini",
    )
    assert first, "the bot answered nothing"
    text = first[-1]["text"]
    if "lokasi" in text.lower() or "where" in text.lower():
        answer = await talk(client, sender, "Jl. Diponegoro, Kecamatan Batu, Kota Batu")
        text = answer[-1]["text"]
    assert "kirim" in text.lower(), text
    done = await talk(client, sender, "ya")
    match = NUMBER.search(done[0]["text"])
    assert match, done
    return match.group(0)


async def test_complaint_becomes_a_routed_ticket(client: AppClient) -> None:
    number = await file_complaint(client, "warga-1")
    async with client.runtime.sessions() as s:
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
        kinds = [
            e.kind
            for e in (
                await s.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id))
            ).scalars()
        ]
    unit = client.runtime.catalog.unit(ticket.unit_id)
    assert ticket.category == "infrastructure"
    assert ticket.region_code is not None and ticket.region_code.startswith("35.79")
    assert ticket.status == "routed"
    assert kinds == ["created", "routed"]
    assert ticket.due_at is not None
    # The reply named the unit and the promised response time.
    async with client.runtime.sessions() as s:
        reply = (
            (
                await s.execute(
                    select(Message)
                    .where(Message.direction == "out", Message.ticket_id == ticket.id)
                    .order_by(Message.id.desc())
                )
            )
            .scalars()
            .first()
        )
    assert reply is not None and unit.name in reply.text
    assert "hari kerja" in reply.text


async def test_status_question_reports_the_ticket_from_another_sender(client: AppClient) -> None:
    number = await file_complaint(client, "warga-2")
    answer = await talk(client, "someone-else", f"status {number} gimana min?")
    assert number in answer[0]["text"]
    assert "Status" in answer[0]["text"]


async def test_same_message_id_is_stored_once_and_answered_once(client: AppClient) -> None:
    first = await talk(client, "warga-3", "halo", message_id="m-1")
    again = await talk(client, "warga-3", "halo", message_id="m-1")
    assert again == first
    async with client.runtime.sessions() as s:
        n_in = (
            await s.execute(
                select(func.count())
                .select_from(Message)
                .where(
                    Message.direction == "in",
                    Message.provider_message_id == "warga-3:m-1",
                )
            )
        ).scalar_one()
        n_out = (
            await s.execute(
                select(func.count()).select_from(Message).where(Message.direction == "out")
            )
        ).scalar_one()
    assert n_in == 1
    assert n_out == len(first)


async def test_malformed_requests_get_a_clear_4xx_and_store_nothing(client: AppClient) -> None:
    cases = [
        b"not json",
        b"[1,2]",
        b'{"message": "hi"}',
        b'{"sender": "", "message": "x"}',
        b'{"sender": "a", "message": 5}',
    ]
    for body in cases:
        resp = await client.post(
            "/webhooks/rest/webhook", content=body, headers={"content-type": "application/json"}
        )
        assert resp.status_code == 400, body
        assert resp.json()["detail"]
    async with client.runtime.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(Message))).scalar_one() == 0
        assert (await s.execute(select(func.count()).select_from(InboundPayload))).scalar_one() == 0


async def test_officer_reply_is_held_for_the_rest_sender(client: AppClient) -> None:
    number = await file_complaint(client, "warga-4")
    rt = client.runtime
    async with rt.sessions() as s, s.begin():
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
        await reply_to_citizen(s, rt, ticket, "Tim kami akan menambal jalan besok pagi.", SYSTEM)
    resp = await client.get("/webhooks/rest/messages", params={"sender": "warga-4"})
    assert resp.status_code == 200
    (msg,) = resp.json()
    assert "menambal jalan" in msg["text"] and number in msg["text"]
    assert msg["recipient_id"] == "warga-4"
    # Fetched once: the next poll is empty.
    assert (await client.get("/webhooks/rest/messages", params={"sender": "warga-4"})).json() == []


async def test_info_request_is_answered_from_service_standards(client: AppClient) -> None:
    answer = await talk(client, "warga-5", "apa saja syarat membuat KTP elektronik?")
    assert "Persyaratan" in answer[0]["text"]


async def test_english_conversation(client: AppClient) -> None:
    answer = await talk(client, "tourist-1", "Hello, good morning")
    assert "Hello" in answer[0]["text"]
    assert answer[0]["buttons"]


async def test_healthz(client: AppClient) -> None:
    resp = await client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["database"] == "ok"


async def test_model_parse_speaks_rasa(client: AppClient) -> None:
    resp = await client.post("/model/parse", json={"text": "air pdam mati 3 hari di Kota Batu"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["intent"]["name"] == "complaint"
    assert body["category"]["name"] == "water_supply"
    assert {"entity", "value", "start", "end"} <= set(body["entities"][0])
    assert body["intent_ranking"][0]["name"] == "complaint"


async def test_a_conversation_idle_for_a_day_starts_afresh(client: AppClient) -> None:
    from datetime import timedelta

    from storage.models import Conversation, utcnow

    first = await talk(client, "warga-6", "mau lapor")
    assert "ceritakan" in first[0]["text"].lower()
    async with client.runtime.sessions() as s, s.begin():
        conv = (await s.execute(select(Conversation))).scalar_one()
        conv.updated_at = utcnow() - timedelta(hours=30)
    answer = await talk(client, "warga-6", "halo")
    assert "Pintu" in answer[0]["text"]  # a greeting, not "where is it?"
    async with client.runtime.sessions() as s:
        statuses = sorted(c.status for c in (await s.execute(select(Conversation))).scalars())
    assert statuses == ["closed", "open"]


async def test_a_message_id_of_another_sender_is_not_a_duplicate(client: AppClient) -> None:
    mine = await talk(client, "warga-7", "halo", message_id="m-9")
    theirs = await talk(client, "warga-8", "mau lapor", message_id="m-9")
    assert theirs != mine
    assert "ceritakan" in theirs[0]["text"].lower()


async def test_handover_relays_messages_and_acknowledges_once(client: AppClient) -> None:
    first = await talk(client, "warga-9", "tolong sambungkan saya ke petugas")
    number = NUMBER.search(first[0]["text"])
    assert number, first
    ack = await talk(client, "warga-9", "pak, jalan di depan rumah saya rusak parah")
    assert len(ack) == 1 and "diteruskan ke petugas" in ack[0]["text"]
    assert await talk(client, "warga-9", "sudah dua bulan begini") == []
    async with client.runtime.sessions() as s:
        ticket = (
            await s.execute(select(Ticket).where(Ticket.number == number.group(0)))
        ).scalar_one()
        relayed = (
            (
                await s.execute(
                    select(Message).where(Message.ticket_id == ticket.id, Message.direction == "in")
                )
            )
            .scalars()
            .all()
        )
    assert [m.text for m in relayed][-2:] == [
        "pak, jalan di depan rumah saya rusak parah",
        "sudah dua bulan begini",
    ]
