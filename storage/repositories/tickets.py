"""Tickets, their numbers and events, and the catalog's units mirrored in the database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    OPEN_TICKET_STATUSES,
    ServiceUnit,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketJoiner,
    TicketStatus,
    utcnow,
)


def format_ticket_number(prefix: str, year: int, seq: int) -> str:
    """The public ticket number, e.g. ``PTU-2026-000123``."""
    return f"{prefix}-{year:04d}-{seq:06d}"


@dataclass(frozen=True)
class ServiceTicketCounts:
    """Tickets routed by one catalog service, and how many were forwarded away afterwards."""

    tickets: int = 0
    forwarded: int = 0
    # Units the forwards went to, with counts: where officers think the service belongs.
    forwarded_to: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class TicketFilter:
    """What an inbox shows."""

    unit_ids: tuple[str, ...] | None = None  # None: all units (admins)
    statuses: tuple[str, ...] = ()
    category: str | None = None
    channel: str | None = None
    overdue_only: bool = False
    search: str | None = None
    limit: int = 100
    offset: int = 0


class TicketRepository:
    """Tickets and their history."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_number(self, prefix: str, year: int) -> str:
        """Issue the next ticket number for the year, atomically."""
        for _ in range(5):
            stmt = (
                update(TicketCounter)
                .where(TicketCounter.prefix == prefix, TicketCounter.year == year)
                .values(last=TicketCounter.last + 1)
                .returning(TicketCounter.last)
            )
            seq = (await self.session.execute(stmt)).scalar_one_or_none()
            if seq is not None:
                return format_ticket_number(prefix, year, seq)
            try:
                async with self.session.begin_nested():
                    self.session.add(TicketCounter(prefix=prefix, year=year, last=1))
                    await self.session.flush()
                return format_ticket_number(prefix, year, 1)
            except IntegrityError:
                continue  # someone created the counter row first; increment it
        raise RuntimeError("could not allocate a ticket number")

    async def add(self, ticket: Ticket) -> Ticket:
        """Store a new ticket."""
        self.session.add(ticket)
        await self.session.flush()
        return ticket

    async def by_number(self, number: str) -> Ticket | None:
        """A ticket by its public number (case-insensitive)."""
        stmt = select(Ticket).where(Ticket.number == number.strip().upper())
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, ticket_id: int) -> Ticket | None:
        """A ticket by id."""
        return await self.session.get(Ticket, ticket_id)

    async def recent_for_citizen(self, citizen_id: int, limit: int = 5, *,
                                 joined: bool = False) -> Sequence[Ticket]:
        """The citizen's latest tickets, newest first; with ``joined``, also those they
        joined ("saya juga", or merged in by an officer), which they follow too."""
        mine = Ticket.citizen_id == citizen_id
        if joined:
            mine = or_(mine, Ticket.id.in_(select(TicketJoiner.ticket_id)
                                           .where(TicketJoiner.citizen_id == citizen_id)))
        stmt = select(Ticket).where(mine).order_by(Ticket.id.desc()).limit(limit)
        return (await self.session.execute(stmt)).scalars().all()

    async def search(self, flt: TicketFilter, now: datetime | None = None) -> Sequence[Ticket]:
        """Tickets matching an inbox filter, newest first."""
        stmt = select(Ticket)
        if flt.unit_ids is not None:
            stmt = stmt.where(Ticket.unit_id.in_(flt.unit_ids))
        if flt.statuses:
            stmt = stmt.where(Ticket.status.in_(flt.statuses))
        if flt.category:
            stmt = stmt.where(Ticket.category == flt.category)
        if flt.channel:
            stmt = stmt.where(Ticket.channel == flt.channel)
        if flt.overdue_only:
            stmt = stmt.where(Ticket.due_at < (now or utcnow()),
                              Ticket.status.in_(OPEN_TICKET_STATUSES))
        if flt.search:
            like = f"%{flt.search.strip().lower()}%"
            stmt = stmt.where(
                or_(
                    func.lower(Ticket.description).like(like),
                    func.lower(Ticket.number).like(like),
                    func.lower(Ticket.region_name).like(like),
                )
            )
        stmt = stmt.order_by(Ticket.id.desc()).limit(flt.limit).offset(flt.offset)
        return (await self.session.execute(stmt)).scalars().all()

    async def overdue(self, now: datetime) -> Sequence[Ticket]:
        """Open tickets past their due time that have not been escalated yet."""
        # While the unit waits for the citizen, the unit is not late.
        working = tuple(s for s in OPEN_TICKET_STATUSES if s != TicketStatus.WAITING_CITIZEN)
        stmt = select(Ticket).where(
            Ticket.due_at < now, Ticket.status.in_(working), Ticket.escalated.is_(False)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def has_open_for_conversation(self, conversation_id: int) -> bool:
        """Whether a ticket reported in this conversation is still open."""
        stmt = select(exists().where(Ticket.conversation_id == conversation_id,
                                     Ticket.status.in_(OPEN_TICKET_STATUSES)))
        return bool((await self.session.execute(stmt)).scalar())

    async def resolved_before(self, cutoff: datetime) -> Sequence[Ticket]:
        """Resolved tickets resolved before ``cutoff`` (their reopen window has passed)."""
        stmt = select(Ticket).where(Ticket.status == TicketStatus.RESOLVED,
                                    Ticket.resolved_at < cutoff)
        return (await self.session.execute(stmt)).scalars().all()

    async def add_event(
        self,
        ticket: Ticket,
        kind: str,
        *,
        actor_type: str,
        actor_id: str | None = None,
        **fields: Any,
    ) -> TicketEvent:
        """Record something that happened to a ticket."""
        ev = TicketEvent(
            ticket_id=ticket.id, kind=kind, actor_type=actor_type, actor_id=actor_id, **fields
        )
        self.session.add(ev)
        await self.session.flush()
        return ev

    async def events(self, ticket_id: int) -> Sequence[TicketEvent]:
        """A ticket's history, oldest first."""
        stmt = (
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def service_counts(self) -> dict[str, ServiceTicketCounts]:
        """Per service code: its tickets, those forwarded away, and where they went."""
        with_service = Ticket.service_code.is_not(None)
        totals = {code: int(n) for code, n in (await self.session.execute(
            select(Ticket.service_code, func.count(Ticket.id))
            .where(with_service).group_by(Ticket.service_code))).all()}
        forwards = (
            select(Ticket.service_code, TicketEvent.to_unit_id, func.count(TicketEvent.id))
            .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
            .where(with_service, TicketEvent.kind == "forwarded")
            .group_by(Ticket.service_code, TicketEvent.to_unit_id))
        forwarded: dict[str, set[int]] = {}
        targets: dict[str, list[tuple[str, int]]] = {}
        for code, unit_id, count in (await self.session.execute(forwards)).all():
            if code is not None and unit_id is not None:
                targets.setdefault(code, []).append((unit_id, int(count)))
        # Tickets forwarded at least once (a ticket forwarded twice counts once).
        for code, ticket_id in (await self.session.execute(
                select(Ticket.service_code, Ticket.id).distinct()
                .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
                .where(with_service, TicketEvent.kind == "forwarded"))).all():
            if code is not None:
                forwarded.setdefault(code, set()).add(int(ticket_id))
        return {
            code: ServiceTicketCounts(
                total, len(forwarded.get(code, ())),
                tuple(sorted(targets.get(code, []), key=lambda t: (-t[1], t[0]))))
            for code, total in totals.items() if code is not None
        }


class ServiceUnitRepository:
    """The catalog's units, mirrored so tickets and staff can reference them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def sync(self, units: Iterable[dict[str, Any]]) -> None:
        """Insert or update units from the catalog; units gone from it are deactivated."""
        existing = {u.id: u for u in (await self.session.execute(select(ServiceUnit))).scalars()}
        seen = set()
        for data in units:
            seen.add(data["id"])
            row = existing.get(data["id"])
            if row is None:
                self.session.add(ServiceUnit(**data, active=True))
            else:
                for k, v in data.items():
                    setattr(row, k, v)
                row.active = True
                row.updated_at = utcnow()
        for uid, row in existing.items():
            if uid not in seen:
                row.active = False
        await self.session.flush()

    async def get(self, unit_id: str) -> ServiceUnit | None:
        """A unit by id."""
        return await self.session.get(ServiceUnit, unit_id)
