"""The outbox worker over real HTTP: retries while the provider is down, order kept, no loss."""

from __future__ import annotations

from datetime import timezone
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from bot.core.runtime import Runtime
from bot.delivery.queue import deliver_to_citizen
from bot.delivery.worker import OutboxWorker, backoff_seconds
from channels.base import OutboundMessage, SendResult
from storage.models import OutboxMessage, utcnow
from storage.repositories.citizens import CitizenRepository
from storage.repositories.outbox import OutboxRepository
from tests.servers import serve


class FakeCallback:
    """A REST callback receiver that can be 'down' (503) for a while."""

    def __init__(self) -> None:
        self.down = True
        self.received: list[dict[str, Any]] = []
        self.refused = 0
        self.app = FastAPI()

        @self.app.post("/callback")
        async def callback(request: Request) -> JSONResponse:
            if self.down:
                self.refused += 1
                return JSONResponse({"error": "maintenance"}, status_code=503)
            self.received.extend(await request.json())
            return JSONResponse({"ok": True})


async def _citizen(rt: Runtime, sender: str) -> int:
    async with rt.sessions() as s, s.begin():
        citizen, _ = await CitizenRepository(s).identify("rest", sender, reply_address=sender)
        return citizen.id


async def test_every_message_arrives_once_and_in_order_after_an_outage(
    make_runtime: Any, db_url: str
) -> None:
    fake = FakeCallback()
    async with serve(fake.app) as base:
        rt: Runtime = await make_runtime(db_url, rest={"callback_url": f"{base}/callback"})
        citizen_id = await _citizen(rt, "warga-9")
        async with rt.sessions() as s, s.begin():
            for i in range(3):
                await deliver_to_citizen(s, rt, citizen_id, f"pesan {i}")
        worker = OutboxWorker(rt)
        # Provider down: nothing is lost, only delayed; later messages wait behind the first.
        for _ in range(3):
            await worker.run_once()
        assert fake.received == []
        assert fake.refused >= 1
        async with rt.sessions() as s:
            rows = (
                (await s.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
            )
        assert [r.status for r in rows] == ["pending"] * 3
        assert rows[0].attempts >= 1 and rows[1].attempts == 0
        assert "503" in (rows[0].last_error or "")
        # Provider back: everything arrives, once, in order.
        fake.down = False
        for _ in range(40):
            await worker.run_once(now=None)
            if len(fake.received) == 3:
                break
            import asyncio

            await asyncio.sleep(0.05)
        assert [m["text"] for m in fake.received] == ["pesan 0", "pesan 1", "pesan 2"]
        for _ in range(3):
            await worker.run_once()
        assert len(fake.received) == 3
        async with rt.sessions() as s:
            statuses = [r.status for r in (await s.execute(select(OutboxMessage))).scalars()]
        assert statuses == ["sent"] * 3


async def test_permanent_refusal_fails_without_retrying_forever(
    make_runtime: Any, sqlite_url: str
) -> None:
    app = FastAPI()
    calls = []

    @app.post("/callback")
    async def callback() -> JSONResponse:
        calls.append(1)
        return JSONResponse({"error": "bad recipient"}, status_code=400)

    async with serve(app) as base:
        rt: Runtime = await make_runtime(sqlite_url, rest={"callback_url": f"{base}/callback"})
        citizen_id = await _citizen(rt, "warga-10")
        async with rt.sessions() as s, s.begin():
            await deliver_to_citizen(s, rt, citizen_id, "halo")
        worker = OutboxWorker(rt)
        await worker.run_once()
        await worker.run_once()
    async with rt.sessions() as s:
        row = (await s.execute(select(OutboxMessage))).scalar_one()
    assert row.status == "failed"
    assert len(calls) == 1


async def test_max_attempts_ends_in_failed(make_runtime: Any, sqlite_url: str) -> None:
    # Nothing listens on this port: every attempt is a network error.
    from tests.servers import free_port

    rt: Runtime = await make_runtime(
        sqlite_url,
        rest={"callback_url": f"http://127.0.0.1:{free_port()}/cb"},
        outbox={"max_attempts": 2, "backoff_base_seconds": 0.001, "backoff_max_seconds": 0.001},
    )
    citizen_id = await _citizen(rt, "warga-11")
    async with rt.sessions() as s, s.begin():
        await deliver_to_citizen(s, rt, citizen_id, "halo")
    worker = OutboxWorker(rt)
    import asyncio

    for _ in range(4):
        await worker.run_once()
        await asyncio.sleep(0.01)
    async with rt.sessions() as s:
        row = (await s.execute(select(OutboxMessage))).scalar_one()
    assert row.status == "failed" and row.attempts == 2
    assert "unreachable" in (row.last_error or "")


def test_backoff_grows_and_is_capped() -> None:
    first = backoff_seconds(1, 2.0, 600)
    assert 1.6 <= first <= 2.4
    assert 12.8 <= backoff_seconds(4, 2.0, 600) <= 19.2
    assert backoff_seconds(30, 2.0, 600) <= 720


async def test_a_row_left_sending_by_a_crash_is_sent_again(make_runtime: Any, db_url: str) -> None:
    from datetime import timedelta

    from storage.models import utcnow

    fake = FakeCallback()
    fake.down = False
    async with serve(fake.app) as base:
        rt: Runtime = await make_runtime(db_url, rest={"callback_url": f"{base}/callback"})
        citizen_id = await _citizen(rt, "warga-12")
        async with rt.sessions() as s, s.begin():
            await deliver_to_citizen(s, rt, citizen_id, "halo lagi")
            await deliver_to_citizen(s, rt, citizen_id, "pesan kedua")
        async with rt.sessions() as s, s.begin():
            first = (await s.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
            row = next(iter(first))
            row.status = "sending"
            row.updated_at = utcnow()
        worker = OutboxWorker(rt)
        # In flight (another process is sending it): not touched, and the next message
        # to the same person waits behind it.
        assert await worker.run_once() == 0
        assert fake.received == []
        async with rt.sessions() as s, s.begin():
            row = (await s.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
            stuck = next(iter(row))
            stuck.updated_at = utcnow() - timedelta(minutes=10)
        # Stuck (its process died): every pass puts it back, no restart needed.
        assert await worker.run_once() == 1
        assert await worker.run_once() == 1
    assert [m["text"] for m in fake.received] == ["halo lagi", "pesan kedua"]


class Recorder:
    """A channel adapter that records what it sends."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[OutboundMessage] = []

    def verify(self, headers: Any, body: bytes) -> None:
        return None

    def parse(self, body: bytes) -> Any:
        raise NotImplementedError

    async def send(self, message: OutboundMessage) -> SendResult:
        self.sent.append(message)
        return SendResult(f"{self.name}-{len(self.sent)}")


async def _queue(rt: Runtime, channel: str, recipient: str, text: str, **values: Any) -> int:
    async with rt.sessions() as s, s.begin():
        row = await OutboxRepository(s).enqueue(
            channel=channel,
            recipient_id=recipient,
            payload=OutboundMessage(channel=channel, recipient_id=recipient, text=text).to_dict(),
        )
        for key, value in values.items():
            setattr(row, key, value)
        return row.id


async def _row(rt: Runtime, outbox_id: int) -> OutboxMessage:
    async with rt.sessions() as s:
        row = await OutboxRepository(s).get(outbox_id)
        assert row is not None
        return row


async def test_rows_of_a_channel_without_an_adapter_are_left_alone(
    make_runtime: Any, db_url: str
) -> None:
    # A `pintu chat` process (terminal adapter) sharing the database with `pintu serve`
    # (web chat adapter): neither takes, or counts an attempt on, the other's messages.
    rt: Runtime = await make_runtime(
        db_url, outbox={"max_attempts": 1, "backoff_base_seconds": 0.001}
    )
    terminal = Recorder("terminal")
    rt.adapters["terminal"] = terminal
    rt.adapters.pop("webchat", None)
    web = await _queue(rt, "webchat", "sesi-1", "untuk web chat")
    mine = await _queue(rt, "terminal", "local", "untuk terminal")
    worker = OutboxWorker(rt)
    for _ in range(3):
        await worker.run_once()
    assert [m.text for m in terminal.sent] == ["untuk terminal"]
    row = await _row(rt, web)
    assert (row.status, row.attempts, row.last_error) == ("pending", 0, None)
    assert (await _row(rt, mine)).status == "sent"
    # The process that has the adapter sends it.
    web_adapter = Recorder("webchat")
    rt.adapters["webchat"] = web_adapter
    assert await worker.run_once() == 1
    assert [m.text for m in web_adapter.sent] == ["untuk web chat"]


async def test_a_missing_adapter_never_counts_an_attempt(
    make_runtime: Any, sqlite_url: str
) -> None:
    rt: Runtime = await make_runtime(sqlite_url, outbox={"max_attempts": 1})
    rt.adapters["terminal"] = Recorder("terminal")
    row_id = await _queue(rt, "terminal", "local", "halo")
    worker = OutboxWorker(rt)
    (claimed,) = await worker.queue.claim_due(["terminal"], utcnow(), 10)
    del rt.adapters["terminal"]  # e.g. gone between the claim and the send
    assert await worker._send(claimed) == 0
    row = await _row(rt, row_id)
    assert (row.status, row.attempts) == ("pending", 0)


async def test_messages_waiting_out_backoff_do_not_hold_up_others(
    make_runtime: Any, db_url: str
) -> None:
    from datetime import timedelta

    from storage.models import utcnow

    rt: Runtime = await make_runtime(db_url, outbox={"batch_size": 50})
    rec = Recorder("terminal")
    rt.adapters["terminal"] = rec
    later = utcnow() + timedelta(hours=1)
    async with rt.sessions() as s, s.begin():
        repo = OutboxRepository(s)
        for i in range(200):
            row = await repo.enqueue(
                channel="terminal",
                recipient_id=f"warga-{i}",
                payload=OutboundMessage(
                    channel="terminal", recipient_id=f"warga-{i}", text="nanti"
                ).to_dict(),
            )
            row.next_attempt_at = later
    await _queue(rt, "terminal", "warga-baru", "sekarang")
    worker = OutboxWorker(rt)
    assert await worker.run_once() == 1
    assert [m.text for m in rec.sent] == ["sekarang"]
    # Due exactly when their backoff ends (SQLite's naive UTC and aware times compare right).
    async with rt.sessions() as s:
        due = await OutboxRepository(s).due(["terminal"], later + timedelta(seconds=1), 500)
        not_yet = await OutboxRepository(s).due(["terminal"], later - timedelta(seconds=1), 500)
    assert len(due) == 200 and not_yet == []
    # A non-UTC "now" means the same instant.
    plus7 = timezone(timedelta(hours=7))
    async with rt.sessions() as s:
        local = await OutboxRepository(s).due(
            ["terminal"], (later - timedelta(seconds=1)).astimezone(plus7), 500
        )
    assert local == []


async def test_order_is_kept_per_recipient_and_a_retrying_row_blocks_only_its_own(
    make_runtime: Any, db_url: str
) -> None:
    from datetime import timedelta

    from storage.models import utcnow

    rt: Runtime = await make_runtime(db_url)
    rec = Recorder("terminal")
    rt.adapters["terminal"] = rec
    waiting = await _queue(
        rt, "terminal", "a", "a1", attempts=1, next_attempt_at=utcnow() + timedelta(hours=1)
    )
    await _queue(rt, "terminal", "a", "a2")
    await _queue(rt, "terminal", "b", "b1")
    await _queue(rt, "terminal", "b", "b2")
    worker = OutboxWorker(rt)
    await worker.run_once()
    await worker.run_once()
    assert [m.text for m in rec.sent] == ["b1", "b2"]
    async with rt.sessions() as s, s.begin():
        row = await OutboxRepository(s).get(waiting)
        assert row is not None
        row.next_attempt_at = utcnow()
    await worker.run_once()
    await worker.run_once()
    assert [m.text for m in rec.sent] == ["b1", "b2", "a1", "a2"]
