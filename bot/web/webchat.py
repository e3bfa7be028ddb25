"""Web chat: the socket.io server (rasa-webchat's events), the widget's files and ``/``.

Events (client -> server):

- ``session_request`` ``{"session_id": id|null}``: join the session (a new
  one when the id is missing or malformed), answered by ``session_confirm``
  ``{"session_id"}`` and then ``pintu_history`` ``{"session_id", "messages":
  [{"id", "direction", "sender", "channel", "text", "buttons", "ts",
  "client_id"}]}`` (a Pintu extension; rasa-webchat ignores it).
- ``user_uttered`` ``{"message", "message_id"?, "customData"|"metadata"?}``:
  one turn; every reply is emitted as ``bot_uttered`` to the session's room.
  The event's acknowledgement is ``{"ok": true, "duplicate": bool}`` or
  ``{"ok": false, "error"}``.

Problems are reported as ``pintu_error`` ``{"error"}``; nothing a client sends
can crash the server. Later messages (officers' replies, surveys) reach the
session through the outbox and :class:`channels.webchat.WebchatAdapter`.

With ``redis.url`` set, events go through Redis, so a reply sent by any server
process reaches a session connected to another; without it, sockets are
reached only from their own process (run one process).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import socketio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from bot.conversation.service import ConversationService
from bot.core.feature import Feature
from bot.core.runtime import Runtime
from channels.base import PayloadError
from channels.webchat import (
    CHANNEL,
    WebchatAdapter,
    parse_user_uttered,
    render_bot_uttered,
    session_id_from,
    valid_session_id,
)
from storage.models import Message, utcnow
from storage.repositories.tickets import format_ticket_number

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
INDEX_HTML = HERE / "templates" / "index.html"
HISTORY_LIMIT = 200
# socket.io packets bigger than this are refused (a message is at most MAX_TEXT chars).
MAX_PACKET_BYTES = 64 * 1024


def cors_origins(setting: str) -> str | list[str]:
    """``"*"`` or a comma-separated list of origins, as python-socketio wants it."""
    setting = setting.strip()
    if setting == "*":
        return "*"
    return [o.strip() for o in setting.split(",") if o.strip()]


def history_items(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Stored messages as the widget shows them, oldest first.

    A pressed button arrives as its payload (``/confirm``); it is shown with
    the title the bot offered for it, as the widget showed it when clicked.
    """
    titles: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for m in messages:
        content = m.content or {}
        buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                   for b in [*(content.get("buttons") or []), *(content.get("list_options") or [])]
                   if isinstance(b, dict)]
        text = m.text or ""
        client_id = None
        if m.direction == "out":
            titles.update({b["payload"]: b["title"] for b in buttons})
        else:
            text = titles.get(text, text)
            pid = m.provider_message_id or ""
            if m.channel == CHANNEL and ":" in pid:
                client_id = pid.split(":", 1)[1]
        if not text and not buttons:
            continue  # a bare photo or location from another channel
        out.append({"id": m.id, "direction": m.direction, "sender": m.sender_type,
                    "channel": m.channel, "text": text, "buttons": buttons,
                    "ts": m.created_at.isoformat() if m.created_at else None,
                    "client_id": client_id})
    return out


async def load_history(rt: Runtime, session_id: str) -> list[dict[str, Any]]:
    """The messages of the citizen behind a web chat session (empty for a new session)."""
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        identity = await repos.citizens.identity(CHANNEL, session_id)
        if identity is None:
            return []
        messages = await repos.messages.for_citizen(identity.citizen_id, limit=HISTORY_LIMIT)
        return history_items(messages)


def create_server(cors: str | list[str], redis_url: str | None = None,
                  channel: str = "pintu-webchat") -> socketio.AsyncServer:
    """A socket.io server (Engine.IO v4, for socket.io-client 3/4 and rasa-webchat).

    With ``redis_url`` its events go through Redis pub/sub (python-socketio's
    ``AsyncRedisManager``), so an event emitted in one server process reaches the
    sockets connected to any other; without it they stay in this process.
    """
    manager = (socketio.AsyncRedisManager(redis_url, channel=channel)
               if redis_url else None)
    return socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=cors,
                                max_http_buffer_size=MAX_PACKET_BYTES,
                                client_manager=manager,
                                logger=False, engineio_logger=False)


class WebchatServer:
    """The socket.io event handlers, bound to the app's runtime once it exists."""

    def __init__(self, app: FastAPI, sio: socketio.AsyncServer) -> None:
        self.app = app
        self.sio = sio
        # One turn at a time per session, so two quick messages are answered in order.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary())
        sio.on("connect", self.on_connect)
        sio.on("session_request", self.on_session_request)
        sio.on("user_uttered", self.on_user_uttered)

    async def emit(self, event: str, data: dict[str, Any], room: str) -> None:
        """Send one event to every socket of a session (the adapter's transport)."""
        await self.sio.emit(event, data, room=room)

    def _lock(self, session_id: str) -> asyncio.Lock:
        lock = self._locks.get(session_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[session_id] = lock
        return lock

    async def _error(self, sid: str, error: str) -> dict[str, Any]:
        await self.sio.emit("pintu_error", {"error": error}, to=sid)
        return {"ok": False, "error": error}

    async def on_connect(self, sid: str, environ: dict[str, Any],
                         auth: object = None) -> bool:
        """Accept every connection; the session is chosen by ``session_request``."""
        return True

    async def _join(self, sid: str, session_id: str) -> None:
        current = (await self.sio.get_session(sid)).get("session_id")
        if current and current != session_id:
            await self.sio.leave_room(sid, current)
        await self.sio.enter_room(sid, session_id)
        await self.sio.save_session(sid, {"session_id": session_id})

    async def on_session_request(self, sid: str, data: object = None) -> dict[str, Any]:
        """Join (or start) a session, confirm it and send its history."""
        try:
            session_id = session_id_from(data)
            await self._join(sid, session_id)
            await self.sio.emit("session_confirm", {"session_id": session_id}, to=sid)
            rt: Runtime | None = getattr(self.app.state, "runtime", None)
            history = await load_history(rt, session_id) if rt is not None else []
            await self.sio.emit("pintu_history", {"session_id": session_id,
                                                  "messages": history}, to=sid)
            return {"ok": True, "session_id": session_id}
        except Exception:
            log.exception("webchat session_request failed")
            return await self._error(sid, "session could not be opened, please retry")

    async def on_user_uttered(self, sid: str, data: object = None) -> dict[str, Any]:
        """One citizen message: handle it and emit the replies to the session."""
        try:
            session_id = (await self.sio.get_session(sid)).get("session_id")
            if session_id is None:
                # rasa-webchat always asks for a session first; accept a valid id anyway.
                given = data.get("session_id") if isinstance(data, dict) else None
                session_id = valid_session_id(given)
                if session_id is None:
                    return await self._error(sid, "send session_request first")
                await self._join(sid, session_id)
            try:
                inbound = parse_user_uttered(session_id, data)
            except PayloadError as exc:
                return await self._error(sid, str(exc))
            service: ConversationService = self.app.state.service
            async with self._lock(session_id):
                result = await service.handle(inbound, inline=True)
            if not result.duplicate:
                # A re-sent message was answered before: its replies are in the history
                # (or were emitted to this room) already.
                for reply in result.replies:
                    await self.emit("bot_uttered", render_bot_uttered(reply), session_id)
            return {"ok": True, "duplicate": result.duplicate}
        except Exception:
            log.exception("webchat user_uttered failed")
            return await self._error(sid, "the message could not be processed, please retry")


def mount(app: FastAPI) -> None:
    """Mount ``/socket.io`` and ``/static``."""
    settings = app.state.settings
    server = WebchatServer(app, create_server(
        cors_origins(settings.webchat.cors_allowed_origins), settings.redis.url,
        f"{settings.redis.channel_prefix}-webchat"))
    app.state.webchat = server
    # Mount strips "/socket.io"; engineio_path=None lets every path below it through,
    # so the client's default path "/socket.io/" works.
    app.mount("/socket.io", socketio.ASGIApp(server.sio, socketio_path=None), name="socket.io")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


# The demo page at ``/``.
router = APIRouter()


@cache
def _page() -> str:
    return INDEX_HTML.read_text(encoding="utf-8")


# Pintu's icon (a door), for the browser tab of every page.
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="7" fill="#0b5cad"/>'
    '<path d="M10 6h12v21H10z" fill="#fff"/><circle cx="19" cy="17" r="1.6" fill="#0b5cad"/>'
    '</svg>')


@router.get("/favicon.ico", include_in_schema=False)
@router.get("/favicon.svg", include_in_schema=False)
async def favicon() -> Response:
    """The tab icon (SVG, which browsers accept at /favicon.ico too)."""
    return Response(FAVICON_SVG, media_type="image/svg+xml",
                    headers={"cache-control": "public, max-age=86400"})


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index(request: Request) -> HTMLResponse:
    """The demo page; its example ticket number follows the configured prefix and this year."""
    prefix = request.app.state.settings.tickets.prefix
    example = format_ticket_number(prefix, utcnow().year, 123)
    return HTMLResponse(_page().replace("__EXAMPLE_TICKET__", example))


def setup(app: FastAPI, rt: Runtime) -> None:
    """Register the web chat adapter, so the outbox can reach open sessions."""
    server: WebchatServer = app.state.webchat
    rt.adapters[CHANNEL] = WebchatAdapter(server.emit)


feature = Feature("webchat", routers=(router,), mount=mount, setup=setup)
