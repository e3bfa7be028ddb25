"""Named locks that serialise check-then-write steps (sign-in attempts, starting a training
job, making a model version live, seeding the training data).

Two layers, because either alone is not enough:

- :func:`process_lock`: an ``asyncio.Lock`` per name and event loop, for the tasks of this
  process (on SQLite it is the only lock: SQLite runs one writer at a time anyway).
- :func:`xact_lock`: on PostgreSQL, a transaction-scoped advisory lock, for the other
  processes; released when the session's transaction ends. Nothing on SQLite.

:func:`locked_transaction` takes both, in that order, around a new transaction.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import BigInteger, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

# Fixed advisory-lock keys of the NLU administration (kept as they were, so processes of
# an older release still exclude each other during a rolling restart).
NLU_LIVE_KEY = 7415001
NLU_SEED_KEY = 7415002

_PROCESS_LOCKS: weakref.WeakValueDictionary[tuple[int, str], asyncio.Lock] = (
    weakref.WeakValueDictionary())

_BY_NAME = text("SELECT pg_advisory_xact_lock(hashtext(:name))")
_BY_KEY = text("SELECT pg_advisory_xact_lock(:key)").bindparams(bindparam("key", type_=BigInteger))


def process_lock(name: str) -> asyncio.Lock:
    """This process's lock for ``name`` (one per event loop, forgotten when nobody holds or
    waits for it). Serialises check-then-write steps within the process; combine it with
    :func:`xact_lock` for other processes on PostgreSQL."""
    key = (id(asyncio.get_running_loop()), name)
    lock = _PROCESS_LOCKS.get(key)
    if lock is None:
        lock = asyncio.Lock()
        _PROCESS_LOCKS[key] = lock
    return lock


def is_postgres(session: AsyncSession) -> bool:
    """Whether ``session`` talks to PostgreSQL (the only database with advisory locks)."""
    return session.bind is not None and session.bind.dialect.name == "postgresql"


async def xact_lock(session: AsyncSession, key: str | int) -> None:
    """On PostgreSQL, wait for and take the advisory lock ``key`` until the session's
    transaction ends (other processes taking it wait); nothing on SQLite.

    A string is hashed by the database (``hashtext``); an integer is the lock key itself.
    """
    if not is_postgres(session):
        return
    if isinstance(key, str):
        await session.execute(_BY_NAME, {"name": key})
    else:
        await session.execute(_BY_KEY, {"key": key})


@asynccontextmanager
async def locked_transaction(sessions: Callable[[], AsyncSession], name: str, *,
                             key: str | int | None = None) -> AsyncIterator[AsyncSession]:
    """A new session in a transaction, holding :func:`process_lock` ``name`` and then (on
    PostgreSQL) :func:`xact_lock` ``key`` (default: ``name``) until it ends.

    The transaction commits when the block ends normally and rolls back when it raises.
    The process lock is taken before a connection is, so tasks waiting for it do not
    hold pooled connections.
    """
    async with process_lock(name), sessions() as session, session.begin():
        await xact_lock(session, name if key is None else key)
        yield session
