"""Ticket lifecycle: create and route, forward, reply, resolve, reopen, escalate.

Functions take an open session (the caller owns the transaction) and the
runtime (whose ``repositories`` reach storage), and record every change as a
ticket event. Messages to the citizen go through the outbox
via :func:`bot.delivery.queue.deliver_to_citizen`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import t
from bot.core.runtime import Runtime
from bot.delivery.queue import deliver_to_citizen
from bot.tickets.check_code import new_check_code
from bot.tickets.joiners import tell_joiners
from bot.tickets.status import DONE, OPEN, TicketStatus, can_move
from nlu.entities import mask_personal_data
from routing.catalog import Catalog
from routing.explain import explain
from routing.oversight import complained_unit
from routing.router import RoutingDecision, forward_decision, route_complaint
from routing.workdays import add_working_days
from storage.models import Citizen, NluReviewItem, Ticket, utcnow


class TicketError(ValueError):
    """A ticket action that cannot be done (wrong state, unknown unit, ...)."""


@dataclass(frozen=True)
class Actor:
    """Who does something: the citizen, the system, or a staff user."""

    kind: str  # citizen | system | staff
    id: str | None = None

    @classmethod
    def staff(cls, user_id: int) -> Actor:
        return cls("staff", str(user_id))


SYSTEM = Actor("system")


def due_time(catalog: Catalog, start: datetime, days: int) -> datetime:
    """When a response is due: ``days`` working days after ``start``."""
    # Working days are counted in the catalog's local time (WIB for Kota Batu), not UTC.
    return add_working_days(start, days, catalog.holidays, tz=catalog.tzinfo)


async def create_ticket(
    session: AsyncSession, rt: Runtime, *, citizen: Citizen, kind: str, description: str,
    category: str | None, confidence: float | None, region_code: str | None,
    region_name: str | None, channel: str, conversation_id: int | None = None,
    location_text: str | None = None, latitude: float | None = None,
    longitude: float | None = None, confidential: bool = False, now: datetime | None = None,
    service_code: str | None = None, service_confidence: float | None = None,
) -> tuple[Ticket, RoutingDecision]:
    """File a ticket and route it to the unit that owns it (triage desk when unsure).

    ``service_code`` (the NLU's service picker) routes below the category; an
    oversight service goes to the Inspektorat, and the unit the description
    complains about is recorded and kept from the ticket.
    """
    now = now or utcnow()
    catalog = rt.catalog
    decision = route_complaint(
        category, confidence, region_code, channel, catalog,
        threshold=rt.settings.nlu.category_threshold, service=service_code,
        service_confidence=service_confidence,
        service_threshold=rt.settings.nlu.service_threshold,
        complained_unit_id=_complained_unit(catalog, service_code, description, region_code))
    routed_by_service = decision.service is not None and decision.service_fallback is None
    repo = rt.repositories(session).tickets
    number = await repo.next_number(rt.settings.tickets.prefix, now.year)
    ticket = await repo.add(Ticket(
        number=number, kind=kind, citizen_id=citizen.id, conversation_id=conversation_id,
        channel=channel, description=description,
        category=(decision.category if routed_by_service else category) or "other",
        category_confidence=confidence, region_code=region_code, region_name=region_name,
        location_text=location_text, latitude=latitude, longitude=longitude,
        status=TicketStatus.ROUTED,
        confidential=confidential, check_code=new_check_code(),
        service_code=decision.service.code if routed_by_service and decision.service else None,
        excluded_unit_id=decision.complained_unit.id if decision.complained_unit else None,
        excluded_unit_ids=(",".join(("", *decision.excluded_unit_ids, ""))
                           if decision.excluded_unit_ids else None),
        unit_id=decision.unit.id, routing_rule=decision.rule,
        response_days=decision.response_days,
        due_at=due_time(catalog, now, decision.response_days), created_at=now, updated_at=now,
    ))
    await repo.add_event(ticket, "created", actor_type="citizen", actor_id=str(citizen.id),
                         to_status=TicketStatus.NEW, data={"channel": channel}, created_at=now)
    await repo.add_event(ticket, "routed", actor_type="system", to_unit_id=decision.unit.id,
                         from_status=TicketStatus.NEW, to_status=TicketStatus.ROUTED,
                         note=explain(decision, "id"),
                         data=_decision_data(decision), created_at=now)
    return ticket, decision


def _complained_unit(catalog: Catalog, service_code: str | None, description: str,
                     region_code: str | None) -> str | None:
    """For an oversight service, the unit the description is about (None otherwise)."""
    if not service_code or not catalog.has_service(service_code):
        return None
    if not catalog.service(service_code).oversight:
        return None
    return complained_unit(catalog, description, region_code)


def _decision_data(d: RoutingDecision) -> dict[str, object]:
    data: dict[str, object] = {
        "rule": d.rule, "reason": explain(d, "id"), "reason_en": explain(d, "en"),
        "category": d.category, "confidence": d.confidence, "region_code": d.region_code,
        "response_days": d.response_days}
    if d.service is not None:
        data.update(service=d.service.code, service_confidence=d.service_confidence,
                    service_fallback=d.service_fallback)
    if d.complained_unit is not None:
        data.update(complained_unit=d.complained_unit.id, excluded_units=list(d.excluded_unit_ids))
    return data


async def change_status(session: AsyncSession, rt: Runtime, ticket: Ticket,
                        to_status: TicketStatus | str, actor: Actor, *, note: str | None = None,
                        now: datetime | None = None) -> None:
    """Move a ticket to another status, if the lifecycle allows it (``bot.tickets.status``)."""
    now = now or utcnow()
    if to_status == ticket.status:
        return
    if not can_move(ticket.status, to_status):
        raise TicketError(f"a {ticket.status} ticket cannot become {to_status}")
    to_status = TicketStatus(to_status)
    await rt.repositories(session).tickets.add_event(
        ticket, "status_changed", actor_type=actor.kind, actor_id=actor.id,
        from_status=ticket.status, to_status=to_status, note=note, created_at=now)
    ticket.status = to_status
    ticket.updated_at = now
    if to_status == TicketStatus.RESOLVED:
        ticket.resolved_at = now
    if to_status == TicketStatus.CLOSED:
        ticket.closed_at = now
    await session.flush()


async def tell_work_started(session: AsyncSession, rt: Runtime, ticket: Ticket) -> None:
    """Tell the reporter and the joiners that the unit has started on the ticket (an
    officer set it in progress without writing to them)."""
    citizen = await rt.repositories(session).citizens.get(ticket.citizen_id)
    lang = citizen.language if citizen else "id"
    await deliver_to_citizen(session, rt, ticket.citizen_id,
                             t("ticket_in_progress", lang, number=ticket.number,
                               unit=rt.unit_short_name(ticket.unit_id)),
                             ticket_id=ticket.id)
    await tell_joiners(session, rt, ticket, "in_progress")


async def forward_ticket(session: AsyncSession, rt: Runtime, ticket: Ticket, to_unit_id: str,
                         reason: str, actor: Actor, *, now: datetime | None = None) -> None:
    """Pass a ticket to the unit that owns it; the citizen is told, and nothing starts over.

    The forward is kept in the history and as a routing correction for the
    NLU review queue when the new unit owns a different category.
    """
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise TicketError("a forward needs a reason")
    if ticket.status in DONE:
        raise TicketError(f"a {ticket.status} ticket cannot be forwarded; reopen it first")
    try:
        decision = forward_decision(rt.catalog, to_unit_id, reason)
    except KeyError as exc:
        raise TicketError(f"unknown unit: {to_unit_id}") from exc
    if decision.unit.id == ticket.unit_id:
        raise TicketError("the ticket is already with that unit")
    if ticket.excludes(decision.unit.id):
        # An oversight complaint never goes to the unit it is about, nor to its supervisors.
        raise TicketError("this report is about that unit (or one it supervises); it cannot "
                          "be forwarded there")
    repos = rt.repositories(session)
    from_unit = ticket.unit_id
    new_unit = decision.unit
    suggested = _suggested_category(rt.catalog, new_unit.id, ticket.category)
    await repos.tickets.add_event(
        ticket, "forwarded", actor_type=actor.kind, actor_id=actor.id, from_unit_id=from_unit,
        to_unit_id=new_unit.id, note=reason,
        data={"suggested_category": suggested, "old_category": ticket.category}, created_at=now)
    if suggested != ticket.category:
        # The new unit does not own the predicted category: a routing correction the NLU
        # review queue learns from (the category to relabel is left open when the new unit
        # owns several).
        await repos.reviews.add(NluReviewItem(
            ticket_id=ticket.id, text=mask_personal_data(ticket.description), reason="forwarded",
            predicted_intent=ticket.kind, predicted_category=ticket.category,
            category_confidence=ticket.category_confidence,
            suggested_intent=ticket.kind, suggested_category=suggested, created_at=now))
        if suggested:
            ticket.category = suggested
    ticket.unit_id = new_unit.id
    ticket.routing_rule = decision.rule
    days = rt.catalog.response_days(new_unit.id, ticket.category)
    ticket.response_days = days
    ticket.due_at = due_time(rt.catalog, now, days)
    ticket.escalated = False
    ticket.escalated_at = None
    ticket.escalated_to_unit_id = None
    if ticket.status not in (TicketStatus.ROUTED, TicketStatus.NEW):
        await change_status(session, rt, ticket, TicketStatus.ROUTED, actor, note=reason,
                            now=now)
    ticket.updated_at = now
    await session.flush()
    citizen = await repos.citizens.get(ticket.citizen_id)
    lang = citizen.language if citizen else "id"
    await deliver_to_citizen(session, rt, ticket.citizen_id,
                             t("ticket_forwarded", lang, number=ticket.number,
                               unit=new_unit.name, reason=reason, days=days,
                               due=_local_day(rt.catalog, ticket.due_at)),
                             ticket_id=ticket.id, sender_type="system")
    await tell_joiners(session, rt, ticket, "forwarded", reason=reason)


def _local_day(catalog: Catalog, value: datetime | None) -> str:
    """A date as the citizen reads it, in the catalog's local time ("03-12-2026")."""
    if value is None:
        return "-"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(catalog.tzinfo).strftime("%d-%m-%Y")


def _suggested_category(catalog: Catalog, unit_id: str, current: str) -> str | None:
    """The category a forward implies: the new unit's, when it owns exactly one or the current."""
    cats = catalog.unit(unit_id).categories
    if current in cats:
        return current
    return cats[0] if len(cats) == 1 else None


async def reply_to_citizen(session: AsyncSession, rt: Runtime, ticket: Ticket, text: str,
                           actor: Actor, *, staff_user_id: int | None = None,
                           wait_for_citizen: bool = False, now: datetime | None = None) -> None:
    """An officer's reply, delivered on the channel the citizen last used.

    ``wait_for_citizen`` marks the ticket as waiting for the citizen's answer
    (the citizen's next message puts it back in progress).
    """
    now = now or utcnow()
    text = text.strip()
    if not text:
        raise TicketError("the reply is empty")
    if ticket.status == TicketStatus.CLOSED:
        raise TicketError("a closed ticket cannot be replied to")
    repos = rt.repositories(session)
    citizen = await repos.citizens.get(ticket.citizen_id)
    lang = citizen.language if citizen else "id"
    await repos.tickets.add_event(ticket, "replied", actor_type=actor.kind, actor_id=actor.id,
                                  note=text, created_at=now)
    await deliver_to_citizen(session, rt, ticket.citizen_id,
                             t("officer_reply", lang, unit=rt.unit_short_name(ticket.unit_id),
                               number=ticket.number, text=text),
                             ticket_id=ticket.id, sender_type="staff",
                             staff_user_id=staff_user_id)
    await tell_joiners(session, rt, ticket, "reply", text=text, sender_type="staff",
                       staff_user_id=staff_user_id)
    if wait_for_citizen:
        await change_status(session, rt, ticket, TicketStatus.WAITING_CITIZEN, actor, now=now)
    elif ticket.status in (TicketStatus.NEW, TicketStatus.ROUTED):
        await change_status(session, rt, ticket, TicketStatus.IN_PROGRESS, actor, now=now)
    ticket.updated_at = now


async def add_note(session: AsyncSession, rt: Runtime, ticket: Ticket, text: str,
                   actor: Actor, *, now: datetime | None = None) -> None:
    """An internal note, never shown to the citizen."""
    now = now or utcnow()
    text = text.strip()
    if not text:
        raise TicketError("the note is empty")
    await rt.repositories(session).tickets.add_event(ticket, "noted", actor_type=actor.kind,
                                                     actor_id=actor.id, note=text,
                                                     created_at=now)
    ticket.updated_at = now


async def resolve_ticket(session: AsyncSession, rt: Runtime, ticket: Ticket, actor: Actor,
                         *, note: str | None = None, now: datetime | None = None) -> None:
    """Mark a ticket resolved and tell the citizen (who may reopen it for a while)."""
    if ticket.status in DONE:
        raise TicketError(f"the ticket is already {ticket.status}")
    await change_status(session, rt, ticket, TicketStatus.RESOLVED, actor, note=note, now=now)
    await release_handover(session, rt, ticket)
    citizen = await rt.repositories(session).citizens.get(ticket.citizen_id)
    lang = citizen.language if citizen else "id"
    extra = f" {note.strip()}" if note and note.strip() else ""
    await deliver_to_citizen(session, rt, ticket.citizen_id,
                             t("ticket_resolved", lang, number=ticket.number,
                               unit=rt.unit_short_name(ticket.unit_id), note=extra,
                               days=rt.settings.tickets.reopen_days),
                             ticket_id=ticket.id, sender_type="system")
    await tell_joiners(session, rt, ticket, "resolved", note=extra)
    for hook in rt.hooks.on_ticket_resolved:
        await hook(session, ticket)


async def release_handover(session: AsyncSession, rt: Runtime, ticket: Ticket) -> None:
    """A resolved ticket ends the citizen's chat with its officers: the bot answers again."""
    conv = await rt.repositories(session).conversations.current(ticket.citizen_id)
    if conv is None:
        return
    state = dict(conv.state or {})
    if state.get("mode") == "handover" and state.get("handover_ticket") == ticket.number:
        conv.state = {**state, "mode": "idle", "handover_ticket": None}
        await session.flush()


async def reopen_ticket(session: AsyncSession, rt: Runtime, ticket: Ticket, actor: Actor,
                        *, reason: str | None = None, now: datetime | None = None) -> None:
    """Reopen a resolved ticket within the configured window."""
    now = now or utcnow()
    if ticket.status in OPEN:
        raise TicketError("the ticket is still open")
    resolved_at = ticket.resolved_at  # aware UTC as read (storage.types.UtcDateTime)
    window = timedelta(days=rt.settings.tickets.reopen_days)
    if ticket.status == TicketStatus.CLOSED or resolved_at is None or now - resolved_at > window:
        raise TicketError("the reopen window has passed")
    await change_status(session, rt, ticket, TicketStatus.IN_PROGRESS, actor,
                        note=reason or "reopened", now=now)
    ticket.resolved_at = None
    ticket.due_at = due_time(rt.catalog, now, ticket.response_days or
                             rt.catalog.response_days(ticket.unit_id, ticket.category))
    # A new response target starts: the old escalation no longer applies.
    ticket.escalated = False
    ticket.escalated_at = None
    ticket.escalated_to_unit_id = None
    await session.flush()
    by_citizen = int(actor.id) if actor.kind == "citizen" and actor.id else None
    await tell_joiners(session, rt, ticket, "reopened", skip_citizen_id=by_citizen)
    if by_citizen is not None and by_citizen != ticket.citizen_id:
        # A joiner reopened it (a low rating): the reporter hears of it too.
        reporter = await rt.repositories(session).citizens.get(ticket.citizen_id)
        await deliver_to_citizen(session, rt, ticket.citizen_id,
                                 t("ticket_reopened", reporter.language if reporter else "id",
                                   number=ticket.number, unit=rt.unit_name(ticket.unit_id)),
                                 ticket_id=ticket.id, sender_type="system")


async def close_expired_resolved(session: AsyncSession, rt: Runtime,
                                 now: datetime | None = None) -> int:
    """Close resolved tickets whose reopen window has passed. Returns the count."""
    now = now or utcnow()
    cutoff = now - timedelta(days=rt.settings.tickets.reopen_days)
    count = 0
    for ticket in await rt.repositories(session).tickets.resolved_before(cutoff):
        await change_status(session, rt, ticket, TicketStatus.CLOSED, SYSTEM,
                            note="reopen window passed", now=now)
        count += 1
    return count


def _excluded_ids(ticket: Ticket) -> frozenset[str]:
    return frozenset(u for u in (ticket.excluded_unit_ids or "").split(",") if u)


async def escalate_overdue(session: AsyncSession, rt: Runtime, now: datetime | None = None) -> int:
    """Flag overdue open tickets and escalate each to its unit's parent. Returns the count."""
    from routing.router import escalation_target

    now = now or utcnow()
    repo = rt.repositories(session).tickets
    count = 0
    for ticket in await repo.overdue(now):
        parent = escalation_target(rt.catalog, ticket.unit_id,
                                   excluded=_excluded_ids(ticket))
        ticket.escalated = True
        ticket.escalated_at = now
        ticket.escalated_to_unit_id = parent.id if parent else None
        await repo.add_event(ticket, "escalated", actor_type="system",
                             from_unit_id=ticket.unit_id,
                             to_unit_id=parent.id if parent else None,
                             note="response target passed", created_at=now)
        count += 1
    await session.flush()
    return count
