"""The delivery queue port: the outbox table and its in-memory twin keep one contract.

The same scenario runs against :class:`SqlDeliveryQueue` (SQLite and
PostgreSQL) and :class:`MemoryDeliveryQueue`, and every observable result
must be the same, so fast tests on the twin say something about production.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from storage.db import create_engine, session_factory, upgrade_async
from storage.delivery_queue import SqlDeliveryQueue
from storage.memory import MemoryDeliveryQueue
from storage.models import OutboxMessage
from storage.ports import ClaimedSend, DeliveryQueue
from storage.repositories.outbox import OutboxRepository

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
Enqueue = Callable[[str, str, str], Awaitable[int]]


async def test_the_memory_twin_keeps_the_contract() -> None:
    mem = MemoryDeliveryQueue()

    async def put(channel: str, recipient: str, text: str) -> int:
        return mem.enqueue(channel, recipient, {"text": text}, T0).id

    async def state(outbox_id: int) -> tuple[Any, ...]:
        r = mem.rows[outbox_id]
        return (r.status, r.attempts, r.last_error, r.provider_message_id, r.next_attempt_at)

    await _contract(mem, put, state)


async def test_the_outbox_table_keeps_the_contract(db_url: str) -> None:
    await upgrade_async(db_url)
    engine = create_engine(db_url)
    sessions = session_factory(engine)

    async def put(channel: str, recipient: str, text: str) -> int:
        async with sessions() as s, s.begin():
            row = await OutboxRepository(s).enqueue(channel=channel, recipient_id=recipient,
                                                    payload={"text": text})
            row.next_attempt_at = row.created_at = row.updated_at = T0
            return row.id

    async def state(outbox_id: int) -> tuple[Any, ...]:
        async with sessions() as s:
            r = await s.get(OutboxMessage, outbox_id)
            assert r is not None
            return (r.status, r.attempts, r.last_error, r.provider_message_id,
                    r.next_attempt_at)

    try:
        await _contract(SqlDeliveryQueue(sessions), put, state)
    finally:
        await engine.dispose()


async def _contract(q: DeliveryQueue, put: Enqueue, state: Any) -> None:
    a1 = await put("rest", "a", "a1")
    a2 = await put("rest", "a", "a2")
    b1 = await put("rest", "b", "b1")
    t1 = await put("terminal", "c", "t1")
    now = T0 + timedelta(seconds=1)
    # One per recipient, oldest first, only on the channels asked for.
    assert list(await q.due(["rest"], now, 10)) == [a1, b1]
    assert list(await q.due(["rest", "terminal"], now, 1)) == [a1]
    assert list(await q.due([], now, 10)) == []
    assert list(await q.due(["rest"], T0 - timedelta(seconds=1), 10)) == []
    # A claim is exclusive and carries what to send.
    assert await q.claim(a1, ["terminal"], now) is None
    assert await q.claim(a1, ["rest"], now) == ClaimedSend(a1, "rest", {"text": "a1"}, 0)
    assert await q.claim(a1, ["rest"], now) is None
    # While a1 is being sent, a2 waits behind it.
    assert list(await q.due(["rest", "terminal"], now, 10)) == [b1, t1]
    # A failed attempt: pending again later, still blocking a2.
    later = now + timedelta(seconds=30)
    await q.record_failure(a1, "503 down", now, later)
    assert await state(a1) == ("pending", 1, "503 down", None, later)
    assert list(await q.due(["rest"], now, 10)) == [b1]
    assert list(await q.due(["rest"], later, 10)) == [a1, b1]
    # Sent: a2 is next for recipient a.
    assert await q.claim(a1, ["rest"], later) == ClaimedSend(a1, "rest", {"text": "a1"}, 1)
    await q.record_sent(a1, "prov-1", later)
    assert await state(a1) == ("sent", 2, None, "prov-1", later)
    assert list(await q.due(["rest"], later, 10)) == [a2, b1]
    # Failed for good: the recipient's queue moves on.
    assert await q.claim(b1, ["rest"], later) is not None
    await q.record_failure(b1, "400 refused", later, None)
    assert (await state(b1))[:3] == ("failed", 1, "400 refused")
    # A claim handed back costs no attempt; a sender that died is recovered after a while.
    assert await q.claim(a2, ["rest"], later) is not None
    await q.release(a2, later)
    assert (await state(a2))[:2] == ("pending", 0)
    assert await q.claim(a2, ["rest"], later) is not None
    assert await q.requeue_stuck(later, later) == 0
    assert await q.requeue_stuck(later + timedelta(seconds=1), later) == 1
    assert (await state(a2))[:2] == ("pending", 0)
    assert list(await q.due(["rest", "terminal"], later, 10)) == [a2, t1]


async def test_sends_that_end_together_are_recorded_in_one_transaction(db_url: str) -> None:
    """Group commit: ten "sent" records arriving at once take fewer transactions than ten,
    each caller returns with its own row committed, and a failed commit reaches them all."""
    import asyncio

    from sqlalchemy import event

    await upgrade_async(db_url)
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    commits: list[int] = []
    event.listen(engine.sync_engine, "commit", lambda conn: commits.append(1))
    try:
        ids = []
        async with sessions() as s, s.begin():
            for i in range(10):
                row = await OutboxRepository(s).enqueue(channel="telegram", recipient_id=str(i),
                                                        payload={"text": "x"})
                ids.append(row.id)
        queue = SqlDeliveryQueue(sessions)
        for i in ids:  # claimed, as the worker does before sending
            assert await queue.claim(i, ["telegram"], T0) is not None
        commits.clear()
        await asyncio.gather(*(queue.record_sent(i, f"p{i}", T0) for i in ids))
        assert 1 <= len(commits) < len(ids)
        async with sessions() as s:
            rows = [await s.get(OutboxMessage, i) for i in ids]
        assert [(r.status, r.provider_message_id, r.attempts) for r in rows if r] == [
            ("sent", f"p{i}", 1) for i in ids]

        # A commit that fails fails every caller of its batch (nothing is marked sent).
        async with sessions() as s, s.begin():
            extra = await OutboxRepository(s).enqueue(channel="telegram", recipient_id="z",
                                                      payload={"text": "y"})
        await engine.dispose()

        def broken() -> Any:
            raise RuntimeError("database gone")

        failing = SqlDeliveryQueue(broken)  # type: ignore[arg-type]
        results = await asyncio.gather(failing.record_sent(extra.id, "q", T0),
                                       failing.record_sent(extra.id, "q2", T0),
                                       return_exceptions=True)
        assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    finally:
        await engine.dispose()
