"""The outbox as the delivery worker's queue, over the database (see ``DeliveryQueue``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.ports import ClaimedSend, DeliveryQueue
from storage.repositories.outbox import OutboxRepository


class _SentRecords:
    """Group commit of "sent" records: one transaction for the sends that end together.

    Under load many sends finish while one record is being committed; they are
    written by the next transaction together instead of one transaction each (on
    SQLite a commit is an fsync, and the commits are serialised). Each caller still
    returns only once its own row is committed, or gets the error of that commit.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._waiting: list[tuple[tuple[int, str | None, datetime], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, outbox_id: int, provider_message_id: str | None,
                     now: datetime) -> None:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append(((outbox_id, provider_message_id, now), done))
        writer = self._writer
        if writer is None or writer.done() or writer.get_loop() is not done.get_loop():
            self._writer = asyncio.create_task(self._write(), name="pintu-outbox-sent")
        # Shielded: a caller cancelled mid-wait must not cancel the others' commit.
        await asyncio.shield(done)

    async def _write(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    async with self.sessions() as session, session.begin():
                        await OutboxRepository(session).record_sent_many(
                            [row for row, _ in batch])
                except BaseException as exc:
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                else:
                    for _, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            # Stopped mid-way (shutdown): the rows stay 'sending' and are put back by
            # the recovery; their callers are told nothing was recorded.
            left, self._waiting = self._waiting, []
            for _, done in left:
                done.cancel()


class SqlDeliveryQueue:
    """Each call runs in its own transaction on the outbox table ("sent" records are
    grouped: see :class:`_SentRecords`)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._sent = _SentRecords(sessions)

    async def due(self, channels: Collection[str], now: datetime, limit: int) -> Sequence[int]:
        """Ids due now on ``channels`` (see :meth:`OutboxRepository.due`)."""
        async with self.sessions() as session:
            return await OutboxRepository(session).due(channels, now, limit)

    async def claim(self, outbox_id: int, channels: Collection[str],
                    now: datetime, owner: str | None = None) -> ClaimedSend | None:
        """Take the row atomically; several workers never take the same one."""
        async with self.sessions() as session, session.begin():
            outbox = OutboxRepository(session)
            if not await outbox.claim(outbox_id, channels, now, owner):
                return None
            row = await outbox.get(outbox_id)
            assert row is not None
            return ClaimedSend(row.id, row.channel, dict(row.payload), row.attempts)

    async def claim_due(self, channels: Collection[str], now: datetime,
                        limit: int, owner: str | None = None) -> Sequence[ClaimedSend]:
        """Take due rows in one statement (see :meth:`OutboxRepository.claim_due`)."""
        async with self.sessions() as session, session.begin():
            rows = await OutboxRepository(session).claim_due(channels, now, limit, owner)
        return [ClaimedSend(*row) for row in rows]

    async def release(self, outbox_id: int, now: datetime) -> None:
        """Hand the row back, no attempt counted."""
        async with self.sessions() as session, session.begin():
            await OutboxRepository(session).release(outbox_id, now)

    async def record_sent(self, outbox_id: int, provider_message_id: str | None,
                          now: datetime) -> None:
        """Mark the row sent with the provider's id (committed when this returns)."""
        await self._sent.record(outbox_id, provider_message_id, now)

    async def record_failure(self, outbox_id: int, error: str, now: datetime,
                             retry_at: datetime | None) -> None:
        """Count the attempt; pending again at ``retry_at``, or failed for good."""
        async with self.sessions() as session, session.begin():
            row = await OutboxRepository(session).get(outbox_id)
            assert row is not None
            OutboxRepository.mark_failed_attempt(row, error, now, retry_at)

    async def requeue_orphans(self, is_orphan: Callable[[str | None], bool],
                              now: datetime) -> int:
        """Put rows being sent by a worker that no longer exists back at once."""
        async with self.sessions() as session, session.begin():
            outbox = OutboxRepository(session)
            ids = [i for i, owner in await outbox.sending_owners() if is_orphan(owner)]
            return await outbox.requeue(ids, now)

    async def requeue_stuck(self, cutoff: datetime, now: datetime) -> int:
        """Put rows whose sender died back in the queue."""
        async with self.sessions() as session, session.begin():
            return await OutboxRepository(session).requeue_stuck(cutoff, now)


if TYPE_CHECKING:  # mypy proves the class implements the port

    def _conforms(sessions: async_sessionmaker[AsyncSession]) -> DeliveryQueue:
        return SqlDeliveryQueue(sessions)
