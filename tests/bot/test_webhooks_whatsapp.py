"""WhatsApp through the whole app, and one citizen across Telegram and WhatsApp.

Webhooks go in over httpx on the ASGI app; replies go out through the outbox
worker to fake Graph API and Bot API servers over real HTTP.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.core.runtime import Runtime
from bot.delivery.worker import OutboxWorker
from bot.tickets.lifecycle import SYSTEM, reply_to_citizen
from storage.models import (
    ChannelIdentity,
    InboundPayload,
    Message,
    OutboxMessage,
    Ticket,
    utcnow,
)
from storage.repositories.citizens import CitizenRepository
from tests.channels.fakes import FakeBotAPI, FakeGraphAPI, Recorded, serve
from tests.log_scan import scanned_logs  # noqa: F401  (scans this module's logs)

APP_SECRET = "app-secret-51c2"
VERIFY_TOKEN = "verify-me-please"
PNID = "106540352242922"
PHONE = "6281234567890"
BSUID = "ID.13491208655302741918"
NUMBER = re.compile(r"PTU-\d{4}-\d{6}")
COMPLAINT = "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh minggu ini"
PLACE = "Jl. Diponegoro, Kecamatan Batu, Kota Batu"
TG_SECRET = "hook-secret-7f3a"
TG_CHAT = 555001


@pytest.fixture
async def graph_api() -> AsyncIterator[FakeGraphAPI]:
    """A fake WhatsApp Cloud (Graph) API on a local port."""
    fake = FakeGraphAPI()
    async with serve(fake.app) as url:
        fake.url = url
        yield fake


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Telegram Bot API on a local port."""
    fake = FakeBotAPI()
    async with serve(fake.app) as url:
        fake.url = url
        yield fake


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    """The X-Hub-Signature-256 value Meta puts on ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Harness:
    """The app over httpx, its runtime, an outbox worker and the fake provider(s)."""

    client: httpx.AsyncClient
    rt: Runtime
    graph: FakeGraphAPI
    worker: OutboxWorker

    async def post(self, payload: dict[str, Any], signature: str | None = "sign") -> httpx.Response:
        """POST one webhook to /webhooks/whatsapp, signed like Meta unless told otherwise."""
        body = json.dumps(payload).encode()
        headers = {"content-type": "application/json"}
        if signature == "sign":
            headers["X-Hub-Signature-256"] = sign(body)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return await self.client.post("/webhooks/whatsapp", content=body, headers=headers)

    async def deliver(self) -> None:
        """Run the outbox worker until it has nothing more to send now."""
        for _ in range(20):
            if not await self.worker.run_once():
                return

    def sent(self) -> list[dict[str, Any]]:
        """Bodies of every message request the fake Graph API received."""
        return [r.json for r in self.graph.requests]

    async def say(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Post a webhook, deliver the replies, return the last body sent."""
        before = len(self.sent())
        resp = await self.post(payload)
        assert resp.status_code == 200, resp.text
        await self.deliver()
        sent = self.sent()
        assert len(sent) > before, "the bot sent nothing"
        return sent[-1]


def whatsapp_settings(fake: FakeGraphAPI) -> dict[str, Any]:
    """Settings that point the WhatsApp adapter at the fake."""
    return {
        "token": fake.token,
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "api_url": fake.api_url,
        "phone_number_id": PNID,
    }


@contextlib.asynccontextmanager
async def running(
    make_runtime: Any, url: str, graph: FakeGraphAPI, **overrides: dict[str, Any]
) -> AsyncIterator[Harness]:
    """The app on ``url`` with WhatsApp (and whatever ``overrides`` add) on the fakes."""
    rt: Runtime = await make_runtime(url, whatsapp=whatsapp_settings(graph), **overrides)
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pintu.test") as client:
            yield Harness(client, rt, graph, OutboxWorker(rt))


@pytest.fixture
async def wa(make_runtime: Any, sqlite_url: str, graph_api: FakeGraphAPI) -> AsyncIterator[Harness]:
    """The app with WhatsApp on SQLite."""
    async with running(make_runtime, sqlite_url, graph_api) as h:
        yield h


# ---------------------------------------------------------------- payloads

_seq = iter(range(1, 1_000_000))


def envelope(
    *,
    messages: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A Cloud API webhook with one change value."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6221500123", "phone_number_id": PNID},
    }
    for key, items in (("contacts", contacts), ("messages", messages), ("statuses", statuses)):
        if items is not None:
            value[key] = items
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def incoming(
    mtype: str,
    content: dict[str, Any],
    *,
    phone: str | None = PHONE,
    user_id: str | None = None,
    wamid: str | None = None,
    name: str = "Sari",
) -> dict[str, Any]:
    """A message webhook; ``phone`` or ``user_id`` may be left out, as Meta now does."""
    msg: dict[str, Any] = {
        "id": wamid or f"wamid.IN{next(_seq)}",
        "timestamp": str(int(time.time())),
        "type": mtype,
        mtype: content,
    }
    contact: dict[str, Any] = {"profile": {"name": name}}
    if phone:
        msg["from"] = phone
        contact["wa_id"] = phone
    if user_id:
        msg["from_user_id"] = user_id
        contact["user_id"] = user_id
    return envelope(messages=[msg], contacts=[contact])


def text(body: str, **kw: Any) -> dict[str, Any]:
    """A text message webhook."""
    return incoming("text", {"body": body}, **kw)


def button_reply(payload: str, title: str, **kw: Any) -> dict[str, Any]:
    """An interactive reply-button press."""
    return incoming(
        "interactive",
        {"type": "button_reply", "button_reply": {"id": payload, "title": title}},
        **kw,
    )


def status(wamid: str, state: str, *, recipient: str = PHONE) -> dict[str, Any]:
    """A delivery-status-only webhook."""
    return envelope(
        statuses=[
            {
                "id": wamid,
                "status": state,
                "timestamp": str(int(time.time())),
                "recipient_id": recipient,
            }
        ]
    )


def body_text(body: dict[str, Any]) -> str:
    """The words of a Graph API message body, whatever its type."""
    if body["type"] == "text":
        return str(body["text"]["body"])
    if body["type"] == "interactive":
        return str(body["interactive"]["body"]["text"])
    return ""


def reply_ids(body: dict[str, Any]) -> list[str]:
    """The payloads of an interactive message's buttons or list rows."""
    inter = body.get("interactive") or {}
    action = inter.get("action") or {}
    ids = [b["reply"]["id"] for b in action.get("buttons", [])]
    ids += [r["id"] for sec in action.get("sections", []) for r in sec["rows"]]
    return ids


async def count(rt: Runtime, model: Any, *where: Any) -> int:
    """Rows of ``model`` matching ``where``."""
    async with rt.sessions() as s:
        n: int = (
            await s.execute(select(func.count()).select_from(model).where(*where))
        ).scalar_one()
        return n


async def outbox(rt: Runtime) -> list[OutboxMessage]:
    """Every outbox row, oldest first."""
    async with rt.sessions() as s:
        return list((await s.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


async def file_complaint(h: Harness, **who: Any) -> str:
    """Report a pothole and press the "send" reply button; returns the ticket number."""
    reply = await h.say(text(COMPLAINT, **who))
    if "/confirm" not in reply_ids(reply):  # the bot asked where it is
        reply = await h.say(text(PLACE, **who))
    assert reply["type"] == "interactive" and "/confirm" in reply_ids(reply), reply
    done = await h.say(button_reply("/confirm", "Kirim", **who))
    match = NUMBER.search(body_text(done))
    assert match, done
    return match.group(0)


# ---------------------------------------------------------------- verification, signatures


async def test_subscription_check_answers_the_challenge_only_to_the_right_token(
    wa: Harness,
) -> None:
    ok = await wa.client.get(
        "/webhooks/whatsapp",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200
    assert ok.text == "1158201444"
    assert ok.headers["content-type"].startswith("text/plain")
    bad = await wa.client.get(
        "/webhooks/whatsapp",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": "guess",
            "hub.challenge": "1158201444",
        },
    )
    assert bad.status_code == 403
    assert "1158201444" not in bad.text


async def test_unsigned_or_badly_signed_posts_are_refused(wa: Harness) -> None:
    payload = text("halo")
    assert (await wa.post(payload, signature=None)).status_code == 401
    assert (await wa.post(payload, signature=sign(b"other body"))).status_code == 401
    assert (await wa.post(payload, signature=sign(b"x", "wrong-secret"))).status_code == 401
    assert await count(wa.rt, InboundPayload) == 0
    assert await count(wa.rt, Message) == 0


# ---------------------------------------------------------------- conversations


async def test_signed_text_is_answered_through_the_graph_api(wa: Harness) -> None:
    body = await wa.say(text("halo selamat pagi"))
    (req,) = wa.graph.requests
    assert req.path == f"/{wa.graph.version}/{PNID}/messages"
    assert req.headers["authorization"] == f"Bearer {wa.graph.token}"
    assert body["to"] == PHONE and body["messaging_product"] == "whatsapp"
    assert "/complaint" in reply_ids(body)
    (row,) = await outbox(wa.rt)
    assert row.status == "sent" and row.provider_message_id == "wamid.TEST1"


async def test_same_wamid_twice_is_stored_once_and_answered_once(
    make_runtime: Any, db_url: str, graph_api: FakeGraphAPI
) -> None:
    async with running(make_runtime, db_url, graph_api) as h:
        payload = text("halo", wamid="wamid.SAME-ONE")
        for _ in range(2):  # Meta retries until it sees a 200, sometimes for days
            resp = await h.post(payload)
            assert resp.status_code == 200
            await h.deliver()
        assert await count(h.rt, Message, Message.direction == "in") == 1
        assert len(await outbox(h.rt)) == 1
        assert len(h.sent()) == 1


async def test_button_reply_advances_the_dialogue_to_a_ticket(wa: Harness) -> None:
    number = await file_complaint(wa)
    async with wa.rt.sessions() as s:
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
    assert ticket.channel == "whatsapp" and ticket.status == "routed"


async def test_delivery_statuses_move_forward_only(wa: Harness) -> None:
    await wa.say(text("halo"))
    (row,) = await outbox(wa.rt)
    wamid = row.provider_message_id
    assert wamid == "wamid.TEST1"  # what the fake answered the send with
    seen = []
    for state in ("sent", "delivered", "read", "delivered", "sent"):
        resp = await wa.post(status(wamid, state))
        assert resp.status_code == 200
        (row,) = await outbox(wa.rt)
        seen.append(row.status)
    assert seen == ["sent", "delivered", "read", "read", "read"]
    # Status reports are not messages: nothing stored, nothing answered.
    assert await count(wa.rt, Message, Message.direction == "in") == 1
    assert len(wa.sent()) == 1
    async with wa.rt.sessions() as s:
        kinds = [p.status for p in (await s.execute(select(InboundPayload))).scalars()]
    assert kinds == ["processed"] * 6


async def test_reaction_is_accepted_and_not_answered(wa: Harness) -> None:
    resp = await wa.post(incoming("reaction", {"message_id": "wamid.TEST1", "emoji": "👍"}))
    assert resp.status_code == 200
    await wa.deliver()
    assert wa.sent() == []
    assert await count(wa.rt, Message) == 0
    assert await count(wa.rt, InboundPayload, InboundPayload.status == "processed") == 1


async def test_sender_without_user_id_and_sender_without_phone_both_work(wa: Harness) -> None:
    by_phone = await wa.say(text("halo", phone="6285700000001"))
    assert by_phone["to"] == "6285700000001"
    by_user_id = await wa.say(text("halo", phone=None, user_id=BSUID))
    assert by_user_id["recipient"] == BSUID and "to" not in by_user_id
    async with wa.rt.sessions() as s:
        ids = sorted(i.external_id for i in (await s.execute(select(ChannelIdentity))).scalars())
    assert ids == sorted(["6285700000001", BSUID])


async def test_a_phone_citizen_stays_the_same_citizen_when_a_user_id_appears(wa: Harness) -> None:
    await wa.say(text(COMPLAINT, phone=PHONE))
    # Meta starts sending the business-scoped user id: still the same person, mid-report.
    await wa.say(text(PLACE, phone=PHONE, user_id=BSUID))
    async with wa.rt.sessions() as s:
        identities = list((await s.execute(select(ChannelIdentity))).scalars())
        senders = {
            m.citizen_id
            for m in (await s.execute(select(Message).where(Message.direction == "in"))).scalars()
        }
    assert len(identities) == 1 and len(senders) == 1
    assert identities[0].external_id == PHONE


async def test_outside_the_24_hour_window_the_reply_fails_and_nothing_is_sent(wa: Harness) -> None:
    number = await file_complaint(wa)
    sent_before = len(wa.sent())
    async with wa.rt.sessions() as s, s.begin():
        identity = await CitizenRepository(s).identity("whatsapp", PHONE)
        assert identity is not None
        identity.last_inbound_at = utcnow() - timedelta(hours=25)
    async with wa.rt.sessions() as s, s.begin():
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
        await reply_to_citizen(s, wa.rt, ticket, "Tim kami menambal jalan besok.", SYSTEM)
    await wa.deliver()
    last = (await outbox(wa.rt))[-1]
    assert last.status == "failed"
    assert "24-hour" in (last.last_error or "")
    assert len(wa.sent()) == sent_before


async def test_replies_arrive_once_after_the_graph_api_recovers(wa: Harness) -> None:
    wa.graph.fail(503, "Service temporarily unavailable", code=2)
    wa.graph.fail(500, "An unknown error occurred", code=1)
    wa.graph.fail(429, "Rate limit hit", code=130429, headers={"Retry-After": "1"})
    resp = await wa.post(text("halo"))
    assert resp.status_code == 200
    await wa.worker.run_once()
    (row,) = await outbox(wa.rt)
    assert row.status == "pending" and "503" in (row.last_error or "")
    for _ in range(10):
        # Jump past backoff and Retry-After rather than wait for them.
        await wa.worker.run_once(now=utcnow() + timedelta(seconds=30))
        (row,) = await outbox(wa.rt)
        if row.status == "sent":
            break
    assert row.status == "sent" and row.attempts == 4
    for _ in range(3):
        await wa.worker.run_once(now=utcnow() + timedelta(seconds=30))
    assert len(wa.graph.requests) == 4  # three refusals, one delivery
    assert row.provider_message_id == "wamid.TEST1"


# ---------------------------------------------------------------- omnichannel


def _tg_update(text_: str, update_id: int, **message: Any) -> bytes:
    msg = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": TG_CHAT, "type": "private"},
        "from": {"id": TG_CHAT, "is_bot": False, "first_name": "Sari"},
        "text": text_,
    }
    msg.update(message)
    return json.dumps({"update_id": update_id, "message": msg}).encode()


def _tg_button(data: str, update_id: int) -> bytes:
    return json.dumps(
        {
            "update_id": update_id,
            "callback_query": {
                "id": f"cbq-{update_id}",
                "from": {"id": TG_CHAT, "first_name": "Sari"},
                "message": {"message_id": 1, "date": 0, "chat": {"id": TG_CHAT, "type": "private"}},
                "data": data,
            },
        }
    ).encode()


def _tg_texts(calls: list[Recorded], fake: FakeBotAPI) -> list[str]:
    return [fake.params(r)["text"] for r in calls]


@pytest.fixture
async def omni(
    make_runtime: Any, sqlite_url: str, graph_api: FakeGraphAPI, bot_api: FakeBotAPI
) -> AsyncIterator[tuple[Harness, FakeBotAPI]]:
    """The app with both Telegram and WhatsApp on their fakes."""
    tg = {
        "token": bot_api.token,
        "secret": TG_SECRET,
        "api_url": bot_api.url,
        "per_chat_interval_seconds": 0,
    }
    async with running(make_runtime, sqlite_url, graph_api, telegram=tg) as h:
        yield h, bot_api


async def _telegram_ticket(h: Harness, tg: FakeBotAPI) -> str:
    headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, "content-type": "application/json"}

    async def tg_say(body: bytes) -> str:
        resp = await h.client.post("/webhooks/telegram", content=body, headers=headers)
        assert resp.status_code == 200, resp.text
        await h.deliver()
        return _tg_texts(tg.calls("sendMessage"), tg)[-1]

    answer = await tg_say(_tg_update(COMPLAINT, 1001))
    if "lokasi" in answer.lower():
        await tg_say(_tg_update(PLACE, 1002))
    done = await tg_say(_tg_button("/confirm", 1003))
    match = NUMBER.search(done)
    assert match, done
    return match.group(0)


async def test_a_telegram_ticket_can_be_followed_on_whatsapp(
    omni: tuple[Harness, FakeBotAPI],
) -> None:
    h, tg = omni
    number = await _telegram_ticket(h, tg)
    answer = await h.say(text(f"status {number} gimana min?"))
    assert answer["to"] == PHONE
    assert number in body_text(answer)


async def test_officer_reply_goes_where_the_citizen_last_wrote(
    omni: tuple[Harness, FakeBotAPI],
) -> None:
    h, tg = omni
    number = await _telegram_ticket(h, tg)
    async with h.rt.sessions() as s:
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
    # A status question from another WhatsApp number is another citizen: the
    # officer's reply still goes to Telegram, where the ticket's citizen wrote.
    await h.say(text(f"status {number}", phone="6289900000002"))
    wa_before = len(h.sent())
    async with h.rt.sessions() as s, s.begin():
        t = await s.get(Ticket, ticket.id)
        assert t is not None
        await reply_to_citizen(s, h.rt, t, "Tim kami menambal jalan besok.", SYSTEM)
    await h.deliver()
    assert "menambal jalan" in _tg_texts(tg.calls("sendMessage"), tg)[-1]
    assert len(h.sent()) == wa_before

    # The same citizen known on WhatsApp too (an identity linked to them, e.g. by
    # an officer); once they write there, replies follow them to WhatsApp.
    async with h.rt.sessions() as s, s.begin():
        s.add(
            ChannelIdentity(
                citizen_id=ticket.citizen_id,
                channel="whatsapp",
                external_id=PHONE,
                reply_address=PHONE,
                extra={},
            )
        )
    await h.say(text("halo, saya yang lapor jalan rusak"))
    tg_before = len(tg.calls("sendMessage"))
    async with h.rt.sessions() as s, s.begin():
        t = await s.get(Ticket, ticket.id)
        assert t is not None
        await reply_to_citizen(s, h.rt, t, "Penambalan selesai hari ini.", SYSTEM)
    await h.deliver()
    last = h.sent()[-1]
    assert last["to"] == PHONE and "Penambalan selesai" in body_text(last)
    assert len(tg.calls("sendMessage")) == tg_before
    # Both channels' messages are one conversation history of one citizen.
    async with h.rt.sessions() as s:
        channels = {
            m.channel
            for m in (
                await s.execute(select(Message).where(Message.citizen_id == ticket.citizen_id))
            ).scalars()
        }
    assert channels == {"telegram", "whatsapp"}


async def test_a_deterministic_failure_is_200_and_kept_as_failed(
    wa: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def a_bug(*a: Any, **kw: Any) -> Any:
        raise ValueError("cannot handle this")

    monkeypatch.setattr("bot.conversation.service.ConversationService.handle", a_bug)
    resp = await wa.post(text("halo"))
    assert resp.status_code == 200, resp.text  # Meta stops re-sending
    async with wa.rt.sessions() as s:
        (raw,) = (await s.execute(select(InboundPayload))).scalars()
    assert raw.status == "failed" and "ValueError: cannot handle this" in (raw.error or "")
