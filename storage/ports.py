"""The repository ports the intake pipeline depends on.

Each Protocol states what the conversation service, the ticket lifecycle and
the outbox worker need from storage; the SQLAlchemy repositories in
``storage/repositories`` implement them (checked by mypy below). Another
storage engine plugs in by implementing the same ports.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from storage.models import (
    ChannelIdentity,
    Citizen,
    Conversation,
    InboundPayload,
    Message,
    OutboxMessage,
    Ticket,
    TicketEvent,
)
from storage.repositories.tickets import TicketFilter


class CitizenRepositoryPort(Protocol):
    """Citizens and the channel identities they write from."""

    async def get(self, citizen_id: int) -> Citizen | None: ...

    async def identify(self, channel: str, external_id: str, *, reply_address: str,
                       display_name: str | None = None, language: str | None = None,
                       extra: dict[str, Any] | None = None,
                       seen_at: datetime | None = None) -> tuple[Citizen, ChannelIdentity]: ...

    async def last_identity(self, citizen_id: int) -> ChannelIdentity | None: ...

    async def identity(self, channel: str, external_id: str) -> ChannelIdentity | None: ...

    async def by_phone(self, phone: str) -> Citizen | None: ...

    async def merge(self, source_id: int, target_id: int) -> None: ...


class ConversationRepositoryPort(Protocol):
    """The citizen's current dialogue and its state."""

    async def current(self, citizen_id: int) -> Conversation | None: ...

    async def start(self, citizen_id: int, channel: str,
                    state: dict[str, Any]) -> Conversation: ...

    async def save_state(self, conv: Conversation, state: dict[str, Any], *, channel: str,
                         closed: bool = False) -> None: ...


class MessageRepositoryPort(Protocol):
    """Messages in and out."""

    async def by_provider_id(self, channel: str, direction: str,
                             provider_message_id: str) -> Message | None: ...

    async def add(self, **fields: Any) -> Message: ...

    async def replies_to(self, message_id: int) -> Sequence[Message]: ...

    async def for_citizen(self, citizen_id: int, *, limit: int = 200,
                          after_id: int | None = None) -> Sequence[Message]: ...

    async def for_ticket(self, ticket_id: int) -> Sequence[Message]: ...


class InboundPayloadRepositoryPort(Protocol):
    """Raw webhook bodies, kept before anything else happens."""

    async def add(self, channel: str, body: str, headers: dict[str, Any]) -> InboundPayload: ...

    async def mark(self, payload_id: int, status: str, error: str | None = None) -> None: ...


class TicketRepositoryPort(Protocol):
    """Tickets, their numbers and their history."""

    async def next_number(self, prefix: str, year: int) -> str: ...

    async def add(self, ticket: Ticket) -> Ticket: ...

    async def by_number(self, number: str) -> Ticket | None: ...

    async def get(self, ticket_id: int) -> Ticket | None: ...

    async def recent_for_citizen(self, citizen_id: int, limit: int = 5) -> Sequence[Ticket]: ...

    async def search(self, flt: TicketFilter,
                     now: datetime | None = None) -> Sequence[Ticket]: ...

    async def overdue(self, now: datetime) -> Sequence[Ticket]: ...

    async def add_event(self, ticket: Ticket, kind: str, *, actor_type: str,
                        actor_id: str | None = None, **fields: Any) -> TicketEvent: ...

    async def events(self, ticket_id: int) -> Sequence[TicketEvent]: ...


class OutboxRepositoryPort(Protocol):
    """Messages waiting to be delivered."""

    async def enqueue(self, *, channel: str, recipient_id: str, payload: dict[str, Any],
                      status: str = "pending", citizen_id: int | None = None,
                      message_id: int | None = None) -> OutboxMessage: ...

    async def due(self, channels: Collection[str], now: datetime, limit: int) -> Sequence[int]: ...

    async def get(self, outbox_id: int) -> OutboxMessage | None: ...

    async def held_for(self, channel: str, recipient_id: str) -> Sequence[OutboxMessage]: ...

    async def by_provider_id(self, channel: str,
                             provider_message_id: str) -> OutboxMessage | None: ...


if TYPE_CHECKING:  # mypy proves the SQL repositories implement the ports
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.repositories.citizens import CitizenRepository, ConversationRepository
    from storage.repositories.messages import InboundPayloadRepository, MessageRepository
    from storage.repositories.outbox import OutboxRepository
    from storage.repositories.tickets import TicketRepository

    def _conforms(s: AsyncSession) -> None:
        _c: CitizenRepositoryPort = CitizenRepository(s)
        _v: ConversationRepositoryPort = ConversationRepository(s)
        _m: MessageRepositoryPort = MessageRepository(s)
        _p: InboundPayloadRepositoryPort = InboundPayloadRepository(s)
        _t: TicketRepositoryPort = TicketRepository(s)
        _o: OutboxRepositoryPort = OutboxRepository(s)
