"""Helpers for the web chat tests: the whole app on a real port, a socket.io test client."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator
from typing import Any

import socketio
import uvicorn

from bot.app import create_app
from bot.core.runtime import Runtime

TICKET = re.compile(r"PTU-\d{4}-\d{6}")
EVENTS = ("session_confirm", "pintu_history", "bot_uttered", "pintu_error")


@contextlib.asynccontextmanager
async def live_app(rt: Runtime) -> AsyncIterator[str]:
    """Serve Pintu (lifespan included, no background workers) on 127.0.0.1; yields its URL."""
    app = create_app(runtime=rt, workers=False)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on",
                                           access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(1000):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if not server.started:
            raise RuntimeError("Pintu did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=10)
        sock.close()


class ChatClient:
    """A socket.io client speaking the web chat events, recording what the server emits."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.session_id: str | None = None
        for name in EVENTS:
            self.sio.on(name, self._recorder(name))

    def _recorder(self, name: str) -> Any:
        async def record(data: Any = None) -> None:
            await self.events.put((name, data))
        return record

    async def connect(self, url: str) -> None:
        """Open the socket (websocket after the polling handshake, like a browser)."""
        await self.sio.connect(url, wait_timeout=10)

    async def next(self, name: str, within: float = 10.0) -> Any:
        """The next event ``name`` (events of other kinds before it are dropped)."""
        async with asyncio.timeout(within):
            while True:
                got, data = await self.events.get()
                if got == name:
                    return data

    async def drain(self, quiet: float = 0.3) -> list[tuple[str, Any]]:
        """Every event that arrives until the line has been quiet for ``quiet`` seconds."""
        out: list[tuple[str, Any]] = []
        while True:
            try:
                out.append(await asyncio.wait_for(self.events.get(), timeout=quiet))
            except TimeoutError:
                return out

    async def open_session(self, session_id: str | None = None) -> tuple[str, list[dict[str, Any]]]:
        """``session_request``: the confirmed session id and the history sent with it."""
        await self.sio.call("session_request", {"session_id": session_id}, timeout=10)
        confirm = await self.next("session_confirm")
        history = await self.next("pintu_history")
        assert history["session_id"] == confirm["session_id"]
        self.session_id = confirm["session_id"]
        return confirm["session_id"], history["messages"]

    async def say(self, message: str, message_id: str | None = None,
                  **extra: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """``user_uttered``: the acknowledgement and the ``bot_uttered`` replies."""
        data: dict[str, Any] = {"message": message, "session_id": self.session_id, **extra}
        if message_id is not None:
            data["message_id"] = message_id
        ack = await self.sio.call("user_uttered", data, timeout=30)
        replies = [d for name, d in await self.drain() if name == "bot_uttered"]
        return ack, replies

    async def close(self) -> None:
        """Disconnect."""
        await self.sio.disconnect()


async def file_complaint(chat: ChatClient) -> tuple[str, list[dict[str, Any]]]:
    """Report a pothole and press "Ya, kirim"; returns the ticket number and every reply."""
    seen: list[dict[str, Any]] = []
    ack, replies = await chat.say("jalan di depan SDN 2 berlubang besar sudah sebulan di Kota "
                                  "Batu, sudah tiga motor jatuh", message_id="c-1")
    assert ack == {"ok": True, "duplicate": False}
    seen += replies
    if not any(qr["payload"] == "/confirm" for qr in replies[-1].get("quick_replies", [])):
        # The dialogue asked where; answer it.
        _, replies = await chat.say("Jl. Diponegoro, Kecamatan Batu, Kota Batu", message_id="c-2")
        seen += replies
    confirm = [qr for qr in replies[-1]["quick_replies"] if qr["payload"] == "/confirm"]
    assert confirm and confirm[0]["title"] == "Ya, kirim", replies
    _, replies = await chat.say("/confirm", message_id="c-3")
    seen += replies
    match = TICKET.search(replies[0]["text"])
    assert match, replies
    return match.group(0), seen
