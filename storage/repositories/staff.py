"""Staff users, their sessions and tokens, the audit trail, and the staff's view of tickets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    OPEN_TICKET_STATUSES,
    AuditLog,
    StaffSession,
    StaffUser,
    Ticket,
    utcnow,
)
from storage.repositories.tickets import TicketFilter


class StaffRepository:
    """Officers, supervisors and admins, and their sign-in sessions."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_username(self, username: str) -> StaffUser | None:
        """A user by name (names are stored lower-case)."""
        stmt = select(StaffUser).where(StaffUser.username == username.strip().lower())
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, user_id: int) -> StaffUser | None:
        """A user by id."""
        return await self.session.get(StaffUser, user_id)

    async def add(self, user: StaffUser) -> StaffUser:
        """Store a new user."""
        self.session.add(user)
        await self.session.flush()
        return user

    async def all(self) -> Sequence[StaffUser]:
        """Every user, by name."""
        stmt = select(StaffUser).order_by(StaffUser.username)
        return (await self.session.execute(stmt)).scalars().all()

    async def add_session(self, row: StaffSession) -> StaffSession:
        """Store a new session or token (its hash only)."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def live_session(self, token_hash: str, kind: str,
                           now: datetime) -> tuple[StaffSession, StaffUser] | None:
        """The unexpired, unrevoked session with this hash and its active user."""
        stmt = (select(StaffSession, StaffUser)
                .join(StaffUser, StaffUser.id == StaffSession.user_id)
                .where(StaffSession.token_hash == token_hash, StaffSession.kind == kind,
                       StaffSession.revoked.is_(False), StaffSession.expires_at > now,
                       StaffUser.active.is_(True)))
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def revoke(self, token_hash: str) -> bool:
        """Revoke one session or token; True if there was one to revoke."""
        stmt = (update(StaffSession).where(StaffSession.token_hash == token_hash,
                                           StaffSession.revoked.is_(False))
                .values(revoked=True))
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def revoke_all(self, user_id: int) -> None:
        """Revoke every session of a user (password change, deactivation)."""
        await self.session.execute(update(StaffSession).where(StaffSession.user_id == user_id)
                                   .values(revoked=True))


class AuditRepository:
    """The audit trail: every staff action, and failed sign-ins."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, action: str, *, actor_user_id: int | None, target_type: str | None = None,
                  target_id: str | None = None, data: dict[str, Any] | None = None,
                  ip: str | None = None, now: datetime | None = None) -> AuditLog:
        """Record one action."""
        row = AuditLog(actor_user_id=actor_user_id, action=action, target_type=target_type,
                       target_id=target_id, data=data or {}, ip=ip, created_at=now or utcnow())
        self.session.add(row)
        await self.session.flush()
        return row

    async def count(self, action: str, *, target_type: str, target_id: str,
                    since: datetime) -> int:
        """How often ``action`` happened to one target since a time (sign-in throttling)."""
        stmt = (select(func.count()).select_from(AuditLog)
                .where(AuditLog.action == action, AuditLog.target_type == target_type,
                       AuditLog.target_id == target_id, AuditLog.created_at >= since))
        return int((await self.session.execute(stmt)).scalar_one())

    async def recent(self, *, actor_user_id: int | None = None, action: str | None = None,
                     limit: int = 100) -> Sequence[AuditLog]:
        """The latest entries, newest first."""
        stmt = select(AuditLog)
        if actor_user_id is not None:
            stmt = stmt.where(AuditLog.actor_user_id == actor_user_id)
        if action is not None:
            stmt = stmt.where(AuditLog.action == action)
        stmt = stmt.order_by(AuditLog.id.desc()).limit(limit)
        return (await self.session.execute(stmt)).scalars().all()


def visibility_clause(unit_ids: tuple[str, ...] | None) -> ColumnElement[bool] | None:
    """Which tickets a viewer of ``unit_ids`` sees: those the units own or that were
    escalated to them (None: everything), except oversight complaints kept from the
    viewer's own unit (the first of ``unit_ids``)."""
    if unit_ids is None:
        return None
    if not unit_ids:
        return false()
    # Unit ids are slugs ([a-z0-9-]), so they need no LIKE escaping.
    kept_from_viewer = func.coalesce(Ticket.excluded_unit_ids, "").like(f"%,{unit_ids[0]},%")
    return and_(or_(Ticket.unit_id.in_(unit_ids), Ticket.escalated_to_unit_id.in_(unit_ids)),
                not_(kept_from_viewer))


def _like_pattern(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class InboxRepository:
    """Tickets as staff see them: their units' own and those escalated to them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def search(self, flt: TicketFilter, now: datetime | None = None) -> Sequence[Ticket]:
        """Tickets matching an inbox filter, newest first; ``flt.unit_ids`` is the viewer's
        visibility (None for all)."""
        stmt = select(Ticket)
        clause = visibility_clause(flt.unit_ids)
        if clause is not None:
            stmt = stmt.where(clause)
        if flt.statuses:
            stmt = stmt.where(Ticket.status.in_(flt.statuses))
        if flt.category:
            stmt = stmt.where(Ticket.category == flt.category)
        if flt.channel:
            stmt = stmt.where(Ticket.channel == flt.channel)
        if flt.overdue_only:
            stmt = stmt.where(Ticket.due_at < (now or utcnow()),
                              Ticket.status.in_(OPEN_TICKET_STATUSES))
        if flt.search and flt.search.strip():
            like = _like_pattern(flt.search)
            stmt = stmt.where(or_(func.lower(Ticket.description).like(like, escape="\\"),
                                  func.lower(Ticket.number).like(like, escape="\\"),
                                  func.lower(Ticket.region_name).like(like, escape="\\"),
                                  func.lower(Ticket.location_text).like(like, escape="\\")))
        stmt = stmt.order_by(Ticket.id.desc()).limit(flt.limit).offset(flt.offset)
        return (await self.session.execute(stmt)).scalars().all()

    async def visible_numbers_for_citizen(self, citizen_id: int,
                                          unit_ids: tuple[str, ...] | None) -> Sequence[str]:
        """Numbers of a citizen's tickets the viewer may see (live-update filtering)."""
        stmt = select(Ticket.number).where(Ticket.citizen_id == citizen_id)
        clause = visibility_clause(unit_ids)
        if clause is not None:
            stmt = stmt.where(clause)
        stmt = stmt.order_by(Ticket.id.desc()).limit(20)
        return (await self.session.execute(stmt)).scalars().all()

    async def visible_ids(self, ticket_ids: Sequence[int],
                          unit_ids: tuple[str, ...] | None) -> set[int]:
        """Which of these tickets the viewer may see."""
        if not ticket_ids:
            return set()
        stmt = select(Ticket.id).where(Ticket.id.in_(list(ticket_ids)))
        clause = visibility_clause(unit_ids)
        if clause is not None:
            stmt = stmt.where(clause)
        return set((await self.session.execute(stmt)).scalars().all())
