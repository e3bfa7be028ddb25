"""Messages in and out, and raw webhook payloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundPayload, Message, utcnow

# The hot path's statements on the tables (Core): no ORM unit of work, identity map or
# flush for rows the turn never reads back; built once, so their cache keys are too.
_MESSAGES = cast(Table, Message.__table__)
_PAYLOADS = cast(Table, InboundPayload.__table__)
_INSERT_MESSAGE_ID = insert(_MESSAGES).returning(_MESSAGES.c.id)
# Several rows in one statement, their ids in the order of the rows given.
_INSERT_MESSAGES_IDS = insert(_MESSAGES).returning(_MESSAGES.c.id, sort_by_parameter_order=True)
_SET_TICKET = (update(_MESSAGES).where(_MESSAGES.c.id == bindparam("message_id"))
               .values(ticket_id=bindparam("new_ticket_id")))
_INSERT_PAYLOAD_ID = insert(_PAYLOADS).returning(_PAYLOADS.c.id)


class MessageRepository:
    """The record of everything said, in both directions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_provider_id(
        self, channel: str, direction: str, provider_message_id: str
    ) -> Message | None:
        """A message already stored under the provider's id (re-delivery check)."""
        stmt = select(Message).where(
            Message.channel == channel,
            Message.direction == direction,
            Message.provider_message_id == provider_message_id,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add(self, **fields: Any) -> Message:
        """Store one message."""
        msg = Message(**fields)
        self.session.add(msg)
        await self.session.flush()
        return msg

    async def insert(self, fields: dict[str, Any]) -> int:
        """Store one message in one Core statement, returning its id (nothing kept in the
        session: the turn's hot path)."""
        return int((await self.session.execute(_INSERT_MESSAGE_ID, fields)).scalar_one())

    async def insert_many(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Store several messages in one statement; their ids, in the order of ``rows``
        (every row with the same keys)."""
        if not rows:
            return []
        result = await self.session.execute(_INSERT_MESSAGES_IDS, list(rows))
        return [int(i) for i in result.scalars().all()]

    async def set_ticket(self, message_id: int, ticket_id: int) -> None:
        """Tie one stored message to a ticket."""
        await self.session.execute(_SET_TICKET, {"message_id": message_id,
                                                 "new_ticket_id": ticket_id})

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> list[Message]:
        """Store several messages in one statement (their ids are set on return)."""
        msgs = [Message(**fields) for fields in rows]
        if msgs:
            self.session.add_all(msgs)
            await self.session.flush()
        return msgs

    async def replies_to(self, message_id: int) -> Sequence[Message]:
        """The bot's replies to one inbound message, in order."""
        stmt = select(Message).where(Message.reply_to_id == message_id).order_by(Message.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def for_citizen(
        self, citizen_id: int, *, limit: int = 200, after_id: int | None = None
    ) -> Sequence[Message]:
        """The citizen's messages across all channels, oldest first."""
        stmt = select(Message).where(Message.citizen_id == citizen_id)
        if after_id is not None:
            stmt = stmt.where(Message.id > after_id)
        stmt = stmt.order_by(Message.id.desc()).limit(limit)
        return list(reversed((await self.session.execute(stmt)).scalars().all()))

    async def latest_bot_texts(self, citizen_id: int, limit: int) -> Sequence[str]:
        """The texts of the latest ``limit`` messages sent to the citizen, newest first."""
        stmt = (
            select(Message.text)
            .where(Message.citizen_id == citizen_id, Message.direction == "out")
            .order_by(Message.id.desc())
            .limit(limit)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def attach_to_ticket(self, message_ids: Sequence[int], ticket_id: int) -> None:
        """Tie messages, and the replies to them, to a ticket (those not tied to one yet)."""
        if not message_ids:
            return
        await self.session.execute(
            update(Message)
            .where(
                or_(Message.id.in_(message_ids), Message.reply_to_id.in_(message_ids)),
                Message.ticket_id.is_(None),
            )
            .values(ticket_id=ticket_id)
        )

    async def for_ticket(self, ticket_id: int) -> Sequence[Message]:
        """Messages linked to a ticket, oldest first."""
        stmt = select(Message).where(Message.ticket_id == ticket_id).order_by(Message.id)
        return (await self.session.execute(stmt)).scalars().all()


class InboundPayloadRepository:
    """Webhook bodies as received, kept before anything else happens."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, channel: str, body: str, headers: dict[str, Any]) -> InboundPayload:
        """Store a raw body."""
        row = InboundPayload(channel=channel, body=body, headers=headers)
        self.session.add(row)
        await self.session.flush()
        return row

    async def add_id(self, channel: str, body: str, headers: dict[str, Any],
                     status: str = "received", error: str | None = None) -> int:
        """Store a raw body in one Core statement, returning its id (the webhook hot path:
        no ORM object to build, flush and keep in the session). A ``status`` other than
        'received' records it as already dealt with (by the transaction it is written in)."""
        params = {"channel": channel, "body": body, "headers": headers, "status": status,
                  "error": error, "processed_at": None if status == "received" else utcnow()}
        return int((await self.session.execute(_INSERT_PAYLOAD_ID, params)).scalar_one())

    async def mark(self, payload_id: int, status: str, error: str | None = None) -> None:
        """Record what became of a payload."""
        row = await self.session.get(InboundPayload, payload_id)
        if row is not None:
            row.status = status
            row.error = error
            row.processed_at = utcnow()
            await self.session.flush()

    async def by_status(self, status: str, limit: int = 100) -> Sequence[InboundPayload]:
        """Payloads in one state (e.g. 'unparsed' for inspection, 'received' to replay)."""
        stmt = (
            select(InboundPayload)
            .where(InboundPayload.status == status)
            .order_by(InboundPayload.id)
            .limit(limit)
        )
        return (await self.session.execute(stmt)).scalars().all()
