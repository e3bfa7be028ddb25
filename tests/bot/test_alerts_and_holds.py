"""Officers alerted (issue 16, item 4) over real sockets: a complaint filed through the REST
channel, a citizen asking for a person and a forward each send the unit's alert to its
group chat through the fake Telegram Bot API (via the outbox) and by e-mail to a fake
SMTP server; and an officer who takes the conversation keeps the bot quiet until they
hand it back or the hold time passes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx

from bot.app import create_app
from bot.cases.alerts import _mail, alert_loop, route_for
from bot.cases.holds import release_expired_holds
from bot.core.runtime import Runtime
from bot.core.settings import AlertRoute, AlertSettings
from bot.delivery.worker import OutboxWorker
from routing.catalog import load_catalog
from storage.models import utcnow
from tests.bot.test_pipeline import file_complaint
from tests.bot.test_webhooks_telegram import telegram_settings
from tests.channels.fakes import FakeBotAPI, serve
from tests.conftest import talk
from tests.smtp_fake import FakeSmtp, fake_smtp
from tests.staff_support import api_headers, console_login, csrf_of, make_staff

GROUP = "-1001234567890"


@contextlib.asynccontextmanager
async def app_with_alerts(make_runtime: Any, url: str) -> AsyncIterator[
        tuple[httpx.AsyncClient, Runtime, FakeBotAPI, FakeSmtp]]:
    fake = FakeBotAPI()
    async with serve(fake.app) as api_url, fake_smtp() as smtp:
        fake.url = api_url
        rt: Runtime = await make_runtime(url, telegram=telegram_settings(fake), alerts={
            "units": {"dinas-pupr-batu": {"chat_channel": "telegram", "chat_id": GROUP,
                                          "emails": ["pengaduan@pupr.example.go.id"]}},
            "default": {"emails": ["sekretariat@example.go.id"]},
            "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "hold_minutes": 30},
            server={"public_url": "https://pintu.example.go.id"})
        app = create_app(runtime=rt, workers=False)
        async with app.router.lifespan_context(app):
            task = asyncio.create_task(alert_loop(rt))
            transport = httpx.ASGITransport(app=app)
            try:
                async with httpx.AsyncClient(transport=transport,
                                             base_url="http://pintu.test") as client:
                    yield client, rt, fake, smtp
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


async def wait_for(predicate: Any, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def deliver(rt: Runtime) -> None:
    worker = OutboxWorker(rt)
    for _ in range(10):
        if not await worker.run_once():
            return


async def test_alerts_reach_the_group_chat_and_the_inbox(make_runtime: Any,
                                                         db_url: str) -> None:
    async with app_with_alerts(make_runtime, db_url) as (client, rt, fake, smtp):
        number = await file_complaint(client, "warga-alert")
        await wait_for(lambda: len(smtp.received) == 1)
        await deliver(rt)
        group = [fake.params(r) for r in fake.calls("sendMessage")
                 if fake.params(r).get("chat_id") == GROUP]
        assert len(group) == 1
        text = group[0]["text"]
        assert text.startswith(f"[Pintu] Tiket baru {number} untuk ")
        assert f"https://pintu.example.go.id/console/tickets/{number}" in text
        assert "berlubang" in text
        mail = smtp.received[0]
        assert mail.rcpt_to == ["pengaduan@pupr.example.go.id"]
        assert mail.message["Subject"] == group[0]["text"].split("\n")[0]
        assert number in mail.message.get_content()

        # The citizen asks for a person: a second alert, same unit.
        await talk(client, "warga-alert", "saya mau bicara dengan petugas")
        await wait_for(lambda: len(smtp.received) == 2)
        assert smtp.received[1].message["Subject"] == f"[Pintu] Warga meminta petugas: {number}"

        # Forwarded to a unit without a route of its own or above it: the default route.
        await make_staff(rt, "pupr", "officer", "dinas-pupr-batu")
        headers = await api_headers(client, "pupr")
        resp = await client.post(f"/api/tickets/{number}/forward", headers=headers,
                                 json={"unit_id": "perumda-among-tirto",
                                       "reason": "soal pipa air"})
        assert resp.status_code == 200, resp.text
        await wait_for(lambda: len(smtp.received) == 3)
        assert smtp.received[2].rcpt_to == ["sekretariat@example.go.id"]
        assert smtp.received[2].message["Subject"].startswith(f"[Pintu] Tiket {number} diteruskan")
        async with rt.sessions() as s:
            repo = rt.repositories(s).tickets
            ticket = await repo.by_number(number)
            assert ticket is not None
            alerted = [e.data["alert"] for e in await repo.events(ticket.id)
                       if e.kind == "alerted"]
        assert alerted == ["ticket", "handover", "forwarded"]


def test_a_unit_without_a_route_uses_its_parents() -> None:
    catalog = load_catalog()
    parent = AlertRoute(emails=["setda@example.go.id"])
    cfg = AlertSettings(units={"setda-batu": parent},
                        default=AlertRoute(emails=["x@example.go.id"]))
    assert route_for(cfg, catalog, "dinkes-batu") == parent  # dinkes is below setda
    assert route_for(cfg, catalog, "setda-batu") == parent
    assert route_for(cfg, catalog, "perumda-among-tirto") == cfg.default
    assert route_for(cfg, catalog, "no-such-unit") == cfg.default


async def test_an_officer_holds_the_conversation_until_handing_it_back(
        make_runtime: Any, sqlite_url: str) -> None:
    async with app_with_alerts(make_runtime, sqlite_url) as (client, rt, _fake, _smtp):
        number = await file_complaint(client, "warga-hold")
        await make_staff(rt, "pupr", "officer", "dinas-pupr-batu")
        headers = await api_headers(client, "pupr")
        taken = await client.post(f"/api/tickets/{number}/hold/take", headers=headers)
        assert taken.status_code == 200, taken.text
        assert taken.json()["held"] is True

        # The bot is quiet: the citizen's messages go to the ticket for the officer.
        assert await talk(client, "warga-hold", "halo, kapan diperbaiki?") == []
        assert await talk(client, "warga-hold", "info jam buka kantor") == []
        detail = (await client.get(f"/api/tickets/{number}", headers=headers)).json()
        notes = [e["note"] for e in detail["events"] if e["kind"] == "citizen_message"]
        assert notes == ["halo, kapan diperbaiki?", "info jam buka kantor"]

        released = await client.post(f"/api/tickets/{number}/hold/release", headers=headers)
        assert released.json()["held"] is False
        assert await talk(client, "warga-hold", "halo") != []
        again = await client.post(f"/api/tickets/{number}/hold/release", headers=headers)
        assert again.status_code == 400

        # Another officer's unit cannot take it.
        await make_staff(rt, "dinkes", "officer", "dinkes-batu")
        other = await api_headers(client, "dinkes")
        assert (await client.post(f"/api/tickets/{number}/hold/take",
                                  headers=other)).status_code == 404


async def test_a_hold_ends_when_its_time_passes(make_runtime: Any, sqlite_url: str) -> None:
    async with app_with_alerts(make_runtime, sqlite_url) as (client, rt, _fake, _smtp):
        number = await file_complaint(client, "warga-hold2")
        await make_staff(rt, "pupr", "officer", "dinas-pupr-batu")
        # Taken from the console's ticket page (a CSRF-checked form).
        await console_login(client, "pupr")
        page = await client.get(f"/console/tickets/{number}")
        assert 'data-held="false"' in page.text
        token = csrf_of(page.text)
        bad = await client.post(f"/console/tickets/{number}/hold/take",
                                data={"csrf_token": "wrong"})
        assert bad.status_code == 403
        resp = await client.post(f"/console/tickets/{number}/hold/take",
                                 data={"csrf_token": token}, follow_redirects=True)
        assert 'data-held="true"' in resp.text
        assert await talk(client, "warga-hold2", "halo?") == []

        async with rt.sessions() as s, s.begin():
            assert await release_expired_holds(s, rt, now=utcnow() + timedelta(minutes=29)) == 0
        async with rt.sessions() as s, s.begin():
            assert await release_expired_holds(s, rt, now=utcnow() + timedelta(minutes=31)) == 1
        assert await talk(client, "warga-hold2", "halo") != []
        page = await client.get(f"/console/tickets/{number}")
        assert 'data-held="false"' in page.text


async def test_a_refused_mail_is_retried_then_reported() -> None:
    async with fake_smtp() as smtp:
        smtp.refuse = True
        cfg = AlertSettings(smtp_host="127.0.0.1", smtp_port=smtp.port)
        error = await _mail(cfg, ["a@example.go.id"], "s", "b")
    assert error is not None and "550" in error
    assert smtp.received == []
