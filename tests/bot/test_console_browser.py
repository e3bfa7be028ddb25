"""The console in a real browser (headless Chromium): an officer signs in, sees a new
ticket arrive live, opens it, replies and forwards it; the REST citizen receives both."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.browser_support import LiveServer, browser, live_runtime, live_server  # noqa: F401
from tests.staff_support import (  # noqa: F401
    PASSWORD,
    UNIT_A,
    UNIT_B,
    file_via_chat,
    light_argon2,
    make_staff,
)

pytestmark = pytest.mark.browser


async def test_officer_replies_and_forwards_in_the_browser(browser: Any,  # noqa: F811
                                                           live_server: LiveServer  # noqa: F811
                                                           ) -> None:
    rt = live_server.runtime
    await make_staff(rt, "officer_a", "officer", UNIT_A)
    page = await browser.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    await page.goto(f"{live_server.url}/console/inbox")
    assert page.url.endswith("/console/login")
    await page.fill("input[name=username]", "officer_a")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/inbox")
    # The live stream is connected before the citizen writes.
    await page.wait_for_selector("[data-live-ready='1']", state="attached")

    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as citizen:
        number = await file_via_chat(
            citizen, "warga-browser",
            "jalan di depan SDN 2 Sisir berlubang besar <b>tebal</b>, sudah tiga motor jatuh")
        # The new ticket shows up in the open inbox without a reload.
        link = page.locator(f"tr[data-number='{number}'] a")
        await link.wait_for()
        await link.click()
        await page.wait_for_url(f"**/console/tickets/{number}")
        description = await page.text_content("#ticket-description")
        assert description is not None and "<b>tebal</b>" in description  # text, not markup

        await page.fill("#reply-form textarea[name=text]", "Tim kami menambal jalan besok pagi.")
        await page.click("#reply-form button[type=submit]")
        await page.wait_for_url(f"**/console/tickets/{number}?done=reply")
        assert await page.text_content("#ticket-status") == "Sedang ditangani"
        held = (await citizen.get("/webhooks/rest/messages",
                                  params={"sender": "warga-browser"})).json()
        assert any("menambal jalan besok pagi" in m["text"] and number in m["text"]
                   for m in held), held

        await page.select_option("#forward-form select[name=unit_id]", UNIT_B)
        await page.fill("#forward-form input[name=text]", "bukan kewenangan kami")
        await page.click("#forward-form button[type=submit]")
        await page.wait_for_url("**/console/inbox?notice=forwarded_away")
        assert await page.locator(f"tr[data-number='{number}']").count() == 0
        told = (await citizen.get("/webhooks/rest/messages",
                                  params={"sender": "warga-browser"})).json()
        unit_b = rt.catalog.unit(UNIT_B).name
        assert any(unit_b in m["text"] and "bukan kewenangan kami" in m["text"] for m in told)
    assert errors == []
    await page.close()
