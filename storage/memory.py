"""In-memory twins of storage ports, for fast tests and tools (nothing persists).

:class:`MemoryDeliveryQueue` behaves as :class:`storage.delivery_queue.SqlDeliveryQueue`
does on the outbox table (the same contract tests run against both), the way
aiogram's memory storage stands in for Redis.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from storage.ports import ClaimedSend, DeliveryQueue
from storage.types import as_utc

_QUEUED = ("pending", "sending")


@dataclass
class QueuedMessage:
    """One queued message, with the same fields the outbox table keeps for delivery."""

    id: int
    channel: str
    recipient_id: str
    payload: dict[str, Any]
    status: str
    next_attempt_at: datetime
    updated_at: datetime
    attempts: int = 0
    last_error: str | None = None
    provider_message_id: str | None = None
    sent_at: datetime | None = None


@dataclass
class MemoryDeliveryQueue:
    """The delivery queue in a dict; ``enqueue`` fills it, ``rows`` shows it."""

    rows: dict[int, QueuedMessage] = field(default_factory=dict)

    def enqueue(self, channel: str, recipient_id: str, payload: dict[str, Any],
                now: datetime, status: str = "pending") -> QueuedMessage:
        """Queue a message (ids grow like the table's)."""
        row = QueuedMessage(len(self.rows) + 1, channel, recipient_id, payload, status,
                            as_utc(now), as_utc(now))
        self.rows[row.id] = row
        return row

    async def due(self, channels: Collection[str], now: datetime, limit: int) -> Sequence[int]:
        """Ids due now on ``channels``, oldest first, none behind an earlier queued one."""
        now = as_utc(now)
        due: list[int] = []
        for row in sorted(self.rows.values(), key=lambda r: r.id):
            if len(due) >= limit:
                break
            blocked = any(o.channel == row.channel and o.recipient_id == row.recipient_id
                          and o.status in _QUEUED and o.id < row.id for o in self.rows.values())
            if (row.status == "pending" and row.next_attempt_at <= now
                    and row.channel in channels and not blocked):
                due.append(row.id)
        return due

    async def claim(self, outbox_id: int, channels: Collection[str],
                    now: datetime) -> ClaimedSend | None:
        """Take a pending row on ``channels`` for sending."""
        row = self.rows.get(outbox_id)
        if row is None or row.status != "pending" or row.channel not in channels:
            return None
        row.status, row.updated_at = "sending", as_utc(now)
        return ClaimedSend(row.id, row.channel, dict(row.payload), row.attempts)

    async def claim_due(self, channels: Collection[str], now: datetime,
                        limit: int) -> Sequence[ClaimedSend]:
        """Take the rows due now for sending."""
        claimed = [await self.claim(i, channels, now) for i in await self.due(channels, now, limit)]
        return [c for c in claimed if c is not None]

    async def release(self, outbox_id: int, now: datetime) -> None:
        """Hand a claimed row back, no attempt counted."""
        row = self.rows.get(outbox_id)
        if row is not None and row.status == "sending":
            row.status, row.updated_at = "pending", as_utc(now)

    async def record_sent(self, outbox_id: int, provider_message_id: str | None,
                          now: datetime) -> None:
        """The provider accepted the message."""
        row = self.rows[outbox_id]
        row.status, row.provider_message_id = "sent", provider_message_id
        row.sent_at = row.updated_at = as_utc(now)
        row.attempts += 1
        row.last_error = None

    async def record_failure(self, outbox_id: int, error: str, now: datetime,
                             retry_at: datetime | None) -> None:
        """One more failed attempt: pending again at ``retry_at``, or failed for good."""
        row = self.rows[outbox_id]
        row.attempts += 1
        row.last_error, row.updated_at = error, as_utc(now)
        if retry_at is None:
            row.status = "failed"
        else:
            row.status, row.next_attempt_at = "pending", as_utc(retry_at)

    async def requeue_stuck(self, cutoff: datetime, now: datetime) -> int:
        """Put rows 'sending' since before ``cutoff`` back; how many."""
        stuck = [r for r in self.rows.values()
                 if r.status == "sending" and r.updated_at < as_utc(cutoff)]
        for row in stuck:
            row.status, row.updated_at = "pending", as_utc(now)
        return len(stuck)


if TYPE_CHECKING:  # mypy proves the class implements the port

    def _conforms() -> DeliveryQueue:
        return MemoryDeliveryQueue()
