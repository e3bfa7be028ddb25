"""Repository queries the services use (outbox claims, surveys, reports, tickets), on SQLite
and PostgreSQL: each method's whole result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.core.runtime import Runtime
from storage.models import Survey, SurveyResponse, Ticket
from storage.repositories.citizens import CitizenRepository, ConversationRepository
from storage.repositories.messages import MessageRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.surveys import SurveyRepository
from storage.repositories.tickets import TicketRepository

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
UNIT_A = "dinas-pupr-batu"
UNIT_B = "dinkes-batu"


async def _citizen(rt: Runtime, external_id: str, channel: str = "rest") -> int:
    async with rt.sessions() as s, s.begin():
        citizen, _ = await CitizenRepository(s).identify(channel, external_id,
                                                         reply_address=external_id)
        return citizen.id


async def _outbox_rows(rt: Runtime) -> list[tuple[int, str, datetime]]:
    async with rt.sessions() as s:
        repo = OutboxRepository(s)
        rows = [await repo.get(i) for i in range(1, 4)]
        return [(r.id, r.status, r.updated_at) for r in rows if r is not None]


async def test_outbox_claim_release_and_requeue(runtime: Runtime) -> None:
    async with runtime.sessions() as s, s.begin():
        repo = OutboxRepository(s)
        tg = await repo.enqueue(channel="telegram", recipient_id="1", payload={"text": "a"})
        wa = await repo.enqueue(channel="whatsapp", recipient_id="2", payload={"text": "b"})
        created = wa.updated_at
    assert (tg.id, wa.id) == (1, 2)
    async with runtime.sessions() as s, s.begin():
        repo = OutboxRepository(s)
        # Only a pending row on a channel the caller can send on is taken, and only once.
        assert await repo.claim(tg.id, {"telegram": None}, T0) is True
        assert await repo.claim(tg.id, ["telegram"], T0) is False
        assert await repo.claim(wa.id, ["telegram"], T0) is False
        assert await repo.claim(99, ["telegram", "whatsapp"], T0) is False
    assert await _outbox_rows(runtime) == [(1, "sending", T0), (2, "pending", created)]

    later = T0 + timedelta(minutes=1)
    async with runtime.sessions() as s, s.begin():
        repo = OutboxRepository(s)
        assert await repo.release(tg.id, later) is True
        assert await repo.release(tg.id, later) is False  # no longer 'sending'
        assert await repo.release(wa.id, later) is False  # never claimed
    assert await _outbox_rows(runtime) == [(1, "pending", later), (2, "pending", created)]

    async with runtime.sessions() as s, s.begin():
        repo = OutboxRepository(s)
        assert await repo.claim(tg.id, ["telegram"], T0) is True
        assert await repo.claim(wa.id, ["whatsapp"], T0 + timedelta(minutes=10)) is True
    recovered_at = T0 + timedelta(hours=1)
    async with runtime.sessions() as s, s.begin():
        repo = OutboxRepository(s)
        # Claimed at the cutoff is not older than it: stays in flight.
        assert await repo.requeue_stuck(T0, recovered_at) == 0
        assert await repo.requeue_stuck(T0 + timedelta(minutes=5), recovered_at) == 1
    assert await _outbox_rows(runtime) == [
        (1, "pending", recovered_at), (2, "sending", T0 + timedelta(minutes=10))]


async def test_survey_lookups(runtime: Runtime) -> None:
    budi = await _citizen(runtime, "budi")
    sari = await _citizen(runtime, "sari")
    async with runtime.sessions() as s, s.begin():
        conv = await ConversationRepository(s).start(budi, "rest", {})
        conv_id = conv.id
        ticket = await TicketRepository(s).add(Ticket(
            number="PTU-2026-000001", kind="complaint", citizen_id=budi, channel="rest",
            description="jalan rusak", category="infrastructure", unit_id=UNIT_A,
            conversation_id=conv_id, status="routed"))
        ticket_id = ticket.id
        repo = SurveyRepository(s)

        def survey(citizen: int, status: str, *, created: datetime,
                   completed: datetime | None = None, **extra: int) -> Survey:
            return Survey(citizen_id=citizen, channel="rest", trigger="ticket_resolved",
                          elements=["u1"], status=status, created_at=created,
                          expires_at=created + timedelta(hours=24), completed_at=completed,
                          **extra)

        pending = await repo.add(survey(budi, "pending", created=T0, ticket_id=ticket_id))
        declined = await repo.add(survey(budi, "declined", created=T0 - timedelta(days=3)))
        answered = await repo.add(survey(budi, "answered", created=T0 - timedelta(days=9),
                                         completed=T0 - timedelta(days=8),
                                         conversation_id=conv_id))
        await repo.add(survey(budi, "expired", created=T0 - timedelta(days=1)))
        await repo.add(survey(sari, "pending", created=T0 - timedelta(days=2)))
        ids = (pending.id, declined.id, answered.id)

    async with runtime.sessions() as s:
        repo = SurveyRepository(s)
        got = await repo.get(ids[0])
        assert got is not None and (got.id, got.status, got.ticket_id) == (
            ids[0], "pending", ticket_id)
        assert await repo.get(999) is None
        assert await repo.has_pending(budi, T0 + timedelta(hours=23)) is True
        assert await repo.has_pending(budi, T0 + timedelta(hours=24)) is False
        assert await repo.has_pending(sari, T0) is False  # sari's expired a day ago
        # The latest of completed (or created) over answered and declined surveys.
        assert await repo.last_answered_at(budi) == T0 - timedelta(days=3)
        assert await repo.last_answered_at(sari) is None
        assert await repo.exists_for_ticket(ticket_id) is True
        assert await repo.exists_for_ticket(ticket_id + 1) is False
        assert await repo.exists_for_conversation(conv_id) is True
        assert await repo.exists_for_conversation(conv_id + 1) is False
        expired = await repo.expired_pending(T0 + timedelta(hours=24))
        assert sorted((x.citizen_id, x.status) for x in expired) == [
            (budi, "pending"), (sari, "pending")]
        assert [x.citizen_id for x in await repo.expired_pending(T0)] == [sari]


async def _answer(rt: Runtime, citizen: int, survey_id: int, rows: list[tuple[str, str | None,
                  str, int, datetime]]) -> None:
    async with rt.sessions() as s, s.begin():
        repo = SurveyRepository(s)
        for element, unit, channel, score, at in rows:
            await repo.add_response(SurveyResponse(
                survey_id=survey_id, citizen_id=citizen, unit_id=unit, channel=channel,
                element=element, score=score, created_at=at))


async def test_survey_responses_and_report_filters(runtime: Runtime) -> None:
    budi = await _citizen(runtime, "budi")
    async with runtime.sessions() as s, s.begin():
        repo = SurveyRepository(s)
        one = await repo.add(Survey(citizen_id=budi, channel="rest", trigger="info_answered",
                                    elements=["u1", "u2"], status="answered", created_at=T0,
                                    expires_at=T0 + timedelta(days=1)))
        two = await repo.add(Survey(citizen_id=budi, channel="whatsapp", trigger="info_answered",
                                    elements=["u1"], status="answered", created_at=T0,
                                    expires_at=T0 + timedelta(days=1)))
        one_id, two_id = one.id, two.id
    day = timedelta(days=1)
    await _answer(runtime, budi, one_id, [("u1", UNIT_A, "rest", 4, T0),
                                          ("u2", UNIT_A, "rest", 3, T0 + day)])
    await _answer(runtime, budi, two_id, [("u1", UNIT_B, "whatsapp", 2, T0 + 2 * day)])

    def key(rows: Sequence[SurveyResponse]) -> list[tuple[int, str, str | None, str, int]]:
        return [(r.survey_id, r.element, r.unit_id, r.channel, r.score) for r in rows]

    a1, a2, b1 = (one_id, "u1", UNIT_A, "rest", 4), (one_id, "u2", UNIT_A, "rest", 3), \
        (two_id, "u1", UNIT_B, "whatsapp", 2)
    async with runtime.sessions() as s:
        repo = SurveyRepository(s)
        assert sorted(key(await repo.responses(one_id))) == [a1, a2]
        assert key(await repo.responses(two_id)) == [b1]
        assert key(await repo.responses(999)) == []
        assert key(await repo.responses_for_report()) == [a1, a2, b1]
        assert key(await repo.responses_for_report(unit_ids=(UNIT_B,))) == [b1]
        assert key(await repo.responses_for_report(unit_ids=())) == []
        assert key(await repo.responses_for_report(since=T0 + day)) == [a2, b1]
        assert key(await repo.responses_for_report(until=T0 + day)) == [a1]
        assert key(await repo.responses_for_report(since=T0, until=T0 + 2 * day,
                                                   channel="rest")) == [a1, a2]
        # An empty channel is no filter.
        assert key(await repo.responses_for_report(channel="")) == [a1, a2, b1]


async def test_ticket_queries(runtime: Runtime) -> None:
    budi = await _citizen(runtime, "budi")
    async with runtime.sessions() as s, s.begin():
        conversations = ConversationRepository(s)
        open_conv = (await conversations.start(budi, "rest", {})).id
        done_conv = (await conversations.start(budi, "rest", {})).id
        repo = TicketRepository(s)

        async def ticket(n: int, status: str, conv: int | None,
                         resolved: datetime | None = None) -> int:
            row = await repo.add(Ticket(
                number=f"PTU-2026-{n:06d}", kind="complaint", citizen_id=budi, channel="rest",
                description="x", category="infrastructure", unit_id=UNIT_A, status=status,
                conversation_id=conv, resolved_at=resolved))
            return row.id

        await ticket(1, "waiting_citizen", open_conv)
        await ticket(2, "resolved", done_conv, T0 - timedelta(days=10))
        await ticket(3, "resolved", None, T0 - timedelta(days=8))
        await ticket(4, "resolved", None, T0)
        await ticket(5, "closed", None, T0 - timedelta(days=30))
    async with runtime.sessions() as s:
        repo = TicketRepository(s)
        assert await repo.has_open_for_conversation(open_conv) is True
        assert await repo.has_open_for_conversation(done_conv) is False
        assert await repo.has_open_for_conversation(done_conv + 1) is False
        before = await repo.resolved_before(T0 - timedelta(days=7))
        assert sorted(t.number for t in before) == ["PTU-2026-000002", "PTU-2026-000003"]
        assert [t.number for t in await repo.resolved_before(T0 - timedelta(days=9))] == [
            "PTU-2026-000002"]
        assert await repo.resolved_before(T0 - timedelta(days=30)) == []


async def test_citizen_channels_conversation_get_and_latest_bot_texts(runtime: Runtime) -> None:
    async with runtime.sessions() as s, s.begin():
        citizens = CitizenRepository(s)
        budi, _ = await citizens.identify("telegram", "42", reply_address="42")
        await citizens.identify("whatsapp", "6281", reply_address="6281")  # someone else
        other = budi.id
        # Sari also writes from web chat, a second REST id and telegram (merged identities).
        sari, _ = await citizens.identify("rest", "sari", reply_address="sari")
        for channel, external in (("webchat", "s-1"), ("rest", "sari-2"), ("telegram", "77")):
            identity = await citizens.identify(channel, external, reply_address=external)
            identity[1].citizen_id = sari.id
        await s.flush()
        conv = await ConversationRepository(s).start(sari.id, "rest", {"mode": "idle"})
        messages = MessageRepository(s)
        for direction, text in (("out", "a"), ("in", "b"), ("out", ""), ("out", "c"),
                                ("in", "d")):
            await messages.add(citizen_id=sari.id, direction=direction, channel="rest",
                               sender_type="bot" if direction == "out" else "citizen",
                               text=text)
        await messages.add(citizen_id=other, direction="out", channel="telegram",
                           sender_type="bot", text="elsewhere")
        sari_id, conv_id = sari.id, conv.id
    async with runtime.sessions() as s:
        citizens = CitizenRepository(s)
        assert await citizens.channels(sari_id) == ["rest", "telegram", "webchat"]
        assert await citizens.channels(other) == ["telegram"]
        assert await citizens.channels(999) == []
        got = await ConversationRepository(s).get(conv_id)
        assert got is not None and (got.id, got.citizen_id, got.state) == (
            conv_id, sari_id, {"mode": "idle"})
        assert await ConversationRepository(s).get(999) is None
        messages = MessageRepository(s)
        assert list(await messages.latest_bot_texts(sari_id, 2)) == ["c", ""]
        assert list(await messages.latest_bot_texts(sari_id, 10)) == ["c", "", "a"]
        assert list(await messages.latest_bot_texts(999, 2)) == []
