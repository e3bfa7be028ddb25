"""The services pages in a real browser at desktop and phone size: an admin searches,
opens a service, changes who delivers it in a region and sees the change take effect."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.runtime import Runtime
from tests.browser_support import LiveServer, browser, serve_app  # noqa: F401
from tests.staff_support import PASSWORD, light_argon2, make_staff  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
async def services_server(make_runtime: Any, sqlite_url: str,
                          tmp_path: Path) -> AsyncIterator[LiveServer]:
    rt: Runtime = await make_runtime(
        sqlite_url, catalog={"overrides_path": str(tmp_path / "overrides.yml")})
    await make_staff(rt, "root", "admin", None)
    async with serve_app(rt) as server:
        yield server


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 390, "height": 844}], ids=["desktop", "phone"])
async def test_admin_edits_an_owner_in_the_browser(browser: Any,  # noqa: F811
                                                   services_server: LiveServer,
                                                   viewport: dict[str, int]) -> None:
    rt = services_server.runtime
    context = await browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    await page.goto(f"{services_server.url}/console/login")
    await page.fill("input[name=username]", "root")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/inbox")
    await page.click("#nav-services")
    await page.wait_for_url("**/console/services")
    assert await page.locator("#services tbody tr").count() == len(rt.catalog.services)
    # The page itself never scrolls sideways; the wide table scrolls inside its card.
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"the page scrolls sideways: {width}px"

    await page.fill("input[name=q]", "lampu merah")
    await page.click("form[role=search] button[type=submit]")
    await page.wait_for_selector("#service-lampu-lalu-lintas")
    assert await page.locator("#services tbody tr").count() == 1
    await page.click("#service-lampu-lalu-lintas a")
    await page.wait_for_url("**/console/services/lampu-lalu-lintas")

    # Kota Batu's traffic lights move to the province's transport office.
    row = page.locator("#owners tbody tr").filter(has=page.locator("input[value='35.79']"))
    await row.locator("select").select_option("dishub-jatim")
    await page.click("#service-form button[type=submit]")
    await page.wait_for_url("**/console/services/lampu-lalu-lintas?saved=1")
    assert await page.is_visible("#saved")
    owner = rt.catalog.service_owner("lampu-lalu-lintas", "35.79.01")
    assert owner is not None and owner.unit.id == "dishub-jatim"
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"the page scrolls sideways: {width}px"
    assert errors == []
    await context.close()
