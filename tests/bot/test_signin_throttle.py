"""Sign-in throttling that nobody can turn into a lock-out (issue 15, item 5).

Before: ten wrong passwords for a known username, from anywhere, locked that
officer out for 15 minutes (correct password included), and one address could
try any number of usernames. Now failures count per username *and* address,
per address, and per username from everywhere with the officer's usual
addresses exempt.
"""

from __future__ import annotations

import httpx
import pytest

import bot.staff.signin as signin
from tests.conftest import AppClient
from tests.log_scan import scanned_logs  # noqa: F401  (scans this module's logs)
from tests.staff_support import PASSWORD, UNIT_A, light_argon2, make_staff  # noqa: F401


def _from(client: AppClient, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=client.app, client=(address, 4242))
    return httpx.AsyncClient(transport=transport, base_url="http://pintu.test")


async def _sign_in(c: httpx.AsyncClient, username: str, password: str) -> int:
    resp = await c.post("/api/auth/token", data={"username": username, "password": password})
    return resp.status_code


async def test_guesses_from_one_address_do_not_lock_the_officer_out(client: AppClient) -> None:
    await make_staff(client.runtime, "officer_a", "officer", UNIT_A)
    async with _from(client, "203.0.113.7") as attacker, _from(client, "198.51.100.20") as office:
        codes = [await _sign_in(attacker, "officer_a", f"guess-{i}") for i in range(11)]
        assert codes == [400] * 10 + [429]
        # The attacker's address stays refused, even with the right password ...
        assert await _sign_in(attacker, "officer_a", PASSWORD) == 429
        # ... while the officer at the office signs in at once.
        assert await _sign_in(office, "officer_a", PASSWORD) == 200


async def test_one_address_cannot_try_many_usernames(client: AppClient) -> None:
    await make_staff(client.runtime, "officer_a", "officer", UNIT_A)
    async with _from(client, "203.0.113.8") as attacker, _from(client, "198.51.100.21") as office:
        codes = [await _sign_in(attacker, f"user{i:02d}", "guess")
                 for i in range(signin.MAX_FAILED_PER_ADDRESS + 1)]
        assert codes == [400] * signin.MAX_FAILED_PER_ADDRESS + [429]
        assert await _sign_in(attacker, "officer_a", PASSWORD) == 429
        assert await _sign_in(office, "officer_a", PASSWORD) == 200


async def test_a_distributed_guess_is_capped_but_the_usual_address_still_works(
        client: AppClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signin, "MAX_FAILED_PER_USERNAME", 12)
    await make_staff(client.runtime, "officer_a", "officer", UNIT_A)
    async with _from(client, "198.51.100.22") as office:
        assert await _sign_in(office, "officer_a", PASSWORD) == 200  # a usual address
    for i in range(12):  # twelve addresses, one guess each: no pair or address limit hit
        async with _from(client, f"203.0.113.{100 + i}") as bot_net:
            assert await _sign_in(bot_net, "officer_a", "guess") == 400
    async with _from(client, "203.0.113.200") as fresh, _from(client, "198.51.100.22") as office:
        assert await _sign_in(fresh, "officer_a", PASSWORD) == 429
        assert await _sign_in(office, "officer_a", PASSWORD) == 200
