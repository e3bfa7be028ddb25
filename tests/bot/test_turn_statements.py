"""What a citizen's turn costs in SQL statements (the hot path of issue 14).

Counted with SQLAlchemy's engine events, as the pipeline benchmark counts them in a
server; a change that adds a query to every message shows up here first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from bot.conversation.service import ConversationService, RawBody
from bot.core.runtime import Runtime
from channels.base import InboundMessage
from storage.models import InboundPayload, Message, OutboxMessage


@contextmanager
def statements(rt: Runtime) -> Iterator[list[str]]:
    """The first word of every statement run on the runtime's engine inside the block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(rt.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(rt.engine.sync_engine, "before_cursor_execute", record)


async def _payload(rt: Runtime) -> int:
    async with rt.sessions() as session, session.begin():
        row = await rt.repositories(session).payloads.add("rest", "{}", {})
        return row.id


async def test_a_turn_loads_in_one_query_and_writes_each_table_once(runtime: Runtime) -> None:
    service = ConversationService(runtime)
    postgres = runtime.engine.dialect.name == "postgresql"
    first = InboundMessage(channel="rest", sender_id="warga-hemat", text="halo",
                           provider_message_id="warga-hemat:1")
    payload_id = await _payload(runtime)
    with statements(runtime) as seen:
        await service.handle(first, inline=True, payload_id=payload_id)
    # New sender: (turn locks), one load finding nothing, citizen + identity, conversation,
    # message, state, replies (one statement), their outbox rows (one), the raw body's mark.
    locks = ["SELECT", "SELECT", "SELECT"] if postgres else []
    assert seen == [*locks, "SELECT", "INSERT", "INSERT", "INSERT", "INSERT", "UPDATE",
                    "INSERT", "INSERT", "UPDATE"]

    follow_up = InboundMessage(channel="rest", sender_id="warga-hemat",
                               text="jalan di depan SDN 2 Sisir berlubang besar",
                               provider_message_id="warga-hemat:2")
    payload_id = await _payload(runtime)
    with statements(runtime) as seen:
        result = await service.handle(follow_up, inline=True, payload_id=payload_id)
    # Known sender: (the citizen's turn lock), one load, last-seen, message, state,
    # replies, outbox rows, the raw body's mark.
    assert seen == [*locks[:1], "SELECT", "UPDATE", "INSERT", "UPDATE", "INSERT", "INSERT",
                    "UPDATE"]
    assert result.replies and not result.duplicate
    async with runtime.sessions() as s:
        stored = list((await s.execute(select(Message).order_by(Message.id))).scalars())
        queued = list((await s.execute(select(OutboxMessage))).scalars())
        marks = list((await s.execute(select(InboundPayload.status))).scalars())
    assert [m.direction for m in stored] == ["in", "out", "in", "out"]
    assert [m.reply_to_id for m in stored] == [None, stored[0].id, None, stored[2].id]
    assert sorted(q.message_id for q in queued) == [stored[1].id, stored[3].id]
    assert {q.status for q in queued} == {"sent"}
    assert marks == ["processed", "processed"]


async def test_a_redelivery_is_answered_from_the_original_and_marked(runtime: Runtime) -> None:
    service = ConversationService(runtime)
    msg = InboundMessage(channel="rest", sender_id="warga-ulang", text="halo",
                         provider_message_id="warga-ulang:1")
    first = await service.handle(msg, inline=True, payload_id=await _payload(runtime))
    again = await service.handle(msg, inline=True, payload_id=await _payload(runtime))
    assert again.duplicate and again.message_id == first.message_id
    assert [r.text for r in again.replies] == [r.text for r in first.replies]
    async with runtime.sessions() as s:
        marks = list((await s.execute(select(InboundPayload.status)
                                      .order_by(InboundPayload.id))).scalars())
        inbound = (await s.execute(select(Message).where(Message.direction == "in"))).all()
    assert marks == ["processed", "duplicate"]
    assert len(inbound) == 1


async def test_a_webhook_turn_keeps_its_raw_body_in_its_own_transaction(
        runtime: Runtime) -> None:
    service = ConversationService(runtime)
    postgres = runtime.engine.dialect.name == "postgresql"
    locks = ["SELECT"] if postgres else []
    first = InboundMessage(channel="rest", sender_id="warga-satu", text="halo",
                           provider_message_id="warga-satu:1")
    await service.handle(first, inline=True, raw=RawBody("rest", '{"message": "halo"}', {}))
    again = InboundMessage(channel="rest", sender_id="warga-satu",
                           text="jalan di depan SDN 2 Sisir berlubang besar",
                           provider_message_id="warga-satu:2")
    with statements(runtime) as seen:
        await service.handle(again, inline=True,
                             raw=RawBody("rest", '{"message": "jalan berlubang"}', {"a": "b"}))
    # One transaction: (lock), load, last-seen, message, state, replies, outbox rows, and
    # the raw body stored as processed; no separate transaction before it, no mark after.
    assert seen == [*locks, "SELECT", "UPDATE", "INSERT", "UPDATE", "INSERT", "INSERT",
                    "INSERT"]
    # A re-delivery: its body kept as a duplicate, the message stored once.
    await service.handle(again, inline=True,
                         raw=RawBody("rest", '{"message": "jalan berlubang"}', {"a": "b"}))
    async with runtime.sessions() as s:
        kept = [(p.body, p.headers, p.status, p.processed_at is not None) for p in (
            await s.execute(select(InboundPayload).order_by(InboundPayload.id))).scalars()]
        inbound = (await s.execute(select(Message.text).where(
            Message.direction == "in").order_by(Message.id))).scalars().all()
    assert kept == [('{"message": "halo"}', {}, "processed", True),
                    ('{"message": "jalan berlubang"}', {"a": "b"}, "processed", True),
                    ('{"message": "jalan berlubang"}', {"a": "b"}, "duplicate", True)]
    assert inbound == ["halo", "jalan di depan SDN 2 Sisir berlubang besar"]
