"""UtcDateTime: stored in UTC, read back aware UTC on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from bot.core.runtime import Runtime
from storage.models import Citizen, Conversation
from storage.types import as_utc

WIB = timezone(timedelta(hours=7), "WIB")


def test_as_utc() -> None:
    assert as_utc(datetime(2026, 3, 1, 23, 30)) == datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    moved = as_utc(datetime(2026, 3, 2, 6, 30, tzinfo=WIB))
    assert moved == datetime(2026, 3, 1, 23, 30, tzinfo=UTC) and moved.tzinfo is UTC


async def test_times_read_back_aware_utc(runtime: Runtime) -> None:
    wib_time = datetime(2026, 3, 2, 6, 30, tzinfo=WIB)
    naive_utc = datetime(2026, 3, 1, 23, 30)  # a caller's naive value counts as UTC
    async with runtime.sessions() as s, s.begin():
        citizen = Citizen(display_name="Sari")
        s.add(citizen)
        await s.flush()
        s.add(Conversation(citizen_id=citizen.id, channel="rest", state={},
                           started_at=wib_time, updated_at=naive_utc, closed_at=None))
    expected = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    async with runtime.sessions() as s:
        conv = (await s.execute(select(Conversation))).scalar_one()
        for value in (conv.started_at, conv.updated_at):
            assert value == expected
            assert value.utcoffset() == timedelta(0)
        assert conv.closed_at is None
        # Comparisons in SQL bind through the same type: a WIB bound matches the UTC row.
        found = (await s.execute(select(Conversation.id).where(
            Conversation.started_at >= wib_time,
            Conversation.updated_at < wib_time + timedelta(seconds=1)))).scalars().all()
        assert found == [conv.id]
