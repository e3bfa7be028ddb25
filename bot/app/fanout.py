"""Live-update events across server processes, through Redis pub/sub.

``Runtime.notify`` tells this process's listeners (the console's live inbox streams)
that a ticket or message changed. With ``redis.url`` set, :class:`RedisFanout` also
publishes each event to a Redis channel and hands the events other processes published
to this process's listeners, so an officer's console follows every process's work.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Any

from bot.core.runtime import Runtime

log = logging.getLogger(__name__)


class RedisFanout:
    """Publishes this process's events and replays the other processes' events here."""

    def __init__(self, rt: Runtime, url: str, channel: str) -> None:
        import redis.asyncio as aioredis

        self.rt = rt
        self.channel = channel
        self.origin = uuid.uuid4().hex
        self.redis = aioredis.Redis.from_url(url)
        self._sending: set[asyncio.Task[Any]] = set()
        self._task: asyncio.Task[None] | None = None

    def publish(self, event: str, data: dict[str, Any]) -> None:
        """The listener registered on the runtime: send the event to the other processes."""
        body = json.dumps({"origin": self.origin, "event": event, "data": data}, default=str)
        task = asyncio.get_running_loop().create_task(self._publish(body))
        self._sending.add(task)
        task.add_done_callback(self._sent)

    async def _publish(self, body: str) -> None:
        await self.redis.publish(self.channel, body)

    def _sent(self, task: asyncio.Task[Any]) -> None:
        self._sending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("live update not published: %s", task.exception())

    def deliver(self, raw: bytes | str) -> None:
        """Hand one published event to this process's listeners (not back to Redis)."""
        try:
            msg = json.loads(raw)
        except ValueError:
            return
        if not isinstance(msg, dict) or msg.get("origin") == self.origin:
            return
        event, data = msg.get("event"), msg.get("data")
        if not isinstance(event, str) or not isinstance(data, dict):
            return
        for listener in list(self.rt.listeners):
            if listener != self.publish:
                with contextlib.suppress(Exception):  # one broken viewer must not stop others
                    listener(event, data)

    async def listen(self) -> None:
        """Receive events until cancelled, reconnecting after a Redis outage."""
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.deliver(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("live updates from other processes paused: %s", exc)
                await asyncio.sleep(2)

    async def start(self) -> None:
        """Subscribe (so no event published from now on is missed) and listen in the background."""
        self.rt.listeners.append(self.publish)
        self._task = asyncio.create_task(self.listen(), name="pintu-redis-fanout")

    async def stop(self) -> None:
        """Stop listening and publishing."""
        with contextlib.suppress(ValueError):
            self.rt.listeners.remove(self.publish)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._sending:
            await asyncio.wait(self._sending, timeout=2)
        await self.redis.aclose()
