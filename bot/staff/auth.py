"""Staff accounts, sign-in, sessions and tokens, visibility of tickets, the audit trail.

Passwords are hashed with argon2id (memory-hard). Console sessions and API
tokens are random strings; only their SHA-256 is stored, with an expiry. Every
staff action is written to the audit log. Who may see a ticket is decided
here, once, for the console and the API alike: anything not visible answers
404, exactly like a ticket that does not exist.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import HTTPException, Request
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.runtime import Runtime
from routing.catalog import Catalog
from storage.locks import locked_transaction
from storage.models import StaffSession, StaffUser, Ticket, utcnow
from storage.repositories.staff import AuditRepository, StaffRepository
from storage.repositories.tickets import TicketRepository

ROLES: tuple[str, ...] = ("officer", "supervisor", "admin")
LANGUAGES: tuple[str, ...] = ("id", "en")
SESSION_KINDS: tuple[str, ...] = ("console", "api")
CONSOLE_COOKIE = "pintu_session"
MIN_PASSWORD_LENGTH = 8
# Sign-in throttling: this many failures per username within the window lock it for the rest
# of the window (guessing stays slow; the real user can try again later).
MAX_FAILED_LOGINS = 10
FAILED_LOGIN_WINDOW = timedelta(minutes=15)

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

# argon2id with the library's defaults (RFC 9106 low-memory profile: 64 MiB, t=3, p=4).
PASSWORD_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so both cases take the same time."""
    return PASSWORD_HASHER.hash(secrets.token_urlsafe(16))


class AuthError(ValueError):
    """A staff-account request that cannot be done (bad name, weak password, unknown unit)."""


class LoginThrottled(Exception):
    """Too many failed sign-ins for this username recently."""


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


# --------------------------------------------------------------------------- passwords

def hash_password(password: str) -> str:
    """The argon2id hash of a password."""
    return PASSWORD_HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for malformed hashes)."""
    try:
        return PASSWORD_HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password_policy(password: str) -> None:
    """Refuse passwords too short to be worth hashing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def normalize_username(username: str) -> str:
    """The stored form of a username; AuthError if it is not a valid one."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise AuthError("a username is 2-64 characters: letters, digits, '.', '_' or '-'")
    return name


def token_hash(token: str) -> str:
    """What is stored of a session token or bearer token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- accounts

async def create_staff_user(session: AsyncSession, catalog: Catalog, *, username: str,
                            password: str, role: str, unit_id: str | None,
                            display_name: str | None = None, language: str = "id",
                            created_by: int | None = None, ip: str | None = None) -> StaffUser:
    """Create a staff account (audited as ``user_created``). AuthError on bad input.

    Officers and supervisors belong to a unit of the catalog; an admin may
    have none.
    """
    name = normalize_username(username)
    if role not in ROLES:
        raise AuthError(f"the role must be one of {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise AuthError(f"the language must be one of {', '.join(LANGUAGES)}")
    if unit_id is not None and not catalog.has_unit(unit_id):
        raise AuthError(f"unknown unit: {unit_id}")
    if unit_id is None and role != "admin":
        raise AuthError(f"a {role} needs a unit (--unit)")
    check_password_policy(password)
    repo = StaffRepository(session)
    if await repo.by_username(name) is not None:
        raise AuthError(f"the username {name} is taken")
    pw_hash = await asyncio.to_thread(hash_password, password)
    user = await repo.add(StaffUser(username=name, password_hash=pw_hash,
                                    display_name=display_name or None, unit_id=unit_id,
                                    role=role, language=language, active=True,
                                    created_at=utcnow()))
    await AuditRepository(session).add("user_created", actor_user_id=created_by,
                                       target_type="staff_user", target_id=str(user.id),
                                       data={"username": name, "role": role, "unit_id": unit_id},
                                       ip=ip)
    return user


async def set_password(session: AsyncSession, user: StaffUser, password: str, *,
                       actor_user_id: int | None = None, ip: str | None = None) -> None:
    """Change a user's password and end all their sessions."""
    check_password_policy(password)
    user.password_hash = await asyncio.to_thread(hash_password, password)
    await StaffRepository(session).revoke_all(user.id)
    await AuditRepository(session).add("password_changed", actor_user_id=actor_user_id,
                                       target_type="staff_user", target_id=str(user.id), ip=ip)


async def authenticate(session: AsyncSession, username: str, password: str, *,
                       ip: str | None = None, now: datetime | None = None) -> StaffUser | None:
    """The active user with these credentials, or None (audited either way).

    Raises :class:`LoginThrottled` after too many recent failures for the
    username, without checking the password (the caller records that: the
    transaction is usually rolled back). Use :func:`sign_in`, which also
    serialises the attempts of one username.
    """
    now = now or utcnow()
    name = _login_name(username)
    audit = AuditRepository(session)
    failures = await audit.count("login_failed", target_type="username", target_id=name,
                                 since=now - FAILED_LOGIN_WINDOW)
    if failures >= MAX_FAILED_LOGINS:
        raise LoginThrottled(name)
    user = await StaffRepository(session).by_username(name) if name else None
    stored = user.password_hash if user is not None else _dummy_hash()
    ok = await asyncio.to_thread(verify_password, stored, password)
    if user is None or not ok or not user.active:
        await audit.add("login_failed", actor_user_id=user.id if user else None,
                        target_type="username", target_id=name, ip=ip, now=now,
                        data={"reason": "inactive" if user is not None and ok else "credentials"})
        return None
    if PASSWORD_HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = await asyncio.to_thread(hash_password, password)
    user.last_login_at = now
    return user


def _login_name(username: str) -> str:
    return username.strip().lower()[:64]


async def sign_in(rt: Runtime, username: str, password: str, kind: str, *,
                  ip: str | None = None) -> tuple[str, StaffSession] | None:
    """Check the credentials and start a console session or issue an API token (see
    :func:`authenticate` and :func:`issue_session`): the raw token and its row, or None.

    The attempts for one username take turns (in this process, and across processes on
    PostgreSQL), each seeing the failures committed before it, so parallel guesses cannot
    get more than :data:`MAX_FAILED_LOGINS` passwords checked per window.
    :class:`LoginThrottled` beyond that, recorded as ``login_throttled`` (committed).
    """
    name = _login_name(username)
    try:
        async with locked_transaction(rt.sessions, f"login:{name}") as session:
            user = await authenticate(session, username, password, ip=ip)
            if user is None:
                return None
            return await issue_session(session, user, kind, rt.settings.console.session_hours,
                                       ip=ip)
    except LoginThrottled:
        async with rt.sessions() as session, session.begin():
            await AuditRepository(session).add("login_throttled", actor_user_id=None,
                                               target_type="username", target_id=name, ip=ip)
        raise


async def issue_session(session: AsyncSession, user: StaffUser, kind: str, hours: float, *,
                        ip: str | None = None, now: datetime | None = None,
                        ) -> tuple[str, StaffSession]:
    """Start a console session or issue an API token (audited as ``login``).

    Returns the raw token (shown once) and the stored row (hash only).
    """
    if kind not in SESSION_KINDS:
        raise ValueError(f"unknown session kind: {kind}")
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    row = await StaffRepository(session).add_session(StaffSession(
        token_hash=token_hash(token), user_id=user.id, kind=kind,
        csrf_token=secrets.token_urlsafe(32) if kind == "console" else None,
        created_at=now, expires_at=now + timedelta(hours=hours), revoked=False))
    await AuditRepository(session).add("login", actor_user_id=user.id, target_type="session",
                                       target_id=str(row.id), data={"kind": kind}, ip=ip, now=now)
    return token, row


async def resolve_token(session: AsyncSession, token: str, kind: str,
                        now: datetime | None = None) -> StaffContext | None:
    """The signed-in context of a live token, or None (unknown, expired, revoked, inactive)."""
    if not token or len(token) > 200:
        return None
    found = await StaffRepository(session).live_session(token_hash(token), kind, now or utcnow())
    if found is None:
        return None
    row, user = found
    return StaffContext(user=user, session_id=row.id, kind=row.kind, csrf_token=row.csrf_token,
                        expires_at=row.expires_at)


async def end_session(session: AsyncSession, token: str, *, actor_user_id: int | None,
                      ip: str | None = None) -> bool:
    """Revoke a session or token (audited as ``logout``)."""
    revoked = await StaffRepository(session).revoke(token_hash(token))
    if revoked:
        await AuditRepository(session).add("logout", actor_user_id=actor_user_id,
                                           target_type="staff_user",
                                           target_id=str(actor_user_id), ip=ip)
    return revoked


def csrf_ok(ctx: StaffContext, submitted: str | None) -> bool:
    """Whether a console form carried this session's CSRF token."""
    if not ctx.csrf_token or not submitted:
        return False
    return hmac.compare_digest(ctx.csrf_token.encode(), submitted.encode())


async def audit(session: AsyncSession, ctx: StaffContext | None, action: str, *,
                target_type: str | None = None, target_id: str | None = None,
                data: dict[str, Any] | None = None, ip: str | None = None) -> None:
    """Record a staff action in the audit trail."""
    await AuditRepository(session).add(action, actor_user_id=ctx.user_id if ctx else None,
                                       target_type=target_type, target_id=target_id,
                                       data={**(data or {}), **({"via": ctx.kind} if ctx else {})},
                                       ip=ip)


# --------------------------------------------------------------------------- visibility

def visible_unit_ids(user: StaffUser, catalog: Catalog) -> tuple[str, ...] | None:
    """The units whose tickets ``user`` sees: None for admins (all units); a supervisor's
    unit and every unit below it; an officer's own unit only. A user without a (known)
    unit sees nothing."""
    if user.role == "admin":
        return None
    if not user.unit_id or not catalog.has_unit(user.unit_id):
        return ()
    if user.role == "supervisor":
        return (user.unit_id, *(u.id for u in catalog.descendants(user.unit_id)))
    if user.role == "officer":
        return (user.unit_id,)
    return ()


def can_see(ticket: Ticket, units: tuple[str, ...] | None) -> bool:
    """Whether a viewer of ``units`` sees this ticket (its unit's or escalated to them)."""
    if units is None:
        return True
    return ticket.unit_id in units or (ticket.escalated_to_unit_id is not None
                                       and ticket.escalated_to_unit_id in units)


def not_found() -> HTTPException:
    """The one answer for missing and invisible tickets alike."""
    return HTTPException(status_code=404, detail="ticket not found")


async def load_visible_ticket(session: AsyncSession, user: StaffUser, catalog: Catalog,
                              number: str) -> Ticket:
    """The ticket ``number`` if ``user`` may see it; HTTP 404 otherwise (never telling
    whether it exists)."""
    if not number or len(number) > 32:
        raise not_found()
    ticket = await TicketRepository(session).by_number(number)
    if ticket is None or not can_see(ticket, visible_unit_ids(user, catalog)):
        raise not_found()
    return ticket


def client_ip(request: Request) -> str | None:
    """The caller's address as the server saw it (behind a proxy: as uvicorn resolved it)."""
    return request.client.host if request.client else None


# --------------------------------------------------------------------------- dependencies

def _runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def bearer_token(request: Request) -> str | None:
    """The bearer token of an ``Authorization`` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


async def current_staff_api(request: Request) -> StaffContext:
    """FastAPI dependency: the staff user of a bearer token; 401 with
    ``WWW-Authenticate: Bearer`` otherwise."""
    token = bearer_token(request)
    ctx = None
    if token:
        async with _runtime(request).sessions() as session:
            ctx = await resolve_token(session, token, "api")
    if ctx is None:
        raise HTTPException(status_code=401, detail="not signed in or the token has expired",
                            headers={"WWW-Authenticate": "Bearer"})
    return ctx


async def optional_staff_console(request: Request) -> StaffContext | None:
    """The staff user of the console session cookie, or None."""
    token = request.cookies.get(CONSOLE_COOKIE)
    if not token:
        return None
    async with _runtime(request).sessions() as session:
        return await resolve_token(session, token, "console")


async def current_staff_console(request: Request) -> StaffContext:
    """FastAPI dependency: the signed-in console user; a redirect to the sign-in page
    otherwise."""
    ctx = await optional_staff_console(request)
    if ctx is None:
        raise HTTPException(status_code=303, detail="sign in first",
                            headers={"Location": "/console/login"})
    return ctx
