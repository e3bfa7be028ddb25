"""A crash mid-send (issue 15, item 6), on SQLite and PostgreSQL.

Before: a row a killed process left 'sending' stayed so for 300 s, holding the
chat's later replies behind it, then was sent again. Now a worker starting up
requeues at once every row whose claiming process is gone, and every attempt
of one message carries the same idempotency key (the REST callback gets it as
``Idempotency-Key``), so a receiver that honours it gets the message once.
A real ``kill -9`` of a worker process is in ``test_kill_restart.py``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from sqlalchemy import select

from bot.delivery.recovery import HOST, idempotency_key, is_orphan, new_owner
from bot.delivery.worker import OutboxWorker
from channels.base import OutboundMessage
from storage.models import OutboxMessage, utcnow
from storage.repositories.outbox import OutboxRepository
from tests.channels.fakes import serve
from tests.log_scan import scanned_logs  # noqa: F401  (scans this module's logs)


class Callback:
    """A REST callback receiver that honours Idempotency-Key, failing on demand."""

    def __init__(self) -> None:
        self.calls: list[tuple[str | None, str]] = []
        self.kept: dict[str, str] = {}
        self.fail_next = 0
        self.app = FastAPI()
        self.app.add_api_route("/cb", self.receive, methods=["POST"])

    async def receive(self, request: Request) -> dict[str, str]:
        key = request.headers.get("idempotency-key")
        body = await request.json()
        self.calls.append((key, body[0]["text"]))
        if self.fail_next:
            self.fail_next -= 1
            from fastapi.responses import JSONResponse

            return JSONResponse({"error": "busy"}, status_code=503)  # type: ignore[return-value]
        if key is not None:
            self.kept.setdefault(key, body[0]["text"])
        return {"ok": "yes"}


@pytest.fixture
async def callback() -> AsyncIterator[tuple[Callback, str]]:
    cb = Callback()
    async with serve(cb.app) as url:
        yield cb, f"{url}/cb"


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


async def _queue(rt: Any, texts: list[str]) -> list[int]:
    async with rt.sessions() as session, session.begin():
        repo = OutboxRepository(session)
        rows = [await repo.enqueue(channel="rest", recipient_id="warga-c",
                                   payload=OutboundMessage("rest", "warga-c", text).to_dict())
                for text in texts]
        return [r.id for r in rows]


async def _claim_as(rt: Any, outbox_id: int, owner: str) -> None:
    async with rt.sessions() as session, session.begin():
        assert await OutboxRepository(session).claim(outbox_id, ["rest"], utcnow(), owner)


async def _statuses(rt: Any) -> list[str]:
    async with rt.sessions() as session:
        return list(await session.scalars(select(OutboxMessage.status)
                                          .order_by(OutboxMessage.id)))


async def test_a_send_killed_mid_flight_is_requeued_at_start_up(
        make_runtime: Any, db_url: str, callback: tuple[Callback, str]) -> None:
    cb, url = callback
    rt = await make_runtime(db_url, rest={"callback_url": url})
    first, second = await _queue(rt, ["balasan pertama", "balasan kedua"])
    dead = f"{HOST}:{_dead_pid()}:abc"
    await _claim_as(rt, first, dead)  # the process that took it was killed mid-send
    worker = OutboxWorker(rt)
    # Without recovery the chat waits: the second reply is blocked behind the first.
    assert await worker.run_once() == 0
    assert await _statuses(rt) == ["sending", "pending"]
    assert await worker.recover_on_startup() == 1
    assert await worker.run_once() + await worker.run_once() == 2
    assert await _statuses(rt) == ["sent", "sent"]
    assert [text for _key, text in cb.calls] == ["balasan pertama", "balasan kedua"]
    assert [key for key, _text in cb.calls] == [idempotency_key(first), idempotency_key(second)]


async def test_rows_of_live_workers_elsewhere_are_left_alone(make_runtime: Any,
                                                             sqlite_url: str) -> None:
    rt = await make_runtime(sqlite_url)
    ids = await _queue(rt, ["a", "b", "c"])
    await _claim_as(rt, ids[0], "other-host:1:live")  # cannot be checked from here
    worker = OutboxWorker(rt)
    await _claim_as(rt, ids[1], worker.owner)  # this worker's own, in flight
    assert await worker.recover_on_startup() == 0
    assert await _statuses(rt) == ["sending", "sending", "pending"]


def test_orphan_rules() -> None:
    me = new_owner()
    pid = me.split(":")[1]
    assert is_orphan(None, me)
    assert not is_orphan(me, me)
    assert is_orphan(f"{HOST}:{pid}:earlier", me)  # an earlier worker of this process
    assert is_orphan(f"{HOST}:{_dead_pid()}:x", me)
    assert not is_orphan(f"{HOST}:1:x", me)  # pid 1 is alive
    assert not is_orphan("elsewhere:123:x", me)


async def test_a_retried_send_carries_the_same_key_and_arrives_once(
        make_runtime: Any, sqlite_url: str, callback: tuple[Callback, str]) -> None:
    cb, url = callback
    rt = await make_runtime(sqlite_url, rest={"callback_url": url})
    (only,) = await _queue(rt, ["sekali saja"])
    cb.fail_next = 2
    worker = OutboxWorker(rt)
    for _ in range(40):
        await worker.run_once()
        if await _statuses(rt) == ["sent"]:
            break
        async with rt.sessions() as session, session.begin():
            row = await session.get(OutboxMessage, only)
            assert row is not None
            row.next_attempt_at = utcnow()
    assert await _statuses(rt) == ["sent"]
    assert [key for key, _ in cb.calls] == [idempotency_key(only)] * 3
    assert cb.kept == {idempotency_key(only): "sekali saja"}
