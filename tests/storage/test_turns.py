"""The turn lock: on PostgreSQL a second turn of the same citizen waits for the first
to commit and then reads what it wrote; other citizens are not held up."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.core.runtime import Runtime
from storage.models import utcnow
from storage.repositories.turns import TurnRepository


async def _new_citizen(rt: Runtime, sender: str) -> int:
    async with rt.sessions() as session, session.begin():
        turns = TurnRepository(session)
        await turns.lock_sender("rest", sender)
        created = await turns.create("rest", sender, reply_address=sender, display_name=None,
                                     language=None, extra=None, seen_at=utcnow())
        return created.citizen.id


async def test_a_second_turn_waits_and_reads_the_first_ones_writes(
    make_runtime: Any, db_url: str
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer (and one server process): no turn lock")
    rt: Runtime = await make_runtime(db_url)
    citizen_id = await _new_citizen(rt, "warga-kunci")
    await _new_citizen(rt, "warga-lain")
    first_locked = asyncio.Event()
    locked: list[int | None] = []
    release_first = asyncio.Event()

    async def first_turn() -> None:
        async with rt.sessions() as session, session.begin():
            turns = TurnRepository(session)
            locked.append(await turns.lock_sender("rest", "warga-kunci"))
            loaded = await turns.load("rest", "warga-kunci")
            assert loaded is not None
            loaded.citizen.display_name = "ditulis giliran pertama"
            first_locked.set()
            await release_first.wait()

    async def second_turn() -> str | None:
        async with rt.sessions() as session, session.begin():
            turns = TurnRepository(session)
            await turns.lock_sender("rest", "warga-kunci")
            loaded = await turns.load("rest", "warga-kunci")
            assert loaded is not None
            return loaded.citizen.display_name

    async def other_citizen() -> bool:
        async with rt.sessions() as session, session.begin():
            turns = TurnRepository(session)
            await turns.lock_sender("rest", "warga-lain")
            return await turns.load("rest", "warga-lain") is not None

    first = asyncio.create_task(first_turn())
    await asyncio.wait_for(first_locked.wait(), 10)
    assert locked == [citizen_id]
    second = asyncio.create_task(second_turn())
    await asyncio.sleep(0.5)
    assert not second.done()  # waiting for the first turn's lock
    assert await asyncio.wait_for(other_citizen(), 5)  # another citizen is not held up
    release_first.set()
    await first
    assert await asyncio.wait_for(second, 5) == "ditulis giliran pertama"
