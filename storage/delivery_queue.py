"""The outbox as the delivery worker's queue, over the database (see ``DeliveryQueue``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.ports import ClaimedSend, DeliveryQueue
from storage.repositories.outbox import OutboxRepository


class SqlDeliveryQueue:
    """Each call runs in its own transaction on the outbox table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def due(self, channels: Collection[str], now: datetime, limit: int) -> Sequence[int]:
        """Ids due now on ``channels`` (see :meth:`OutboxRepository.due`)."""
        async with self.sessions() as session:
            return await OutboxRepository(session).due(channels, now, limit)

    async def claim(self, outbox_id: int, channels: Collection[str],
                    now: datetime) -> ClaimedSend | None:
        """Take the row atomically; several workers never take the same one."""
        async with self.sessions() as session, session.begin():
            outbox = OutboxRepository(session)
            if not await outbox.claim(outbox_id, channels, now):
                return None
            row = await outbox.get(outbox_id)
            assert row is not None
            return ClaimedSend(row.id, row.channel, dict(row.payload), row.attempts)

    async def claim_due(self, channels: Collection[str], now: datetime,
                        limit: int) -> Sequence[ClaimedSend]:
        """Take due rows in one statement (see :meth:`OutboxRepository.claim_due`)."""
        async with self.sessions() as session, session.begin():
            rows = await OutboxRepository(session).claim_due(channels, now, limit)
        return [ClaimedSend(*row) for row in rows]

    async def release(self, outbox_id: int, now: datetime) -> None:
        """Hand the row back, no attempt counted."""
        async with self.sessions() as session, session.begin():
            await OutboxRepository(session).release(outbox_id, now)

    async def record_sent(self, outbox_id: int, provider_message_id: str | None,
                          now: datetime) -> None:
        """Mark the row sent with the provider's id."""
        async with self.sessions() as session, session.begin():
            await OutboxRepository(session).record_sent(outbox_id, provider_message_id, now)

    async def record_failure(self, outbox_id: int, error: str, now: datetime,
                             retry_at: datetime | None) -> None:
        """Count the attempt; pending again at ``retry_at``, or failed for good."""
        async with self.sessions() as session, session.begin():
            row = await OutboxRepository(session).get(outbox_id)
            assert row is not None
            OutboxRepository.mark_failed_attempt(row, error, now, retry_at)

    async def requeue_stuck(self, cutoff: datetime, now: datetime) -> int:
        """Put rows whose sender died back in the queue."""
        async with self.sessions() as session, session.begin():
            return await OutboxRepository(session).requeue_stuck(cutoff, now)


if TYPE_CHECKING:  # mypy proves the class implements the port

    def _conforms(sessions: async_sessionmaker[AsyncSession]) -> DeliveryQueue:
        return SqlDeliveryQueue(sessions)
