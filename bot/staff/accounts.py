"""Staff accounts: usernames, roles, the password policy, creating users, new passwords."""

from __future__ import annotations

import asyncio
import re

from bot.staff.passwords import hash_password
from routing.catalog import Catalog
from storage.models import StaffUser, utcnow
from storage.ports import Repositories

ROLES: tuple[str, ...] = ("officer", "supervisor", "admin")
LANGUAGES: tuple[str, ...] = ("id", "en")
MIN_PASSWORD_LENGTH = 8

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AuthError(ValueError):
    """A staff-account request that cannot be done (bad name, weak password, unknown unit)."""


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


async def create_staff_user(repos: Repositories, catalog: Catalog, *, username: str,
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
        raise AuthError(f"the {role} role needs a unit (--unit)")
    check_password_policy(password)
    repo = repos.staff
    if await repo.by_username(name) is not None:
        raise AuthError(f"the username {name} is taken")
    pw_hash = await asyncio.to_thread(hash_password, password)
    user = await repo.add(StaffUser(username=name, password_hash=pw_hash,
                                    display_name=display_name or None, unit_id=unit_id,
                                    role=role, language=language, active=True,
                                    created_at=utcnow()))
    await repos.audit.add("user_created", actor_user_id=created_by,
                          target_type="staff_user", target_id=str(user.id),
                          data={"username": name, "role": role, "unit_id": unit_id}, ip=ip)
    return user


async def set_password(repos: Repositories, user: StaffUser, password: str, *,
                       actor_user_id: int | None = None, ip: str | None = None) -> None:
    """Change a user's password and end all their sessions."""
    check_password_policy(password)
    user.password_hash = await asyncio.to_thread(hash_password, password)
    await repos.staff.revoke_all(user.id)
    await repos.audit.add("password_changed", actor_user_id=actor_user_id,
                          target_type="staff_user", target_id=str(user.id), ip=ip)
