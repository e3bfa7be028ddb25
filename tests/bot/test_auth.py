"""Staff accounts and sign-in: argon2id hashing, sessions, visibility rules, the CLI."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

import bot.staff.passwords
from bot.cli.main import main
from bot.core.runtime import Runtime
from bot.staff.accounts import AuthError, create_staff_user
from bot.staff.passwords import verify_password
from bot.staff.sessions import issue_session, resolve_token
from bot.staff.signin import authenticate
from bot.staff.visibility import can_see, visible_unit_ids
from routing.catalog import load_catalog
from storage.models import AuditLog, StaffSession, StaffUser, Ticket, utcnow
from tests.staff_support import PASSWORD, UNIT_A, UNIT_B

CATALOG = load_catalog(None)


def test_passwords_are_hashed_with_argon2id_and_memory_hard_defaults() -> None:
    hashed = bot.staff.passwords.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert "m=65536" in hashed  # 64 MiB per hash
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "correct horse batterY")
    assert not verify_password("not-a-hash", "x")


def _user(role: str, unit_id: str | None) -> StaffUser:
    return StaffUser(username="u", password_hash="-", role=role, unit_id=unit_id)


def test_visible_units_per_role() -> None:
    assert visible_unit_ids(_user("admin", None), CATALOG) is None
    assert visible_unit_ids(_user("officer", UNIT_A), CATALOG) == (UNIT_A,)
    sup = visible_unit_ids(_user("supervisor", "setda-batu"), CATALOG)
    assert sup is not None and sup[0] == "setda-batu"
    assert {UNIT_A, UNIT_B, "triase-batu"} <= set(sup)  # children and grandchildren
    assert "perumda-among-tirto" not in sup and "pemkot-batu" not in sup
    assert visible_unit_ids(_user("officer", None), CATALOG) == ()
    assert visible_unit_ids(_user("officer", "gone-unit"), CATALOG) == ()
    assert visible_unit_ids(_user("auditor", UNIT_A), CATALOG) == ()
    escalated = Ticket(unit_id=UNIT_A, escalated_to_unit_id="setda-batu")
    assert can_see(escalated, ("setda-batu",)) and can_see(escalated, (UNIT_A,))
    assert not can_see(escalated, (UNIT_B,)) and not can_see(escalated, ())


async def test_create_user_refuses_bad_input_and_stores_nothing(runtime: Runtime) -> None:
    bad = [
        {"username": "x", "role": "officer", "unit_id": UNIT_A},
        {"username": "bad name!", "role": "officer", "unit_id": UNIT_A},
        {"username": "ok_name", "role": "officer", "unit_id": UNIT_A, "password": "short"},
        {"username": "ok_name", "role": "officer", "unit_id": "no-such-unit"},
        {"username": "ok_name", "role": "officer", "unit_id": None},
        {"username": "ok_name", "role": "root", "unit_id": None},
        {"username": "ok_name", "role": "admin", "unit_id": None, "language": "fr"},
    ]
    for case in bad:
        with pytest.raises(AuthError):
            async with runtime.sessions() as s, s.begin():
                await create_staff_user(runtime.repositories(s), runtime.catalog,
                                        **{"password": PASSWORD, **case})
    async with runtime.sessions() as s:
        assert (await s.execute(select(StaffUser))).scalars().all() == []
        assert (await s.execute(select(AuditLog))).scalars().all() == []
    async with runtime.sessions() as s, s.begin():
        await create_staff_user(runtime.repositories(s), runtime.catalog, username="Admin",
                                password=PASSWORD, role="admin", unit_id=None)
    with pytest.raises(AuthError, match="taken"):
        async with runtime.sessions() as s, s.begin():
            await create_staff_user(runtime.repositories(s), runtime.catalog, username="admin",
                                    password=PASSWORD, role="admin", unit_id=None)


async def test_sessions_expire_and_weak_hashes_are_upgraded(runtime: Runtime,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    # An account hashed with older, weaker parameters...
    monkeypatch.setattr(bot.staff.passwords, "PASSWORD_HASHER",
                        PasswordHasher(time_cost=1, memory_cost=1024))
    async with runtime.sessions() as s, s.begin():
        await create_staff_user(runtime.repositories(s), runtime.catalog, username="officer_a",
                                password=PASSWORD, role="officer", unit_id=UNIT_A)
    monkeypatch.undo()
    # ...is re-hashed with the current ones at the next sign-in.
    async with runtime.sessions() as s, s.begin():
        repos = runtime.repositories(s)
        user = await authenticate(repos, "officer_a", PASSWORD)
        assert user is not None and "m=65536" in user.password_hash
        assert user.last_login_at is not None
        past = utcnow() - timedelta(hours=runtime.settings.console.session_hours + 1)
        old_token, _ = await issue_session(repos, user, "console", 12, now=past)
        token, row = await issue_session(repos, user, "console", 12)
    assert row.csrf_token and row.token_hash != token
    async with runtime.sessions() as s:
        repos = runtime.repositories(s)
        assert await resolve_token(repos, old_token, "console") is None  # expired
        ctx = await resolve_token(repos, token, "console")
        assert ctx is not None and ctx.user.username == "officer_a"
        assert await resolve_token(repos, token, "api") is None  # a cookie is not a bearer token
        assert await resolve_token(repos, "", "console") is None
        assert (await s.execute(select(StaffSession))).scalars().all()


def test_cli_creates_and_lists_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(bot.staff.passwords, "PASSWORD_HASHER",
                        PasswordHasher(time_cost=1, memory_cost=1024))
    monkeypatch.setenv("PINTU_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "create", "--username", "sari", "--unit", UNIT_A,
                 "--role", "officer", "--name", "Sari", "--password-stdin"]) == 0
    assert "created officer sari" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "create", "--username", "boss", "--role", "admin",
                 "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "create", "--username", "x2", "--unit", "nowhere",
                 "--role", "officer", "--password-stdin"]) == 2
    assert "unknown unit" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "create", "--username", "x3", "--unit", UNIT_A,
                 "--role", "officer", "--password-stdin"]) == 2
    assert main(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "sari" in listing and UNIT_A in listing and "boss" in listing
    assert "x2" not in listing and "x3" not in listing
    monkeypatch.setattr("sys.stdin", io.StringIO("another-long-pass\n"))
    assert main(["users", "set-password", "--username", "sari", "--password-stdin"]) == 0
    assert main(["users", "deactivate", "--username", "sari"]) == 0
    assert "deactivated sari" in capsys.readouterr().out
    assert main(["users", "list"]) == 0
    sari = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("sari"))
    assert "inactive" in sari
