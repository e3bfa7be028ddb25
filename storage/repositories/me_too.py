""""Saya juga": the open tickets a new complaint may join, and the citizens who joined."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OPEN_TICKET_STATUSES, Message, Ticket, TicketJoiner

#: At most this many candidates are loaded for the pure matcher to rank.
CANDIDATE_LIMIT = 50


@dataclass(frozen=True)
class CandidateQuery:
    """Where to look: one topic (service or category), one village or a box around a point."""

    citizen_id: int
    category: str | None
    service_code: str | None
    since: datetime
    village_code: str | None = None
    # (min_lat, max_lat, min_lon, max_lon) around the shared location, if any.
    box: tuple[float, float, float, float] | None = None
    limit: int = CANDIDATE_LIMIT


class JoinerRepository:
    """Ticket joiners and the candidates for joining."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def candidates(self, q: CandidateQuery) -> Sequence[Ticket]:
        """Open, non-confidential complaints of others about the topic, at the place, filed
        since ``q.since``, newest first (the index on category and status leads)."""
        topic = []
        if q.service_code:
            topic.append(Ticket.service_code == q.service_code)
        if q.category:
            topic.append(Ticket.category == q.category)
        place = []
        if q.village_code:
            place.append(Ticket.region_code == q.village_code)
        if q.box is not None:
            lat0, lat1, lon0, lon1 = q.box
            place.append(and_(Ticket.latitude.between(lat0, lat1),
                              Ticket.longitude.between(lon0, lon1)))
        if not topic or not place:
            return []
        stmt = (select(Ticket)
                .where(or_(*topic), or_(*place), Ticket.status.in_(OPEN_TICKET_STATUSES),
                       Ticket.kind == "complaint", Ticket.confidential.is_(False),
                       Ticket.excluded_unit_id.is_(None), Ticket.citizen_id != q.citizen_id,
                       Ticket.created_at >= q.since)
                .order_by(Ticket.id.desc()).limit(q.limit))
        return (await self.session.execute(stmt)).scalars().all()

    async def add(self, joiner: TicketJoiner) -> TicketJoiner:
        """Store a joiner (its id is set on return)."""
        self.session.add(joiner)
        await self.session.flush()
        return joiner

    async def get(self, joiner_id: int) -> TicketJoiner | None:
        """A joiner by id."""
        return await self.session.get(TicketJoiner, joiner_id)

    async def find(self, ticket_id: int, citizen_id: int) -> TicketJoiner | None:
        """The citizen's joining of this ticket, if they joined it."""
        stmt = select(TicketJoiner).where(TicketJoiner.ticket_id == ticket_id,
                                          TicketJoiner.citizen_id == citizen_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def for_ticket(self, ticket_id: int) -> Sequence[TicketJoiner]:
        """A ticket's joiners, in the order they joined."""
        stmt = (select(TicketJoiner).where(TicketJoiner.ticket_id == ticket_id)
                .order_by(TicketJoiner.id))
        return (await self.session.execute(stmt)).scalars().all()

    async def joiner_ids(self, ticket_ids: Sequence[int]) -> dict[int, frozenset[int]]:
        """Per ticket, the citizens who joined it (tickets without joiners are left out)."""
        if not ticket_ids:
            return {}
        stmt = select(TicketJoiner.ticket_id, TicketJoiner.citizen_id).where(
            TicketJoiner.ticket_id.in_(list(ticket_ids)))
        out: dict[int, set[int]] = {}
        for ticket_id, citizen_id in (await self.session.execute(stmt)).all():
            out.setdefault(int(ticket_id), set()).add(int(citizen_id))
        return {k: frozenset(v) for k, v in out.items()}

    async def counts(self, ticket_ids: Sequence[int]) -> dict[int, int]:
        """Per ticket, how many citizens joined it (tickets without joiners are left out)."""
        if not ticket_ids:
            return {}
        stmt = (select(TicketJoiner.ticket_id, func.count(TicketJoiner.id))
                .where(TicketJoiner.ticket_id.in_(list(ticket_ids)))
                .group_by(TicketJoiner.ticket_id))
        return {int(t): int(n) for t, n in (await self.session.execute(stmt)).all()}

    async def remove(self, joiner: TicketJoiner) -> None:
        """Drop a joiner (split off as its own ticket, or moved by a merge)."""
        await self.session.execute(delete(TicketJoiner).where(TicketJoiner.id == joiner.id))

    async def move_messages(self, citizen_id: int, from_ticket_id: int, to_ticket_id: int) -> None:
        """Re-tie one citizen's messages (and the bot's answers to them) from a ticket to
        another: a joiner split off takes what they said along."""
        await self.session.execute(
            update(Message)
            .where(Message.citizen_id == citizen_id, Message.ticket_id == from_ticket_id)
            .values(ticket_id=to_ticket_id))
