"""Every page at phone size in a real browser (mobile emulation, ``is_mobile=True``):
nothing scrolls sideways at 390 px or 360 px, and the web chat widget fills the screen
with its input and Send button on screen (#12)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.browser_support import LiveServer, browser, live_runtime, live_server  # noqa: F401
from tests.staff_support import PASSWORD, file_via_chat, light_argon2, make_staff  # noqa: F401

pytestmark = pytest.mark.browser

PHONES = [{"width": 390, "height": 844}, {"width": 360, "height": 740}]

# The widest element, to say what overflows when something does.
_OVERFLOW = """() => {
  const w = document.documentElement.clientWidth;
  let worst = null, right = w;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 1) { right = r.right; worst = el; }
  }
  return {scroll: document.documentElement.scrollWidth, client: w,
          worst: worst ? worst.tagName + '.' + worst.className + '#' + worst.id : null,
          right: Math.round(right)};
}"""


async def _phone(browser: Any, viewport: dict[str, int]) -> Any:  # noqa: F811
    context = await browser.new_context(viewport=viewport, is_mobile=True, has_touch=True,
                                        device_scale_factor=3)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    return context, page


async def _box(page: Any, selector: str) -> dict[str, float] | None:
    box: dict[str, float] | None = await page.evaluate(
        """s => { const e = document.querySelector(s); if (!e) return null;
                  const r = e.getBoundingClientRect();
                  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                          width: r.width, height: r.height}; }""", selector)
    return box


async def _assert_fits(page: Any, what: str, width: int) -> None:
    found = await page.evaluate(_OVERFLOW)
    assert found["scroll"] <= width, f"{what} scrolls sideways at {width}px: {found}"
    assert found["worst"] is None, f"{what}: an element sticks out at {width}px: {found}"


@pytest.mark.parametrize("viewport", PHONES, ids=["390", "360"])
async def test_demo_page_and_widget_fit_a_phone(browser: Any, live_server: LiveServer,  # noqa: F811
                                                viewport: dict[str, int]) -> None:
    context, page = await _phone(browser, viewport)
    await page.goto(f"{live_server.url}/")
    await page.wait_for_selector("#open-chat")
    await _assert_fits(page, "the demo page", viewport["width"])
    # The chat button is on screen.
    launcher = await _box(page, ".pintu-wc-launcher")
    assert launcher is not None, "no chat button"
    assert launcher["left"] >= 0 and launcher["right"] <= viewport["width"], launcher
    assert launcher["bottom"] <= viewport["height"], launcher
    await page.click("#open-chat")
    await page.wait_for_selector(".pintu-wc-panel:not([hidden])")
    panel = {part: await _box(page, sel) for part, sel in (
        ("panel", ".pintu-wc-panel"), ("input", ".pintu-wc-input"), ("send", ".pintu-wc-send"))}
    for part in ("panel", "input", "send"):
        box = panel[part]
        assert box is not None, f"no {part} in the widget: {panel}"
        assert box["left"] >= 0 and box["right"] <= viewport["width"] + 0.5, (part, box)
        assert box["top"] >= 0 and box["bottom"] <= viewport["height"] + 0.5, (part, box)
    assert panel["panel"]["width"] >= viewport["width"] - 1, panel  # full screen on a phone
    await _assert_fits(page, "the demo page with the widget open", viewport["width"])
    # The keyboard takes the lower half of the screen: the input and Send stay above it.
    await page.focus(".pintu-wc-input")
    await page.set_viewport_size({"width": viewport["width"], "height": viewport["height"] // 2})
    await page.wait_for_timeout(100)
    for sel in (".pintu-wc-input", ".pintu-wc-send"):
        box = await _box(page, sel)
        assert box is not None and box["bottom"] <= viewport["height"] // 2 + 0.5, (sel, box)
    await context.close()


@pytest.mark.parametrize("viewport", PHONES, ids=["390", "360"])
async def test_console_pages_fit_a_phone(browser: Any, live_server: LiveServer,  # noqa: F811
                                         viewport: dict[str, int]) -> None:
    rt = live_server.runtime
    await make_staff(rt, "admin_p", "admin", None)
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as citizen:
        number = await file_via_chat(
            citizen, "warga-phone",
            "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh minggu ini")
    context, page = await _phone(browser, viewport)
    await page.goto(f"{live_server.url}/console/login")
    await _assert_fits(page, "the sign-in page", viewport["width"])
    await page.fill("input[name=username]", "admin_p")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/inbox")
    for path in ("/console/inbox", f"/console/tickets/{number}", "/console/reports/ikm",
                 "/console/admin/nlu", "/console/admin/nlu/examples",
                 "/console/admin/nlu/review"):
        resp = await page.goto(f"{live_server.url}{path}")
        assert resp is not None and resp.status == 200, path
        await _assert_fits(page, path, viewport["width"])
    await context.close()
