"""The real rasa-webchat widget (1.0.1, from the npm registry) against Pintu in headless
Chromium: it opens with ``/greet``, shows the welcome's buttons, and the report
confirmation keeps its line breaks through rasa-webchat's markdown (issue 17).

The widget is not shipped: ``.ci/run`` installs it from npm into ``.ci/node``
(``npm install --prefix .ci/node rasa-webchat@1.0.1``) and sets
``PINTU_REQUIRE_RASA_WEBCHAT=1``; elsewhere the test is skipped with that reason
unless ``PINTU_RASA_WEBCHAT_JS`` names the widget's ``lib/index.js``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bot.core.i18n import t
from tests.browser_support import LiveServer, browser, live_runtime, live_server  # noqa: F401

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WIDGET = Path(os.environ.get(
    "PINTU_RASA_WEBCHAT_JS", ROOT / ".ci" / "node" / "node_modules" / "rasa-webchat" / "lib"
    / "index.js"))
REQUIRE = os.environ.get("PINTU_REQUIRE_RASA_WEBCHAT") == "1"
COMPLAINT = "lampu jalan di depan SDN 2 Sisir mati sudah seminggu, gelap sekali kalau malam"
PLACE = "Jl. Diponegoro, Kecamatan Batu, Kota Batu"
# The bot's messages (not the typing indicator, which also is an .rw-response).
BOT = ".rw-message:not(.rw-typing-indication) .rw-response"


def _widget() -> Path:
    if WIDGET.is_file():
        return WIDGET
    reason = (f"rasa-webchat is not installed at {WIDGET} (npm install --prefix .ci/node "
              "rasa-webchat@1.0.1, as .ci/run does)")
    if REQUIRE:
        pytest.fail(f"PINTU_REQUIRE_RASA_WEBCHAT=1 but {reason}")
    pytest.skip(reason)


async def _bot_lines(page: Any, count: int) -> list[str]:
    """The rendered text of the bot's messages once there are at least ``count``."""
    await page.wait_for_function(
        f"document.querySelectorAll('{BOT}').length >= {count}", timeout=20_000)
    texts: list[str] = await page.eval_on_selector_all(BOT, "els => els.map(e => e.innerText)")
    return texts


async def _say(page: Any, text: str, count: int) -> list[str]:
    await page.fill(".rw-new-message", text)
    await page.press(".rw-new-message", "Enter")
    return await _bot_lines(page, count)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 390, "height": 760}])
async def test_rasa_webchat_shows_the_welcome_and_keeps_line_breaks(
    browser: Any, live_server: LiveServer, viewport: dict[str, int],  # noqa: F811
) -> None:
    widget = _widget()
    context = await browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{live_server.url}/healthz")  # the server's origin, for socket.io
    await page.set_content("<!doctype html><html><head><meta name=viewport "
                           "content='width=device-width'></head><body></body></html>")
    await page.add_script_tag(path=str(widget))
    await page.evaluate(
        """url => WebChat.default({initPayload: "/greet", socketUrl: url,
             socketPath: "/socket.io/", title: "Pintu", embedded: false,
             customMessageDelay: () => 0,
             params: {storage: "session"}}, null)""", live_server.url)
    await page.click(".rw-launcher")
    welcome = await _bot_lines(page, 1)
    assert welcome[0].replace("\n", " ").strip() == t("greeting", "id", name="")
    replies = await page.eval_on_selector_all(".rw-reply", "els => els.map(e => e.innerText)")
    assert replies == [t("menu_complaint", "id"), t("menu_status", "id"),
                       t("menu_info", "id"), t("menu_agent", "id")]

    lines = await _say(page, COMPLAINT, 2)
    if lines[-1].replace("\n", " ").strip() == t("ask_where", "id"):
        lines = await _say(page, PLACE, 3)
    card = lines[-1]
    # Each field of the confirmation on its own line, as in every other channel.
    rows = [line.strip() for line in card.splitlines() if line.strip()]
    assert rows[0] == "Mohon periksa laporan Anda:"
    assert rows[1].startswith("Pengaduan: lampu jalan di depan SDN 2 Sisir")
    assert [r.split(":")[0] for r in rows[2:4]] == ["Kategori", "Lokasi"]
    assert rows[-1] == "Kirim laporan ini?"
    assert errors == []
    await context.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 390, "height": 760}])
async def test_pintus_own_widget_keeps_the_same_line_breaks(
    browser: Any, live_server: LiveServer, viewport: dict[str, int],  # noqa: F811
) -> None:
    context = await browser.new_context(viewport=viewport, locale="id-ID")
    page = await context.new_page()
    await page.goto(live_server.url + "/")
    await page.get_by_role("button", name="Buka obrolan Pintu").click()
    box = page.get_by_role("textbox", name="Pesan Anda")
    log = page.get_by_role("log")
    await page.wait_for_function("document.querySelector('[role=log]').innerText"
                                 ".includes('Saya Pintu')", timeout=15_000)
    await box.fill(COMPLAINT)
    await box.press("Enter")
    await page.wait_for_function(
        "(t => t.includes('Di mana lokasinya') || t.includes('Mohon periksa'))"
        "(document.querySelector('[role=log]').innerText)", timeout=15_000)
    if "Mohon periksa" not in await log.inner_text():
        await box.fill(PLACE)
        await box.press("Enter")
        await page.wait_for_function("document.querySelector('[role=log]').innerText"
                                     ".includes('Mohon periksa')", timeout=15_000)
    card = await page.locator(".pintu-wc-bot", has_text="Mohon periksa").last.inner_text()
    rows = [line.strip() for line in card.splitlines() if line.strip()]
    assert rows[0] == "Mohon periksa laporan Anda:"
    assert [r.split(":")[0] for r in rows[2:4]] == ["Kategori", "Lokasi"]
    assert "Kirim laporan ini?" in rows
    await context.close()
