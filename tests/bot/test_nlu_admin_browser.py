"""NLU training in a real browser (headless Chromium): an admin relabels a queued message,
retrains, reads the report and the confusion matrix, promotes the new version; the live
server's ``POST /model/parse`` then answers with the new label."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import build_runtime
from bot.core.runtime import NluHolder, Runtime
from bot.nlu_admin.data import add_example
from bot.nlu_admin.jobs import wait_for_training
from storage.models import NluReviewItem, utcnow
from tests.browser_support import LiveServer, browser, live_server  # noqa: F401
from tests.conftest import make_settings
from tests.staff_support import PASSWORD, light_argon2, make_staff  # noqa: F401

pytestmark = pytest.mark.browser

PHRASE = "zorblat kemarin sore"


@pytest.fixture
async def live_runtime(nlu_holder: NluHolder, tmp_path: Path, sqlite_url: str
                       ) -> AsyncIterator[Runtime]:
    """The served runtime, with its own NLU holder (the promotion must not leak)."""
    rt = await build_runtime(make_settings(sqlite_url, tmp_path),
                             nlu=NluHolder(nlu_holder.classifier, nlu_holder.version))
    yield rt
    await wait_for_training(rt)
    await rt.engine.dispose()


async def test_admin_relabels_retrains_and_promotes(browser: Any,  # noqa: F811
                                                    live_server: LiveServer  # noqa: F811
                                                    ) -> None:
    rt = live_server.runtime
    await make_staff(rt, "admin", "admin", None)
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:
        before = (await http.post("/model/parse", json={"text": PHRASE})).json()
    assert before["category"]["name"] != "electricity"
    async with rt.sessions() as s, s.begin():
        s.add(NluReviewItem(text=PHRASE, reason="low_confidence", predicted_intent="greet",
                            intent_confidence=0.21, model_version=rt.nlu.version,
                            status="open", created_at=utcnow()))
        # A couple of examples of the made-up word, so one retraining learns it.
        for text in ("zorblat di rumah saya", "tolong zorblat lagi"):
            await add_example(rt.repositories(s), None, text, "complaint", "electricity")

    page = await browser.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{live_server.url}/console/login")
    await page.fill("input[name=username]", "admin")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/inbox")

    await page.click("#nav-nlu")
    await page.wait_for_url("**/console/admin/nlu")
    await page.goto(f"{live_server.url}/console/admin/nlu/review")
    item = page.locator("article.review-item", has_text=PHRASE)
    await item.locator("form.relabel select[name=intent]").select_option("complaint")
    await item.locator("form.relabel select[name=category]").select_option("electricity")
    await item.locator("form.relabel button[type=submit]").click()
    await page.wait_for_url("**/console/admin/nlu/review?done=decided")
    assert await page.locator("article.review-item", has_text=PHRASE).count() == 0

    await page.goto(f"{live_server.url}/console/admin/nlu")
    await page.click("#retrain")
    await page.wait_for_url("**/console/admin/nlu/versions/*")
    version = page.url.split("/versions/")[1].split("?")[0]
    # The page follows the progress and reloads itself when the training is done.
    await page.wait_for_selector("#confusion-matrix", timeout=120_000)
    loaded = await page.evaluate(
        "() => { const i = document.querySelector('#confusion-matrix');"
        " return i.complete && i.naturalWidth > 100; }")
    assert loaded
    assert await page.locator("#compare").count() == 1
    assert await page.locator("table.per-label[data-field=category]",
                              has_text="electricity").count() == 1
    compare = await page.text_content("#compare")
    assert compare is not None and version in compare and str(rt.nlu.version) in compare

    await page.click("#promote")
    await page.wait_for_url(f"**/console/admin/nlu/versions/{version}?done=promoted*")
    assert await page.locator("#promoted").count() == 1
    await page.goto(f"{live_server.url}/console/admin/nlu")
    row = page.locator(f"#versions tr[data-version='{version}']")
    row_text = await row.text_content()
    assert row_text is not None and "aktif" in row_text and "Admin" in row_text

    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:
        after = (await http.post("/model/parse", json={"text": PHRASE})).json()
    assert after["model_version"] == version
    assert after["intent"]["name"] == "complaint"
    assert after["category"]["name"] == "electricity"
    assert errors == []
    await page.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 390, "height": 844}], ids=["desktop", "phone"])
async def test_admin_uploads_a_lapor_export(browser: Any, live_server: LiveServer,  # noqa: F811
                                            tmp_path: Path, viewport: dict[str, int]) -> None:
    """The examples page takes an SP4N-LAPOR! export: a dry run shows the counts and stores
    nothing, the real upload stores the masked reports, listed under their source."""
    from datetime import date

    from tests.lapor_support import special_rows, xlsx_bytes

    rt = live_server.runtime
    await make_staff(rt, "admin", "admin", None)
    export = tmp_path / "laporan-sukamaju.xlsx"
    export.write_bytes(xlsx_bytes(special_rows(date(2024, 2, 2))))
    context = await browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{live_server.url}/console/login")
    await page.fill("input[name=username]", "admin")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/inbox")
    await page.goto(f"{live_server.url}/console/admin/nlu/examples")

    form = page.locator("#import-lapor")
    await form.scroll_into_view_if_needed()
    assert await form.is_visible()
    await form.locator("input[type=file]").set_input_files(str(export))
    await form.locator("input[name=dry_run]").check()
    await form.locator("button[type=submit]").click()
    await page.wait_for_url("**/console/admin/nlu/examples?done=lapor_dry*")
    result = await page.text_content("#lapor-result")
    assert result is not None
    assert "5 contoh akan diimpor dari 12 laporan (7 dilewati)" in result
    assert "rahasia: 2" in result and "duplikat: 1" in result
    assert "unit campuran tanpa kategori: 2" in result

    form = page.locator("#import-lapor")
    await form.locator("input[type=file]").set_input_files(str(export))
    await form.locator("button[type=submit]").click()
    await page.wait_for_url("**/console/admin/nlu/examples?done=lapor&*")
    result = await page.text_content("#lapor-result")
    assert result is not None and "5 contoh baru dari 12 laporan (7 dilewati)" in result

    await page.goto(f"{live_server.url}/console/admin/nlu/examples?source=lapor&lang=en")
    body = await page.text_content("main") or await page.text_content("body") or ""
    assert "Bapak [NAMA]" in body and "[NIK]" in body and "3273014501900002" not in body
    assert "uang rokok" not in body  # Rahasia
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"the page scrolls sideways: {width}px"
    assert errors == []
    await context.close()
