"""storage.locks: the process lock, PostgreSQL advisory locks, and locked transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.runtime import Runtime
from storage.db import create_engine, session_factory
from storage.locks import NLU_LIVE_KEY, locked_transaction, process_lock, xact_lock
from storage.repositories.nlu import TrainingExampleRepository
from tests.conftest import PG_URL, require_postgres

# How long a waiter is given to show it really waits (it must still be waiting after it).
WAIT = 0.3


@pytest.fixture
async def pg_engine() -> AsyncIterator[AsyncEngine]:
    """An engine on the PostgreSQL test database (advisory locks need no tables)."""
    require_postgres()
    engine = create_engine(PG_URL)
    yield engine
    await engine.dispose()


async def _free(engine: AsyncEngine, key: str | int) -> bool:
    """Whether another session could take ``key`` right now (it releases it at once)."""
    arg = "hashtext(:k)" if isinstance(key, str) else "CAST(:k AS bigint)"
    async with session_factory(engine)() as s, s.begin():
        got = (await s.execute(text(f"SELECT pg_try_advisory_xact_lock({arg})"),
                               {"k": key})).scalar_one()
    return bool(got)


async def test_process_lock_is_one_lock_per_name() -> None:
    a, b = process_lock("x"), process_lock("y")
    assert (process_lock("x") is a, a is b) == (True, False)


async def test_process_lock_serialises_tasks_of_one_process() -> None:
    events: list[str] = []

    async def one(tag: str) -> None:
        async with process_lock("serial"):
            events.append(f"{tag}-in")
            await asyncio.sleep(0.05)
            events.append(f"{tag}-out")

    await asyncio.gather(one("a"), one("b"))
    assert events == ["a-in", "a-out", "b-in", "b-out"]


@pytest.mark.postgres
@pytest.mark.parametrize("key", ["login:budi", NLU_LIVE_KEY])
async def test_a_held_advisory_lock_blocks_other_sessions_until_the_transaction_ends(
        pg_engine: AsyncEngine, key: str | int) -> None:
    sessions = session_factory(pg_engine)
    assert await _free(pg_engine, key) is True
    holder = sessions()
    await holder.begin()
    await xact_lock(holder, key)
    assert await _free(pg_engine, key) is False

    async def second() -> None:
        async with sessions() as s, s.begin():
            await xact_lock(s, key)

    waiter = asyncio.create_task(second())
    await asyncio.sleep(WAIT)
    assert waiter.done() is False  # it waits for the holder
    await holder.commit()  # the transaction ends: the lock goes with it
    await holder.close()
    await asyncio.wait_for(waiter, 10)
    assert await _free(pg_engine, key) is True  # and the waiter's ended with its transaction


@pytest.mark.postgres
async def test_an_integer_key_is_the_advisory_lock_key_itself(pg_engine: AsyncEngine) -> None:
    async with session_factory(pg_engine)() as s, s.begin():
        await xact_lock(s, NLU_LIVE_KEY)
        rows = (await s.execute(text(
            "SELECT classid, objid, objsubid, granted FROM pg_locks "
            "WHERE locktype = 'advisory' AND pid = pg_backend_pid()"))).all()
    # A bigint key is stored as (high 32 bits, low 32 bits, 1).
    assert [tuple(r) for r in rows] == [(0, NLU_LIVE_KEY, 1, True)]


@pytest.mark.postgres
async def test_locked_transaction_holds_the_advisory_lock_until_it_ends(
        pg_engine: AsyncEngine) -> None:
    sessions = session_factory(pg_engine)
    async with locked_transaction(sessions, "nlu-training") as s:
        assert isinstance(s, AsyncSession) and s.in_transaction()
        assert await _free(pg_engine, "nlu-training") is False
    assert await _free(pg_engine, "nlu-training") is True
    async with locked_transaction(sessions, "nlu-live-version", key=NLU_LIVE_KEY):
        assert (await _free(pg_engine, NLU_LIVE_KEY),
                await _free(pg_engine, "nlu-live-version")) == (False, True)
    assert await _free(pg_engine, NLU_LIVE_KEY) is True


async def test_locked_transaction_serialises_commits_and_rolls_back(runtime: Runtime) -> None:
    events: list[str] = []

    async def one(tag: str) -> None:
        async with locked_transaction(runtime.sessions, "seed") as s:
            events.append(f"{tag}-in")
            if not await TrainingExampleRepository(s).seeding_recorded():
                await asyncio.sleep(0.05)  # a check-then-write: the other waits
                await TrainingExampleRepository(s).record_seeding(1)
            events.append(f"{tag}-out")

    await asyncio.gather(one("a"), one("b"))
    assert events == ["a-in", "a-out", "b-in", "b-out"]

    with pytest.raises(RuntimeError, match="boom"):
        async with locked_transaction(runtime.sessions, "seed") as s:
            await TrainingExampleRepository(s).record_seeding(2)
            raise RuntimeError("boom")
    async with runtime.sessions() as s:
        rows = (await s.execute(text(
            "SELECT action, target_type FROM audit_log ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [("nlu_examples_seeded", "training_examples")]
