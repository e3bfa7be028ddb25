"""SQLite for the async engine, with the message pipeline's statements run in the event loop.

aiosqlite runs every call on a thread of its own: SQLAlchemy's adapter makes three
to four such hand-offs per statement (cursor, execute, fetch, close), each costing
far more CPU than the statement itself (measured: ~0.4 ms per statement through an
``AsyncSession`` against ~0.06 ms for the same statement in a synchronous session).
A message runs about ten statements, so the hand-offs were the larger part of a
message's cost.

:class:`PipelineConnection` is aiosqlite's connection with one change: inside
:func:`inline_statements` (the conversation turn, the webhook intake, the outbox
worker: short statements on indexed rows) a call runs directly in the event loop;
everywhere else (consoles, reports, exports, whose queries may scan) it goes to
the connection's thread as before. A COMMIT always goes to the thread, because its
``fsync`` waits on the disk, and the loop serves other requests meanwhile.

The database's lock is never waited for inside the loop: the connection's busy
timeout is 0, and a statement refused with ``SQLITE_BUSY`` (another connection is
writing) is retried after the writer in this process finishes, or after a short
sleep when the writer is another process, up to the configured timeout. SQLite
refuses a statement that cannot take the lock without side effects, so a retry is
the same as the waiting its own busy handler would have done.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import aiosqlite

#: Whether calls on a pipeline connection run in the event loop (see the module's doc).
_INLINE: contextvars.ContextVar[bool] = contextvars.ContextVar("pintu_sqlite_inline",
                                                               default=False)

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6


@contextmanager
def inline_statements() -> Iterator[None]:
    """Run this task's SQLite statements in the event loop (short, indexed statements only)."""
    token = _INLINE.set(True)
    try:
        yield
    finally:
        _INLINE.reset(token)


def _is_busy(error: BaseException) -> bool:
    """Whether SQLite refused a call because another connection holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)


class _WriterTurns:
    """Wakes connections refused by the lock when a connection of this process lets go.

    One event per event loop (an engine may be used from several, e.g. in tests);
    a waiter in another loop than the releasing one finds out by its polling.
    """

    def __init__(self) -> None:
        self._released: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Event] = (
            weakref.WeakKeyDictionary())

    def event(self) -> asyncio.Event:
        """The event set when the next transaction of this loop's connections ends."""
        loop = asyncio.get_running_loop()
        released = self._released.get(loop)
        if released is None:
            released = self._released[loop] = asyncio.Event()
        return released

    def released(self) -> None:
        """A transaction ended: wake this loop's waiters."""
        released = self._released.pop(asyncio.get_running_loop(), None)
        if released is not None:
            released.set()


class PipelineConnection(aiosqlite.Connection):
    """aiosqlite's connection, calling SQLite in the loop inside :func:`inline_statements`."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], *, busy_timeout: float,
                 writers: _WriterTurns) -> None:
        super().__init__(connector, iter_chunk_size=64)
        # Like aiosqlite under SQLAlchemy: a forgotten connection must not keep the
        # interpreter alive at exit.
        self._thread.daemon = True
        self._busy_timeout = busy_timeout
        self._writers = writers

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one call, in the loop or on the thread, retrying while the lock is taken."""
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        name = getattr(fn, "__name__", "")
        ends_transaction = name in ("commit", "rollback")
        # A COMMIT waits on the disk (fsync): on the thread, so the loop goes on meanwhile.
        in_loop = _INLINE.get() and name != "commit"
        deadline: float | None = None
        pause = 0.001
        while True:
            try:
                if in_loop:
                    return fn(*args, **kwargs)
                return await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                now = time.monotonic()
                deadline = deadline if deadline is not None else now + self._busy_timeout
                if now >= deadline:
                    raise
                # Woken when this process's writer finishes; polled for another process's.
                released = self._writers.event()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(released.wait(), timeout=pause)
                pause = min(pause * 2, 0.05)
            finally:
                if ends_transaction:
                    self._writers.released()


def connect(path: str, *, busy_timeout: float, writers: _WriterTurns) -> PipelineConnection:
    """An unopened pipeline connection to the database file ``path`` (await it to open)."""

    def connector() -> sqlite3.Connection:
        # The lock is waited for in the loop (see _execute), never inside SQLite; the
        # connection is used from the loop's thread and from its own, one at a time.
        return sqlite3.connect(path, timeout=0, check_same_thread=False)

    return PipelineConnection(connector, busy_timeout=busy_timeout, writers=writers)


def async_creator(path: str, *, busy_timeout: float = 30.0) -> Callable[[], PipelineConnection]:
    """SQLAlchemy's ``async_creator`` for ``path``: every connection of one engine shares waits."""
    writers = _WriterTurns()
    return partial(connect, path, busy_timeout=busy_timeout, writers=writers)
