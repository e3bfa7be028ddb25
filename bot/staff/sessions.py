"""Console sessions and API tokens: issue, check, end; the CSRF check of console forms.

Tokens are random strings; only their SHA-256 is stored, with an expiry.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import StaffSession, StaffUser, utcnow
from storage.ports import Repositories

SESSION_KINDS: tuple[str, ...] = ("console", "api")


@dataclass(frozen=True)
class StaffContext:
    """The signed-in staff user of a request, with the session or token used."""

    user: StaffUser
    session_id: int
    kind: str
    csrf_token: str | None
    expires_at: datetime

    @property
    def user_id(self) -> int:
        """The staff user's id."""
        return self.user.id


def token_hash(token: str) -> str:
    """What is stored of a session token or bearer token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def issue_session(repos: Repositories, user: StaffUser, kind: str, hours: float, *,
                        ip: str | None = None, now: datetime | None = None,
                        ) -> tuple[str, StaffSession]:
    """Start a console session or issue an API token (audited as ``login``).

    Returns the raw token (shown once) and the stored row (hash only).
    """
    if kind not in SESSION_KINDS:
        raise ValueError(f"unknown session kind: {kind}")
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    row = await repos.staff.add_session(StaffSession(
        token_hash=token_hash(token), user_id=user.id, kind=kind,
        csrf_token=secrets.token_urlsafe(32) if kind == "console" else None,
        created_at=now, expires_at=now + timedelta(hours=hours), revoked=False))
    await repos.audit.add("login", actor_user_id=user.id, target_type="session",
                          target_id=str(row.id), data={"kind": kind}, ip=ip, now=now)
    return token, row


async def resolve_token(repos: Repositories, token: str, kind: str,
                        now: datetime | None = None) -> StaffContext | None:
    """The signed-in context of a live token, or None (unknown, expired, revoked, inactive)."""
    if not token or len(token) > 200:
        return None
    found = await repos.staff.live_session(token_hash(token), kind, now or utcnow())
    if found is None:
        return None
    row, user = found
    return StaffContext(user=user, session_id=row.id, kind=row.kind, csrf_token=row.csrf_token,
                        expires_at=row.expires_at)


async def end_session(repos: Repositories, token: str, *, actor_user_id: int | None,
                      ip: str | None = None) -> bool:
    """Revoke a session or token (audited as ``logout``)."""
    revoked = await repos.staff.revoke(token_hash(token))
    if revoked:
        await repos.audit.add("logout", actor_user_id=actor_user_id, target_type="staff_user",
                              target_id=str(actor_user_id), ip=ip)
    return revoked


def csrf_ok(ctx: StaffContext, submitted: str | None) -> bool:
    """Whether a console form carried this session's CSRF token."""
    if not ctx.csrf_token or not submitted:
        return False
    return hmac.compare_digest(ctx.csrf_token.encode(), submitted.encode())
