"""The intake pipeline end to end over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.tickets.lifecycle import SYSTEM, reply_to_citizen
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


async def test_status_question_from_another_sender_needs_the_check_code(
        client: AppClient) -> None:
    number = await file_complaint(client, "warga-2")
    async with client.runtime.sessions() as s:
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
    assert ticket.check_code is not None and len(ticket.check_code) == 6
    # Ticket numbers are sequential: without the code a stranger learns nothing (#12).
    hidden = await talk(client, "someone-else", f"status {number} gimana min?")
    unit = client.runtime.unit_name(ticket.unit_id)
    assert "kode cek" in hidden[0]["text"] and unit not in hidden[0]["text"]
    answer = await talk(client, "someone-else", f"status {number} kode {ticket.check_code}")
    assert number in answer[0]["text"] and unit in answer[0]["text"]
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


async def test_values_too_long_for_the_database_are_a_clear_400(client: AppClient) -> None:
    cases = [
        ({"sender": "s" * 129, "message": "halo"}, "'sender' is longer than 128"),
        ({"sender": "s" * 128, "message": "halo", "message_id": "m" * 72}, "'message_id'"),
        ({"sender": "warga\x00-nul", "message": "halo"}, "NUL"),
        ({"sender": "warga-nul", "message": "halo", "message_id": "m\x001"}, "NUL"),
    ]
    for body, needle in cases:
        resp = await client.post("/webhooks/rest/webhook", json=body)
        assert resp.status_code == 400, body
        assert needle in resp.json()["detail"], resp.json()
    resp = await client.get("/webhooks/rest/messages", params={"sender": "a\x00b"})
    assert resp.status_code == 400
    async with client.runtime.sessions() as s:
        assert (await s.execute(select(func.count()).select_from(Message))).scalar_one() == 0


async def test_values_at_the_limits_are_stored_on_every_database(client: AppClient) -> None:
    from storage.models import ChannelIdentity, Citizen

    sender = "s" * 128
    answer = await talk(
        client,
        sender,
        "halo\x00 selamat pagi",
        message_id="m" * 71,  # 128 + ":" + 71 = 200
        metadata={"name": "N" * 300},
    )
    assert answer
    async with client.runtime.sessions() as s:
        inbound = (await s.execute(select(Message).where(Message.direction == "in"))).scalar_one()
        identity = (await s.execute(select(ChannelIdentity))).scalar_one()
        citizen = (await s.execute(select(Citizen))).scalar_one()
    assert inbound.text == "halo selamat pagi"
    assert inbound.provider_message_id == f"{sender}:{'m' * 71}"
    assert identity.external_id == sender
    assert identity.display_name == citizen.display_name == "N" * 200


async def test_a_rest_token_guards_both_routes(make_runtime: Any, db_url: str) -> None:
    from bot.app import create_app

    rt = await make_runtime(db_url, rest={"token": "s3cret-token"})
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pintu.test") as c:
            body = {"sender": "warga-t", "message": "halo"}
            for headers in (
                {},
                {"Authorization": "Bearer wrong"},
                {"Authorization": "s3cret-token"},
                {"Authorization": "Basic s3cret-token"},
            ):
                resp = await c.post("/webhooks/rest/webhook", json=body, headers=headers)
                assert resp.status_code == 401, headers
                assert resp.headers["www-authenticate"] == "Bearer"
                resp = await c.get(
                    "/webhooks/rest/messages", params={"sender": "warga-t"}, headers=headers
                )
                assert resp.status_code == 401, headers
            async with rt.sessions() as s:
                assert (
                    await s.execute(select(func.count()).select_from(Message))
                ).scalar_one() == 0
            good = {"Authorization": "Bearer s3cret-token"}
            resp = await c.post("/webhooks/rest/webhook", json=body, headers=good)
            assert resp.status_code == 200 and resp.json()
            resp = await c.get(
                "/webhooks/rest/messages", params={"sender": "warga-t"}, headers=good
            )
            assert resp.status_code == 200 and resp.json() == []


def test_the_rest_token_is_a_secret_from_the_environment(tmp_path: Path) -> None:
    from bot.app.settings import load_settings
    from bot.core.settings import ConfigError, secret_value

    assert load_settings(env={}).rest.token is None
    assert secret_value(load_settings(env={"PINTU_REST__TOKEN": "abc"}).rest.token) == "abc"
    cfg = tmp_path / "config.yml"
    cfg.write_text("rest:\n  token: abc\n")
    with pytest.raises(ConfigError) as err:
        load_settings(cfg, env={})
    assert "PINTU_REST__TOKEN" in str(err.value)
