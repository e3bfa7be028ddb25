"""``/docs`` in a real browser at desktop and phone size: Swagger UI renders the API
from Pintu's own assets, and the page makes no request to another host."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser_support import LiveServer, browser, live_runtime, live_server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 390, "height": 844}], ids=["desktop", "phone"])
async def test_api_docs_render_offline(browser: Any, live_server: LiveServer,  # noqa: F811
                                       viewport: dict[str, int]) -> None:
    context = await browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    hosts: set[str] = set()
    page.on("request", lambda req: hosts.add(urlsplit(req.url).netloc))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    await page.goto(f"{live_server.url}/docs")
    # Swagger UI has rendered the spec: the title and the ticket API's operations.
    await page.wait_for_selector(".info .title")
    assert (await page.inner_text(".info .title")).startswith("Pintu")
    await page.wait_for_selector(".opblock-summary-path[data-path='/api/tickets']")
    paths = await page.eval_on_selector_all(
        ".opblock-summary-path", "els => els.map(e => e.dataset.path)")
    assert {"/healthz", "/webhooks/rest/webhook", "/model/parse", "/api/auth/token",
            "/api/tickets", "/api/reports/ikm"} <= set(paths)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"the page scrolls sideways: {width}px"
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    assert errors == []
    await context.close()


async def test_redoc_renders_offline(browser: Any, live_server: LiveServer) -> None:  # noqa: F811
    context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = await context.new_page()
    page.set_default_timeout(20_000)
    hosts: set[str] = set()
    page.on("request", lambda req: hosts.add(urlsplit(req.url).netloc)
            if urlsplit(req.url).scheme in ("http", "https") else None)
    await page.goto(f"{live_server.url}/redoc")
    # ReDoc has rendered the spec from Pintu's own assets: the API title is on the page.
    await page.wait_for_selector("h1")
    assert "Pintu" in (await page.inner_text("h1"))
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    await context.close()
