""""Saya juga" (me too): a new complaint joins an open ticket about the same problem.

* :func:`find_offer` — before a complaint is filed, the open ticket it most likely
  repeats (the matching itself is pure: :mod:`routing.me_too`);
* :func:`join_ticket` — the citizen joins it: their report is kept as a
  :class:`~storage.models.TicketJoiner`, no ticket is created; from then on they are
  told of every update (:mod:`bot.tickets.joiners`) and rate it;
* :func:`merge_tickets` and :func:`split_joiner` — officers' hand corrections: a
  ticket merged into another of the same unit (its citizens join that one), or a
  joiner's report split off as a ticket of its own, routed like any other.

Each function runs inside the caller's transaction and records ticket events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import ME_TOO, status_label
from bot.core.runtime import Runtime
from bot.delivery.queue import deliver_to_citizen
from bot.tickets.joiners import tell_joiners
from bot.tickets.lifecycle import Actor, TicketError, change_status, create_ticket
from bot.tickets.status import OPEN, TicketStatus
from nlu.entities import mask_personal_data
from routing.me_too import (
    Match,
    MeTooRules,
    NewReport,
    OpenTicket,
    best_matches,
    bounding_box,
    is_village_code,
)
from storage.models import Citizen, Ticket, TicketJoiner, utcnow
from storage.repositories.me_too import CandidateQuery

SUMMARY_CHARS = 160


class Report(Protocol):
    """What a report being filed says (the dialogue's draft)."""

    kind: str
    description: str
    category: str | None
    service_code: str | None
    region_code: str | None
    region_name: str | None
    location_text: str | None
    latitude: float | None
    longitude: float | None
    confidential: bool
    oversight: bool
    me_too_declined: list[str]


@dataclass(frozen=True)
class Offer:
    """An open ticket shown to the citizen, as they see it."""

    number: str
    text: str


def rules(rt: Runtime) -> MeTooRules:
    """The matching knobs from settings (``cases.me_too``)."""
    cfg = rt.settings.cases.me_too
    return MeTooRules(distance_m=cfg.distance_m, min_similarity=cfg.min_similarity,
                      window_days=cfg.window_days)


def _oversight(rt: Runtime, ticket: Ticket) -> bool:
    code = ticket.service_code
    return bool(ticket.excluded_unit_id) or bool(
        code and rt.catalog.has_service(code) and rt.catalog.service(code).oversight)


async def find_match(session: AsyncSession, rt: Runtime, citizen_id: int, report: Report,
                     now: datetime | None = None) -> Match | None:
    """The open ticket ``report`` most likely repeats, or None (never for an aspiration, a
    confidential report or a complaint about the apparatus, nor one declined before)."""
    cfg = rt.settings.cases.me_too
    if (not cfg.enabled or report.kind != "complaint" or report.confidential
            or report.oversight or not report.description.strip()):
        return None
    now = now or utcnow()
    new = NewReport(citizen_id=citizen_id, description=report.description,
                    category=report.category, service_code=report.service_code,
                    region_code=report.region_code, latitude=report.latitude,
                    longitude=report.longitude)
    box = (bounding_box(new.latitude, new.longitude, cfg.distance_m)
           if new.latitude is not None and new.longitude is not None else None)
    village = new.region_code if is_village_code(new.region_code) else None
    repos = rt.repositories(session)
    rows = await repos.joiners.candidates(CandidateQuery(
        citizen_id=citizen_id, category=report.category, service_code=report.service_code,
        since=now - timedelta(days=cfg.window_days), village_code=village, box=box))
    rows = [r for r in rows if r.number not in report.me_too_declined]
    if not rows:
        return None
    joined = await repos.joiners.joiner_ids([r.id for r in rows])
    tickets = [OpenTicket(
        id=r.id, number=r.number, citizen_id=r.citizen_id, description=r.description,
        category=r.category, service_code=r.service_code, region_code=r.region_code,
        latitude=r.latitude, longitude=r.longitude, created_at=r.created_at,
        confidential=r.confidential, oversight=_oversight(rt, r),
        joiner_ids=joined.get(r.id, frozenset())) for r in rows]
    found = best_matches(new, tickets, rules(rt), now)
    return found[0] if found else None


def summary(description: str) -> str:
    """Another citizen's report as a stranger may read it: personal data masked, short."""
    text = " ".join(mask_personal_data(description).split())
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS - 1].rstrip() + "…"


async def find_offer(session: AsyncSession, rt: Runtime, citizen_id: int, report: Report,
                     lang: str) -> Offer | None:
    """The offer to join the ticket ``report`` most likely repeats, or None."""
    match = await find_match(session, rt, citizen_id, report)
    if match is None:
        return None
    repos = rt.repositories(session)
    ticket = await repos.tickets.get(match.ticket.id)
    if ticket is None:
        return None
    joiners = (await repos.joiners.counts([ticket.id])).get(ticket.id, 0)
    # The reporter's own words for the place may name them (their house, their number).
    place = ", ".join(p for p in (ticket.location_text and summary(ticket.location_text),
                                  ticket.region_name) if p) or "-"
    text = ME_TOO.text("offer", lang, number=ticket.number,
                       status=status_label(ticket.status, lang),
                       summary=summary(ticket.description), place=place, joiners=joiners)
    return Offer(ticket.number, text)


async def join_ticket(session: AsyncSession, rt: Runtime, number: str, citizen: Citizen,
                      report: Report, *, channel: str, conversation_id: int | None,
                      now: datetime | None = None) -> Ticket | None:
    """Make ``citizen`` a joiner of open ticket ``number`` with their report; None when it
    is no longer open (the caller files the report instead)."""
    now = now or utcnow()
    repos = rt.repositories(session)
    ticket = await repos.tickets.by_number(number)
    if ticket is None or ticket.status not in OPEN or ticket.confidential:
        return None
    if ticket.citizen_id == citizen.id or await repos.joiners.find(ticket.id,
                                                                   citizen.id) is not None:
        return ticket  # theirs already: nothing more to record
    await repos.joiners.add(TicketJoiner(
        ticket_id=ticket.id, citizen_id=citizen.id, channel=channel,
        conversation_id=conversation_id, source="me_too", comment=report.description,
        category=report.category, service_code=report.service_code,
        region_code=report.region_code, region_name=report.region_name,
        location_text=report.location_text, latitude=report.latitude,
        longitude=report.longitude, joined_at=now))
    await repos.tickets.add_event(ticket, "joined", actor_type="citizen",
                                  actor_id=str(citizen.id), note=report.description,
                                  data={"channel": channel}, created_at=now)
    ticket.updated_at = now
    return ticket


def joined_text(rt: Runtime, ticket: Ticket, lang: str) -> str:
    """What the citizen is told on joining: the number, the unit, the check code."""
    text = ME_TOO.text("joined", lang, number=ticket.number,
                       unit=rt.unit_name(ticket.unit_id))
    if ticket.check_code:
        text += ME_TOO.text("check_code", lang, code=ticket.check_code)
    return text


# ---- officers' hand corrections ------------------------------------------------------


async def merge_tickets(session: AsyncSession, rt: Runtime, source: Ticket, target: Ticket,
                        actor: Actor, *, now: datetime | None = None) -> int:
    """Merge ``source`` into ``target`` (both open, the same unit, neither confidential):
    its reporter and joiners become joiners of ``target`` and are told, and ``source`` is
    closed as merged. Returns how many citizens moved."""
    now = now or utcnow()
    if source.id == target.id:
        raise TicketError("a ticket cannot be merged into itself")
    if source.status not in OPEN or target.status not in OPEN:
        raise TicketError("only open tickets can be merged")
    if source.unit_id != target.unit_id:
        raise TicketError("only tickets of the same unit can be merged")
    if source.confidential or target.confidential:
        raise TicketError("confidential reports are never merged")
    repos = rt.repositories(session)
    old = await repos.joiners.for_ticket(source.id)
    moved = 0
    for citizen_id, where in ((source.citizen_id, _report_of(source)),
                              *((j.citizen_id, _report_of(j)) for j in old)):
        if citizen_id != target.citizen_id and await repos.joiners.find(
                target.id, citizen_id) is None:
            await repos.joiners.add(TicketJoiner(
                ticket_id=target.id, citizen_id=citizen_id, source="merged",
                merged_from_id=source.id, joined_at=now, **where))
            moved += 1
    for joiner in old:
        await repos.joiners.remove(joiner)
    await repos.tickets.add_event(source, "merged_into", actor_type=actor.kind,
                                  actor_id=actor.id, data={"target": target.number},
                                  note=target.number, created_at=now)
    await repos.tickets.add_event(target, "merged_from", actor_type=actor.kind,
                                  actor_id=actor.id, data={"source": source.number,
                                                           "citizens": moved},
                                  note=source.number, created_at=now)
    await change_status(session, rt, source, TicketStatus.CLOSED, actor,
                        note=f"merged into {target.number}", now=now)
    source.merged_into_id = target.id
    target.updated_at = now
    for citizen_id in {source.citizen_id, *(j.citizen_id for j in old)}:
        citizen = await repos.citizens.get(citizen_id)
        lang = citizen.language if citizen else "id"
        await deliver_to_citizen(session, rt, citizen_id, ME_TOO.text(
            "merged", lang, source=source.number, target=target.number,
            unit=rt.unit_name(target.unit_id)), ticket_id=target.id, sender_type="system")
    await session.flush()
    return moved


def _report_of(row: Ticket | TicketJoiner) -> dict[str, object]:
    """What a ticket's reporter or joiner reported, as a joiner row keeps it."""
    return {"channel": row.channel, "conversation_id": row.conversation_id,
            "comment": row.description if isinstance(row, Ticket) else row.comment,
            "category": row.category, "service_code": row.service_code,
            "region_code": row.region_code, "region_name": row.region_name,
            "location_text": row.location_text, "latitude": row.latitude,
            "longitude": row.longitude}


async def split_joiner(session: AsyncSession, rt: Runtime, ticket: Ticket, joiner_id: int,
                       actor: Actor, *, now: datetime | None = None) -> Ticket:
    """File joiner ``joiner_id`` of ``ticket`` as a ticket of their own (their report,
    routed like any other); they leave ``ticket`` and take their messages along."""
    now = now or utcnow()
    repos = rt.repositories(session)
    joiner = await repos.joiners.get(joiner_id)
    if joiner is None or joiner.ticket_id != ticket.id:
        raise TicketError("no such joiner on this ticket")
    citizen = await repos.citizens.get(joiner.citizen_id)
    if citizen is None:
        raise TicketError("the joiner's citizen is gone")
    new, decision = await create_ticket(
        session, rt, citizen=citizen, kind="complaint",
        description=joiner.comment or ticket.description, category=joiner.category,
        confidence=None, region_code=joiner.region_code, region_name=joiner.region_name,
        channel=joiner.channel, conversation_id=joiner.conversation_id,
        location_text=joiner.location_text, latitude=joiner.latitude,
        longitude=joiner.longitude, service_code=joiner.service_code, now=now)
    await repos.joiners.move_messages(joiner.citizen_id, ticket.id, new.id)
    await repos.joiners.remove(joiner)
    await repos.tickets.add_event(ticket, "split", actor_type=actor.kind, actor_id=actor.id,
                                  data={"ticket": new.number, "citizen_id": citizen.id},
                                  note=new.number, created_at=now)
    await repos.tickets.add_event(new, "split_from", actor_type=actor.kind, actor_id=actor.id,
                                  data={"ticket": ticket.number}, note=ticket.number,
                                  created_at=now)
    ticket.updated_at = now
    text = ME_TOO.text("split", citizen.language, number=new.number,
                       unit=decision.unit.name, source=ticket.number)
    if new.check_code:
        text += ME_TOO.text("check_code", citizen.language, code=new.check_code)
    await deliver_to_citizen(session, rt, citizen.id, text, ticket_id=new.id,
                             sender_type="system")
    return new


__all__ = ["Offer", "find_match", "find_offer", "join_ticket", "joined_text", "merge_tickets",
           "rules", "split_joiner", "summary", "tell_joiners"]
