"""Admins' own intents and the Rasa training data kept for the export (issue 17)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CustomIntent, RasaItem, utcnow


class CustomIntentRepository:
    """Intents admins added, with their answers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> Sequence[CustomIntent]:
        """Every custom intent, by name."""
        stmt = select(CustomIntent).order_by(CustomIntent.name)
        return (await self.session.execute(stmt)).scalars().all()

    async def by_name(self, name: str) -> CustomIntent | None:
        """One custom intent by its name."""
        stmt = select(CustomIntent).where(CustomIntent.name == name)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add(self, row: CustomIntent) -> CustomIntent:
        """Store one custom intent."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def delete(self, row: CustomIntent) -> None:
        """Remove one custom intent (its examples are the caller's business)."""
        await self.session.delete(row)
        await self.session.flush()


class RasaItemRepository:
    """Rasa training data kept as it came in (synonyms, responses, stories...)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self, kind: str | None = None) -> Sequence[RasaItem]:
        """Every kept item (of one kind), in the order it came in."""
        stmt = select(RasaItem).order_by(RasaItem.id)
        if kind is not None:
            stmt = stmt.where(RasaItem.kind == kind)
        return (await self.session.execute(stmt)).scalars().all()

    async def add_many(self, rows: Iterable[dict[str, Any]]) -> int:
        """Store many items; how many were stored."""
        now = utcnow()
        values = [{"created_at": now, "source": "import", "key": None, **r} for r in rows]
        if values:
            await self.session.execute(insert(RasaItem), values)
        return len(values)

    async def remove(self, kind: str, name: str, key: str | None = None) -> int:
        """Drop the items of one kind and name (and key, when given); how many."""
        stmt = delete(RasaItem).where(RasaItem.kind == kind, RasaItem.name == name)
        if key is not None:
            stmt = stmt.where(RasaItem.key == key)
        result: Any = await self.session.execute(stmt)
        return int(result.rowcount or 0)
