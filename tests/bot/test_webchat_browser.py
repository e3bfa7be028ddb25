"""The web chat widget in headless Chromium: open /, report, press a button, reload.

Needs Debian's ``chromium`` (``/usr/bin/chromium``, installed by ``.ci/run``)
and the Playwright Python package. Skipped with the reason when either is
missing, unless ``PINTU_REQUIRE_BROWSER=1``, which makes that a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from bot.runtime import Runtime
from tests.bot.webchat_live import TICKET, live_app
from tests.conftest import RuntimeFactory

CHROMIUM = Path(os.environ.get("PINTU_CHROMIUM", "/usr/bin/chromium"))
REQUIRE = os.environ.get("PINTU_REQUIRE_BROWSER") == "1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("PINTU_SCREENSHOT_DIR", "/tmp"))

pytestmark = pytest.mark.browser


def _require_browser() -> Any:
    """Playwright's async API, or skip (fail under PINTU_REQUIRE_BROWSER=1)."""
    reason = None
    try:
        from playwright import async_api
    except ImportError:
        reason = "the playwright package is not installed"
    else:
        if not CHROMIUM.exists():
            reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if reason is None:
        return async_api
    if REQUIRE:
        pytest.fail(f"PINTU_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


async def test_widget_report_button_reload_history(make_runtime: RuntimeFactory,
                                                   sqlite_url: str) -> None:
    pw_api = _require_browser()
    rt: Runtime = await make_runtime(sqlite_url)
    async with live_app(rt) as url, pw_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                           args=ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 800},
                                                locale="id-ID")
            page = await context.new_page()
            foreign: list[str] = []
            page.on("request", lambda r: None if r.url.startswith(url) or r.url.startswith(
                "data:") else foreign.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            expect = pw_api.expect

            await page.goto(url + "/")
            launcher = page.get_by_role("button", name="Buka obrolan Pintu")
            await expect(launcher).to_have_attribute("aria-expanded", "false")
            await launcher.click()
            panel = page.get_by_role("dialog")
            await expect(panel).to_be_visible()
            await expect(launcher).to_have_attribute("aria-expanded", "true")
            log = page.get_by_role("log")
            # The welcome text shows once the session is synced with the server.
            await expect(log).to_contain_text("Saya Pintu", timeout=15000)
            box = page.get_by_role("textbox", name="Pesan Anda")
            await expect(box).to_be_focused()
            await page.screenshot(path=str(SHOTS / "webchat-welcome.png"))

            complaint = ("jalan di depan SDN 2 berlubang besar sudah sebulan di Kota Batu, "
                         "sudah tiga motor jatuh")
            await box.fill(complaint)
            await box.press("Enter")
            send = page.locator(".pintu-wc-chip", has_text="Ya, kirim")
            where = page.locator(".pintu-wc-bot").last
            await expect(page.locator(".pintu-wc-bot").nth(0)).to_be_visible()
            for _ in range(2):
                try:
                    await expect(send).to_be_visible(timeout=8000)
                    break
                except AssertionError:
                    # The dialogue asked something (where it is): answer it with the form.
                    assert "lokasi" in (await where.inner_text()).lower()
                    await box.fill("Jl. Diponegoro, Kecamatan Batu, Kota Batu")
                    await page.get_by_role("button", name="Kirim", exact=True).click()
            # New messages are appended, not redrawn (the log is aria-live for screen readers).
            await page.locator(".pintu-wc-user").first.evaluate("n => n.dataset.mark = '1'")
            await send.click()
            # The title is shown as the citizen's message, the ticket number comes back.
            await expect(page.locator(".pintu-wc-user").last).to_have_text("Ya, kirim")
            await expect(log).to_contain_text(re.compile(TICKET.pattern), timeout=15000)
            number = TICKET.search(await log.inner_text())
            assert number is not None
            await expect(send).to_have_count(0)
            await expect(page.locator(".pintu-wc-user[data-mark='1']")).to_have_count(1)
            await page.screenshot(path=str(SHOTS / "webchat.png"))

            # Reload: same session, history re-synced from the server, panel still open.
            session_before = await page.evaluate("window.PintuWebchat.sessionId()")
            await page.reload()
            await expect(page.get_by_role("dialog")).to_be_visible()
            log = page.get_by_role("log")
            await expect(log).to_contain_text(number.group(0), timeout=15000)
            await expect(log).to_contain_text("SDN 2 berlubang")
            await expect(page.locator(".pintu-wc-user", has_text="Ya, kirim")).to_have_count(1)
            assert await page.evaluate("window.PintuWebchat.sessionId()") == session_before

            # English UI, from the widget's own toggle.
            panel = page.get_by_role("dialog")
            await panel.get_by_role("button", name="Switch to English").click()
            await expect(page.get_by_role("textbox", name="Your message")).to_be_visible()
            await expect(panel.get_by_role("button", name="Send")).to_be_visible()
            await panel.get_by_role("button", name="Ganti ke Bahasa Indonesia").click()

            # A phone screen: the panel fills it.
            await page.set_viewport_size({"width": 390, "height": 844})
            bounds = await page.get_by_role("dialog").bounding_box()
            assert bounds is not None
            assert bounds["width"] == 390 and bounds["height"] == 844
            await page.screenshot(path=str(SHOTS / "webchat-phone.png"))

            # Closing gives the launcher back.
            await page.get_by_role("button", name="Tutup obrolan").click()
            await expect(page.get_by_role("dialog")).to_be_hidden()
            await expect(page.get_by_role("button", name="Buka obrolan Pintu")).to_be_focused()

            assert foreign == [], foreign
            assert errors == [], errors
        finally:
            await browser.close()
