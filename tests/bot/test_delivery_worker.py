"""The delivery worker's decisions, fast: on the in-memory twin of the delivery queue.

No database and no HTTP: a scripted adapter fails, asks to wait or refuses,
and the worker must keep order per recipient, honour ``retry_after``, back
off, give up only when it should, and never send on a channel it cannot.
The same queue contract is checked against the database in
``tests/storage/test_delivery_queue.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from bot.core.runtime import Runtime
from bot.core.settings import CoreSettings, OutboxSettings
from bot.delivery.worker import OutboxWorker
from channels.base import DeliveryError, OutboundMessage, SendResult
from storage.memory import MemoryDeliveryQueue


class ScriptedAdapter:
    """Answers each send with the next scripted outcome (None: accepted)."""

    name = "rest"

    def __init__(self, *outcomes: Exception | None) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[str] = []

    async def send(self, message: OutboundMessage) -> SendResult:
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        self.sent.append(message.text)
        return SendResult(f"p-{len(self.sent)}")


def _worker(adapter: ScriptedAdapter, queue: MemoryDeliveryQueue,
            **outbox: Any) -> OutboxWorker:
    # The worker reads only settings, adapters and the wake-up event from the runtime.
    settings = CoreSettings(outbox=OutboxSettings(**outbox))
    rt = Runtime(settings=settings, engine=cast(Any, None), sessions=cast(Any, None),
                 catalog=cast(Any, None), nlu=cast(Any, None), adapters={"rest": adapter})
    return OutboxWorker(rt, queue)


def _msg(text: str) -> dict[str, Any]:
    return OutboundMessage("rest", "warga", text).to_dict()


def _past() -> datetime:
    return datetime.now(UTC) - timedelta(seconds=1)


async def test_order_is_kept_through_failures_and_retry_after_is_honoured() -> None:
    queue = MemoryDeliveryQueue()
    for text in ("satu", "dua", "tiga"):
        queue.enqueue("rest", "warga", _msg(text), _past())
    adapter = ScriptedAdapter(DeliveryError("503", retry_after=120), None, None, None)
    worker = _worker(adapter, queue)
    before = datetime.now(UTC)
    assert await worker.run_once() == 0
    first = queue.rows[1]
    assert (first.status, first.attempts, first.last_error) == ("pending", 1, "503")
    assert timedelta(seconds=119) < first.next_attempt_at - before < timedelta(seconds=122)
    # Nothing overtakes the first message while it waits.
    assert await worker.run_once() == 0 and adapter.sent == []
    assert await worker.run_once(now=first.next_attempt_at) == 1
    assert await worker.run_once(now=first.next_attempt_at) == 1
    assert await worker.run_once(now=first.next_attempt_at) == 1
    assert adapter.sent == ["satu", "dua", "tiga"]
    assert [(r.status, r.attempts, r.provider_message_id) for r in queue.rows.values()] == [
        ("sent", 2, "p-1"), ("sent", 1, "p-2"), ("sent", 1, "p-3")]


async def test_backoff_grows_and_the_worker_gives_up_after_max_attempts() -> None:
    queue = MemoryDeliveryQueue()
    queue.enqueue("rest", "warga", _msg("halo"), _past())
    adapter = ScriptedAdapter(*[DeliveryError("timeout")] * 3)
    worker = _worker(adapter, queue, max_attempts=3, backoff_base_seconds=10,
                     backoff_max_seconds=25)
    waits = []
    for _ in range(3):
        row = queue.rows[1]
        start = datetime.now(UTC)
        await worker.run_once(now=row.next_attempt_at)
        waits.append((row.next_attempt_at - start).total_seconds())
    row = queue.rows[1]
    assert (row.status, row.attempts, row.last_error) == ("failed", 3, "timeout")
    # 10 s then 20 s (±20 % jitter); the third failure gives up instead of waiting.
    assert 7.9 < waits[0] < 12.1 and 15.9 < waits[1] < 24.1
    assert adapter.sent == []


async def test_a_permanent_refusal_fails_at_once_and_the_next_message_goes() -> None:
    queue = MemoryDeliveryQueue()
    queue.enqueue("rest", "warga", _msg("ditolak"), _past())
    queue.enqueue("rest", "warga", _msg("berikutnya"), _past())
    adapter = ScriptedAdapter(DeliveryError("400 bad recipient", retryable=False))
    worker = _worker(adapter, queue)
    assert await worker.run_once() == 0
    assert (queue.rows[1].status, queue.rows[1].attempts) == ("failed", 1)
    assert await worker.run_once() == 1
    assert adapter.sent == ["berikutnya"]


async def test_an_adapter_bug_is_retried_and_other_channels_are_left_alone() -> None:
    queue = MemoryDeliveryQueue()
    queue.enqueue("whatsapp", "628123", _msg("bukan untuk proses ini"), _past())
    queue.enqueue("rest", "warga", _msg("halo"), _past())
    adapter = ScriptedAdapter(KeyError("bug"))
    worker = _worker(adapter, queue)
    assert await worker.run_once() == 0
    row = queue.rows[2]
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "KeyError: 'bug'")
    assert await worker.run_once(now=row.next_attempt_at) == 1
    assert adapter.sent == ["halo"]
    other = queue.rows[1]
    assert (other.status, other.attempts) == ("pending", 0)


async def test_a_send_left_hanging_by_a_dead_process_is_recovered() -> None:
    queue = MemoryDeliveryQueue()
    queue.enqueue("rest", "warga", _msg("halo"), _past())
    assert await queue.claim(1, ["rest"], datetime.now(UTC) - timedelta(minutes=10))
    adapter = ScriptedAdapter()
    worker = _worker(adapter, queue)
    assert await worker.run_once() == 1
    assert adapter.sent == ["halo"] and queue.rows[1].status == "sent"
