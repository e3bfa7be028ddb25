"""Telegram through the whole app: webhook in, dialogue, outbox, fake Bot API out (real HTTP)."""

from __future__ import annotations

import asyncio
import contextlib
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
from storage.models import InboundPayload, Message, OutboxMessage, Ticket, utcnow
from tests.channels.fakes import FakeBotAPI, serve
from tests.log_scan import scanned_logs  # noqa: F401  (scans this module's logs)

SECRET = "hook-secret-7f3a"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CHAT = 555001
NUMBER = re.compile(r"PTU-\d{4}-\d{6}")
COMPLAINT = "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh minggu ini"
PLACE = "Jl. Diponegoro, Kecamatan Batu, Kota Batu"


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Telegram Bot API on a local port."""
    fake = FakeBotAPI()
    async with serve(fake.app) as url:
        fake.url = url
        yield fake


def telegram_settings(fake: FakeBotAPI) -> dict[str, Any]:
    """Settings that point the Telegram adapter at the fake (no pacing, to stay fast)."""
    return {
        "token": fake.token,
        "secret": SECRET,
        "api_url": fake.url,
        "per_chat_interval_seconds": 0,
    }


@dataclass
class Harness:
    """The app over httpx, its runtime, an outbox worker and the fake Bot API."""

    client: httpx.AsyncClient
    rt: Runtime
    fake: FakeBotAPI
    worker: OutboxWorker

    async def post(
        self, update: dict[str, Any] | bytes, secret: str | None = SECRET
    ) -> httpx.Response:
        """POST one update to /webhooks/telegram, as Telegram would."""
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        headers = {"content-type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        return await self.client.post("/webhooks/telegram", content=body, headers=headers)

    async def deliver(self) -> None:
        """Run the outbox worker until it has nothing more to send now."""
        for _ in range(20):
            if not await self.worker.run_once():
                return

    def sent(self) -> list[dict[str, str]]:
        """Parameters of every sendMessage the fake answered successfully or not."""
        return [self.fake.params(r) for r in self.fake.calls("sendMessage")]

    async def say(self, update: dict[str, Any]) -> dict[str, str]:
        """Post an update, deliver the replies, return the last message sent."""
        before = len(self.sent())
        resp = await self.post(update)
        assert resp.status_code == 200, resp.text
        await self.deliver()
        sent = self.sent()
        assert len(sent) > before, "the bot sent nothing"
        return sent[-1]


@contextlib.asynccontextmanager
async def running(
    make_runtime: Any, url: str, fake: FakeBotAPI, **overrides: dict[str, Any]
) -> AsyncIterator[Harness]:
    """The app on ``url`` with its Telegram adapter pointed at ``fake``."""
    rt: Runtime = await make_runtime(url, telegram=telegram_settings(fake), **overrides)
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pintu.test") as client:
            yield Harness(client, rt, fake, OutboxWorker(rt))


@pytest.fixture
async def tg(make_runtime: Any, sqlite_url: str, bot_api: FakeBotAPI) -> AsyncIterator[Harness]:
    """The app with Telegram on SQLite."""
    async with running(make_runtime, sqlite_url, bot_api) as h:
        yield h


_ids = iter(range(700_000_001, 800_000_000))


def text_update(
    text: str, *, update_id: int | None = None, user: int = CHAT, **message: Any
) -> dict[str, Any]:
    """A private-chat message update as the Bot API sends it."""
    uid = update_id if update_id is not None else next(_ids)
    msg: dict[str, Any] = {
        "message_id": uid % 100_000,
        "date": int(time.time()),
        "chat": {"id": user, "type": "private", "first_name": "Sari"},
        "from": {"id": user, "is_bot": False, "first_name": "Sari", "language_code": "id"},
        "text": text,
    }
    msg.update(message)
    return {"update_id": uid, "message": msg}


def button_update(
    data: str, *, query_id: str, user: int = CHAT, message_id: int = 1
) -> dict[str, Any]:
    """A callback query (inline button press), without chat_instance like some real ones."""
    return {
        "update_id": next(_ids),
        "callback_query": {
            "id": query_id,
            "from": {"id": user, "first_name": "Sari"},
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": user, "type": "private"},
            },
            "data": data,
        },
    }


def keyboard(params: dict[str, str]) -> list[dict[str, str]]:
    """The inline buttons of one sendMessage, flattened."""
    markup = json.loads(params["reply_markup"])
    return [b for row in markup["inline_keyboard"] for b in row]


async def count(rt: Runtime, model: Any, *where: Any) -> int:
    """Rows of ``model`` matching ``where``."""
    async with rt.sessions() as s:
        n: int = (
            await s.execute(select(func.count()).select_from(model).where(*where))
        ).scalar_one()
        return n


async def payloads(rt: Runtime) -> list[InboundPayload]:
    """Every raw payload kept, oldest first."""
    async with rt.sessions() as s:
        return list((await s.execute(select(InboundPayload).order_by(InboundPayload.id))).scalars())


async def file_complaint(h: Harness, user: int = CHAT) -> str:
    """Report a pothole and press "send" on the inline keyboard; returns the ticket number."""
    reply = await h.say(text_update(COMPLAINT, user=user))
    if "reply_markup" not in reply:  # the bot asked where it is
        reply = await h.say(text_update(PLACE, user=user))
    confirm = [b for b in keyboard(reply) if b["callback_data"] == "/confirm"]
    assert confirm, reply
    done = await h.say(button_update("/confirm", query_id=f"cbq-{user}", user=user))
    match = NUMBER.search(done["text"])
    assert match, done
    return match.group(0)


# ---------------------------------------------------------------- authentication, shape


async def test_missing_or_wrong_secret_is_refused_and_nothing_is_stored(tg: Harness) -> None:
    update = text_update("halo")
    for secret in (None, "wrong-secret", ""):
        resp = await tg.post(update, secret=secret)
        assert resp.status_code == 401, secret
        assert SECRET_HEADER in resp.json()["detail"]
    assert await count(tg.rt, InboundPayload) == 0
    assert await count(tg.rt, Message) == 0
    await tg.deliver()
    assert tg.sent() == []


async def test_non_json_body_with_the_right_secret_is_400_and_kept_as_failed(tg: Harness) -> None:
    resp = await tg.post(b"{not json")
    assert resp.status_code == 400
    assert "JSON" in resp.json()["detail"]
    (raw,) = await payloads(tg.rt)
    assert raw.status == "failed" and raw.body == "{not json"
    assert await count(tg.rt, Message) == 0


async def test_unknown_update_type_is_200_and_kept_as_unparsed(tg: Harness) -> None:
    update = {
        "update_id": next(_ids),
        "my_chat_member": {
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "first_name": "Sari"},
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": {"id": 4242, "first_name": "Pintu"}},
            "new_chat_member": {
                "status": "kicked",
                "user": {"id": 4242, "first_name": "Pintu"},
                "until_date": 0,
            },
        },
    }
    resp = await tg.post(update)
    assert resp.status_code == 200
    (raw,) = await payloads(tg.rt)
    assert raw.status == "unparsed"
    assert "my_chat_member" in (raw.error or "")
    assert json.loads(raw.body) == update
    assert await count(tg.rt, Message) == 0
    assert await count(tg.rt, OutboxMessage) == 0


# ---------------------------------------------------------------- conversations


async def test_text_message_is_stored_and_answered_with_an_inline_keyboard(tg: Harness) -> None:
    update = text_update("halo selamat pagi")
    resp = await tg.post(update)
    assert resp.status_code == 200
    async with tg.rt.sessions() as s:
        msg = (await s.execute(select(Message).where(Message.direction == "in"))).scalar_one()
    assert msg.channel == "telegram" and msg.text == "halo selamat pagi"
    assert msg.provider_message_id == str(update["update_id"])
    # Nothing goes out until the outbox worker runs.
    assert tg.sent() == []
    await tg.deliver()
    (params,) = tg.sent()
    assert params["chat_id"] == str(CHAT)
    assert "/complaint" in {b["callback_data"] for b in keyboard(params)}
    async with tg.rt.sessions() as s:
        row = (await s.execute(select(OutboxMessage))).scalar_one()
    assert row.status == "sent" and row.provider_message_id is not None
    (raw,) = await payloads(tg.rt)
    assert raw.status == "processed"


async def test_same_update_twice_is_stored_once_and_answered_once(
    make_runtime: Any, db_url: str, bot_api: FakeBotAPI
) -> None:
    async with running(make_runtime, db_url, bot_api) as h:
        update = text_update("halo", update_id=424242)
        first = await h.post(update)
        await h.deliver()
        again = await h.post(update)  # Telegram re-sends after a timeout
        await h.deliver()
        assert first.status_code == again.status_code == 200
        assert await count(h.rt, Message, Message.direction == "in") == 1
        assert await count(h.rt, OutboxMessage) == 1
        assert len(h.sent()) == 1
        assert [p.status for p in await payloads(h.rt)] == ["processed", "duplicate"]


async def test_button_press_is_acknowledged_and_files_the_complaint(tg: Harness) -> None:
    number = await file_complaint(tg)
    for _ in range(100):  # the acknowledgement runs beside the reply
        if tg.fake.calls("answerCallbackQuery"):
            break
        await asyncio.sleep(0.01)
    (ack,) = tg.fake.calls("answerCallbackQuery")
    assert tg.fake.params(ack)["callback_query_id"] == f"cbq-{CHAT}"
    async with tg.rt.sessions() as s:
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
        press = (
            await s.execute(
                select(Message).where(Message.direction == "in", Message.text == "/confirm")
            )
        ).scalar_one()
    assert ticket.channel == "telegram" and ticket.status == "routed"
    assert press.content["payload"] == "/confirm"


async def test_photo_with_caption_is_kept_as_an_attachment(tg: Harness) -> None:
    update = text_update(
        "",
        photo=[
            {"file_id": "AgAC-small", "file_unique_id": "s1", "width": 90, "height": 60},
            {"file_id": "AgAC-large", "width": 1280, "height": 853},  # no file_unique_id
        ],
        caption="lampu jalan mati di depan rumah saya",
    )
    del update["message"]["text"]
    resp = await tg.post(update)
    assert resp.status_code == 200
    async with tg.rt.sessions() as s:
        msg = (await s.execute(select(Message).where(Message.direction == "in"))).scalar_one()
    assert msg.text == "lampu jalan mati di depan rumah saya"
    (att,) = msg.content["attachments"]
    assert att["kind"] == "image" and att["media_id"] == "AgAC-large"
    assert att["caption"] == "lampu jalan mati di depan rumah saya"
    await tg.deliver()
    assert len(tg.sent()) == 1


async def test_lenient_update_without_required_fields_works(tg: Harness) -> None:
    # No is_bot, no language_code, no chat type: strict parsers reject this.
    update = {
        "update_id": next(_ids),
        "message": {
            "message_id": 7,
            "date": int(time.time()),
            "chat": {"id": 909},
            "from": {"id": 909, "first_name": "Budi"},
            "text": "halo",
        },
    }
    reply = await tg.say(update)
    assert reply["chat_id"] == "909"
    (raw,) = await payloads(tg.rt)
    assert raw.status == "processed"


# ---------------------------------------------------------------- provider trouble


async def test_replies_arrive_once_after_the_bot_api_recovers(
    tg: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # retry_after as a timedelta (PTB's future behaviour) must work as well.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    tg.fake.fail("sendMessage", 502, "Bad Gateway")
    tg.fake.fail("sendMessage", 500, "Internal Server Error")
    tg.fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    resp = await tg.post(text_update("halo"))
    assert resp.status_code == 200
    await tg.worker.run_once()
    async with tg.rt.sessions() as s:
        row = (await s.execute(select(OutboxMessage))).scalar_one()
    assert row.status == "pending" and row.attempts == 1
    assert "unreachable or failing" in (row.last_error or "")
    for _ in range(10):
        # Jump past backoff and retry_after rather than wait for them.
        await tg.worker.run_once(now=utcnow() + timedelta(seconds=30))
        async with tg.rt.sessions() as s:
            row = (await s.execute(select(OutboxMessage))).scalar_one()
        if row.status == "sent":
            break
    assert row.status == "sent" and row.attempts == 4
    for _ in range(3):
        await tg.worker.run_once(now=utcnow() + timedelta(seconds=30))
    # Three refused attempts and exactly one delivery.
    assert len(tg.sent()) == 4


# ---------------------------------------------------------------- failures while handling


async def test_a_deterministic_failure_is_kept_as_failed_and_not_retried(
    make_runtime: Any, db_url: str, bot_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text

    from bot.conversation.service import ConversationService

    async def refused_by_the_database(self: ConversationService, *a: Any, **kw: Any) -> Any:
        # A real database error that any re-delivery would hit again (NOT NULL violation).
        async with self.rt.sessions() as s, s.begin():
            await s.execute(text("INSERT INTO citizens (display_name) VALUES ('x')"))

    async def a_bug(self: ConversationService, *a: Any, **kw: Any) -> Any:
        raise ValueError("cannot handle this")

    async with running(make_runtime, db_url, bot_api) as h:
        for handler, needle in ((refused_by_the_database, "IntegrityError"), (a_bug, "ValueError")):
            monkeypatch.setattr(ConversationService, "handle", handler)
            update = text_update("halo")
            resp = await h.post(update)
            # 200: Telegram stops re-sending; the body is kept to inspect and replay.
            assert resp.status_code == 200, resp.text
            raw = (await payloads(h.rt))[-1]
            assert raw.status == "failed" and needle in (raw.error or "")
            assert json.loads(raw.body) == update


async def test_a_database_outage_is_answered_500_so_telegram_retries(
    make_runtime: Any, db_url: str, bot_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from bot.conversation.service import ConversationService

    async def outage(self: ConversationService, *a: Any, **kw: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    async with running(make_runtime, db_url, bot_api) as h:
        monkeypatch.setattr(ConversationService, "handle", outage)
        update = text_update("halo")
        assert (await h.post(update)).status_code == 500
        (raw,) = await payloads(h.rt)
        assert raw.status == "failed" and "OperationalError" in (raw.error or "")
        monkeypatch.undo()
        # The re-delivery goes through.
        assert (await h.post(update)).status_code == 200
        assert (await payloads(h.rt))[-1].status == "processed"


def test_which_failures_are_worth_a_retry() -> None:
    from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

    from bot.web.webhooks import is_transient
    from nlu.rasa_backend import NluBackendError

    class PgError(Exception):
        def __init__(self, sqlstate: str) -> None:
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    def dbapi(sqlstate: str) -> DBAPIError:
        return DBAPIError("UPDATE x", {}, PgError(sqlstate))

    for exc in (
        OperationalError("SELECT 1", {}, Exception("database is locked")),
        InterfaceError("SELECT 1", {}, Exception("connection is closed")),
        TimeoutError(),
        ConnectionResetError(),
        NluBackendError("Rasa server unreachable"),
        dbapi("40P01"),  # deadlock
        dbapi("40001"),  # serialization failure
        dbapi("57P01"),  # admin shutdown
    ):
        assert is_transient(exc), exc
    for exc in (
        ValueError("bug"),
        KeyError("x"),
        IntegrityError("INSERT", {}, Exception("not null")),
        dbapi("22001"),  # value too long
        dbapi("22021"),  # NUL byte / bad encoding
    ):
        assert not is_transient(exc), exc
