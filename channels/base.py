"""Channel-neutral messages and the port every channel adapter implements.

Everything the dialogue sees or says passes through these types: an adapter
turns a provider's payload into :class:`InboundMessage` and renders an
:class:`OutboundMessage` in the provider's own terms. Adapters never import
``bot``, ``routing`` or ``storage``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

AttachmentKind = Literal["image", "document", "audio", "video", "sticker", "other"]


@dataclass(frozen=True, slots=True)
class Button:
    """A quick-reply button: what the citizen sees and what comes back when pressed."""

    title: str
    payload: str


@dataclass(frozen=True, slots=True)
class ListOption:
    """One row of a pick-list (WhatsApp list message, numbered text elsewhere)."""

    title: str
    payload: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Location:
    """A geographic point the citizen shared (or the bot sends)."""

    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A media item; providers give ids (WhatsApp, Telegram file_id) or URLs."""

    kind: AttachmentKind
    media_id: str | None = None
    url: str | None = None
    mime_type: str | None = None
    caption: str | None = None
    filename: str | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message from a citizen, whatever channel it came through.

    ``sender_id`` identifies the person on that channel (Telegram user id,
    WhatsApp ``user_id`` or ``wa_id``, REST ``sender``, web chat session id).
    ``reply_address`` is where replies go (Telegram chat id, WhatsApp ``wa_id``)
    when it differs from ``sender_id``. ``provider_message_id`` is the
    provider's own id (``update_id``, ``wamid``) used to drop re-deliveries; it
    is unique per channel.

    Facts the provider vouches for travel as typed fields, so the dialogue
    never reads provider-specific ``metadata`` keys:

    ``verified_phone``
        A phone number the provider vouches belongs to the sender, as the
        provider gives it (the bot normalises it): WhatsApp's ``wa_id``; on
        Telegram the phone of a shared contact only when the contact's
        ``user_id`` is the sender's own ("share my number"). A contact card of
        someone else (``contact_phone``) never counts. None when there is none.
    ``private_address``
        Where *later* messages (an officer's reply, a survey) go when that is
        not this turn's :attr:`address`: for a Telegram group or supergroup
        message it is the sender's private chat (the sender id), so follow-ups
        about a complaint never land in the group. None means "the same as
        :attr:`address`".
    ``aliases``
        Other ids the same sender may already be known under on this channel,
        most likely first: on WhatsApp the phone number (``wa_id``) when
        ``sender_id`` is Meta's business-scoped ``user_id``, so a citizen first
        seen by phone stays the same citizen. Never contains ``sender_id``.

    ``thread_id`` / ``quote_id``
        Where this turn's replies are threaded: the topic of a forum (Telegram
        ``message_thread_id``), and the message to quote in a group so the reply
        reaches the asker (Telegram ``reply_parameters``). Rendered from the
        outbound ``metadata`` keys ``thread_id`` and ``reply_to_message_id``.

    ``metadata`` keeps provider details for inspection and storage.
    """

    channel: str
    sender_id: str
    text: str = ""
    provider_message_id: str | None = None
    payload: str | None = None
    location: Location | None = None
    attachments: tuple[Attachment, ...] = ()
    contact_phone: str | None = None
    display_name: str | None = None
    language_hint: str | None = None
    timestamp: datetime | None = None
    reply_address: str | None = None
    edited: bool = False
    metadata: Mapping[str, str] = field(default_factory=dict)
    # Appended after metadata so existing positional constructors keep working.
    verified_phone: str | None = None
    private_address: str | None = None
    aliases: tuple[str, ...] = ()
    # The thread inside the chat that replies belong in (a Telegram forum topic), and the
    # provider id of this message when replies should quote it (a group chat).
    thread_id: str | None = None
    quote_id: str | None = None

    @property
    def address(self) -> str:
        """Where replies to this sender are delivered."""
        return self.reply_address or self.sender_id

    @property
    def lasting_address(self) -> str:
        """Where later messages about this sender's business go (see ``private_address``)."""
        return self.private_address or self.address


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """One message to a citizen: text with optional buttons, list, location, media.

    Adapters render what their provider supports and degrade the rest (buttons
    and list options become numbered text, see :func:`numbered_text`).
    """

    channel: str
    recipient_id: str
    text: str
    buttons: tuple[Button, ...] = ()
    list_options: tuple[ListOption, ...] = ()
    list_button: str | None = None
    location: Location | None = None
    attachments: tuple[Attachment, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict, for the outbox."""
        return {
            "channel": self.channel,
            "recipient_id": self.recipient_id,
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
            "list_options": [
                {"title": o.title, "payload": o.payload, "description": o.description}
                for o in self.list_options
            ],
            "list_button": self.list_button,
            "location": None if self.location is None else location_to_dict(self.location),
            "attachments": [attachment_to_dict(a) for a in self.attachments],
            "metadata": dict(self.metadata),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutboundMessage:
        """Inverse of :meth:`to_dict`."""
        loc = data.get("location")
        return cls(
            channel=str(data["channel"]),
            recipient_id=str(data["recipient_id"]),
            text=str(data.get("text") or ""),
            buttons=tuple(Button(b["title"], b["payload"]) for b in data.get("buttons") or ()),
            list_options=tuple(
                ListOption(o["title"], o["payload"], o.get("description") or "")
                for o in data.get("list_options") or ()
            ),
            list_button=data.get("list_button"),
            location=None if not loc else Location(**loc),
            attachments=tuple(Attachment(**a) for a in data.get("attachments") or ()),
            metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
        )

    def choices(self) -> tuple[Button, ...]:
        """Buttons and list options as one ordered sequence of (title, payload)."""
        return self.buttons + tuple(Button(o.title, o.payload) for o in self.list_options)


def attachment_to_dict(a: Attachment) -> dict[str, Any]:
    """A JSON-safe dict for one attachment."""
    return {
        "kind": a.kind,
        "media_id": a.media_id,
        "url": a.url,
        "mime_type": a.mime_type,
        "caption": a.caption,
        "filename": a.filename,
    }


def location_to_dict(loc: Location) -> dict[str, Any]:
    """A JSON-safe dict for one location."""
    return {"latitude": loc.latitude, "longitude": loc.longitude, "name": loc.name,
            "address": loc.address}


def numbered_text(message: OutboundMessage, hint: str | None = None) -> str:
    """Render buttons and list options as numbered lines under the text.

    Used by channels with no buttons (terminal, SMS-like) and when a provider's
    limits are exceeded. The citizen answers with the number; see
    :func:`resolve_numbered_reply`.
    """
    choices = message.choices()
    if not choices:
        return message.text
    lines = [message.text, ""] if message.text else []
    lines += [f"{i}. {c.title}" for i, c in enumerate(choices, start=1)]
    if hint:
        lines += ["", hint]
    return "\n".join(lines)


# Deeper than any real webhook (a Telegram reply chain is a handful of levels);
# json.loads itself would give up near 1,000 with a RecursionError.
MAX_JSON_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds half of a UTF-16 pair (a ``\\ud800`` escape): not real text."""
    return _SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` storable anywhere: lone surrogates become U+FFFD, NUL bytes are dropped."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return _SURROGATE.sub("\ufffd", text) if has_lone_surrogate(text) else text


def _cleaned(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if depth >= MAX_JSON_DEPTH and isinstance(value, dict | list):
        raise PayloadError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, dict):
        return {clean_text(k): _cleaned(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v, depth + 1) for v in value]
    return value


def load_json(body: bytes, what: str = "webhook body", *, clean: bool = True) -> Any:
    """Decode a JSON body strictly, else :class:`PayloadError` with a clear message.

    Refused: invalid UTF-8 or JSON, ``NaN``/``Infinity`` (not JSON), numbers of
    more than 4,300 digits, nesting deeper than :data:`MAX_JSON_DEPTH`. With
    ``clean`` every string (keys too) goes through :func:`clean_text`, so what
    is kept can be stored on SQLite and PostgreSQL alike.
    """
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise PayloadError(f"{what} is nested too deeply") from None
    except ValueError as exc:  # UnicodeDecodeError and the int-digits limit are ValueErrors
        raise PayloadError(f"{what} is not valid JSON: {str(exc)[:200]}") from None
    return _cleaned(data, 0) if clean else _checked_depth(data)


def _checked_depth(data: Any) -> Any:
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        items = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise PayloadError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            stack.extend((v, depth + 1) for v in items)
    return data


def json_object(body: bytes, what: str = "webhook body") -> dict[str, Any]:
    """Decode a webhook body that must be one JSON object, else :class:`PayloadError`.

    Decoded by :func:`load_json` (strict, strings cleaned). Only the outer shape
    is checked here; what is inside is the parser's business (unknown-but-JSON
    content is reported as unparsed, not refused).
    """
    data = load_json(body, what)
    if not isinstance(data, dict):
        raise PayloadError(f"{what} must be a JSON object, got {type(data).__name__}")
    return data


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters.

    Cuts prefer a paragraph break, then a line break, then a space, so a long
    answer arrives as several readable messages; an unbroken run is cut hard.
    Returns ``[text]`` when it already fits (also for the empty string).
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        piece = rest[:cut].rstrip()
        if piece:
            parts.append(piece)
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def resolve_numbered_reply(text: str, choices: tuple[Button, ...]) -> str | None:
    """Map a typed "2" (or the exact title) back to that choice's payload."""
    t = text.strip().rstrip(".").strip()
    if t.isdigit():
        i = int(t)
        if 1 <= i <= len(choices):
            return choices[i - 1].payload
        return None
    low = t.casefold()
    for c in choices:
        if c.title.casefold() == low:
            return c.payload
    return None


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """A provider's report on an outbound message (WhatsApp ``statuses[]``)."""

    channel: str
    provider_message_id: str
    status: Literal["sent", "delivered", "read", "failed"]
    recipient_id: str | None = None
    timestamp: datetime | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedWebhook:
    """What one webhook delivery contained.

    ``unparsed`` lists parts the adapter could not understand (kept for
    inspection, never an error towards the provider). ``acks`` are provider
    callbacks that must be acknowledged (Telegram callback query ids).
    ``ignored`` notes parts deliberately dropped (reactions, group chatter not
    addressed to the bot): neither messages nor worth inspecting.
    """

    messages: tuple[InboundMessage, ...] = ()
    statuses: tuple[DeliveryStatus, ...] = ()
    unparsed: tuple[str, ...] = ()
    acks: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SendResult:
    """The provider's id for a delivered message, when it gives one."""

    provider_message_id: str | None = None


class WebhookAuthError(Exception):
    """The request is not from the provider (bad or missing signature/secret): 401."""


class PayloadError(ValueError):
    """The request body is malformed (not JSON, wrong top-level shape): 400."""


class DeliveryError(Exception):
    """Sending failed.

    ``retryable`` says whether trying later can help (5xx, 429, network error);
    ``retry_after`` is the provider's requested wait in seconds, when given.
    """

    def __init__(
        self, message: str, *, retryable: bool = True, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


@runtime_checkable
class ChannelAdapter(Protocol):
    """The port of one messaging channel: verify a webhook, parse it, send."""

    name: str

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise :class:`WebhookAuthError` unless the request really is from the provider."""
        ...

    def parse(self, body: bytes) -> ParsedWebhook:
        """Turn a raw webhook body into neutral messages.

        Raise :class:`PayloadError` if the body is malformed.
        """
        ...

    async def send(self, message: OutboundMessage) -> SendResult:
        """Deliver one message; raise :class:`DeliveryError` on failure."""
        ...


@runtime_checkable
class HoldsMessages(Protocol):
    """An adapter that may keep outbound messages for the client to pull.

    The REST channel without a callback URL has nowhere to push messages that
    come later (an officer's reply, a survey): they are stored as ``held`` and
    fetched with ``GET /webhooks/rest/messages``. ``holds_messages`` can change
    with configuration, so a caller checks both: ``isinstance(adapter,
    HoldsMessages) and adapter.holds_messages``.
    """

    @property
    def holds_messages(self) -> bool:
        """Whether outbound messages are kept for pulling instead of being sent."""
        ...


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    """A media file downloaded from a provider: its bytes and what the provider says it is."""

    data: bytes
    mime_type: str | None = None
    filename: str | None = None


class MediaTooLarge(DeliveryError):
    """The provider's file is bigger than the caller accepts (not retried)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"media of {size} bytes is over the {limit}-byte limit",
                         retryable=False)
        self.size, self.limit = size, limit


@runtime_checkable
class FetchesMedia(Protocol):
    """An adapter that can download a citizen's media by the provider's id (a WhatsApp
    media id: id -> URL -> bytes with the token; a Telegram file_id: getFile -> file)."""

    async def fetch_media(self, media_id: str, max_bytes: int) -> FetchedMedia:
        """The file's bytes; :class:`MediaTooLarge` over ``max_bytes``, :class:`DeliveryError`
        when the provider refuses or cannot be reached (``retryable`` says whether to try
        again later)."""
        ...


@runtime_checkable
class AnswersCallbacks(Protocol):
    """An adapter whose provider wants button presses acknowledged (Telegram).

    The ids to answer come in :attr:`ParsedWebhook.acks`; until answered, the
    citizen's client shows a spinner on the pressed button.
    """

    async def answer_callback(self, callback_query_id: str, text: str | None = None) -> None:
        """Acknowledge one button press, optionally with a short toast ``text``."""
        ...


@runtime_checkable
class HoldsConnections(Protocol):
    """An adapter with an HTTP client (connection pool) to close when the process stops."""

    async def close(self) -> None:
        """Close the adapter's connections."""
        ...
