"""The citizen data-rights page in a real browser at desktop and phone size: an admin
follows the ticket page's link, downloads the export and erases after confirming."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser_support import LiveServer, browser, live_runtime, live_server  # noqa: F401
from tests.staff_support import (  # noqa: F401
    PASSWORD,
    file_via_chat,
    light_argon2,
    make_staff,
)

pytestmark = pytest.mark.browser
COMPLAINT = "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh minggu ini"


async def _no_sideways_scroll(page: Any, viewport: dict[str, int]) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"{page.url} scrolls sideways: {width}px"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 390, "height": 844}], ids=["desktop", "phone"])
async def test_admin_exports_and_erases_in_the_browser(browser: Any,  # noqa: F811
                                                       live_server: LiveServer,  # noqa: F811
                                                       viewport: dict[str, int],
                                                       tmp_path: Path) -> None:
    rt = live_server.runtime
    await make_staff(rt, "root", "admin", None, language="en")
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as citizen:
        number = await file_via_chat(citizen, "warga-hak", COMPLAINT)
    context = await browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500,
                                        accept_downloads=True)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    await page.goto(f"{live_server.url}/console/login")
    await page.fill("input[name=username]", "root")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/inbox")
    await page.goto(f"{live_server.url}/console/tickets/{number}")
    await page.click("#citizen-data")
    await page.wait_for_url("**/console/citizens/*")
    assert await page.text_content("h1") == "Citizen's personal data"
    assert await page.text_content("#citizen-channels") == "rest"
    await _no_sideways_scroll(page, viewport)

    async with page.expect_download() as waiting:
        await page.click("#export-form button[type=submit]")
    download = await waiting.value
    assert download.suggested_filename.startswith("pintu-citizen-")
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert [t["number"] for t in exported["tickets"]] == [number]
    assert COMPLAINT in [m["text"] for m in exported["messages"]]

    await page.click("#erase-start")
    await page.wait_for_selector("#erase-confirm")
    await _no_sideways_scroll(page, viewport)
    await page.click("#erase-confirm")
    await page.wait_for_url(f"**?done=erased&ticket={number}")
    assert await page.is_visible("#erased")
    assert await page.text_content("#citizen-channels") == "-"
    assert await page.is_visible("#citizen-erased-at")
    await _no_sideways_scroll(page, viewport)
    await page.click("#back-to-ticket")
    await page.wait_for_url(f"**/console/tickets/{number}")
    description = await page.text_content("#ticket-description") or ""
    assert COMPLAINT not in description
    assert errors == []
    await context.close()
