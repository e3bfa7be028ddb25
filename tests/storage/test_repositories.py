"""Repositories on SQLite and PostgreSQL: identities, ticket numbers, de-duplication."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.exc import IntegrityError

from bot.core.runtime import Runtime
from storage.repositories.citizens import CitizenRepository
from storage.repositories.messages import MessageRepository
from storage.repositories.tickets import TicketRepository, format_ticket_number


def test_ticket_number_format() -> None:
    assert format_ticket_number("PTU", 2026, 123) == "PTU-2026-000123"


async def test_identity_is_created_once_and_follows_the_last_channel(runtime: Runtime) -> None:
    async with runtime.sessions() as s, s.begin():
        repo = CitizenRepository(s)
        c1, i1 = await repo.identify("telegram", "42", reply_address="42", display_name="Budi")
        c2, i2 = await repo.identify("telegram", "42", reply_address="42")
        assert (c1.id, i1.id) == (c2.id, i2.id)
        assert c2.display_name == "Budi"
        last = await repo.last_identity(c1.id)
        assert last is not None and last.channel == "telegram"


async def test_ticket_numbers_are_sequential_per_year_even_when_concurrent(
    runtime: Runtime,
) -> None:
    async def one() -> str:
        async with runtime.sessions() as s, s.begin():
            return await TicketRepository(s).next_number("PTU", 2026)

    first = await one()
    # SQLite serialises writers; PostgreSQL really runs these at once.
    rest = await asyncio.gather(*(one() for _ in range(8)))
    numbers = sorted([first, *rest])
    assert numbers == [format_ticket_number("PTU", 2026, n) for n in range(1, 10)]
    async with runtime.sessions() as s, s.begin():
        assert await TicketRepository(s).next_number("PTU", 2027) == "PTU-2027-000001"


async def test_provider_message_id_is_unique_per_channel(runtime: Runtime) -> None:
    async with runtime.sessions() as s, s.begin():
        citizen, _ = await CitizenRepository(s).identify("whatsapp", "6281", reply_address="6281")
        cid = citizen.id
        msgs = MessageRepository(s)
        await msgs.add(
            citizen_id=cid,
            direction="in",
            channel="whatsapp",
            provider_message_id="wamid.1",
            sender_type="citizen",
            text="a",
        )
        # The same id on another channel is another message.
        await msgs.add(
            citizen_id=cid,
            direction="in",
            channel="telegram",
            provider_message_id="wamid.1",
            sender_type="citizen",
            text="b",
        )
    with pytest.raises(IntegrityError):
        async with runtime.sessions() as s, s.begin():
            await MessageRepository(s).add(
                citizen_id=cid,
                direction="in",
                channel="whatsapp",
                provider_message_id="wamid.1",
                sender_type="citizen",
                text="again",
            )
