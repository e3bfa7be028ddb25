"""The web chat widget in headless Chromium: open /, report, press a button, reload;
only its own script, straight to WebSocket, reconnecting after drops and restarts.

Needs Debian's ``chromium`` (``/usr/bin/chromium``, installed by ``.ci/run``)
and the Playwright Python package. Skipped with the reason when either is
missing, unless ``PINTU_REQUIRE_BROWSER=1``, which makes that a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.app import create_app
from bot.core.runtime import Runtime
from tests.bot.webchat_live import TICKET, live_app
from tests.browser_support import free_port
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


# Records every WebSocket the page opens, so the test can drop one as a network would.
RECORD_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.__pintuSockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__pintuSockets.push(this); }
  };
})();
"""
# The last message is the bot's and none of the citizen's is still being sent.
ANSWERED = """text => {
  const msgs = [...document.querySelectorAll('.pintu-wc-log .pintu-wc-msg')];
  const mine = msgs.filter(m => m.classList.contains('pintu-wc-user')
                                && m.firstChild.textContent === text);
  const last = msgs[msgs.length - 1];
  return mine.length === 1 && last.classList.contains('pintu-wc-bot')
    && !document.querySelector('.pintu-wc-note:not([hidden])');
}"""
ONLINE = "Asisten layanan publik"
OFFLINE = "Terputus, menghubungkan ulang…"


@contextlib.asynccontextmanager
async def _serve_at(rt: Runtime, port: int) -> AsyncIterator[tuple[str, Any]]:
    """Pintu on a fixed port, so a restarted server is found at the same address."""
    app = create_app(runtime=rt, workers=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on",
                                           timeout_graceful_shutdown=2))
    task = asyncio.create_task(server.serve())
    for _ in range(1000):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    if not server.started:
        raise RuntimeError("Pintu did not start")
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)


def _assert_no_vendor_copy(app: Any) -> None:
    """The served static folder holds only Pintu's own files: no copied socket.io client."""
    mount = next(r for r in app.routes if getattr(r, "name", None) == "static")
    static = Path(mount.app.directory)
    files = [p for p in static.rglob("*") if p.is_file()]
    assert files, static
    assert not [p for p in files if "vendor" in p.relative_to(static).parts], files
    assert not [p for p in files if "socket.io" in p.name or "engine.io" in p.name], files


async def _say(page: Any, text: str, within: float = 15000) -> None:
    """Type a message and wait until it is acknowledged and answered."""
    box = page.get_by_role("textbox", name="Pesan Anda")
    await box.fill(text)
    await box.press("Enter")
    await page.wait_for_function(ANSWERED, arg=text, timeout=within)


async def test_widget_is_self_contained_and_reconnects(make_runtime: RuntimeFactory,
                                                       sqlite_url: str) -> None:
    """Only the widget's own script, WebSocket straight away, heartbeats answered, and
    reconnection after the socket drops and after the server restarts."""
    pw_api = _require_browser()
    rt: Runtime = await make_runtime(sqlite_url)
    port = free_port()
    async with pw_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                           args=ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 800},
                                          locale="id-ID")
            requests: list[tuple[str, str]] = []
            page.on("request", lambda r: requests.append((r.resource_type, r.url)))
            sockets: list[str] = []
            page.on("websocket", lambda ws: sockets.append(ws.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            await page.add_init_script(RECORD_SOCKETS)
            expect = pw_api.expect
            status = page.locator(".pintu-wc-status")

            async with _serve_at(rt, port) as (url, app):
                _assert_no_vendor_copy(app)
                gone = await page.request.get(url + "/static/webchat/vendor/socket.io.min.js")
                assert gone.status == 404
                # A fast heartbeat: a client that does not answer pings is cut off in 2 s.
                eio = app.state.webchat.sio.eio
                eio.ping_interval, eio.ping_timeout = 1, 1
                await page.goto(url + "/")
                await page.get_by_role("button", name="Buka obrolan Pintu").click()
                await expect(page.get_by_role("log")).to_contain_text("Saya Pintu",
                                                                      timeout=15000)
                await expect(status).to_have_text(ONLINE)
                session = await page.evaluate("window.PintuWebchat.sessionId()")
                await _say(page, "halo")
                await page.wait_for_timeout(3500)  # several pings answered: still the one socket
                assert await page.evaluate("window.__pintuSockets.length") == 1
                await expect(status).to_have_text(ONLINE)

                # The connection drops: the widget reconnects by itself and carries on.
                await page.evaluate("window.__pintuSockets[0].close()")
                await page.wait_for_function("window.__pintuSockets.length === 2")
                await expect(status).to_have_text(ONLINE, timeout=10000)
                await _say(page, "info syarat KTP")

            # The server stops: the widget says so and keeps what the citizen types...
            await expect(status).to_have_text(OFFLINE)
            box = page.get_by_role("textbox", name="Pesan Anda")
            await box.fill("cek status laporan")
            await box.press("Enter")
            await expect(page.locator(".pintu-wc-note", has_text="mengirim")).to_be_visible()
            await page.wait_for_timeout(1500)  # a few refused reconnection attempts
            async with _serve_at(rt, port) as (url, app):
                # ...and sends it, once, when the server is back.
                await page.wait_for_function(ANSWERED, arg="cek status laporan",
                                             timeout=15000)
                await expect(status).to_have_text(ONLINE)
                assert await page.evaluate("window.PintuWebchat.sessionId()") == session
                await expect(page.locator(".pintu-wc-user", has_text="halo")).to_have_count(1)

            # Nothing but the widget's own script, from this server, and no long-polling.
            scripts = [u for kind, u in requests if kind == "script"]
            assert scripts == [url + "/static/webchat/pintu-webchat.js"], scripts
            assert [u for _, u in requests if not u.startswith(url)] == []
            assert [u for _, u in requests if "transport=polling" in u] == []
            direct = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
            assert len(sockets) >= 3 and set(sockets) == {direct}, sockets
            assert errors == [], errors
        finally:
            await browser.close()
