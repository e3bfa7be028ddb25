"""``pintu users``: create and list staff accounts (officers, supervisors, admins)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app.settings import Settings, load_settings
from routing.catalog import Catalog
from storage.ports import Repositories
from storage.repositories import sql_repositories


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu users create|list|set-password|deactivate``."""
    p = sub.add_parser("users", help="staff accounts for the console and the API")
    usub = p.add_subparsers(dest="users_command", required=True)

    create = usub.add_parser("create", help="create a staff account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=["officer", "supervisor", "admin"])
    create.add_argument("--unit", help="the unit's id in the catalog (optional for admins)")
    create.add_argument("--name", dest="display_name", help="display name")
    create.add_argument("--language", choices=["id", "en"], default="id",
                        help="console language (default: id)")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    create.set_defaults(func=run_create)

    lst = usub.add_parser("list", help="list staff accounts")
    lst.set_defaults(func=run_list)

    pw = usub.add_parser("set-password", help="set a new password (ends the user's sessions)")
    pw.add_argument("--username", required=True)
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(func=run_set_password)

    off = usub.add_parser("deactivate", help="disable an account (ends its sessions)")
    off.add_argument("--username", required=True)
    off.set_defaults(func=run_deactivate)


def read_password(from_stdin: bool, stdin: TextIO | None = None) -> str:
    """The new password: the first line of standard input, or typed twice at a prompt."""
    if from_stdin:
        return (stdin or sys.stdin).readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise SystemExit("pintu: the passwords do not match")
    return first


def run_create(args: argparse.Namespace) -> int:
    """Create a staff account in the configured database (migrating it first)."""
    settings = load_settings(args.config)
    password = read_password(args.password_stdin)
    return asyncio.run(create_user(settings, username=args.username, role=args.role,
                                   unit_id=args.unit, password=password,
                                   display_name=args.display_name, language=args.language))


async def create_user(settings: Settings, *, username: str, role: str, unit_id: str | None,
                      password: str, display_name: str | None = None, language: str = "id",
                      out: TextIO | None = None) -> int:
    """Create the account; prints the result and returns the exit status."""
    from bot.staff.accounts import AuthError, create_staff_user

    out = out or sys.stdout
    rt = await _light_runtime(settings)
    try:
        await rt.sync_units()
        async with rt.sessions() as session, session.begin():
            user = await create_staff_user(rt.repositories(session), rt.catalog,
                                           username=username, password=password, role=role,
                                           unit_id=unit_id, display_name=display_name,
                                           language=language)
    except AuthError as exc:
        print(f"pintu: {exc}", file=sys.stderr)
        return 2
    finally:
        await rt.engine.dispose()
    unit = f" of {unit_id}" if unit_id else ""
    print(f"created {user.role} {user.username}{unit} (id {user.id})", file=out)
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the staff accounts."""
    return asyncio.run(list_users(load_settings(args.config)))


async def list_users(settings: Settings, out: TextIO | None = None) -> int:
    """Print one line per account: username, role, unit, active, last sign-in."""
    out = out or sys.stdout
    rt = await _light_runtime(settings)
    try:
        async with rt.sessions() as session:
            users = await rt.repositories(session).staff.all()
    finally:
        await rt.engine.dispose()
    if not users:
        print("no staff accounts yet: pintu users create --username admin --role admin",
              file=out)
    for u in users:
        last = u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "-"
        print(f"{u.username:<24} {u.role:<10} {u.unit_id or '-':<24} "
              f"{'active' if u.active else 'inactive':<8} last sign-in {last}", file=out)
    return 0


def run_set_password(args: argparse.Namespace) -> int:
    """Set a user's password."""
    settings = load_settings(args.config)
    password = read_password(args.password_stdin)
    return asyncio.run(_change(settings, args.username, password=password))


def run_deactivate(args: argparse.Namespace) -> int:
    """Disable a user."""
    return asyncio.run(_change(load_settings(args.config), args.username, deactivate=True))


async def _change(settings: Settings, username: str, *, password: str | None = None,
                  deactivate: bool = False) -> int:
    from bot.staff.accounts import AuthError, set_password

    rt = await _light_runtime(settings)
    try:
        async with rt.sessions() as session, session.begin():
            repos = rt.repositories(session)
            repo = repos.staff
            user = await repo.by_username(username)
            if user is None:
                print(f"pintu: no staff user {username}", file=sys.stderr)
                return 2
            if password is not None:
                await set_password(repos, user, password)
            if deactivate:
                user.active = False
                await repo.revoke_all(user.id)
                await repos.audit.add("user_deactivated", actor_user_id=None,
                                      target_type="staff_user", target_id=str(user.id))
    except AuthError as exc:
        print(f"pintu: {exc}", file=sys.stderr)
        return 2
    finally:
        await rt.engine.dispose()
    print(f"{'deactivated' if deactivate else 'password set for'} {username}")
    return 0


@dataclass
class _Db:
    """What the user commands need of a runtime: the database and the catalog."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    catalog: Catalog
    repositories: Callable[[AsyncSession], Repositories] = sql_repositories

    async def sync_units(self) -> None:
        """Mirror the catalog's units (staff rows reference them)."""
        async with self.sessions() as session, session.begin():
            await self.repositories(session).units.sync(
                {"id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind,
                 "parent_id": u.parent_id, "is_triage": u.is_triage} for u in self.catalog.units)


async def _light_runtime(settings: Settings) -> _Db:
    """The database (migrated) and the catalog, without the NLU or channels."""
    from routing.catalog import load_catalog
    from storage.db import create_engine, session_factory, upgrade_async

    await upgrade_async(settings.database.url)
    engine = create_engine(settings.database.url)
    catalog = load_catalog(settings.catalog.path, extra_holidays=settings.catalog.holidays)
    return _Db(engine=engine, sessions=session_factory(engine), catalog=catalog)
