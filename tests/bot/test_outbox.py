"""The outbox worker over real HTTP: retries while the provider is down, order kept, no loss."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from bot.delivery import deliver_to_citizen
from bot.outbox import OutboxWorker, backoff_seconds
from bot.runtime import Runtime
from storage.models import OutboxMessage
from storage.repositories.citizens import CitizenRepository
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


async def test_a_row_left_sending_by_a_crash_is_sent_again(
    make_runtime: Any, sqlite_url: str
) -> None:
    from datetime import timedelta

    from storage.models import utcnow

    fake = FakeCallback()
    fake.down = False
    async with serve(fake.app) as base:
        rt: Runtime = await make_runtime(sqlite_url, rest={"callback_url": f"{base}/callback"})
        citizen_id = await _citizen(rt, "warga-12")
        async with rt.sessions() as s, s.begin():
            await deliver_to_citizen(s, rt, citizen_id, "halo lagi")
        async with rt.sessions() as s, s.begin():
            row = (await s.execute(select(OutboxMessage))).scalar_one()
            row.status = "sending"
            row.updated_at = utcnow() - timedelta(minutes=10)
        worker = OutboxWorker(rt)
        assert await worker.run_once() == 0  # 'sending' rows are not touched by a pass
        assert await worker.recover_stuck() == 1
        assert await worker.run_once() == 1
    assert [m["text"] for m in fake.received] == ["halo lagi"]
