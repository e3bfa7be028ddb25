"""Sign-in: checking credentials, throttling repeated failures, starting the session."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.core.runtime import Runtime
from bot.staff.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from bot.staff.sessions import issue_session
from storage.locks import locked_transaction
from storage.models import StaffSession, StaffUser, utcnow
from storage.ports import Repositories

# Sign-in throttling, so guessing stays slow without letting anyone lock an officer out:
# - per username *and address*: this many failures within the window refuse further
#   attempts for that username from that address only (the officer elsewhere still
#   signs in, correct password included);
# - per address: this many failures for any usernames refuse that address;
# - per username from everywhere: a distributed guess is capped at this many failures,
#   except from addresses the user signed in from successfully in the trusted period.
MAX_FAILED_LOGINS = 10
MAX_FAILED_PER_ADDRESS = 30
MAX_FAILED_PER_USERNAME = 100
FAILED_LOGIN_WINDOW = timedelta(minutes=15)
TRUSTED_ADDRESS_PERIOD = timedelta(days=30)


class LoginThrottled(Exception):
    """Too many failed sign-ins recently, for this username from this address, from this
    address, or for this username from an address it never signed in from."""


async def _throttled(repos: Repositories, name: str, ip: str | None, now: datetime) -> bool:
    audit = repos.audit
    since = now - FAILED_LOGIN_WINDOW
    pair = await audit.count_matching("login_failed", since=since, target_type="username",
                                      target_id=name, ip=ip) if ip else None
    if pair is not None and pair >= MAX_FAILED_LOGINS:
        return True
    if ip and await audit.count_matching("login_failed", since=since,
                                         ip=ip) >= MAX_FAILED_PER_ADDRESS:
        return True
    everywhere = await audit.count("login_failed", target_type="username", target_id=name,
                                   since=since)
    if ip is None:  # no address known (a test, a local tool): the username alone
        return everywhere >= MAX_FAILED_LOGINS
    if everywhere < MAX_FAILED_PER_USERNAME:
        return False
    user = await repos.staff.by_username(name) if name else None
    trusted = user is not None and await audit.count_matching(
        "login", since=now - TRUSTED_ADDRESS_PERIOD, actor_user_id=user.id, ip=ip) > 0
    return not trusted


async def authenticate(repos: Repositories, username: str, password: str, *,
                       ip: str | None = None, now: datetime | None = None) -> StaffUser | None:
    """The active user with these credentials, or None (audited either way).

    Raises :class:`LoginThrottled` after too many recent failures (see the limits
    above), without checking the password (the caller records that: the
    transaction is usually rolled back). Use :func:`sign_in`, which also
    serialises the attempts of one username.
    """
    now = now or utcnow()
    name = _login_name(username)
    audit = repos.audit
    if await _throttled(repos, name, ip, now):
        raise LoginThrottled(name)
    user = await repos.staff.by_username(name) if name else None
    stored = user.password_hash if user is not None else dummy_hash()
    ok = await asyncio.to_thread(verify_password, stored, password)
    if user is None or not ok or not user.active:
        await audit.add("login_failed", actor_user_id=user.id if user else None,
                        target_type="username", target_id=name, ip=ip, now=now,
                        data={"reason": "inactive" if user is not None and ok else "credentials"})
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = await asyncio.to_thread(hash_password, password)
    user.last_login_at = now
    return user


def _login_name(username: str) -> str:
    return username.strip().lower()[:64]


async def sign_in(rt: Runtime, username: str, password: str, kind: str, *,
                  ip: str | None = None) -> tuple[str, StaffSession] | None:
    """Check the credentials and start a console session or issue an API token (see
    :func:`authenticate` and :func:`bot.staff.sessions.issue_session`): the raw token and
    its row, or None.

    The attempts for one username take turns (in this process, and across processes on
    PostgreSQL), each seeing the failures committed before it, so parallel guesses cannot
    get more than :data:`MAX_FAILED_LOGINS` passwords checked per window.
    :class:`LoginThrottled` beyond that, recorded as ``login_throttled`` (committed).
    """
    name = _login_name(username)
    try:
        async with locked_transaction(rt.sessions, f"login:{name}") as session:
            repos = rt.repositories(session)
            user = await authenticate(repos, username, password, ip=ip)
            if user is None:
                return None
            return await issue_session(repos, user, kind, rt.settings.console.session_hours,
                                       ip=ip)
    except LoginThrottled:
        async with rt.sessions() as session, session.begin():
            await rt.repositories(session).audit.add(
                "login_throttled", actor_user_id=None, target_type="username", target_id=name,
                ip=ip)
        raise
