"""The audit trail: every staff action is recorded with who did it and through what."""

from __future__ import annotations

from typing import Any

from bot.staff.sessions import StaffContext
from storage.ports import Repositories


async def audit(repos: Repositories, ctx: StaffContext | None, action: str, *,
                target_type: str | None = None, target_id: str | None = None,
                data: dict[str, Any] | None = None, ip: str | None = None) -> None:
    """Record a staff action in the audit trail."""
    await repos.audit.add(action, actor_user_id=ctx.user_id if ctx else None,
                          target_type=target_type, target_id=target_id,
                          data={**(data or {}), **({"via": ctx.kind} if ctx else {})}, ip=ip)
