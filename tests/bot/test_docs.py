"""``/docs`` and ``/redoc`` work offline: every asset they load is served by Pintu."""

from __future__ import annotations

import re

import httpx

from bot.app import create_app
from bot.app.settings import Settings


async def test_api_docs_load_no_asset_from_another_host() -> None:
    app = create_app(Settings(), workers=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://pintu.test") as http:
        for page in ("/docs", "/redoc"):
            html = (await http.get(page)).text
            assets = re.findall(r"""(?:src|href)=["']([^"']+)["']|url: ?['"]([^'"]+)['"]""", html)
            urls = [a or b for a, b in assets]
            assert urls, page
            assert not [u for u in urls if u.startswith(("http://", "https://", "//"))], urls
            for url in urls:
                if url.endswith((".js", ".css", ".png")):
                    resp = await http.get(url)
                    assert resp.status_code == 200 and len(resp.content) > 1000, url
        spec = await http.get("/openapi.json")
        assert spec.status_code == 200 and spec.json()["info"]["title"] == "Pintu"
