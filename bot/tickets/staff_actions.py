"""Staff actions on tickets and the ticket views, shared by the console and the API.

Each action is one transaction: load the ticket the user may see (404
otherwise), act through :mod:`bot.tickets.lifecycle`, write the audit entry, commit;
then tell live listeners. A :class:`~bot.tickets.lifecycle.TicketError` rolls
everything back, so bad input changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import HTTPException
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.runtime import Runtime
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from bot.staff.visibility import can_see, load_visible_ticket, visible_unit_ids
from bot.tickets.lifecycle import (
    Actor,
    TicketError,
    add_note,
    change_status,
    forward_ticket,
    reopen_ticket,
    reply_to_citizen,
    resolve_ticket,
    tell_work_started,
)
from bot.tickets.me_too import merge_tickets, split_joiner
from bot.tickets.status import DONE, STAFF_SETTABLE, TicketStatus
from storage.models import Message, Ticket, TicketEvent, utcnow
from storage.ports import Repositories, StaffRepositoryPort

ACTIONS: tuple[str, ...] = ("reply", "note", "forward", "resolve", "reopen", "status",
                            "merge", "split")
# The audit trail's name for each action.
AUDIT_NAMES: dict[str, str] = {"reply": "reply", "note": "note", "forward": "forward",
                               "resolve": "resolve", "reopen": "reopen",
                               "status": "status_change", "merge": "merge", "split": "split"}
MAX_TEXT = 4000


@dataclass(frozen=True)
class TicketAction:
    """One staff action: ``text`` is the reply, note, forward reason, resolution note or
    reopen reason."""

    action: str
    text: str | None = None
    unit_id: str | None = None
    status: str | None = None
    wait_for_citizen: bool = False
    # A forward's internal note for the new unit, kept apart from the reason the citizen reads.
    note: str | None = None
    # "merge": the ticket to merge into; "split": the joiner (its id) to file on their own.
    target: str | None = None
    joiner_id: int | None = None


@dataclass(frozen=True)
class ActionOutcome:
    """What an action left behind."""

    ticket: Ticket
    still_visible: bool


async def perform(rt: Runtime, ctx: StaffContext, number: str, act: TicketAction, *,
                  ip: str | None = None, now: datetime | None = None) -> ActionOutcome:
    """Carry out one staff action on ticket ``number`` in its own transaction.

    Raises HTTP 404 (via :func:`bot.staff.visibility.load_visible_ticket`) for tickets the
    user may not see and :class:`TicketError` for actions that cannot be done.
    """
    now = now or utcnow()
    if act.action not in ACTIONS:
        raise TicketError(f"unknown action: {act.action}")
    text = (act.text or "").strip()
    if len(text) > MAX_TEXT:
        raise TicketError(f"the text is longer than {MAX_TEXT} characters")
    actor = Actor.staff(ctx.user_id)
    async with rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        ticket = await load_visible_ticket(repos, ctx.user, rt.catalog, number)
        before_unit, before_status = ticket.unit_id, ticket.status
        data: dict[str, Any] = {}
        if act.action == "reply":
            await reply_to_citizen(session, rt, ticket, text, actor, staff_user_id=ctx.user_id,
                                   wait_for_citizen=act.wait_for_citizen, now=now)
            data["length"] = len(text)
        elif act.action == "note":
            await add_note(session, rt, ticket, text, actor, now=now)
        elif act.action == "forward":
            unit_id = (act.unit_id or "").strip()
            if not unit_id:
                raise TicketError("choose the unit to forward to")
            await forward_ticket(session, rt, ticket, unit_id, text, actor, now=now)
            data.update(to_unit_id=unit_id, reason=text)
            if act.note and act.note.strip():
                await add_note(session, rt, ticket, act.note[:MAX_TEXT], actor, now=now)
        elif act.action == "resolve":
            await resolve_ticket(session, rt, ticket, actor, note=text or None, now=now)
        elif act.action == "reopen":
            await reopen_ticket(session, rt, ticket, actor, reason=text or None, now=now)
        elif act.action in ("merge", "split"):
            data.update(await _hand_correction(session, rt, ctx, ticket, act, actor, now))
        else:
            status = (act.status or "").strip()
            if status not in STAFF_SETTABLE:
                raise TicketError(f"the status must be one of {', '.join(STAFF_SETTABLE)}")
            await change_status(session, rt, ticket, TicketStatus(status), actor,
                                note=text or None, now=now)
            # When a unit starts work (a new, routed or forwarded ticket), the citizen
            # hears of it: an officer's reply tells them anyway, a bare status change
            # told nobody. The note stays internal: officers write it for each other.
            if (ticket.status == TicketStatus.IN_PROGRESS
                    and before_status in (TicketStatus.NEW, TicketStatus.ROUTED)):
                await tell_work_started(session, rt, ticket)
        data.update(from_status=before_status, to_status=ticket.status, from_unit_id=before_unit,
                    unit_id=ticket.unit_id)
        await audit(repos, ctx, AUDIT_NAMES[act.action], target_type="ticket",
                    target_id=ticket.number, data=data, ip=ip)
    rt.notify("ticket_updated", {"number": ticket.number, "unit_id": ticket.unit_id,
                                 "unit_ids": sorted({before_unit, ticket.unit_id}),
                                 "action": act.action})
    return ActionOutcome(ticket=ticket,
                         still_visible=can_see(ticket, visible_unit_ids(ctx.user, rt.catalog)))


async def _hand_correction(session: AsyncSession, rt: Runtime, ctx: StaffContext,
                           ticket: Ticket, act: TicketAction, actor: Actor,
                           now: datetime) -> dict[str, Any]:
    """"Saya juga" by hand: merge into another ticket the user sees, or split a joiner off."""
    if act.action == "split":
        if act.joiner_id is None:
            raise TicketError("choose the citizen to split off")
        new = await split_joiner(session, rt, ticket, act.joiner_id, actor, now=now)
        rt.notify("ticket", {"number": new.number, "unit_id": new.unit_id})
        return {"joiner_id": act.joiner_id, "new_ticket": new.number}
    number = (act.target or "").strip().upper()
    if not number:
        raise TicketError("give the number of the ticket to merge into")
    try:
        target = await load_visible_ticket(rt.repositories(session), ctx.user, rt.catalog,
                                           number)
    except HTTPException as exc:
        # The same words for a missing ticket and one of another unit.
        raise TicketError(f"no open ticket {number} in your units") from exc
    moved = await merge_tickets(session, rt, ticket, target, actor, now=now)
    return {"target": target.number, "citizens": moved}


# --------------------------------------------------------------------------- views

@dataclass(frozen=True)
class ConversationLine:
    """One message of the citizen's conversation as staff see it."""

    message: Message | None  # None when it belongs to a ticket the viewer may not see
    created_at: datetime
    this_ticket: bool
    staff_name: str | None = None


@dataclass(frozen=True)
class JoinerLine:
    """A citizen who joined the ticket ("saya juga" or a merge), as staff see them."""

    id: int
    citizen_id: int
    citizen_name: str | None
    channel: str
    joined_at: datetime
    comment: str
    source: str
    merged_from: str | None = None
    location: str | None = None


@dataclass
class TicketView:
    """Everything the ticket page and ``GET /api/tickets/{number}`` show."""

    ticket: Ticket
    citizen_name: str | None
    citizen_channels: list[str]
    confidential: bool
    conversation: list[ConversationLine]
    events: Sequence[TicketEvent]
    attachments: list[dict[str, Any]] = field(default_factory=list)
    actor_names: dict[str, str] = field(default_factory=dict)
    joiners: list[JoinerLine] = field(default_factory=list)
    # A ticket closed by a merge: the ticket it was merged into.
    merged_into: str | None = None


async def ticket_view(session: AsyncSession, rt: Runtime, ctx: StaffContext,
                      number: str) -> TicketView:
    """The ticket with the citizen's whole conversation across channels (404 if not visible).

    Messages tied to another ticket the viewer may not see are kept in place
    but blanked, so no unit reads another unit's case. For a confidential
    ticket only admins see who the citizen is, and only the ticket's own
    messages are shown.
    """
    user = ctx.user
    repos = rt.repositories(session)
    ticket = await load_visible_ticket(repos, user, rt.catalog, number)
    units = visible_unit_ids(user, rt.catalog)
    hide_identity = ticket.confidential and user.role != "admin"
    messages_repo = repos.messages
    if hide_identity:
        messages: Sequence[Message] = await messages_repo.for_ticket(ticket.id)
    else:
        messages = await messages_repo.for_citizen(ticket.citizen_id, limit=300)
    other_ids = sorted({m.ticket_id for m in messages
                        if m.ticket_id is not None and m.ticket_id != ticket.id})
    allowed = await repos.inbox.visible_ids(other_ids, units)
    staff_ids = sorted({m.staff_user_id for m in messages if m.staff_user_id is not None})
    events = await repos.tickets.events(ticket.id)
    staff_ids = sorted(set(staff_ids) | {int(e.actor_id) for e in events
                                         if e.actor_type == "staff" and e.actor_id
                                         and e.actor_id.isdigit()})
    names = await _staff_names(repos.staff, staff_ids)
    lines: list[ConversationLine] = []
    attachments: list[dict[str, Any]] = []
    for m in messages:
        visible = m.ticket_id is None or m.ticket_id == ticket.id or m.ticket_id in allowed
        lines.append(ConversationLine(
            message=m if visible else None, created_at=m.created_at,
            this_ticket=m.ticket_id == ticket.id,
            staff_name=names.get(m.staff_user_id) if m.staff_user_id else None))
        if visible:
            for att in (m.content or {}).get("attachments") or []:
                attachments.append({**att, "message_id": m.id, "channel": m.channel})
    citizen_name: str | None = None
    channels: list[str] = []
    if not hide_identity:
        citizens = repos.citizens
        citizen = await citizens.get(ticket.citizen_id)
        citizen_name = citizen.display_name if citizen else None
        channels = await citizens.channels(ticket.citizen_id)
    merged_into = (await repos.tickets.get(ticket.merged_into_id)
                   if ticket.merged_into_id is not None else None)
    return TicketView(ticket=ticket, citizen_name=citizen_name, citizen_channels=channels,
                      confidential=hide_identity, conversation=lines, events=events,
                      attachments=attachments,
                      actor_names={str(k): v for k, v in names.items()},
                      joiners=await joiner_lines(repos, ticket.id),
                      merged_into=merged_into.number if merged_into else None)


async def joiner_lines(repos: Repositories, ticket_id: int) -> list[JoinerLine]:
    """The ticket's joiners with their names, in the order they joined."""
    lines: list[JoinerLine] = []
    for j in await repos.joiners.for_ticket(ticket_id):
        citizen = await repos.citizens.get(j.citizen_id)
        merged_from = (await repos.tickets.get(j.merged_from_id)
                       if j.merged_from_id is not None else None)
        place = ", ".join(p for p in (j.location_text, j.region_name) if p) or None
        lines.append(JoinerLine(
            id=j.id, citizen_id=j.citizen_id,
            citizen_name=citizen.display_name if citizen else None, channel=j.channel,
            joined_at=j.joined_at, comment=j.comment, source=j.source,
            merged_from=merged_from.number if merged_from else None, location=place))
    return lines


async def _staff_names(staff: StaffRepositoryPort, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for uid in ids:
        user = await staff.get(uid)
        if user is not None:
            out[uid] = user.display_name or user.username
    return out


def ticket_summary(ticket: Ticket, rt: Runtime, now: datetime | None = None,
                   joiners: int = 0) -> dict[str, Any]:
    """A ticket as listed (API and inbox rows); ``joiners``: citizens who joined it."""
    now = now or utcnow()
    unit = rt.catalog.unit(ticket.unit_id) if rt.catalog.has_unit(ticket.unit_id) else None
    return {
        "number": ticket.number,
        "kind": ticket.kind,
        "status": ticket.status,
        "category": ticket.category,
        "channel": ticket.channel,
        "unit_id": ticket.unit_id,
        "unit_name": unit.name if unit else ticket.unit_id,
        "region_code": ticket.region_code,
        "region_name": ticket.region_name,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "due_at": iso(ticket.due_at),
        "overdue": is_overdue(ticket, now),
        "escalated": ticket.escalated,
        "escalated_to_unit_id": ticket.escalated_to_unit_id,
        "confidential": ticket.confidential,
        "description": ticket.description,
        "service_code": ticket.service_code,
        "excluded_unit_id": ticket.excluded_unit_id,
        "joiners": joiners,
    }


def iso(value: datetime | None) -> str | None:
    """A stored time in ISO 8601 with its UTC offset (stored times read back aware UTC)."""
    return value.isoformat() if value is not None else None


def is_overdue(ticket: Ticket, now: datetime | None = None) -> bool:
    """Whether an open ticket is past its due time."""
    if ticket.due_at is None or ticket.status in DONE:
        return False
    return ticket.due_at < (now or utcnow())
