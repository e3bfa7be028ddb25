"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import create_engine, upgrade_async
from storage.models import Base


async def test_migrations_match_models(db_url: str) -> None:
    await upgrade_async(db_url)
    engine = create_engine(db_url)
    async with engine.connect() as conn:

        def diff(sync_conn: Any) -> list[Any]:
            ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})
            return list(compare_metadata(ctx, Base.metadata))

        def tables(sync_conn: Any) -> set[str]:
            return set(inspect(sync_conn).get_table_names())

        problems = await conn.run_sync(diff)
        names = await conn.run_sync(tables)
    await engine.dispose()
    assert problems == []
    assert {"tickets", "messages", "outbox", "survey_responses", "training_examples"} <= names


async def test_upgrade_is_idempotent(sqlite_url: str) -> None:
    await upgrade_async(sqlite_url)
    await upgrade_async(sqlite_url)
