"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import create_engine, include_in_comparison, upgrade_async
from storage.models import Base


async def test_migrations_match_models(db_url: str) -> None:
    await upgrade_async(db_url)
    engine = create_engine(db_url)
    async with engine.connect() as conn:

        def diff(sync_conn: Any) -> list[Any]:
            ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True,
                                                          "include_object": include_in_comparison})
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


async def test_inbox_search_gets_trigram_indexes_where_pg_trgm_exists(db_url: str) -> None:
    """PostgreSQL with pg_trgm: the four searched columns get GIN trigram indexes and the
    search's LIKE uses them; SQLite: none (and the migration does not fail)."""
    from sqlalchemy import text

    from storage.db import OPTIONAL_INDEXES

    await upgrade_async(db_url)
    engine = create_engine(db_url)
    async with engine.connect() as conn:
        if engine.dialect.name != "postgresql":
            names = await conn.run_sync(
                lambda c: {i["name"] for i in inspect(c).get_indexes("tickets")})
            assert not names & OPTIONAL_INDEXES
            await engine.dispose()
            return
        available = (await conn.execute(text(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"))).first()
        rows = (await conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tickets' "
            "AND indexname LIKE '%trgm'"))).all()
        if available is None:
            assert rows == []
        else:
            assert {r[0] for r in rows} == OPTIONAL_INDEXES
            assert all("gin_trgm_ops" in r[1] and "lower(" in r[1] for r in rows)
            await conn.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(r[0] for r in (await conn.execute(text(
                "EXPLAIN SELECT id FROM tickets WHERE lower(description) LIKE '%lampu mati%' "
                "OR lower(number) LIKE '%lampu mati%' OR lower(region_name) LIKE "
                "'%lampu mati%' OR lower(location_text) LIKE '%lampu mati%'"))).all())
            assert "ix_tickets_description_trgm" in plan and "ix_tickets_number_trgm" in plan
    await engine.dispose()
