"""Console live updates across processes: each process's events reach the others'
listeners through Redis, never echoed back to their own (needs Redis, like the
multi-process tests: ``PINTU_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/1``)."""

from __future__ import annotations

import asyncio
import os
import uuid
from types import SimpleNamespace
from typing import Any, cast

from bot.app.fanout import RedisFanout
from bot.core.runtime import Runtime
from tests.bot.test_multiprocess import require_redis

REDIS_URL = os.environ.get("PINTU_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def _runtime() -> tuple[Runtime, list[tuple[str, dict[str, Any]]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    rt = SimpleNamespace(listeners=[lambda event, data: seen.append((event, data))])
    return cast(Runtime, rt), seen


def _notify(rt: Runtime, event: str, data: dict[str, Any]) -> None:
    for listener in list(rt.listeners):  # what Runtime.notify does
        listener(event, data)


async def test_events_reach_the_other_process_once_and_not_their_own() -> None:
    require_redis()
    channel = f"pintu-test-live-{uuid.uuid4().hex}"
    rt_a, seen_a = _runtime()
    rt_b, seen_b = _runtime()
    a, b = RedisFanout(rt_a, REDIS_URL, channel), RedisFanout(rt_b, REDIS_URL, channel)
    await a.start()
    await b.start()
    try:
        await asyncio.sleep(0.3)  # both subscribed
        _notify(rt_a, "ticket", {"number": "PTU-2026-000001", "unit_id": "dinas-pupr-batu"})
        _notify(rt_b, "message", {"citizen_id": 7})
        for _ in range(50):
            if len(seen_a) == 2 and len(seen_b) == 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # nothing more arrives (no echo)
    finally:
        await a.stop()
        await b.stop()
    assert seen_a == [("ticket", {"number": "PTU-2026-000001", "unit_id": "dinas-pupr-batu"}),
                      ("message", {"citizen_id": 7})]
    assert seen_b == [("message", {"citizen_id": 7}),
                      ("ticket", {"number": "PTU-2026-000001", "unit_id": "dinas-pupr-batu"})]
