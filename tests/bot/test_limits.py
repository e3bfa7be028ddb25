"""Edge limits (issue 15, items 2 and limits): the body limit before parsing, the
per-address limit on the open routes, and their configuration."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.app import create_app
from bot.app.settings import load_settings
from bot.core.runtime import Runtime
from bot.web.limits import SlidingWindow
from storage.models import InboundPayload


@contextlib.asynccontextmanager
async def app_on(make_runtime: Any, url: str, *, client: tuple[str, int] = ("10.0.0.1", 1),
                 **overrides: dict[str, Any]) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    rt: Runtime = await make_runtime(url, **overrides)
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://pintu.test") as c:
            c.app = app  # type: ignore[attr-defined]
            yield c, rt


async def _payload_rows(rt: Runtime) -> int:
    async with rt.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundPayload)) or 0)


async def test_a_50_mb_body_is_refused_before_it_is_read(make_runtime: Any,
                                                         sqlite_url: str) -> None:
    async with app_on(make_runtime, sqlite_url) as (client, rt):
        big = b'{"sender": "a", "message": "' + b"x" * 50_000_000 + b'"}'
        resp = await client.post("/webhooks/rest/webhook", content=big,
                                 headers={"content-type": "application/json"})
        assert resp.status_code == 413
        assert resp.json() == {"detail": "request body larger than 262144 bytes"}
        assert await _payload_rows(rt) == 0


async def test_a_chunked_body_is_cut_off_at_the_limit(make_runtime: Any, sqlite_url: str) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"sender": "a", "message": "'
        for _ in range(100):
            sent.append(1)
            yield b"x" * 10_000
        yield b'"}'

    async with app_on(make_runtime, sqlite_url) as (client, rt):
        for path, ctype in (("/webhooks/rest/webhook", "application/json"),
                            ("/model/parse", "application/json"),
                            ("/api/auth/token", "application/x-www-form-urlencoded")):
            sent.clear()
            resp = await client.post(path, content=chunks(), headers={"content-type": ctype})
            assert resp.status_code == 413, (path, resp.status_code, resp.text)
            assert "larger than 262144" in resp.text
        assert await _payload_rows(rt) == 0


async def test_the_limit_is_configurable_and_ordinary_bodies_pass(make_runtime: Any,
                                                                  sqlite_url: str) -> None:
    assert load_settings(env={"PINTU_LIMITS__MAX_BODY_BYTES": "4096"}).limits.max_body_bytes \
        == 4096
    async with app_on(make_runtime, sqlite_url, limits={"max_body_bytes": 4096}) as (client, rt):
        ok = await client.post("/webhooks/rest/webhook",
                               json={"sender": "warga-l", "message": "halo"})
        assert ok.status_code == 200
        resp = await client.post("/webhooks/rest/webhook",
                                 json={"sender": "warga-l", "message": "x" * 5000})
        assert resp.status_code == 413
        assert await _payload_rows(rt) == 1
        bad = await client.post("/webhooks/rest/webhook", content=b"{}",
                                headers={"content-length": "abc"})
        assert bad.status_code == 400


async def test_one_address_is_limited_politely_and_others_are_not(make_runtime: Any,
                                                                  sqlite_url: str) -> None:
    async with app_on(make_runtime, sqlite_url, limits={"address_per_minute": 5}) as (client, _rt):
        codes = [(await client.post("/model/parse", json={"text": "halo"})).status_code
                 for _ in range(6)]
        assert codes == [200] * 5 + [429]
        resp = await client.post("/webhooks/rest/webhook", json={"sender": "a", "message": "x"},
                                 headers={"accept-language": "en"})
        assert resp.status_code == 429
        assert resp.json() == {"detail": "Sorry, you have sent too many messages in a short "
                               "time. Please wait a moment and try again."}
        assert 1 <= int(resp.headers["retry-after"]) <= 60
        # Another address is served at once; health and the webhooks are not limited.
        other = httpx.ASGITransport(app=client.app, client=("10.0.0.2", 1))  # type: ignore[attr-defined]
        async with httpx.AsyncClient(transport=other, base_url="http://pintu.test") as c2:
            assert (await c2.post("/model/parse", json={"text": "halo"})).status_code == 200
        assert (await client.get("/healthz")).status_code == 200


def test_sliding_window_counts_per_key_and_forgets_after_a_minute() -> None:
    window = SlidingWindow(3)
    assert [window.hit("a", now=t) for t in (0, 1, 2)] == [0, 0, 0]
    assert window.hit("a", now=3) == 57
    assert window.hit("b", now=3) == 0
    assert window.hit("a", now=60.5) == 0  # the first hit left the window
    assert SlidingWindow(0).hit("a") == 0  # 0 = off
    small = SlidingWindow(1, max_keys=2)
    for i, key in enumerate("abcd"):
        assert small.hit(key, now=float(i)) == 0
