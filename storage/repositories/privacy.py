"""A citizen's personal data: gather it (export), remove it (erasure), and anonymise
closed tickets past the retention period (UU 27/2022). Flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ChannelIdentity,
    Citizen,
    InboundPayload,
    Message,
    OutboxMessage,
    Survey,
    SurveyResponse,
    Ticket,
    TicketEvent,
    TicketJoiner,
    TicketStatus,
)

ERASED = "[dihapus / erased]"
ANONYMISED = "[dianonimkan / anonymised]"
# Raw webhook bodies are matched to a citizen by their channel id; shorter ids would
# match unrelated bodies, so they are left (and age out with the payload log).
MIN_ID_TO_MATCH = 6


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class PrivacyRepository:
    """Export, erasure and anonymisation over one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def export(self, citizen_id: int) -> dict[str, Any] | None:
        """Everything kept about one citizen, JSON-ready; None if there is no such citizen."""
        citizen = await self.session.get(Citizen, citizen_id)
        if citizen is None:
            return None
        s = self.session
        identities = (await s.scalars(select(ChannelIdentity).where(
            ChannelIdentity.citizen_id == citizen_id))).all()
        messages = (await s.scalars(select(Message).where(
            Message.citizen_id == citizen_id).order_by(Message.id))).all()
        tickets = (await s.scalars(select(Ticket).where(
            Ticket.citizen_id == citizen_id).order_by(Ticket.id))).all()
        joined = (await s.scalars(select(TicketJoiner).where(
            TicketJoiner.citizen_id == citizen_id).order_by(TicketJoiner.id))).all()
        answers = (await s.scalars(select(SurveyResponse).where(
            SurveyResponse.citizen_id == citizen_id).order_by(SurveyResponse.id))).all()
        comments = (await s.scalars(select(Survey).where(
            Survey.citizen_id == citizen_id, Survey.comment.is_not(None)))).all()
        return {
            "citizen": {"id": citizen.id, "display_name": citizen.display_name,
                        "language": citizen.language, "phone": citizen.phone,
                        "email": citizen.email, "created_at": _iso(citizen.created_at),
                        "privacy_consent": citizen.privacy_consent,
                        "privacy_consent_at": _iso(citizen.privacy_consent_at),
                        "erased_at": _iso(citizen.erased_at)},
            "channel_identities": [
                {"channel": i.channel, "external_id": i.external_id,
                 "reply_address": i.reply_address, "display_name": i.display_name,
                 "created_at": _iso(i.created_at), "last_inbound_at": _iso(i.last_inbound_at)}
                for i in identities],
            "messages": [
                {"at": _iso(m.created_at), "direction": m.direction, "channel": m.channel,
                 "sender_type": m.sender_type, "text": m.text, "content": m.content}
                for m in messages],
            "tickets": [
                {"number": t.number, "kind": t.kind, "status": t.status,
                 "category": t.category, "unit_id": t.unit_id, "description": t.description,
                 "region_name": t.region_name, "location_text": t.location_text,
                 "latitude": t.latitude, "longitude": t.longitude,
                 "created_at": _iso(t.created_at), "closed_at": _iso(t.closed_at)}
                for t in tickets],
            "joined_tickets": [
                {"ticket_id": j.ticket_id, "source": j.source, "channel": j.channel,
                 "comment": j.comment, "region_name": j.region_name,
                 "location_text": j.location_text, "latitude": j.latitude,
                 "longitude": j.longitude, "joined_at": _iso(j.joined_at)}
                for j in joined],
            "survey_answers": [
                {"element": a.element, "score": a.score, "at": _iso(a.created_at)}
                for a in answers],
            "survey_comments": [c.comment for c in comments],
        }

    async def erase(self, citizen_id: int, now: datetime) -> dict[str, int] | None:
        """Remove identity, contact data and words; tickets and scores stay, anonymous.

        How many rows of each kind changed; None if there is no such citizen.
        """
        citizen = await self.session.get(Citizen, citizen_id)
        if citizen is None:
            return None
        s = self.session
        identities = (await s.scalars(select(ChannelIdentity).where(
            ChannelIdentity.citizen_id == citizen_id))).all()
        payloads = await self._forget_payloads(identities)
        counts = {"identities": len(identities), "raw_payloads": payloads}
        for ident in identities:
            await s.delete(ident)
        citizen.display_name = citizen.phone = citizen.email = None
        citizen.erased_at = now
        counts["messages"] = await self._count(s.execute(
            update(Message).where(Message.citizen_id == citizen_id)
            .values(text=ERASED, content={}, nlu=None)))
        counts["tickets"] = await self._count(s.execute(
            update(Ticket).where(Ticket.citizen_id == citizen_id)
            .values(description=ERASED, location_text=None, latitude=None, longitude=None,
                    anonymised_at=now)))
        ticket_ids = select(Ticket.id).where(Ticket.citizen_id == citizen_id)
        await s.execute(update(TicketEvent).where(TicketEvent.ticket_id.in_(ticket_ids),
                                                  TicketEvent.actor_type == "citizen")
                        .values(note=None))
        # What they said when joining others' tickets ("saya juga") goes the same way.
        await s.execute(update(TicketEvent).where(TicketEvent.actor_type == "citizen",
                                                  TicketEvent.actor_id == str(citizen_id))
                        .values(note=None))
        counts["joined"] = await self._count(s.execute(
            update(TicketJoiner).where(TicketJoiner.citizen_id == citizen_id)
            .values(comment=ERASED, location_text=None, latitude=None, longitude=None)))
        counts["survey_comments"] = await self._count(s.execute(
            update(Survey).where(Survey.citizen_id == citizen_id, Survey.comment.is_not(None))
            .values(comment=None)))
        await s.execute(update(OutboxMessage).where(
            OutboxMessage.citizen_id == citizen_id,
            OutboxMessage.status.in_(("pending", "held")))
            .values(status="failed", last_error="citizen erased"))
        counts["outbox"] = await self._count(s.execute(
            update(OutboxMessage).where(OutboxMessage.citizen_id == citizen_id)
            .values(recipient_id=f"erased:{citizen_id}", payload={"erased": True})))
        await s.flush()
        return counts

    async def _forget_payloads(self, identities: Sequence[ChannelIdentity]) -> int:
        removed = 0
        for ident in identities:
            for value in {ident.external_id, ident.reply_address}:
                if len(value) < MIN_ID_TO_MATCH:
                    continue
                result = await self.session.execute(
                    delete(InboundPayload).where(InboundPayload.channel == ident.channel,
                                                 InboundPayload.body.contains(value,
                                                                              autoescape=True)))
                removed += int(result.rowcount or 0)  # type: ignore[attr-defined]
        return removed

    @staticmethod
    async def _count(pending: Any) -> int:
        """Rows changed by an awaited ``session.execute(update(...))``."""
        return int((await pending).rowcount or 0)

    async def anonymise_closed(self, closed_before: datetime, now: datetime,
                               limit: int = 500) -> list[str]:
        """Anonymise tickets resolved or closed before ``closed_before``; their numbers."""
        done = or_(Ticket.status == TicketStatus.CLOSED.value,
                   Ticket.status == TicketStatus.RESOLVED.value)
        ended = func.coalesce(Ticket.closed_at, Ticket.resolved_at)
        rows = (await self.session.scalars(
            select(Ticket).where(done, Ticket.anonymised_at.is_(None), ended < closed_before)
            .order_by(Ticket.id).limit(limit))).all()
        for ticket in rows:
            ticket.description = ANONYMISED
            ticket.location_text = None
            ticket.latitude = ticket.longitude = None
            ticket.anonymised_at = now
            await self.session.execute(
                update(Message).where(Message.conversation_id == ticket.conversation_id,
                                      Message.sender_type == "citizen")
                .values(text=ANONYMISED, content={}, nlu=None))
            # Its joiners' words and places, and their messages tied to it.
            await self.session.execute(
                update(TicketJoiner).where(TicketJoiner.ticket_id == ticket.id)
                .values(comment=ANONYMISED, location_text=None, latitude=None, longitude=None))
            await self.session.execute(
                update(Message).where(Message.ticket_id == ticket.id,
                                      Message.sender_type == "citizen")
                .values(text=ANONYMISED, content={}, nlu=None))
            await self.session.execute(
                update(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                          TicketEvent.actor_type == "citizen")
                .values(note=None))
        await self.session.flush()
        return [t.number for t in rows]
