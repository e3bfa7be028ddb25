"""Case handling beyond LAPOR! (issue 16): what the clocks, the compliance report and the
escalation of breached clocks, the low-rating follow-up and the SP4N-LAPOR! export read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    OPEN_TICKET_STATUSES,
    Citizen,
    ConversationHold,
    LowRatingFollowUp,
    MediaFile,
    Message,
    Open311Client,
    Ticket,
    TicketEvent,
)

# IN lists are sent in chunks: PostgreSQL and SQLite both cap bound parameters.
_CHUNK = 500


class CaseRepository:
    """Tickets and events as the case-handling features need them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def clock_events(self, ticket_ids: Sequence[int]) -> Sequence[TicketEvent]:
        """The events the clocks read (staff actions, recorded breaches) of these tickets."""
        out: list[TicketEvent] = []
        ids = sorted(set(ticket_ids))
        for i in range(0, len(ids), _CHUNK):
            stmt = (select(TicketEvent)
                    .where(TicketEvent.ticket_id.in_(ids[i:i + _CHUNK]),
                           or_(TicketEvent.actor_type == "staff",
                               TicketEvent.kind == "clock_breached"))
                    .order_by(TicketEvent.id))
            out.extend((await self.session.execute(stmt)).scalars())
        return out

    async def events_of_kind(self, ticket_ids: Sequence[int],
                             kinds: Sequence[str]) -> Sequence[TicketEvent]:
        """These tickets' events of these kinds, oldest first."""
        out: list[TicketEvent] = []
        ids = sorted(set(ticket_ids))
        for i in range(0, len(ids), _CHUNK):
            stmt = (select(TicketEvent)
                    .where(TicketEvent.ticket_id.in_(ids[i:i + _CHUNK]),
                           TicketEvent.kind.in_(kinds))
                    .order_by(TicketEvent.id))
            out.extend((await self.session.execute(stmt)).scalars())
        return out

    async def citizens(self, citizen_ids: Sequence[int]) -> Sequence[Citizen]:
        """These citizens."""
        out: list[Citizen] = []
        ids = sorted(set(citizen_ids))
        for i in range(0, len(ids), _CHUNK):
            stmt = select(Citizen).where(Citizen.id.in_(ids[i:i + _CHUNK]))
            out.extend((await self.session.execute(stmt)).scalars())
        return out

    async def filed_between(self, since: datetime | None, until: datetime | None,
                            unit_ids: Sequence[str] | None) -> Sequence[Ticket]:
        """Tickets filed in ``[since, until)`` (open bounds when None), of these units."""
        stmt = select(Ticket)
        if since is not None:
            stmt = stmt.where(Ticket.created_at >= since)
        if until is not None:
            stmt = stmt.where(Ticket.created_at < until)
        if unit_ids is not None:
            stmt = stmt.where(Ticket.unit_id.in_(unit_ids))
        return (await self.session.execute(stmt.order_by(Ticket.id))).scalars().all()

    async def open_tickets(self) -> Sequence[Ticket]:
        """Every ticket not yet resolved or closed."""
        stmt = select(Ticket).where(Ticket.status.in_(OPEN_TICKET_STATUSES)).order_by(Ticket.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def followup_for_ticket(self, ticket_id: int) -> LowRatingFollowUp | None:
        """The ticket's low-rating follow-up, if one was ever asked."""
        stmt = select(LowRatingFollowUp).where(LowRatingFollowUp.ticket_id == ticket_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def asked_followup(self, survey_id: int) -> LowRatingFollowUp | None:
        """The follow-up of this survey still waiting for the citizen's answer."""
        stmt = select(LowRatingFollowUp).where(LowRatingFollowUp.survey_id == survey_id,
                                               LowRatingFollowUp.status == "asked")
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add_followup(self, row: LowRatingFollowUp) -> LowRatingFollowUp:
        """Store a new follow-up."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def add_hold(self, row: ConversationHold) -> ConversationHold:
        """Store a new conversation hold."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def active_hold(self, ticket_id: int) -> ConversationHold | None:
        """The ticket's conversation hold not yet released, if any."""
        stmt = (select(ConversationHold)
                .where(ConversationHold.ticket_id == ticket_id,
                       ConversationHold.released_at.is_(None))
                .order_by(ConversationHold.id.desc()).limit(1))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def expired_holds(self, now: datetime) -> Sequence[ConversationHold]:
        """Holds past their time and not yet released."""
        stmt = select(ConversationHold).where(ConversationHold.released_at.is_(None),
                                              ConversationHold.expires_at <= now)
        return (await self.session.execute(stmt)).scalars().all()

    async def add_media(self, row: MediaFile) -> MediaFile:
        """Store a new media row (a second one for the same message and id is skipped)."""
        stmt = select(MediaFile).where(MediaFile.message_id == row.message_id,
                                       MediaFile.media_id == row.media_id)
        existing = (await self.session.execute(stmt)).scalar_one_or_none()
        if existing is not None:
            return existing
        self.session.add(row)
        await self.session.flush()
        return row

    async def media(self, media_file_id: int) -> MediaFile | None:
        """A media row by id."""
        return await self.session.get(MediaFile, media_file_id)

    async def pending_media(self, limit: int = 20) -> Sequence[MediaFile]:
        """Media still to download, oldest first (never an erased citizen's)."""
        stmt = (select(MediaFile).join(Message, Message.id == MediaFile.message_id)
                .join(Citizen, Citizen.id == Message.citizen_id)
                .where(MediaFile.status == "pending", Citizen.erased_at.is_(None))
                .order_by(MediaFile.id).limit(limit))
        return (await self.session.execute(stmt)).scalars().all()

    async def media_of_erased_citizens(self, limit: int = 500) -> Sequence[MediaFile]:
        """Media rows of erased citizens not yet erased themselves."""
        stmt = (select(MediaFile).join(Message, Message.id == MediaFile.message_id)
                .join(Citizen, Citizen.id == Message.citizen_id)
                .where(Citizen.erased_at.is_not(None), MediaFile.status != "erased")
                .order_by(MediaFile.id).limit(limit))
        return (await self.session.execute(stmt)).scalars().all()

    async def failed_media(self) -> Sequence[MediaFile]:
        """Media whose download or storage failed for good, oldest first."""
        stmt = select(MediaFile).where(MediaFile.status == "failed").order_by(MediaFile.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def media_for_messages(self, message_ids: Sequence[int]) -> Sequence[MediaFile]:
        """The media of these messages."""
        out: list[MediaFile] = []
        ids = sorted(set(message_ids))
        for i in range(0, len(ids), _CHUNK):
            stmt = (select(MediaFile).where(MediaFile.message_id.in_(ids[i:i + _CHUNK]))
                    .order_by(MediaFile.id))
            out.extend((await self.session.execute(stmt)).scalars())
        return out

    async def media_stored_before(self, cutoff: datetime) -> Sequence[MediaFile]:
        """Stored media older than ``cutoff`` (past the retention period)."""
        stmt = select(MediaFile).where(MediaFile.status == "stored",
                                       MediaFile.stored_at < cutoff)
        return (await self.session.execute(stmt)).scalars().all()

    async def media_ticket(self, media_file_id: int) -> tuple[MediaFile, Ticket | None] | None:
        """A media row and the ticket its message belongs to (None if none)."""
        row = await self.session.get(MediaFile, media_file_id)
        if row is None:
            return None
        message = await self.session.get(Message, row.message_id)
        ticket = (await self.session.get(Ticket, message.ticket_id)
                  if message is not None and message.ticket_id is not None else None)
        return row, ticket

    async def add_open311_client(self, row: Open311Client) -> Open311Client:
        """Store a new Open311 client."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def open311_client(self, *, name: str | None = None,
                             key_hash: str | None = None) -> Open311Client | None:
        """An Open311 client by name or by its key's hash."""
        stmt = select(Open311Client)
        stmt = (stmt.where(Open311Client.name == name) if name is not None
                else stmt.where(Open311Client.key_hash == key_hash))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def open311_clients(self) -> Sequence[Open311Client]:
        """Every Open311 client."""
        stmt = select(Open311Client).order_by(Open311Client.name)
        return (await self.session.execute(stmt)).scalars().all()

    async def tickets_by_channel(self, channel: str | None, *, numbers: Sequence[str] = (),
                                 categories: Sequence[str] = (), since: datetime | None = None,
                                 until: datetime | None = None, statuses: Sequence[str] = (),
                                 limit: int = 1000) -> Sequence[Ticket]:
        """Tickets (of one channel, or any) matching an Open311 query, newest first
        (``categories``: service codes or category keys)."""
        stmt = select(Ticket)
        if channel is not None:
            stmt = stmt.where(Ticket.channel == channel)
        if numbers:
            stmt = stmt.where(Ticket.number.in_(numbers))
        if categories:
            stmt = stmt.where(or_(Ticket.service_code.in_(categories),
                                  Ticket.category.in_(categories)))
        if since is not None:
            stmt = stmt.where(Ticket.created_at >= since)
        if until is not None:
            stmt = stmt.where(Ticket.created_at <= until)
        if statuses:
            stmt = stmt.where(Ticket.status.in_(statuses))
        stmt = stmt.order_by(Ticket.id.desc()).limit(limit)
        return (await self.session.execute(stmt)).scalars().all()
