"""NLU administration data: training examples, the review queue and model versions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.locks import NLU_LIVE_KEY, NLU_SEED_KEY, xact_lock
from storage.models import (
    AuditLog,
    Message,
    NluModelVersion,
    NluReviewItem,
    TrainingExample,
    utcnow,
)

# Statuses of a model version that can be made live.
PROMOTABLE = ("trained", "retired")
# The audit action recording that the table was seeded (it is seeded once, ever).
SEEDED_ACTION = "nlu_examples_seeded"


@dataclass(frozen=True)
class ExampleFilter:
    """Which training examples to list; ``ids`` narrows to a known set (flagged ones)."""

    intent: str | None = None
    category: str | None = None
    source: str | None = None
    search: str | None = None
    ids: frozenset[int] | None = None
    limit: int = 100
    offset: int = 0


def _like_pattern(value: str) -> str:
    escaped = value.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class TrainingExampleRepository:
    """The training examples the NLU learns from."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self) -> int:
        """How many examples there are."""
        stmt = select(func.count()).select_from(TrainingExample)
        return int((await self.session.execute(stmt)).scalar_one())

    async def get(self, example_id: int) -> TrainingExample | None:
        """One example by id."""
        return await self.session.get(TrainingExample, example_id)

    async def add(self, row: TrainingExample) -> TrainingExample:
        """Store one example."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def add_many(self, rows: Iterable[dict[str, Any]]) -> int:
        """Store many examples at once (seeding, import); how many were stored."""
        now = utcnow()
        values = [{"created_at": now, "updated_at": now, **r} for r in rows]
        if values:
            await self.session.execute(insert(TrainingExample), values)
        return len(values)

    async def update(self, row: TrainingExample, *, text: str, intent: str,
                     category: str | None, now: datetime | None = None) -> TrainingExample:
        """Change one example's text and label (``updated_at`` set to ``now``)."""
        row.text, row.intent, row.category = text, intent, category
        row.updated_at = now or utcnow()
        await self.session.flush()
        return row

    async def delete(self, row: TrainingExample) -> None:
        """Remove one example."""
        await self.session.execute(delete(TrainingExample).where(TrainingExample.id == row.id))

    async def lock_seeding(self) -> None:
        """On PostgreSQL, hold the seeding lock until the transaction ends, so two
        processes seeding at once do not store everything twice."""
        await xact_lock(self.session, NLU_SEED_KEY)

    async def seeding_recorded(self) -> bool:
        """Whether the table was ever seeded (recorded in the audit trail)."""
        stmt = select(AuditLog.id).where(AuditLog.action == SEEDED_ACTION).limit(1)
        return (await self.session.execute(stmt)).first() is not None

    async def record_seeding(self, count: int, now: datetime | None = None) -> AuditLog:
        """Record in the audit trail that ``count`` examples were seeded."""
        row = AuditLog(action=SEEDED_ACTION, target_type="training_examples",
                       data={"count": count}, created_at=now or utcnow())
        self.session.add(row)
        await self.session.flush()
        return row

    async def search(self, flt: ExampleFilter) -> tuple[Sequence[TrainingExample], int]:
        """One page of examples matching ``flt`` (newest first) and the total matching."""
        stmt = select(TrainingExample)
        count = select(func.count()).select_from(TrainingExample)
        conditions: list[Any] = []
        if flt.intent:
            conditions.append(TrainingExample.intent == flt.intent)
        if flt.category:
            conditions.append(TrainingExample.category == flt.category)
        if flt.source:
            conditions.append(TrainingExample.source == flt.source)
        if flt.search:
            conditions.append(func.lower(TrainingExample.text).like(_like_pattern(flt.search),
                                                                    escape="\\"))
        if flt.ids is not None:
            conditions.append(TrainingExample.id.in_(sorted(flt.ids) or [-1]))
        if conditions:
            stmt = stmt.where(*conditions)
            count = count.where(*conditions)
        stmt = stmt.order_by(TrainingExample.id.desc()).limit(flt.limit).offset(flt.offset)
        rows = (await self.session.execute(stmt)).scalars().all()
        total = int((await self.session.execute(count)).scalar_one())
        return rows, total

    async def labelled_texts(self, source: str | None = None
                             ) -> Sequence[tuple[int, str, str, str | None, str]]:
        """(id, text, intent, category, source) of every example, oldest first."""
        stmt = select(TrainingExample.id, TrainingExample.text, TrainingExample.intent,
                      TrainingExample.category, TrainingExample.source)
        if source:
            stmt = stmt.where(TrainingExample.source == source)
        rows = (await self.session.execute(stmt.order_by(TrainingExample.id))).all()
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def label_counts(self) -> Sequence[tuple[str, str | None, int]]:
        """How many examples each (intent, category) has."""
        stmt = (select(TrainingExample.intent, TrainingExample.category, func.count())
                .group_by(TrainingExample.intent, TrainingExample.category)
                .order_by(TrainingExample.intent, TrainingExample.category))
        return [(r[0], r[1], int(r[2])) for r in (await self.session.execute(stmt)).all()]


class ReviewRepository:
    """Live messages the NLU may have got wrong, waiting for an admin."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, item_id: int) -> NluReviewItem | None:
        """One item by id."""
        return await self.session.get(NluReviewItem, item_id)

    async def list(self, *, status: str | None = "open", reason: str | None = None,
                   limit: int = 100, offset: int = 0) -> tuple[Sequence[NluReviewItem], int]:
        """One page of items (oldest open first) and the total matching."""
        conditions: list[Any] = []
        if status:
            conditions.append(NluReviewItem.status == status)
        if reason:
            conditions.append(NluReviewItem.reason == reason)
        stmt = select(NluReviewItem).where(*conditions).order_by(NluReviewItem.id)
        count = select(func.count()).select_from(NluReviewItem).where(*conditions)
        rows = (await self.session.execute(stmt.limit(limit).offset(offset))).scalars().all()
        return rows, int((await self.session.execute(count)).scalar_one())

    async def add(self, row: NluReviewItem) -> NluReviewItem:
        """Queue one item."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def exists(self, message_id: int, reason: str) -> bool:
        """Whether a message is already queued for this reason."""
        stmt = select(NluReviewItem.id).where(NluReviewItem.message_id == message_id,
                                              NluReviewItem.reason == reason).limit(1)
        return (await self.session.execute(stmt)).first() is not None

    async def claim(self, item: NluReviewItem, status: str, user_id: int | None,
                    now: datetime | None = None) -> bool:
        """Decide ``item`` (``status``, by ``user_id``) if it is still open; whether this
        call decided it. Of two admins deciding one item at once, only one gets True;
        ``item`` is reloaded then, and left untouched otherwise."""
        claimed = await self.session.execute(
            update(NluReviewItem)
            .where(NluReviewItem.id == item.id, NluReviewItem.status == "open")
            .values(status=status, resolved_by=user_id, resolved_at=now or utcnow())
            .execution_options(synchronize_session=False))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return False
        await self.session.refresh(item)
        return True

    async def previous_citizen_message(self, message: Message) -> Message | None:
        """The citizen's message just before ``message`` in the same conversation."""
        if message.conversation_id is None:
            return None
        stmt = (select(Message)
                .where(Message.conversation_id == message.conversation_id,
                       Message.direction == "in", Message.sender_type == "citizen",
                       Message.id < message.id)
                .order_by(Message.id.desc()).limit(1))
        return (await self.session.execute(stmt)).scalar_one_or_none()


class ModelVersionRepository:
    """Trained NLU model versions; exactly one is live."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, version: str) -> NluModelVersion | None:
        """One version by name."""
        return await self.session.get(NluModelVersion, version)

    async def add(self, row: NluModelVersion) -> NluModelVersion:
        """Store a new version."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def all(self, limit: int = 200) -> Sequence[NluModelVersion]:
        """Versions, newest first."""
        stmt = (select(NluModelVersion)
                .order_by(NluModelVersion.created_at.desc(), NluModelVersion.version.desc())
                .limit(limit))
        return (await self.session.execute(stmt)).scalars().all()

    async def count(self) -> int:
        """How many versions are recorded."""
        stmt = select(func.count()).select_from(NluModelVersion)
        return int((await self.session.execute(stmt)).scalar_one())

    async def live(self) -> NluModelVersion | None:
        """The live version, if one is recorded."""
        stmt = (select(NluModelVersion).where(NluModelVersion.status == "live")
                .order_by(NluModelVersion.promoted_at.desc()).limit(1))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def live_pointer(self) -> tuple[str, str] | None:
        """(version, path) of the live version: the watchers' one cheap query."""
        stmt = (select(NluModelVersion.version, NluModelVersion.path)
                .where(NluModelVersion.status == "live")
                .order_by(NluModelVersion.promoted_at.desc()).limit(1))
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def training_since(self, since: datetime) -> NluModelVersion | None:
        """A version still training that started after ``since``."""
        stmt = (select(NluModelVersion)
                .where(NluModelVersion.status == "training", NluModelVersion.created_at >= since)
                .limit(1))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def in_training(self) -> list[NluModelVersion]:
        """Every version recorded as training, however old."""
        stmt = select(NluModelVersion).where(NluModelVersion.status == "training")
        return list((await self.session.execute(stmt)).scalars())

    async def previous_live(self) -> NluModelVersion | None:
        """The version that was live before the current one (the rollback target)."""
        stmt = (select(NluModelVersion)
                .where(NluModelVersion.status == "retired",
                       NluModelVersion.promoted_at.is_not(None))
                .order_by(NluModelVersion.promoted_at.desc()).limit(1))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def lock_live(self) -> None:
        """On PostgreSQL, hold the lock on "which version is live" until the transaction
        ends (other processes changing it wait)."""
        await xact_lock(self.session, NLU_LIVE_KEY)

    async def promote(self, version: str, user_id: int | None,
                      now: datetime | None = None) -> bool:
        """Make ``version`` live and retire the live one, in the caller's transaction.

        False (and nothing changed) when ``version`` is not a trained or retired version.
        """
        await self.lock_live()  # two admins promoting at once must not leave two live ones
        row = await self.session.get(NluModelVersion, version, populate_existing=True)
        if row is None or row.status not in PROMOTABLE:
            return False
        await self.session.execute(update(NluModelVersion)
                                   .where(NluModelVersion.status == "live")
                                   .values(status="retired"))
        row.status = "live"
        row.promoted_by = user_id
        row.promoted_at = now or utcnow()
        await self.session.flush()
        return True
