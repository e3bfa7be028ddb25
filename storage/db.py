"""Engine, sessions and migrations, made by factories (never at import time)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

from storage import sqlite_driver

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


#: Indexes a migration creates only where the database can (PostgreSQL with pg_trgm, see
#: migration 0014b); the models do not declare them, so schema comparison ignores them.
OPTIONAL_INDEXES = frozenset({"ix_tickets_description_trgm", "ix_tickets_number_trgm",
                              "ix_tickets_region_name_trgm", "ix_tickets_location_text_trgm"})


def include_in_comparison(obj: object, name: str | None, type_: str, reflected: bool,
                          compare_to: object) -> bool:
    """Alembic's ``include_object``: everything but the optional indexes found in the database."""
    return not (type_ == "index" and reflected and name in OPTIONAL_INDEXES)


def is_sqlite(url: str) -> bool:
    """Whether a database URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names; None for an in-memory database or another server."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


#: How long a statement waits for another connection's write lock on SQLite.
SQLITE_BUSY_TIMEOUT_S = 30.0


def _pipeline_sqlite_file(url: str) -> str | None:
    """The file an ``sqlite+aiosqlite`` URL names, when the pipeline driver can open it.

    URLs with query options (``?mode=ro``, ``?uri=true``, ...) keep plain aiosqlite,
    which applies them; so does an in-memory database.
    """
    path = sqlite_file(url)
    parsed = make_url(url)
    if path is None or parsed.get_driver_name() != "aiosqlite" or parsed.query:
        return None
    return str(path)


def create_engine(url: str, *, echo: bool = False,
                  sqlite_busy_timeout: float = SQLITE_BUSY_TIMEOUT_S) -> AsyncEngine:
    """An async engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    # hide_parameters: a database error must not carry citizens' text into a log line.
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    pipeline_file = _pipeline_sqlite_file(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database in (None, "", ":memory:"):
            # One shared connection, or every session would see its own empty database.
            kwargs["poolclass"] = StaticPool
        kwargs["connect_args"] = {"timeout": sqlite_busy_timeout}
        if pipeline_file is not None:
            # The message pipeline's statements in the loop (see storage.sqlite_driver).
            kwargs["async_creator"] = sqlite_driver.async_creator(
                pipeline_file, busy_timeout=sqlite_busy_timeout)
            del kwargs["connect_args"]
    else:
        # No ping per checkout (a round trip on every request): a connection the server
        # dropped fails its request once and invalidates the pool (the provider re-sends
        # a webhook answered 5xx); recycled hourly so idle ones don't go stale.
        # A pool as large as the concurrency it serves: overflow connections are opened
        # and closed again under load, each with a connection set-up.
        kwargs.update(pool_size=20, max_overflow=10, pool_recycle=3600)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # The pipeline driver waits for the lock outside SQLite (in the event loop).
            timeout_ms = 0 if pipeline_file is not None else int(sqlite_busy_timeout * 1000)
            cur.execute(f"PRAGMA busy_timeout={timeout_ms}")
            cur.close()

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` without any ini file."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (blocking; run from sync code or a thread)."""
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str, revision: str = "head") -> None:
    """Apply migrations from async code (Alembic runs its own event loop in a thread)."""
    await asyncio.to_thread(upgrade, url, revision)


async def ping(engine: AsyncEngine) -> bool:
    """Whether the database answers."""
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
