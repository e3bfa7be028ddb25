""""Saya juga" in the console, in a real browser at desktop and phone size: the inbox shows
how many citizens joined a ticket, the ticket page lists them; an officer merges a second
report into the first with the merge form and splits it off again."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bot.core.runtime import Runtime
from tests.browser_support import LiveServer, browser, live_server  # noqa: F401
from tests.conftest import talk
from tests.staff_support import (  # noqa: F401
    NUMBER,
    PASSWORD,
    UNIT_A,
    light_argon2,
    make_staff,
)

pytestmark = pytest.mark.browser
FIRST = "lampu jalan mati di depan masjid Al Ikhlas kelurahan Sisir, sudah tiga malam gelap"
SECOND = "lampu jalan depan masjid al ikhlas di Sisir mati, gelap sekali kalau malam"
PLACE = "Jl. Diponegoro, Sisir, Kota Batu"


@pytest.fixture
async def live_runtime(make_runtime: Any, sqlite_url: str) -> Runtime:
    """The served runtime, with "saya juga" on."""
    rt: Runtime = await make_runtime(sqlite_url, cases={"me_too": {"enabled": True}})
    return rt


async def _report(client: httpx.AsyncClient, sender: str, words: str,
                  answer: str) -> list[dict[str, Any]]:
    """Report, say where if asked, send; then answer the offer (if any) with ``answer``."""
    replies = await talk(client, sender, words)
    if "kirim" not in replies[-1]["text"].lower():
        replies = await talk(client, sender, PLACE)
    replies = await talk(client, sender, "ya")
    if any(b["payload"] == "/join" for b in replies[-1].get("buttons") or []):
        replies = await talk(client, sender, answer)
    return replies


async def _no_sideways_scroll(page: Any, viewport: dict[str, int]) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"{page.url} scrolls sideways: {width}px"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 390, "height": 844}], ids=["desktop", "phone"])
async def test_joiners_merge_and_split_in_the_browser(browser: Any,  # noqa: F811
                                                      live_server: LiveServer,  # noqa: F811
                                                      viewport: dict[str, int]) -> None:
    rt = live_server.runtime
    await make_staff(rt, "petugas", "officer", UNIT_A)
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as citizen:
        first = NUMBER.findall((await _report(citizen, "warga-1", FIRST, "ya"))[-1]["text"])[0]
        joined = await _report(citizen, "warga-2", SECOND, "1")
        assert joined[-1]["text"].startswith(f"Terima kasih, Anda ikut laporan {first}")
        filed = await _report(citizen, "warga-3", SECOND + " juga", "2")
        second = NUMBER.findall(filed[-1]["text"])[0]
        assert second != first

    context = await browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{live_server.url}/console/login")
    await page.fill("input[name=username]", "petugas")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/inbox")
    badge = page.locator(f"tr[data-number='{first}'] .badge.joiners")
    assert (await badge.text_content() or "").strip() == "+1 ikut"
    assert await page.locator(f"tr[data-number='{second}'] .badge.joiners").count() == 0
    await _no_sideways_scroll(page, viewport)

    # The second report is the same problem: merged into the first with the form.
    await page.goto(f"{live_server.url}/console/tickets/{second}")
    await page.fill("#merge-target", first)
    await page.click("#merge-form button[type=submit]")
    await page.wait_for_url(f"**/console/tickets/{second}?done=merge")
    assert (await page.text_content("[role=status]") or "").strip() == "Tiket digabung."
    assert (await page.text_content("#ticket-merged-into") or "").strip() == first
    assert (await page.text_content("#ticket-status") or "").strip() == "Ditutup"
    await _no_sideways_scroll(page, viewport)

    await page.click("#ticket-merged-into a")
    await page.wait_for_url(f"**/console/tickets/{first}")
    assert await page.text_content("#joiner-count") == "2"
    items = page.locator("#ticket-joiners li")
    assert await items.count() == 2
    assert "saya juga" in (await items.nth(0).text_content() or "")
    assert f"digabung dari {second}" in (await items.nth(1).text_content() or "")
    assert SECOND in (await items.nth(0).locator(".text").text_content() or "")
    hint = (await page.text_content("#reply-joiners") or "").strip()
    assert hint == "Balasan juga dikirim ke 2 warga yang ikut melapor."
    await _no_sideways_scroll(page, viewport)

    # The merged-in citizen's report is split off again as a ticket of its own.
    await items.nth(1).locator("button[type=submit]").click()
    await page.wait_for_url(f"**/console/tickets/{first}?done=split")
    assert (await page.text_content("[role=status]") or "").strip() == (
        "Laporan warga dipisah menjadi tiket baru.")
    assert await page.text_content("#joiner-count") == "1"
    history = await page.text_content("#history") or ""
    assert "Laporan warga dipisah" in history and "Tiket lain digabung ke sini" in history
    await _no_sideways_scroll(page, viewport)
    assert errors == []
    await context.close()
