"""Test helpers for staff features: accounts, tokens, console sign-in, tickets to act on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

import bot.staff.passwords
from bot.core.runtime import Runtime
from bot.staff.accounts import create_staff_user
from bot.tickets.lifecycle import create_ticket
from storage.models import StaffUser, Ticket
from storage.repositories.citizens import CitizenRepository
from tests.conftest import talk

PASSWORD = "rahasia-sekali-123"
UNIT_A = "dinas-pupr-batu"  # owns infrastructure; parent setda-batu
UNIT_B = "dinkes-batu"  # owns health; parent setda-batu
PARENT = "setda-batu"
OUTSIDE = "perumda-among-tirto"  # owns water supply; parent pemkot-batu (not under setda)
CATEGORY_OF = {UNIT_A: "infrastructure", UNIT_B: "health", OUTSIDE: "water_supply"}
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER = re.compile(r"PTU-\d{4}-\d{6}")


@pytest.fixture(autouse=True)
def light_argon2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """argon2id with small parameters, so tests that sign in often stay fast (the default
    parameters are checked by their own test)."""
    monkeypatch.setattr(bot.staff.passwords, "PASSWORD_HASHER",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    bot.staff.passwords.dummy_hash.cache_clear()
    yield
    bot.staff.passwords.dummy_hash.cache_clear()


async def make_staff(rt: Runtime, username: str, role: str, unit_id: str | None,
                     *, language: str = "id", password: str = PASSWORD) -> StaffUser:
    """Create a staff account directly in the runtime's database."""
    async with rt.sessions() as session, session.begin():
        return await create_staff_user(rt.repositories(session), rt.catalog, username=username,
                                       password=password, role=role, unit_id=unit_id,
                                       display_name=username.title(), language=language)


async def make_team(rt: Runtime) -> dict[str, StaffUser]:
    """Officers of units A and B, a supervisor of their parent, an officer of the parent,
    an officer outside the parent's tree, and an admin."""
    return {
        "officer_a": await make_staff(rt, "officer_a", "officer", UNIT_A),
        "officer_b": await make_staff(rt, "officer_b", "officer", UNIT_B),
        "supervisor": await make_staff(rt, "supervisor", "supervisor", PARENT),
        "officer_parent": await make_staff(rt, "officer_parent", "officer", PARENT),
        "officer_out": await make_staff(rt, "officer_out", "officer", OUTSIDE),
        "admin": await make_staff(rt, "admin", "admin", None),
    }


async def new_ticket(rt: Runtime, unit_id: str, *, sender: str, text: str = "",
                     confidential: bool = False, **extra: Any) -> Ticket:
    """A ticket filed by a REST citizen and routed (by the real router) to ``unit_id``."""
    category = CATEGORY_OF[unit_id]
    async with rt.sessions() as session, session.begin():
        citizen, _identity = await CitizenRepository(session).identify(
            "rest", sender, reply_address=sender, display_name=f"Warga {sender}")
        ticket, decision = await create_ticket(
            session, rt, citizen=citizen, kind="complaint",
            description=text or f"laporan {category} dari {sender}", category=category,
            confidence=0.95, region_code="35.79", region_name="Kota Batu", channel="rest",
            **extra)
        ticket.confidential = confidential
    assert decision.unit.id == unit_id, decision
    return ticket


async def api_headers(client: httpx.AsyncClient, username: str,
                      password: str = PASSWORD) -> dict[str, str]:
    """Sign in through ``POST /api/auth/token``; the bearer header to use."""
    resp = await client.post("/api/auth/token",
                             data={"username": username, "password": password,
                                   "grant_type": "password"})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


async def console_login(client: httpx.AsyncClient, username: str,
                        password: str = PASSWORD) -> httpx.Response:
    """Sign in through the console's form (client keeps the session cookie)."""
    page = await client.get("/console/login")
    token = CSRF_FIELD.search(page.text)
    assert token, page.text
    return await client.post("/console/login", data={
        "username": username, "password": password, "csrf_token": token.group(1),
        "next": "/console/inbox"})


def csrf_of(html: str) -> str:
    """The session's CSRF token from a console page."""
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def file_via_chat(client: httpx.AsyncClient, sender: str, text: str) -> str:
    """A complaint filed through the REST channel (answering the bot's location question
    and confirming); its ticket number."""
    answer = await talk(client, sender, text)
    for _ in range(4):
        reply = " ".join(a.get("text") or "" for a in answer)
        match = NUMBER.search(reply)
        if match:
            return match.group(0)
        confirm = any(str(b.get("payload", "")).startswith("/confirm")
                      for a in answer for b in a.get("buttons") or [])
        if not confirm and ("lokasi" in reply.lower() or "where" in reply.lower()):
            answer = await talk(client, sender, "Jl. Diponegoro, Kecamatan Batu, Kota Batu")
        else:
            answer = await talk(client, sender, "ya")
    raise AssertionError(f"no ticket number in {answer}")
