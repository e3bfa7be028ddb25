"""Delivery across recipients is concurrent, per recipient in order, and two workers
(processes) sharing one outbox never send a row twice (SKIP LOCKED on PostgreSQL)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import select

from bot.core.runtime import Runtime
from bot.delivery.worker import OutboxWorker
from channels.base import OutboundMessage, SendResult
from storage.models import OutboxMessage
from storage.repositories.outbox import OutboxRepository


class SlowProvider:
    """A channel adapter whose every send takes ``delay`` seconds (a slow provider API)."""

    def __init__(self, name: str, delay: float) -> None:
        self.name = name
        self.delay = delay
        self.sent: list[tuple[str, str, float]] = []

    def verify(self, headers: Any, body: bytes) -> None:
        return None

    def parse(self, body: bytes) -> Any:
        raise NotImplementedError

    async def send(self, message: OutboundMessage) -> SendResult:
        await asyncio.sleep(self.delay)
        self.sent.append((message.recipient_id, message.text, time.monotonic()))
        return SendResult(f"{self.name}-{len(self.sent)}")


async def _queue_many(rt: Runtime, channel: str, items: list[tuple[str, str]]) -> None:
    async with rt.sessions() as s, s.begin():
        repo = OutboxRepository(s)
        for recipient, text in items:
            await repo.enqueue(channel=channel, recipient_id=recipient, payload=OutboundMessage(
                channel=channel, recipient_id=recipient, text=text).to_dict())


async def _statuses(rt: Runtime) -> list[str]:
    async with rt.sessions() as s:
        return list((await s.execute(select(OutboxMessage.status)
                                     .order_by(OutboxMessage.id))).scalars())


async def test_ten_chats_with_a_slow_provider_are_served_at_once(
    make_runtime: Any, db_url: str
) -> None:
    rt: Runtime = await make_runtime(db_url)
    provider = SlowProvider("terminal", 1.0)
    rt.adapters["terminal"] = provider
    await _queue_many(rt, "terminal", [(f"chat-{i}", f"balasan {i}") for i in range(10)])
    started = time.monotonic()
    assert await OutboxWorker(rt).run_once() == 10
    elapsed = time.monotonic() - started
    # Sequential sends would take 10 s; concurrent ones take about one send.
    assert elapsed < 4, elapsed
    assert sorted(r for r, _, _ in provider.sent) == sorted(f"chat-{i}" for i in range(10))
    assert await _statuses(rt) == ["sent"] * 10


async def test_the_loop_keeps_each_recipient_in_order_while_serving_others(
    make_runtime: Any, db_url: str
) -> None:
    rt: Runtime = await make_runtime(db_url, outbox={"poll_interval_seconds": 0.05})
    provider = SlowProvider("terminal", 0.2)
    rt.adapters["terminal"] = provider
    items = [(f"chat-{i % 4}", f"pesan {n}") for n, i in enumerate(range(12))]
    await _queue_many(rt, "terminal", items)
    worker = OutboxWorker(rt)
    worker.start()
    try:
        for _ in range(200):
            if len(provider.sent) == 12:
                break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()
    assert len(provider.sent) == 12
    for chat in {r for r, _ in items}:
        expected = [t for r, t in items if r == chat]
        assert [t for r, t, _ in provider.sent if r == chat] == expected
    # Three messages per chat at 0.2 s each, four chats at once: about 0.6 s, not 2.4 s.
    span = provider.sent[-1][2] - provider.sent[0][2]
    assert span < 1.8, span
    assert await _statuses(rt) == ["sent"] * 12


async def test_two_workers_on_one_outbox_never_send_a_row_twice(
    make_runtime: Any, db_url: str
) -> None:
    rt_a: Runtime = await make_runtime(db_url)
    rt_b: Runtime = await make_runtime(db_url)
    provider = SlowProvider("terminal", 0.01)
    rt_a.adapters["terminal"] = provider
    rt_b.adapters["terminal"] = provider
    items = [(f"chat-{i % 15}", f"pesan {i}") for i in range(60)]
    await _queue_many(rt_a, "terminal", items)
    a, b = OutboxWorker(rt_a), OutboxWorker(rt_b)
    for _ in range(20):
        await asyncio.gather(a.run_once(), b.run_once())
        if await _statuses(rt_a) == ["sent"] * 60:
            break
    assert await _statuses(rt_a) == ["sent"] * 60
    texts = [t for _, t, _ in provider.sent]
    assert sorted(texts) == sorted(t for _, t in items)  # each exactly once
    for chat in {r for r, _ in items}:
        assert [t for r, t, _ in provider.sent if r == chat] == [t for r, t in items if r == chat]
