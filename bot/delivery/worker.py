"""The delivery worker: sends queued messages, retrying with backoff until they arrive.

Messages to one recipient go out in order: a later message waits while an
earlier one to the same person is still pending (being retried) or being
sent. Different recipients are served concurrently. A provider that is down
delays messages; it never loses them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.runtime import Runtime
from bot.delivery.recovery import idempotency_key, is_orphan, new_owner
from channels.base import DeliveryError, DeliveryStatus, OutboundMessage
from storage.delivery_queue import SqlDeliveryQueue
from storage.models import utcnow
from storage.ports import ClaimedSend, DeliveryQueue
from storage.sqlite_driver import inline_statements

log = logging.getLogger(__name__)

# How often the loop puts back rows whose sender died (each pass in run_once).
RECOVERY_INTERVAL_SECONDS = 30.0

STATUS_ORDER = {"pending": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4, "failed": 5}


def backoff_seconds(attempt: int, base: float, maximum: float) -> float:
    """Exponential backoff with jitter for the ``attempt``-th failure (1-based)."""
    delay = min(maximum, base * 2.0 ** max(0, attempt - 1))
    return delay * (0.8 + 0.4 * random.random())


class OutboxWorker:
    """Delivers pending outbox messages through the channel adapters.

    It depends on the :class:`storage.ports.DeliveryQueue` port: the outbox
    table by default, or any twin (``storage.memory.MemoryDeliveryQueue``).
    """

    def __init__(self, rt: Runtime, queue: DeliveryQueue | None = None) -> None:
        self.rt = rt
        self.queue: DeliveryQueue = queue or SqlDeliveryQueue(rt.sessions)
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.owner = new_owner()

    async def run_once(self, now: datetime | None = None) -> int:
        """One pass: requeue stuck rows, then send what is due now, concurrently across
        recipients; returns how many were sent.

        Only rows for channels this process has an adapter for are taken (the
        web chat's exist only in ``pintu serve``, the terminal's only in
        ``pintu chat``), so processes sharing a database never take each
        other's messages.
        """
        now = now or utcnow()
        await self.recover_stuck()
        claimed = await self.queue.claim_due(list(self.rt.adapters), now,
                                             self.rt.settings.outbox.batch_size, self.owner)
        return sum(await asyncio.gather(*(self._send(c) for c in claimed)))

    async def _send(self, claimed: ClaimedSend) -> int:
        """Send one claimed row outside any transaction, then record the outcome.

        Claiming is atomic (pending -> sending), so several workers (or
        processes) never send the same row twice; a row left in 'sending' by a
        crashed process is put back by :meth:`recover_stuck`.
        """
        adapter = self.rt.adapters.get(claimed.channel)
        if adapter is None:  # removed since the claim: hand the row back, no attempt counted
            await self.queue.release(claimed.outbox_id, utcnow())
            return 0
        try:
            message = OutboundMessage.from_dict(claimed.payload)
            # The same key on every attempt: a provider that honours one sends it once.
            key = idempotency_key(claimed.outbox_id)
            message = replace(message, metadata={**message.metadata, "idempotency_key": key})
            sent = await adapter.send(message)
        except DeliveryError as exc:
            await self._failed(claimed, str(exc), exc.retryable, exc.retry_after)
            return 0
        except Exception as exc:  # an adapter bug must not lose the message
            log.exception("outbox %s: unexpected error", claimed.outbox_id)
            await self._failed(claimed, f"{type(exc).__name__}: {exc}", True, None)
            return 0
        await self.queue.record_sent(claimed.outbox_id, sent.provider_message_id, utcnow())
        return 1

    async def _failed(self, claimed: ClaimedSend, error: str, retryable: bool,
                      retry_after: float | None) -> None:
        """Record a failed attempt: retry after the provider's wait or a backoff, or give up."""
        cfg = self.rt.settings.outbox
        now = utcnow()
        attempts = claimed.attempts + 1
        retry_at: datetime | None = None
        if retryable and attempts < cfg.max_attempts:
            wait = (retry_after if retry_after is not None
                    else backoff_seconds(attempts, cfg.backoff_base_seconds,
                                         cfg.backoff_max_seconds))
            retry_at = now + timedelta(seconds=wait)
        else:
            log.warning("outbox %s failed for good: %s", claimed.outbox_id, error)
        await self.queue.record_failure(claimed.outbox_id, error, now, retry_at)

    async def recover_stuck(self, older_than_seconds: float = 300.0) -> int:
        """Put rows left in 'sending' (the process died mid-send) back in the queue.

        Runs on every pass (any process may recover another's crash). A row
        only counts as stuck once it has been 'sending' longer than any send
        takes; younger ones are in flight and keep blocking their recipient.
        Delivery is at least once: such a message may arrive twice, never zero times.
        """
        cutoff = utcnow() - timedelta(seconds=older_than_seconds)
        return await self.queue.requeue_stuck(cutoff, utcnow())

    async def recover_on_startup(self) -> int:
        """Put back at once the rows a dead worker left 'sending' (see
        :mod:`bot.delivery.recovery`), so a crash mid-send does not hold a chat for the
        timeout of :meth:`recover_stuck`; how many."""
        me = self.owner
        return await self.queue.requeue_orphans(lambda owner: is_orphan(owner, me), utcnow())

    async def run(self) -> None:
        """Deliver until stopped, waking when new messages are queued or a send ends.

        Up to ``outbox.concurrency`` sends are in flight, each to another
        recipient: a slow provider call holds up only its own recipient, whose
        next message becomes due once it is done.
        """
        # Claims and outcomes are short statements on indexed rows: on SQLite they run
        # in the loop (the send tasks started here inherit this).
        with inline_statements():
            await self._deliver_until_stopped()

    async def _deliver_until_stopped(self) -> None:
        cfg = self.rt.settings.outbox
        inflight: set[asyncio.Task[int]] = set()
        last_recovery = 0.0
        loop = asyncio.get_running_loop()

        def done(task: asyncio.Task[int]) -> None:
            inflight.discard(task)
            self.rt.outbox_wakeup.set()

        try:
            recovered = await self.recover_on_startup()
            if recovered:
                log.warning("outbox: %d message(s) left 'sending' by a stopped worker requeued",
                            recovered)
        except Exception:
            log.exception("outbox start-up recovery failed")
        while not self._stopping.is_set():
            self.rt.outbox_wakeup.clear()
            try:
                if loop.time() - last_recovery >= RECOVERY_INTERVAL_SECONDS:
                    last_recovery = loop.time()
                    await self.recover_stuck()
                room = cfg.concurrency - len(inflight)
                claimed = (await self.queue.claim_due(
                    list(self.rt.adapters), utcnow(), min(cfg.batch_size, room), self.owner)
                    if room > 0 else [])
                for c in claimed:
                    task = asyncio.create_task(self._send(c), name=f"pintu-send-{c.outbox_id}")
                    inflight.add(task)
                    task.add_done_callback(done)
            except Exception:
                log.exception("outbox pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.rt.outbox_wakeup.wait(),
                                       timeout=cfg.poll_interval_seconds)
        if inflight:  # let sends in flight record their outcome
            await asyncio.wait(inflight, timeout=10)

    def start(self) -> None:
        """Run in the background of the current event loop."""
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="pintu-outbox")

    async def stop(self) -> None:
        """Stop after the current pass."""
        self._stopping.set()
        self.rt.outbox_wakeup.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=10)
            self._task = None


async def apply_delivery_status(rt: Runtime, status: DeliveryStatus) -> bool:
    """Record a provider's delivery report on the outbox row it refers to."""
    async with rt.sessions() as session, session.begin():
        row = await rt.repositories(session).outbox.by_provider_id(
            status.channel, status.provider_message_id
        )
        if row is None:
            return False
        # Reports can arrive out of order: never go back from "read" to "delivered".
        # A late "failed" never undoes a delivery the citizen already got.
        failed_late = status.status == "failed" and row.status in ("delivered", "read")
        if not failed_late and (
            status.status == "failed"
            or STATUS_ORDER.get(status.status, 0) > STATUS_ORDER.get(row.status, 0)
        ):
            row.status = status.status
            if status.error:
                row.last_error = status.error
            row.updated_at = utcnow()
        return True
