"""The audit trail: every staff action is recorded with who did it and through what."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.staff.sessions import StaffContext
from storage.repositories.staff import AuditRepository


async def audit(session: AsyncSession, ctx: StaffContext | None, action: str, *,
                target_type: str | None = None, target_id: str | None = None,
                data: dict[str, Any] | None = None, ip: str | None = None) -> None:
    """Record a staff action in the audit trail."""
    await AuditRepository(session).add(action, actor_user_id=ctx.user_id if ctx else None,
                                       target_type=target_type, target_id=target_id,
                                       data={**(data or {}), **({"via": ctx.kind} if ctx else {})},
                                       ip=ip)
