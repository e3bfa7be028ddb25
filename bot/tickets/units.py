"""The catalog's units mirrored into the database (tickets reference them)."""

from __future__ import annotations

from bot.core.runtime import Runtime
from storage.locks import locked_transaction


async def sync_units(rt: Runtime) -> None:
    """Mirror the live catalog's units into the database.

    Server processes starting together take turns (an advisory lock on PostgreSQL),
    or both would insert the same new units.
    """
    async with locked_transaction(rt.sessions, "pintu:sync-units") as session:
        await rt.repositories(session).units.sync(
            {"id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind,
             "parent_id": u.parent_id, "is_triage": u.is_triage} for u in rt.catalog.units)
