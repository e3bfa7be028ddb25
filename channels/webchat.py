"""Web chat channel speaking rasa-webchat's socket.io events.

The socket.io server itself lives in ``bot.web.webchat``; this module only
translates. A browser sends ``user_uttered`` ``{"message": .., "session_id":
.., "customData"|"metadata": {..}}`` (a quick-reply click sends the button's
payload as ``message``); the bot answers ``bot_uttered`` ``{"text": ..}`` or
``{"text": .., "quick_replies": [{"content_type": "text", "title", "payload"}]}``
as Rasa's own socket.io channel does. The rasa-webchat session id is the
citizen's ``sender_id`` on channel ``webchat``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from channels.base import (
    InboundMessage,
    OutboundMessage,
    ParsedWebhook,
    PayloadError,
    SendResult,
    json_object,
)

CHANNEL = "webchat"
MAX_TEXT = 4000
MAX_MESSAGE_ID = 100
# rasa-webchat stores whatever the server confirmed; Rasa itself confirms uuid4().hex.
_SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

#: ``emit(event, data, room)``: send one socket.io event to a room.
Emit = Callable[[str, dict[str, Any], str], Awaitable[None]]


def valid_session_id(value: object) -> str | None:
    """``value`` when it is an acceptable session id, else None."""
    if isinstance(value, str) and _SESSION_RE.match(value):
        return value
    return None


def session_id_from(data: object) -> str:
    """The session id a ``session_request`` asks for, or a fresh one.

    A valid id is kept, so a reload or reconnect continues the same
    conversation; a missing or malformed one starts a new session.
    """
    given = data.get("session_id") if isinstance(data, Mapping) else data
    return valid_session_id(given) or uuid.uuid4().hex


def parse_user_uttered(session_id: str, data: object) -> InboundMessage:
    """One ``user_uttered`` event as an inbound message; :class:`PayloadError` if malformed.

    ``message_id`` (sent by Pintu's widget, optional for rasa-webchat) becomes
    the provider message id, prefixed with the session: a message re-sent
    after a reconnect is then stored and answered once, and one session can
    never replay another's id to read its replies.
    """
    if valid_session_id(session_id) is None:
        raise PayloadError("invalid session id")
    if not isinstance(data, Mapping):
        raise PayloadError('user_uttered must be an object like {"message": ".."}')
    message = data.get("message")
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise PayloadError("'message' must be a string")
    if len(message) > MAX_TEXT:
        raise PayloadError(f"'message' is longer than {MAX_TEXT} characters")
    message_id = data.get("message_id")
    if message_id is not None and (
            not isinstance(message_id, str | int) or isinstance(message_id, bool)
            or not str(message_id).strip() or len(str(message_id)) > MAX_MESSAGE_ID):
        raise PayloadError(f"'message_id' must be a string of at most {MAX_MESSAGE_ID} characters")
    meta = data.get("customData")
    if meta is None:
        meta = data.get("metadata")
    if meta is None:
        meta = {}
    if not isinstance(meta, Mapping):
        raise PayloadError("'customData' must be an object")
    text = message.strip()
    if not text:
        raise PayloadError("'message' is empty")
    lang = meta.get("language")
    name = meta.get("name")
    return InboundMessage(
        channel=CHANNEL, sender_id=session_id, text=text,
        payload=text if text.startswith("/") else None,
        provider_message_id=None if message_id is None else f"{session_id}:{message_id}",
        language_hint=lang[:10] if isinstance(lang, str) else None,
        display_name=name[:100] if isinstance(name, str) and name.strip() else None,
    )


# A single line break between two lines (not a paragraph break).
_SINGLE_BREAK = re.compile(r"(?<!\n)[ \t]*\n(?!\n)")


def markdown_line_breaks(text: str) -> str:
    """``text`` whose single line breaks survive a markdown renderer.

    rasa-webchat renders messages as markdown, where one line break is a space: a card
    like the report confirmation would run together. Two trailing spaces make each a
    hard break (CommonMark); a blank line stays a paragraph break. Invisible in Pintu's
    own widget (it shows text as it is) and never sent to Telegram or WhatsApp, whose
    plain text keeps line breaks as they are.
    """
    return _SINGLE_BREAK.sub("  \n", text)


def render_bot_uttered(message: OutboundMessage) -> dict[str, Any]:
    """One bot message as rasa-webchat's ``bot_uttered`` payload.

    Exactly ``text`` plus, with buttons, ``quick_replies``: rasa-webchat 1.x
    drops a message whose keys are anything else (it tests for exactly
    ``{text}`` or exactly ``{text, quick_replies|buttons}``), so no
    ``buttons`` copy and no extra fields are added.
    """
    out: dict[str, Any] = {"text": markdown_line_breaks(message.text)}
    choices = message.choices()
    if choices:
        out["quick_replies"] = [{"content_type": "text", "title": c.title, "payload": c.payload}
                                for c in choices]
    return out


class WebchatAdapter:
    """The web chat channel: replies are socket.io events to the session's room.

    ``send`` succeeds even when no browser is connected to the session: the
    message is already in the server-side history, which the widget re-syncs
    on its next ``session_request``. Failing instead would make the outbox
    retry (and finally give up on) a message the citizen will see anyway.
    """

    name = CHANNEL

    def __init__(self, emit: Emit) -> None:
        self._emit = emit

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Web chat has no webhook; events arrive on the socket."""
        return None

    def parse(self, body: bytes) -> ParsedWebhook:
        """A JSON ``user_uttered`` body with its ``session_id`` (for replays and tools)."""
        data = json_object(body, "user_uttered event")
        session = data.get("session_id")
        if not isinstance(session, str):
            raise PayloadError("'session_id' is required")
        return ParsedWebhook(messages=(parse_user_uttered(session, data),))

    async def send(self, message: OutboundMessage) -> SendResult:
        """Emit ``bot_uttered`` to every socket joined to the recipient's session."""
        await self._emit("bot_uttered", render_bot_uttered(message), message.recipient_id)
        return SendResult()
