"""The SQLite driver of the message pipeline: statements in the loop, lock waits outside SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import sqlite_driver
from storage.db import create_engine
from storage.sqlite_driver import inline_statements

METADATA = MetaData()
NOTES = Table("notes", METADATA, Column("id", Integer, primary_key=True), Column("body", String))


async def _engine(path: Path, busy_timeout: float = 30.0) -> AsyncEngine:
    engine = create_engine(f"sqlite+aiosqlite:///{path}", sqlite_busy_timeout=busy_timeout)
    async with engine.begin() as conn:
        await conn.run_sync(METADATA.create_all)
    return engine


async def test_a_file_engine_uses_the_pipeline_driver_and_runs_statements_in_the_loop(
        tmp_path: Path) -> None:
    engine = await _engine(tmp_path / "p.db")
    seen: list[str] = []

    def spy(conn: sqlite3.Connection) -> None:
        conn.set_trace_callback(lambda sql: seen.append(threading.current_thread().name))

    try:
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver = raw.driver_connection
            assert isinstance(driver, sqlite_driver.PipelineConnection)
            spy(driver._conn)
            with inline_statements():
                await conn.execute(insert(NOTES).values(body="in the loop"))
            inline_threads = list(seen)
            seen.clear()
            await conn.execute(insert(NOTES).values(body="on the thread"))
            threaded = list(seen)
            seen.clear()
            await conn.commit()
            commit_threads = list(seen)
        assert inline_threads and set(inline_threads) == {threading.current_thread().name}
        assert threaded and threading.current_thread().name not in threaded
        # A COMMIT waits on the disk: never in the loop, even inside inline_statements.
        assert commit_threads and threading.current_thread().name not in commit_threads
        async with engine.connect() as conn:
            rows = (await conn.execute(select(NOTES.c.body).order_by(NOTES.c.id))).all()
        assert [r.body for r in rows] == ["in the loop", "on the thread"]
    finally:
        await engine.dispose()


async def test_in_memory_and_query_urls_keep_plain_aiosqlite(tmp_path: Path) -> None:
    for url in ("sqlite+aiosqlite://", f"sqlite+aiosqlite:///file:{tmp_path / 'q.db'}?uri=true"):
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                raw = await conn.get_raw_connection()
                assert not isinstance(raw.driver_connection, sqlite_driver.PipelineConnection)
                assert (await conn.execute(text("SELECT 1"))).scalar() == 1
        finally:
            await engine.dispose()


async def test_a_writer_waiting_for_the_lock_lets_the_loop_and_the_holder_go_on(
        tmp_path: Path) -> None:
    """Two turns write at once: the second waits without blocking the loop (no deadlock)."""
    engine = await _engine(tmp_path / "w.db")
    order: list[str] = []
    holder_wrote = asyncio.Event()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    async def holder() -> None:
        with inline_statements():
            async with engine.begin() as conn:
                await conn.execute(insert(NOTES).values(body="first"))
                holder_wrote.set()
                await asyncio.sleep(0.3)  # holds the write lock while other tasks run
                order.append("first commits")

    async def waiter() -> None:
        await holder_wrote.wait()
        with inline_statements():
            async with engine.begin() as conn:
                await conn.execute(insert(NOTES).values(body="second"))
                order.append("second wrote")

    tick = asyncio.create_task(ticker())
    try:
        started = time.monotonic()
        await asyncio.wait_for(asyncio.gather(holder(), waiter()), timeout=10)
        took = time.monotonic() - started
        async with engine.connect() as conn:
            bodies = (await conn.execute(select(NOTES.c.body).order_by(NOTES.c.id))).scalars()
            assert list(bodies) == ["first", "second"]
    finally:
        tick.cancel()
        await engine.dispose()
    assert order == ["first commits", "second wrote"]
    assert took < 5
    # The loop kept running while the second writer waited for the first.
    assert ticks >= 20


async def test_a_lock_held_by_another_process_is_waited_for_then_times_out_cleanly(
        tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    engine = await _engine(path, busy_timeout=0.4)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process's writer holds the lock
        other.execute("INSERT INTO notes (body) VALUES ('other')")
        started = time.monotonic()
        with inline_statements(), pytest.raises(OperationalError, match="locked"):
            async with engine.begin() as conn:
                await conn.execute(insert(NOTES).values(body="refused"))
        waited = time.monotonic() - started
        assert 0.35 <= waited < 3
        # Once it lets go, the same write goes through, and nothing refused was kept.
        loop = asyncio.get_running_loop()
        loop.call_later(0.1, lambda: other.execute("COMMIT"))
        with inline_statements():
            async with engine.begin() as conn:
                await conn.execute(insert(NOTES).values(body="after"))
        async with engine.connect() as conn:
            bodies = (await conn.execute(select(NOTES.c.body).order_by(NOTES.c.id))).scalars()
            assert list(bodies) == ["other", "after"]
    finally:
        other.close()
        await engine.dispose()
