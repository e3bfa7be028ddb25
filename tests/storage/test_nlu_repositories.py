"""The NLU repositories' seeding record, example updates and review-queue claims, on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from bot.core.runtime import Runtime
from storage.locks import NLU_SEED_KEY, is_postgres
from storage.models import NluReviewItem, TrainingExample
from storage.repositories.nlu import SEEDED_ACTION, ReviewRepository, TrainingExampleRepository

NOW = datetime(2026, 3, 4, 5, 6, 7, 123000, tzinfo=UTC)


def _naive(value: datetime | None) -> datetime | None:
    # SQLite may hand timestamps back without a zone; both are UTC.
    return value.replace(tzinfo=None) if value is not None else None


async def test_seeding_is_recorded_once_in_the_audit_trail(runtime: Runtime) -> None:
    async with runtime.sessions() as s, s.begin():
        repo = TrainingExampleRepository(s)
        await repo.lock_seeding()  # on SQLite nothing; on PostgreSQL held until commit
        assert await repo.seeding_recorded() is False
        row = await repo.record_seeding(42, NOW)
        assert (row.id is not None, row.action, row.target_type, row.data, row.actor_user_id,
                row.created_at) == (True, SEEDED_ACTION, "training_examples", {"count": 42},
                                    None, NOW)
        if is_postgres(s):
            held = (await s.execute(text(
                "SELECT objid FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid()"))).scalars().all()
            assert held == [NLU_SEED_KEY]
    async with runtime.sessions() as s:
        assert await TrainingExampleRepository(s).seeding_recorded() is True
        rows = (await s.execute(text("SELECT action, target_type FROM audit_log"))).all()
        assert [tuple(r) for r in rows] == [(SEEDED_ACTION, "training_examples")]


async def test_update_changes_text_label_and_time(runtime: Runtime) -> None:
    async with runtime.sessions() as s, s.begin():
        repo = TrainingExampleRepository(s)
        row = await repo.add(TrainingExample(text="jalan rusak", intent="complaint",
                                             category="road", source="admin",
                                             created_at=NOW, updated_at=NOW))
        later = NOW.replace(hour=9)
        same = await repo.update(row, text="lampu mati", intent="complaint",
                                 category="street_light", now=later)
        assert same is row
        example_id = row.id
    async with runtime.sessions() as s:
        got = await TrainingExampleRepository(s).get(example_id)
        assert got is not None
        assert (got.text, got.intent, got.category, got.source, _naive(got.updated_at)) == (
            "lampu mati", "complaint", "street_light", "admin", _naive(later))
        assert await TrainingExampleRepository(s).labelled_texts() == [
            (example_id, "lampu mati", "complaint", "street_light", "admin")]


async def test_claim_decides_an_open_item_once(runtime: Runtime) -> None:
    async with runtime.sessions() as s, s.begin():
        item = await ReviewRepository(s).add(NluReviewItem(
            text="halo", reason="low_confidence", status="open", created_at=NOW))
        item_id = item.id
    # Two admins load the item while it is open; the first to claim it wins.
    async with runtime.sessions() as s1, runtime.sessions() as s2:
        second = await ReviewRepository(s2).get(item_id)
        await s2.commit()  # the loaded item stays as it was (it says "open")
        first = await ReviewRepository(s1).get(item_id)
        assert first is not None and second is not None
        assert await ReviewRepository(s1).claim(first, "accepted", None, NOW) is True
        # The item was reloaded from the row the claim changed.
        assert (first.status, first.resolved_by, _naive(first.resolved_at)) == (
            "accepted", None, _naive(NOW))
        await s1.commit()
        assert await ReviewRepository(s2).claim(second, "dismissed", None, NOW) is False
        assert (second.status, second.resolved_at) == ("open", None)  # left untouched
        await s2.commit()
    async with runtime.sessions() as s:
        rows, total = await ReviewRepository(s).list(status=None)
        assert ([(r.id, r.status) for r in rows], total) == ([(item_id, "accepted")], 1)
