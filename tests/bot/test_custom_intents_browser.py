"""An admin adds an intent with its answer in a real browser (headless Chromium), retrains
and promotes; the bot then answers it over REST and Telegram (issue 17)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import build_runtime
from bot.core.runtime import NluHolder, Runtime
from bot.delivery.worker import OutboxWorker
from bot.nlu_admin.jobs import wait_for_training
from tests.browser_support import LiveServer, browser, live_server  # noqa: F401
from tests.channels.fakes import FakeBotAPI, serve
from tests.conftest import make_settings
from tests.staff_support import PASSWORD, light_argon2, make_staff  # noqa: F401

pytestmark = pytest.mark.browser

SECRET = "hook-secret-17"
EXAMPLES = """jadwal posyandu bulan ini kapan
kapan posyandu balita dibuka
posyandu di kelurahan saya tanggal berapa
jadwal posyandu lansia
info jadwal posyandu terdekat
posyandu bulan depan hari apa"""
ANSWER_ID = "Posyandu buka setiap Selasa minggu kedua, 08.00-11.00 di balai RW.\nBawa buku KIA."
ANSWER_EN = "Posyandu opens every second Tuesday, 08.00-11.00 at the RW hall.\nBring the KIA book."


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Telegram Bot API on a local port."""
    fake = FakeBotAPI()
    async with serve(fake.app) as url:
        fake.url = url
        yield fake


@pytest.fixture
async def live_runtime(nlu_holder: NluHolder, tmp_path: Path, sqlite_url: str,
                       bot_api: FakeBotAPI) -> AsyncIterator[Runtime]:
    """The served runtime with Telegram pointed at the fake, and its own NLU holder."""
    settings = make_settings(sqlite_url, tmp_path, telegram={
        "token": bot_api.token, "secret": SECRET, "api_url": bot_api.url,
        "per_chat_interval_seconds": 0})
    rt = await build_runtime(settings, nlu=NluHolder(nlu_holder.classifier, nlu_holder.version))
    yield rt
    await wait_for_training(rt)
    await rt.engine.dispose()


async def _sign_in(browser: Any, url: str, viewport: dict[str, int]) -> Any:  # noqa: F811
    context = await browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    await page.goto(f"{url}/console/login")
    await page.fill("input[name=username]", "admin")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/inbox")
    return page


async def test_an_intent_added_in_the_browser_is_answered_after_promotion(
    browser: Any, live_server: LiveServer, bot_api: FakeBotAPI,  # noqa: F811
) -> None:
    rt = live_server.runtime
    await make_staff(rt, "admin", "admin", None)
    page = await _sign_in(browser, live_server.url, {"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{live_server.url}/console/admin/nlu/intents")
    form = page.locator("#add-intent")
    await form.locator("input[name=name]").fill("jadwal_posyandu")
    await form.locator("textarea[name=examples]").fill(EXAMPLES)
    await form.locator("textarea[name=answer_id]").fill(ANSWER_ID)
    await form.locator("textarea[name=answer_en]").fill(ANSWER_EN)
    await form.locator("textarea[name=buttons]").fill(
        "Lapor masalah | Report a problem | /complaint")
    await form.locator("button[type=submit]").click()
    await page.wait_for_url("**/console/admin/nlu/intents?done=saved")
    row = await page.locator("#custom-intents tr[data-intent=jadwal_posyandu]").text_content()
    assert row is not None and "6" in row and "Posyandu buka setiap Selasa" in row

    # Not answered before a model that knows it is promoted.
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:
        before = (await http.post("/webhooks/rest/webhook", json={
            "sender": "warga-a", "message": "jadwal posyandu bulan ini kapan ya"})).json()
    assert all(ANSWER_ID not in m.get("text", "") for m in before)

    await page.goto(f"{live_server.url}/console/admin/nlu")
    await page.click("#retrain")
    await page.wait_for_url("**/console/admin/nlu/versions/*")
    version = page.url.split("/versions/")[1].split("?")[0]
    await page.wait_for_selector("#promote", timeout=120_000)
    await page.click("#promote")
    await page.wait_for_url(f"**/console/admin/nlu/versions/{version}?done=promoted*")
    assert errors == []

    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:
        rest = (await http.post("/webhooks/rest/webhook", json={
            "sender": "warga-b", "message": "kapan jadwal posyandu bulan ini?"})).json()
        update = {"update_id": 9_100_001, "message": {
            "message_id": 5, "date": int(time.time()),
            "chat": {"id": 777001, "type": "private"},
            "from": {"id": 777001, "is_bot": False, "first_name": "Sari"},
            "text": "info jadwal posyandu bulan ini"}}
        hook = await http.post("/webhooks/telegram", json=update,
                               headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert hook.status_code == 200
    assert rest[0]["text"] == ANSWER_ID
    assert rest[0]["buttons"] == [{"title": "Lapor masalah", "payload": "/complaint"}]
    worker = OutboxWorker(rt)
    for _ in range(10):
        if not await worker.run_once():
            break
    sent = [bot_api.params(r) for r in bot_api.calls("sendMessage")]
    assert sent and sent[0]["text"] == ANSWER_ID
    keyboard = json.loads(sent[0]["reply_markup"])["inline_keyboard"]
    assert keyboard == [[{"text": "Lapor masalah", "callback_data": "/complaint"}]]
    await page.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 375, "height": 740}])
async def test_the_intents_page_fits_the_screen(browser: Any, live_server: LiveServer,  # noqa: F811
                                                viewport: dict[str, int]) -> None:
    await make_staff(live_server.runtime, "admin", "admin", None)
    page = await _sign_in(browser, live_server.url, viewport)
    await page.goto(f"{live_server.url}/console/admin/nlu/intents")
    assert await page.locator("#add-intent textarea[name=answer_id]").is_visible()
    assert await page.locator("#rasa-import input[type=file][multiple]").count() == 1
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"the page scrolls sideways: {width}px"
    await page.close()
