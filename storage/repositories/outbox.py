"""The outbox: messages to deliver, with attempts and backoff."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, Select, Table, bindparam, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, utcnow

# The hot path (a turn's replies queued, the worker's claims and sends): Core statements
# on the table, built once, without the ORM's bulk-DML layer.
_OUTBOX = cast(Table, OutboxMessage.__table__)
_INSERT = insert(_OUTBOX)
_RECORD_SENT = (
    update(_OUTBOX).where(_OUTBOX.c.id == bindparam("outbox_id"))
    .values(status="sent", provider_message_id=bindparam("provider_id"),
            sent_at=bindparam("now"), updated_at=bindparam("now"),
            attempts=_OUTBOX.c.attempts + 1, last_error=None))


class OutboxRepository:
    """Queue of outbound messages."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        *,
        channel: str,
        recipient_id: str,
        payload: dict[str, Any],
        status: str = "pending",
        citizen_id: int | None = None,
        message_id: int | None = None,
    ) -> OutboxMessage:
        """Queue one message (status 'sent' for replies already delivered inline)."""
        now = utcnow()
        row = OutboxMessage(
            channel=channel,
            recipient_id=recipient_id,
            payload=payload,
            status=status,
            citizen_id=citizen_id,
            message_id=message_id,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
            sent_at=now if status == "sent" else None,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def enqueue_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Queue several messages in one statement (each row: the keyword arguments of
        :meth:`enqueue`)."""
        if not rows:
            return
        now = utcnow()
        params = [{"channel": row["channel"], "recipient_id": row["recipient_id"],
                   "payload": row["payload"], "status": row.get("status", "pending"),
                   "citizen_id": row.get("citizen_id"), "message_id": row.get("message_id"),
                   "attempts": 0, "next_attempt_at": now, "created_at": now,
                   "updated_at": now,
                   "sent_at": now if row.get("status") == "sent" else None}
                  for row in rows]
        await self.session.execute(_INSERT, params)

    async def due(self, channels: Collection[str], now: datetime, limit: int) -> Sequence[int]:
        """Ids of messages to send now, oldest first, at most one per recipient.

        A message is due when it is pending, its backoff is over, its channel is
        one of ``channels`` (those this process can send on) and no earlier
        message to the same recipient is still pending or being sent.
        """
        if not channels:
            return []
        params = {"channels": sorted(channels), "now": now, "limit": limit}
        return (await self.session.execute(_DUE_IDS, params)).scalars().all()

    async def claim_due(self, channels: Collection[str], now: datetime, limit: int,
                        owner: str | None = None) -> list[tuple[int, str, dict[str, Any], int]]:
        """Take up to ``limit`` due rows for sending in one statement: (id, channel,
        payload, attempts), oldest first.

        Due as in :meth:`due` (so at most one per recipient). On PostgreSQL the rows
        are chosen ``FOR UPDATE SKIP LOCKED``: processes claiming at the same time
        take different rows and never wait for each other; a row another process is
        claiming still blocks the later messages to its recipient, so each
        recipient's messages go out one at a time, in order.
        """
        if not channels:
            return []
        params = {"channels": sorted(channels), "now": now, "limit": limit, "owner": owner}
        rows = (await self.session.execute(_CLAIM_DUE, params)).all()
        return sorted((int(r[0]), str(r[1]), dict(r[2]), int(r[3])) for r in rows)

    async def record_sent(self, outbox_id: int, provider_message_id: str | None,
                          now: datetime) -> None:
        """Delivered to the provider (one statement; see :meth:`mark_sent`)."""
        await self.record_sent_many([(outbox_id, provider_message_id, now)])

    async def record_sent_many(self, sent: Sequence[tuple[int, str | None, datetime]]) -> None:
        """Several rows delivered: ``(outbox id, provider's message id, when)`` each."""
        if sent:
            await self.session.execute(_RECORD_SENT, [
                {"outbox_id": i, "provider_id": p, "now": when} for i, p, when in sent])

    async def get(self, outbox_id: int) -> OutboxMessage | None:
        """One outbox row."""
        return await self.session.get(OutboxMessage, outbox_id)

    async def held_for(self, channel: str, recipient_id: str) -> Sequence[OutboxMessage]:
        """Messages waiting to be fetched by a pull channel (REST without callback)."""
        stmt = (
            select(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.recipient_id == recipient_id,
                OutboxMessage.status == "held",
            )
            .order_by(OutboxMessage.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def by_provider_id(self, channel: str, provider_message_id: str) -> OutboxMessage | None:
        """The outbox row a provider's delivery status refers to."""
        stmt = select(OutboxMessage).where(
            OutboxMessage.channel == channel,
            OutboxMessage.provider_message_id == provider_message_id,
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def claim(self, outbox_id: int, channels: Collection[str], now: datetime,
                    owner: str | None = None) -> bool:
        """Take one pending row for sending (pending -> sending); False if it is not there to take.

        One atomic update, so of several workers (or processes) exactly one
        wins the row. Only rows on ``channels`` (those the caller can send on)
        are taken: the others stay for a process that can send them.
        """
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == outbox_id,
                OutboxMessage.status == "pending",
                OutboxMessage.channel.in_(sorted(channels)),
            )
            .values(status="sending", updated_at=now, claimed_by=owner)
        )
        return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]

    async def sending_owners(self) -> Sequence[tuple[int, str | None]]:
        """(id, claimed_by) of every row being sent (crash recovery)."""
        stmt = select(OutboxMessage.id, OutboxMessage.claimed_by).where(
            OutboxMessage.status == "sending")
        return [(int(i), o) for i, o in (await self.session.execute(stmt)).all()]

    async def requeue(self, outbox_ids: Collection[int], now: datetime) -> int:
        """Put these 'sending' rows back in the queue at once; how many."""
        if not outbox_ids:
            return 0
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(sorted(outbox_ids)), OutboxMessage.status == "sending")
            .values(status="pending", updated_at=now, next_attempt_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def release(self, outbox_id: int, now: datetime) -> bool:
        """Hand a claimed row back to the queue (sending -> pending), no attempt counted."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "sending")
            .values(status="pending", updated_at=now)
        )
        return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]

    async def requeue_stuck(self, cutoff: datetime, now: datetime) -> int:
        """Put rows 'sending' since before ``cutoff`` (their sender died) back; how many."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "sending", OutboxMessage.updated_at < cutoff)
            .values(status="pending", updated_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    @staticmethod
    def mark_sent(row: OutboxMessage, provider_message_id: str | None, now: datetime) -> None:
        """Delivered to the provider."""
        row.status = "sent"
        row.provider_message_id = provider_message_id
        row.sent_at = now
        row.updated_at = now
        row.attempts += 1
        row.last_error = None

    @staticmethod
    def mark_failed_attempt(row: OutboxMessage, error: str, now: datetime,
                            retry_at: datetime | None) -> None:
        """One more failed attempt: pending again at ``retry_at``, or failed for good."""
        row.attempts += 1
        row.last_error = error
        row.updated_at = now
        if retry_at is None:
            row.status = "failed"
        else:
            row.status = "pending"
            row.next_attempt_at = retry_at


def _due_ids() -> Select[int]:
    """The ids due now (see :meth:`OutboxRepository.due`), oldest first; bound parameters
    ``channels`` (a list), ``now`` and ``limit``.

    ``now`` may come from a caller in any zone (or naive UTC): the column type
    (storage.types.UtcDateTime) converts the bound value to UTC on both databases.
    """
    earlier = _OUTBOX.alias("earlier")
    blocked = exists().where(
        earlier.c.channel == _OUTBOX.c.channel,
        earlier.c.recipient_id == _OUTBOX.c.recipient_id,
        earlier.c.status.in_(("pending", "sending")),
        earlier.c.id < _OUTBOX.c.id,
    )
    return (
        select(_OUTBOX.c.id)
        .where(
            _OUTBOX.c.status == "pending",
            _OUTBOX.c.next_attempt_at <= bindparam("now", type_=_OUTBOX.c.next_attempt_at.type),
            _OUTBOX.c.channel.in_(bindparam("channels", expanding=True)),
            ~blocked,
        )
        .order_by(_OUTBOX.c.id)
        .limit(bindparam("limit", type_=Integer))
    )


# Built once: the worker claims on every wake-up, and building the statement (an alias
# and its column adaptation) cost more CPU than running it.
_DUE_IDS = _due_ids()
_CLAIM_DUE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(_due_ids().with_for_update(skip_locked=True).scalar_subquery()),
           _OUTBOX.c.status == "pending")
    .values(status="sending", updated_at=bindparam("now"), claimed_by=bindparam("owner"))
    .returning(_OUTBOX.c.id, _OUTBOX.c.channel, _OUTBOX.c.payload, _OUTBOX.c.attempts)
)
