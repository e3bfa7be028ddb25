"""Real-browser test support: the whole app served over HTTP, and headless Chromium.

Use in a test module::

    from tests.browser_support import browser, live_runtime, live_server  # noqa: F401

    @pytest.mark.browser
    async def test_x(live_server: LiveServer, browser: Browser) -> None:
        page = await browser.new_page()
        await page.goto(live_server.url + "/console/login")

``live_server`` serves ``create_app(runtime=...)`` with uvicorn on 127.0.0.1
and a free port, inside the test's own event loop (the runtime's database
connections belong to that loop). It uses ``live_runtime`` (SQLite); a module
may override ``live_runtime`` to serve another runtime. ``browser`` is
Playwright's async Chromium (``/usr/bin/chromium``); without Chromium or
Playwright the test is skipped with the reason, unless
``PINTU_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes it fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn

from bot.app import create_app
from bot.core.runtime import Runtime

CHROMIUM = os.environ.get("PINTU_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("PINTU_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveServer:
    """The app served for real: its base URL, the runtime behind it and the app."""

    url: str
    runtime: Runtime
    app: Any


@contextlib.asynccontextmanager
async def serve_app(runtime: Runtime, *, workers: bool = False) -> AsyncIterator[LiveServer]:
    """Serve the whole Pintu app (lifespan included) on a free local port in this loop."""
    app = create_app(runtime=runtime, workers=workers)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(), name="pintu-live-server")
    for _ in range(500):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    if not server.started:
        task.cancel()
        raise RuntimeError("the live server did not start")
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", runtime=runtime, app=app)
    finally:
        server.should_exit = True
        try:
            await asyncio.wait_for(task, timeout=10)
        except (TimeoutError, asyncio.CancelledError):
            server.force_exit = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def browser_missing() -> str | None:
    """None when a headless browser can run here, else why not."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def require_browser() -> None:
    """Skip (or, with PINTU_REQUIRE_BROWSER=1, fail) when no browser can run."""
    reason = browser_missing()
    if reason is None:
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"PINTU_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
async def live_runtime(make_runtime: Any, sqlite_url: str) -> Runtime:
    """The runtime the live server serves: SQLite, no background workers."""
    rt: Runtime = await make_runtime(sqlite_url)
    return rt


@pytest.fixture
async def live_server(live_runtime: Runtime) -> AsyncIterator[LiveServer]:
    """The app on a real local port (see :func:`serve_app`)."""
    async with serve_app(live_runtime) as server:
        yield server


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Headless Chromium through Playwright's async API (skipped when unavailable)."""
    require_browser()
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()
