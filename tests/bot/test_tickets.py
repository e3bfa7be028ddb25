"""The ticket lifecycle on SQLite and PostgreSQL: statuses, forward, notes, resolve,
reopen window, closing, and escalation of overdue tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.runtime import Runtime
from bot.tickets.lifecycle import (
    SYSTEM,
    Actor,
    TicketError,
    add_note,
    change_status,
    close_expired_resolved,
    escalate_overdue,
    forward_ticket,
    reopen_ticket,
    reply_to_citizen,
    resolve_ticket,
)
from storage.models import Message, NluReviewItem, OutboxMessage, Ticket, TicketEvent, utcnow
from tests.staff_support import UNIT_A, UNIT_B, new_ticket

OFFICER = Actor.staff(1)


async def _load(rt: Runtime, number: str) -> Ticket:
    async with rt.sessions() as s:
        return (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()


async def _events(rt: Runtime, ticket_id: int) -> list[TicketEvent]:
    async with rt.sessions() as s:
        return list((await s.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
                                     .order_by(TicketEvent.id))).scalars())


async def _citizen_messages(rt: Runtime, ticket_id: int) -> list[str]:
    async with rt.sessions() as s:
        rows = await s.execute(select(Message.text).where(Message.ticket_id == ticket_id,
                                                          Message.direction == "out")
                               .order_by(Message.id))
        return list(rows.scalars())


async def test_full_lifecycle_with_reopen_and_close(runtime: Runtime) -> None:
    rt = runtime
    resolved_hook: list[str] = []

    async def hook(_session: object, ticket: Ticket) -> None:
        resolved_hook.append(ticket.number)

    rt.hooks.on_ticket_resolved.append(hook)
    ticket = await new_ticket(rt, UNIT_A, sender="w-life")
    assert ticket.status == "routed" and ticket.due_at is not None
    async with rt.sessions() as s, s.begin():
        t = await s.get(Ticket, ticket.id)
        assert t is not None
        await reply_to_citizen(s, rt, t, "Kami cek ke lokasi besok.", OFFICER, staff_user_id=None)
        assert t.status == "in_progress"
        await change_status(s, rt, t, "waiting_citizen", OFFICER)
        await change_status(s, rt, t, "in_progress", Actor("citizen", "1"))
        await add_note(s, rt, t, "Tim lapangan sudah dijadwalkan.", OFFICER)
        await resolve_ticket(s, rt, t, OFFICER, note="Jalan sudah ditambal.")
    t = await _load(rt, ticket.number)
    assert t.status == "resolved" and t.resolved_at is not None
    assert resolved_hook == [ticket.number]
    texts = await _citizen_messages(rt, ticket.id)
    assert any("Kami cek ke lokasi besok." in x for x in texts)
    assert any("Jalan sudah ditambal." in x and ticket.number in x for x in texts)
    # No note ever reaches the citizen.
    assert not any("Tim lapangan" in x for x in texts)

    # Reopen inside the window: back in progress with a fresh due time.
    later = utcnow() + timedelta(days=1)
    async with rt.sessions() as s, s.begin():
        t2 = await s.get(Ticket, ticket.id)
        assert t2 is not None
        await reopen_ticket(s, rt, t2, OFFICER, reason="warga: masih berlubang", now=later)
        assert t2.status == "in_progress" and t2.resolved_at is None
        assert t2.due_at is not None and t2.due_at > later
        await resolve_ticket(s, rt, t2, OFFICER, now=later)

    # After the window: no reopen, and the sweep closes it.
    too_late = later + timedelta(days=rt.settings.tickets.reopen_days, hours=1)
    with pytest.raises(TicketError, match="window"):
        async with rt.sessions() as s, s.begin():
            t3 = await s.get(Ticket, ticket.id)
            assert t3 is not None
            await reopen_ticket(s, rt, t3, OFFICER, now=too_late)
    async with rt.sessions() as s, s.begin():
        assert await close_expired_resolved(s, rt, now=too_late) == 1
        assert await close_expired_resolved(s, rt, now=too_late) == 0
    closed = await _load(rt, ticket.number)
    assert closed.status == "closed" and closed.closed_at is not None
    kinds = [(e.kind, e.to_status) for e in await _events(rt, ticket.id)]
    assert kinds[:2] == [("created", "new"), ("routed", "routed")]
    assert ("noted", None) in kinds and ("replied", None) in kinds
    assert kinds[-1] == ("status_changed", "closed")
    # A closed ticket takes no more replies, forwards or reopen.
    async with rt.sessions() as s, s.begin():
        t4 = await s.get(Ticket, ticket.id)
        assert t4 is not None
        for action in (reply_to_citizen(s, rt, t4, "halo", OFFICER),
                       forward_ticket(s, rt, t4, UNIT_B, "salah unit", OFFICER),
                       reopen_ticket(s, rt, t4, OFFICER)):
            with pytest.raises(TicketError):
                await action


async def test_invalid_transitions_and_empty_texts_change_nothing(runtime: Runtime) -> None:
    rt = runtime
    ticket = await new_ticket(rt, UNIT_A, sender="w-bad")
    before = len(await _events(rt, ticket.id))
    for bad in ("closed->routed", "note", "reply", "reopen-open"):
        with pytest.raises(TicketError):
            async with rt.sessions() as s, s.begin():
                t = await s.get(Ticket, ticket.id)
                assert t is not None
                if bad == "note":
                    await add_note(s, rt, t, "   ", OFFICER)
                elif bad == "reply":
                    await reply_to_citizen(s, rt, t, "\n ", OFFICER)
                elif bad == "reopen-open":
                    await reopen_ticket(s, rt, t, OFFICER)
                else:
                    await change_status(s, rt, t, "closed", OFFICER)
                    await change_status(s, rt, t, "routed", OFFICER)
    t = await _load(rt, ticket.number)
    assert t.status == "routed"
    assert len(await _events(rt, ticket.id)) == before


async def test_forward_keeps_history_tells_citizen_and_feeds_review_queue(runtime: Runtime) -> None:
    rt = runtime
    ticket = await new_ticket(rt, UNIT_A, sender="w-fwd", text="puskesmas tutup saat jam buka")
    async with rt.sessions() as s, s.begin():
        t = await s.get(Ticket, ticket.id)
        assert t is not None
        await reply_to_citizen(s, rt, t, "Sedang kami pelajari.", OFFICER)
        t.escalated, t.escalated_to_unit_id = True, "setda-batu"
        await forward_ticket(s, rt, t, UNIT_B, "urusan layanan kesehatan", OFFICER)
    t = await _load(rt, ticket.number)
    assert t.unit_id == UNIT_B and t.status == "routed"
    assert t.category == "health"  # the new unit owns exactly one category
    assert not t.escalated and t.escalated_to_unit_id is None
    assert t.routing_rule == "manual-forward"
    events = await _events(rt, ticket.id)
    fwd = next(e for e in events if e.kind == "forwarded")
    assert (fwd.from_unit_id, fwd.to_unit_id, fwd.note) == (UNIT_A, UNIT_B,
                                                            "urusan layanan kesehatan")
    assert fwd.actor_type == "staff" and fwd.actor_id == "1"
    texts = await _citizen_messages(rt, ticket.id)
    unit_b = rt.catalog.unit(UNIT_B)
    assert any(unit_b.name in x and "urusan layanan kesehatan" in x for x in texts)
    async with rt.sessions() as s:
        review = (await s.execute(select(NluReviewItem).where(
            NluReviewItem.ticket_id == ticket.id))).scalar_one()
        held = (await s.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient_id == "w-fwd", OutboxMessage.status == "held"))).scalar_one()
    assert (review.reason, review.predicted_category, review.suggested_category) == (
        "forwarded", "infrastructure", "health")
    assert held == 2  # the reply and the forward notice wait for the REST citizen


async def test_forward_refuses_bad_input_without_changes(runtime: Runtime) -> None:
    rt = runtime
    ticket = await new_ticket(rt, UNIT_A, sender="w-fwd-bad")
    cases = [(UNIT_B, "  "), ("no-such-unit", "alasan"), (UNIT_A, "sudah di sini")]
    for unit_id, reason in cases:
        with pytest.raises(TicketError):
            async with rt.sessions() as s, s.begin():
                t = await s.get(Ticket, ticket.id)
                assert t is not None
                await forward_ticket(s, rt, t, unit_id, reason, OFFICER)
    t = await _load(rt, ticket.number)
    assert t.unit_id == UNIT_A
    assert [e.kind for e in await _events(rt, ticket.id)] == ["created", "routed"]
    assert await _citizen_messages(rt, ticket.id) == []


async def test_overdue_tickets_escalate_to_the_parent_once(runtime: Runtime) -> None:
    rt = runtime
    late = await new_ticket(rt, UNIT_A, sender="w-late")
    fresh = await new_ticket(rt, UNIT_B, sender="w-fresh")
    assert late.due_at is not None
    after_due = late.due_at + timedelta(hours=1)
    async with rt.sessions() as s, s.begin():
        f = await s.get(Ticket, fresh.id)
        assert f is not None
        f.due_at = after_due + timedelta(days=3)
    async with rt.sessions() as s, s.begin():
        assert await escalate_overdue(s, rt, now=after_due) == 1
    async with rt.sessions() as s, s.begin():
        assert await escalate_overdue(s, rt, now=after_due) == 0
    t = await _load(rt, late.number)
    assert t.escalated and t.escalated_to_unit_id == "setda-batu"
    assert t.unit_id == UNIT_A  # the unit keeps the ticket; the parent watches it
    esc = [e for e in await _events(rt, late.id) if e.kind == "escalated"]
    assert len(esc) == 1 and esc[0].to_unit_id == "setda-batu"
    assert not (await _load(rt, fresh.number)).escalated


async def test_reply_can_wait_for_the_citizen(runtime: Runtime) -> None:
    rt = runtime
    ticket = await new_ticket(rt, UNIT_A, sender="w-wait")
    async with rt.sessions() as s, s.begin():
        t = await s.get(Ticket, ticket.id)
        assert t is not None
        await reply_to_citizen(s, rt, t, "Mohon kirim foto lokasinya.", SYSTEM,
                               wait_for_citizen=True)
    assert (await _load(rt, ticket.number)).status == "waiting_citizen"
