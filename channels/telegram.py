"""Telegram channel: Bot API webhook parsing, and sending through python-telegram-bot.

Pintu owns the HTTP route; this module only checks, parses and sends. The app
wires it roughly like this::

    adapter = TelegramAdapter(token=..., secret=..., api_url=..., bot_username="pintu_bot")
    await adapter.initialize()             # optional: getMe, learns bot_username if unset

    # POST /webhooks/telegram
    adapter.verify(request.headers, body)  # WebhookAuthError -> 401
    parsed = adapter.parse(body)           # PayloadError -> 400; otherwise always 200
    for query_id in parsed.acks:
        await adapter.answer_callback(query_id)   # stops the button's spinner
    # dedupe parsed.messages on provider_message_id (= update_id), keep parsed.unparsed

    await adapter.send(outbound)           # DeliveryError(retryable, retry_after) -> outbox
    await adapter.close()

``pintu telegram set-webhook URL`` calls :meth:`TelegramAdapter.set_webhook`; the
development polling loop calls :meth:`TelegramAdapter.delete_webhook` once, then
:meth:`TelegramAdapter.get_updates` with ``offset = last update_id + 1`` and
parses each raw update with :func:`parse_telegram_update` (or
:func:`parse_telegram_updates` for the batch).

Parsing is deliberately lenient and done on plain dicts: real updates lack
fields the Bot API calls required (``is_bot``, ``chat_instance``,
``file_unique_id``), which PTB's strict ``Update.de_json`` would reject.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from channels._payload import coordinates as _coordinates
from channels._payload import header as _header
from channels._payload import ident as _id
from channels._payload import obj as _obj
from channels._payload import text as _str
from channels.base import (
    AnswersCallbacks,
    Attachment,
    AttachmentKind,
    Button,
    ChannelAdapter,
    DeliveryError,
    FetchedMedia,
    InboundMessage,
    Location,
    MediaTooLarge,
    OutboundMessage,
    ParsedWebhook,
    SendResult,
    WebhookAuthError,
    json_object,
    numbered_text,
    split_text,
)

log = logging.getLogger(__name__)

CHANNEL = "telegram"
DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES: tuple[str, ...] = ("message", "edited_message", "callback_query")

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes, UTF-8
KEYBOARD_LIMIT = 100  # buttons per inline keyboard
SHORT_TITLE = 14  # titles up to this length go two per row
DEFAULT_NUMBERED_HINT = "Balas dengan angka pilihan."
DEFAULT_PROMPT = "Silakan pilih:"

# Bot API method and its file parameter, per attachment kind.
_MEDIA_METHODS: dict[str, tuple[str, str]] = {
    "image": ("sendPhoto", "photo"),
    "document": ("sendDocument", "document"),
    "other": ("sendDocument", "document"),
    "audio": ("sendAudio", "audio"),
    "video": ("sendVideo", "video"),
    "sticker": ("sendSticker", "sticker"),
}


# --------------------------------------------------------------------------- parsing


def parse_telegram_update(
    update: Mapping[str, Any], bot_username: str | None = None
) -> ParsedWebhook:
    """Turn one raw Bot API ``Update`` dict into neutral messages. Never raises.

    ``message`` and ``edited_message`` from private chats become messages;
    group and supergroup messages only when addressed to ``bot_username``
    (mention, reply to the bot, ``/command@bot``), otherwise they are noted in
    ``ignored``. A ``callback_query`` becomes a message whose ``payload`` is the
    button data, and its id goes to ``acks``. Anything else (channel posts,
    ``my_chat_member``...) is described in ``unparsed``.
    """
    raw_id = update.get("update_id")
    update_id = str(raw_id) if _is_int(raw_id) else None
    label = f"telegram update {update_id or '?'}"
    for key, edited in (("message", False), ("edited_message", True)):
        if key in update:
            msg = update[key]
            if not isinstance(msg, Mapping):
                return ParsedWebhook(unparsed=(f"{label}: {key} is not an object",))
            return _parse_message(msg, update_id, edited, bot_username, label)
    if "callback_query" in update:
        query = update["callback_query"]
        if not isinstance(query, Mapping):
            return ParsedWebhook(unparsed=(f"{label}: callback_query is not an object",))
        return _parse_callback(query, update_id, label)
    kinds = sorted(k for k in update if k != "update_id")
    return ParsedWebhook(unparsed=(f"{label}: {', '.join(kinds) or 'empty update'} not handled",))


def parse_telegram_updates(
    updates: Iterable[Mapping[str, Any]], bot_username: str | None = None
) -> ParsedWebhook:
    """Parse a batch of updates (``getUpdates`` result) into one :class:`ParsedWebhook`."""
    parts = [parse_telegram_update(u, bot_username) for u in updates]
    return ParsedWebhook(
        messages=tuple(m for p in parts for m in p.messages),
        statuses=tuple(s for p in parts for s in p.statuses),
        unparsed=tuple(u for p in parts for u in p.unparsed),
        acks=tuple(a for p in parts for a in p.acks),
        ignored=tuple(i for p in parts for i in p.ignored),
    )


def _parse_message(
    msg: Mapping[str, Any],
    update_id: str | None,
    edited: bool,
    bot_username: str | None,
    label: str,
) -> ParsedWebhook:
    chat = _obj(msg.get("chat"))
    chat_id = _id(chat.get("id"))
    if chat_id is None:
        return ParsedWebhook(unparsed=(f"{label}: message without chat id",))
    chat_type = _str(chat.get("type")) or "private"
    sender = _obj(msg.get("from"))
    # Anonymous group admins and some service messages have no "from".
    sender_id = _id(sender.get("id")) or chat_id
    text = _str(msg.get("text")) or _str(msg.get("caption")) or ""

    if chat_type in ("group", "supergroup"):
        addressed, text = _addressed_text(msg, text, bot_username)
        if not addressed:
            return ParsedWebhook(ignored=(f"{label}: group message not addressed to the bot",))
    elif chat_type != "private":
        return ParsedWebhook(unparsed=(f"{label}: message from a {chat_type} chat not handled",))

    attachments = _attachments(msg)
    location = _location(msg)
    contact = _obj(msg.get("contact"))
    contact_phone = _str(contact.get("phone_number"))
    if not (text or attachments or location or contact_phone):
        keys = sorted(set(msg) - _ENVELOPE_KEYS)
        what = ", ".join(keys) or "nothing"
        return ParsedWebhook(unparsed=(f"{label}: message without supported content ({what})",))

    metadata: dict[str, str] = {"chat_type": chat_type, "chat_id": chat_id}
    message_id = _id(msg.get("message_id"))
    if message_id is not None:
        metadata["message_id"] = message_id
    username = _str(sender.get("username"))
    if username:
        metadata["username"] = username
    reply_to = _id(_obj(msg.get("reply_to_message")).get("message_id"))
    if reply_to is not None:
        metadata["reply_to_message_id"] = reply_to
    # A contact whose user_id is the sender's own is "share my number".
    own_contact = bool(contact) and _id(contact.get("user_id")) == sender_id
    if contact:
        metadata["contact_is_sender"] = "true" if own_contact else "false"
        name = _full_name(contact)
        if name:
            metadata["contact_name"] = name

    stamp = msg.get("edit_date") if edited else None
    thread_id, quote_id = _threading(msg, chat_type)
    inbound = InboundMessage(
        channel=CHANNEL,
        sender_id=sender_id,
        text=text,
        provider_message_id=update_id,
        location=location,
        attachments=attachments,
        contact_phone=contact_phone,
        display_name=_full_name(sender) or username,
        language_hint=_str(sender.get("language_code")),
        timestamp=_epoch(stamp if stamp is not None else msg.get("date")),
        reply_address=chat_id,
        edited=edited,
        metadata=metadata,
        verified_phone=contact_phone if own_contact else None,
        private_address=_private_address(chat_type, sender_id),
        thread_id=thread_id,
        quote_id=quote_id,
    )
    return ParsedWebhook(messages=(inbound,))


def _parse_callback(query: Mapping[str, Any], update_id: str | None, label: str) -> ParsedWebhook:
    query_id = _id(query.get("id"))
    acks = (query_id,) if query_id else ()
    sender = _obj(query.get("from"))
    sender_id = _id(sender.get("id"))
    data = _str(query.get("data"))
    message = _obj(query.get("message"))
    chat = _obj(message.get("chat"))
    chat_id = _id(chat.get("id"))
    if not data or (sender_id is None and chat_id is None):
        # e.g. a game button: still acknowledged so the client stops waiting.
        return ParsedWebhook(
            unparsed=(f"{label}: callback_query without data or sender",), acks=acks
        )
    chat_type = _str(chat.get("type")) or "private"
    metadata: dict[str, str] = {"chat_type": chat_type}
    if query_id:
        metadata["callback_query_id"] = query_id
    message_id = _id(message.get("message_id"))
    if message_id is not None:
        metadata["message_id"] = message_id
    if chat_id is not None:
        metadata["chat_id"] = chat_id
    username = _str(sender.get("username"))
    if username:
        metadata["username"] = username
    person = sender_id or chat_id or ""
    inbound = InboundMessage(
        channel=CHANNEL,
        sender_id=person,
        text=data,
        payload=data,
        provider_message_id=update_id,
        display_name=_full_name(sender) or username,
        language_hint=_str(sender.get("language_code")),
        reply_address=chat_id or sender_id,
        metadata=metadata,
        private_address=_private_address(chat_type, person),
        # A button pressed in a forum topic is answered in that topic (no quote: the
        # press is no message of its own).
        thread_id=_threading(message, chat_type)[0],
    )
    return ParsedWebhook(messages=(inbound,), acks=acks)


def _threading(msg: Mapping[str, Any], chat_type: str) -> tuple[str | None, str | None]:
    """(forum topic id, message id to quote): replies in a topic stay in it (without
    ``message_thread_id`` they land in General), and in a group they quote the asker."""
    thread = _id(msg.get("message_thread_id")) if msg.get("is_topic_message") else None
    quote = _id(msg.get("message_id")) if chat_type in ("group", "supergroup") else None
    return thread, quote


def _private_address(chat_type: str, sender_id: str) -> str | None:
    """Where later messages go for a group member: their private chat, never the group."""
    return sender_id if chat_type in ("group", "supergroup") else None


# Keys that say who/when/where rather than what a message contains.
_ENVELOPE_KEYS = frozenset(
    {
        "message_id", "message_thread_id", "from", "sender_chat", "date", "chat",
        "edit_date", "reply_to_message", "entities", "caption_entities", "via_bot",
        "forward_origin", "is_topic_message", "author_signature", "has_protected_content",
        "link_preview_options", "reply_markup",
    }
)  # fmt: skip


def _addressed_text(
    msg: Mapping[str, Any], text: str, bot_username: str | None
) -> tuple[bool, str]:
    """Whether a group message is meant for the bot, and its text without the @mention."""
    if not bot_username:
        return False, text
    name = re.escape(bot_username.lstrip("@"))
    command = re.match(rf"(/\w+)@{name}\b", text, re.IGNORECASE)
    if command:
        return True, command.group(1) + text[command.end() :]
    if re.match(r"/(start|help)(?:\s|$)", text):
        # A bare command in a group is meant for every bot in it (Telegram's convention;
        # bots in privacy mode receive exactly these), so /start and /help are ours too.
        return True, text
    mention = re.compile(rf"@{name}\b", re.IGNORECASE)
    if mention.search(text):
        return True, re.sub(r"[ \t]{2,}", " ", mention.sub("", text)).strip()
    replied_from = _obj(_obj(msg.get("reply_to_message")).get("from"))
    replied_name = _str(replied_from.get("username")) or ""
    if replied_name.casefold() == bot_username.lstrip("@").casefold():
        return True, text
    return False, text


def _attachments(msg: Mapping[str, Any]) -> tuple[Attachment, ...]:
    caption = _str(msg.get("caption"))
    found: list[Attachment] = []
    photos = msg.get("photo")
    if isinstance(photos, list):
        sizes = [p for p in photos if isinstance(p, Mapping) and _str(p.get("file_id"))]
        if sizes:
            # Telegram lists sizes smallest first; prefer explicit size info when present.
            best = max(
                enumerate(sizes),
                key=lambda ip: (_num(ip[1].get("width")) * _num(ip[1].get("height")), ip[0]),
            )[1]
            found.append(
                Attachment(kind="image", media_id=_str(best.get("file_id")), caption=caption)
            )
    kinds: tuple[tuple[str, AttachmentKind], ...] = (
        ("document", "document"),
        ("voice", "audio"),
        ("audio", "audio"),
        ("video", "video"),
        ("video_note", "video"),
        ("animation", "video"),
        ("sticker", "sticker"),
    )
    for key, kind in kinds:
        if key == "document" and "animation" in msg:
            continue  # Telegram repeats an animation as a document; keep one.
        item = _obj(msg.get(key))
        file_id = _str(item.get("file_id"))
        if file_id:
            found.append(
                Attachment(
                    kind=kind,
                    media_id=file_id,
                    mime_type=_str(item.get("mime_type")),
                    caption=caption,
                    filename=_str(item.get("file_name")),
                )
            )
    return tuple(found)


def _location(msg: Mapping[str, Any]) -> Location | None:
    venue = _obj(msg.get("venue"))
    point = _obj(venue.get("location")) or _obj(msg.get("location"))
    lat, lon = point.get("latitude"), point.get("longitude")
    if not (_is_number(lat) and _is_number(lon)):
        return None
    found = _coordinates(lat, lon)
    if found is None:
        return None
    return Location(
        latitude=found[0],
        longitude=found[1],
        name=_str(venue.get("title")),
        address=_str(venue.get("address")),
    )


# --------------------------------------------------------------------------- rendering


def render_telegram(message: OutboundMessage) -> list[dict[str, Any]]:
    """The Bot API calls that deliver ``message``: ``[{"method": ..., "params": {...}}]``.

    Params use the Bot API's JSON shapes (``reply_markup`` as
    ``{"inline_keyboard": [[{"text", "callback_data"}]]}``). Buttons and list
    options become one inline keyboard (two per row when all titles are short);
    if any payload exceeds 64 bytes (or there are more than 100 choices) the
    message degrades to numbered text. Long texts are split at 4096
    characters, the keyboard riding on the last part. A location becomes
    ``sendLocation`` (``sendVenue`` when it has a name and address); attachments
    become ``sendPhoto``/``sendDocument``/... with their file id or URL.
    Raises :class:`DeliveryError` (not retryable) for an attachment with
    neither.
    """
    chat_id = _chat_id(message.recipient_id)
    calls: list[dict[str, Any]] = []
    choices = message.choices()
    keyboard = _inline_keyboard(choices) if choices else None
    if choices and keyboard is None:
        hint = message.metadata.get("numbered_hint", DEFAULT_NUMBERED_HINT)
        text = numbered_text(message, hint)
    else:
        text = _with_descriptions(message)
    if text or keyboard:
        parts = split_text(text or DEFAULT_PROMPT, TEXT_LIMIT)
        for i, part in enumerate(parts):
            params: dict[str, Any] = {"chat_id": chat_id, "text": part}
            if keyboard and i == len(parts) - 1:
                params["reply_markup"] = {"inline_keyboard": keyboard}
            calls.append({"method": "sendMessage", "params": params})
    loc = message.location
    if loc is not None:
        point = {"chat_id": chat_id, "latitude": loc.latitude, "longitude": loc.longitude}
        if loc.name and loc.address:
            calls.append(
                {
                    "method": "sendVenue",
                    "params": {**point, "title": loc.name, "address": loc.address},
                }
            )
        else:
            calls.append({"method": "sendLocation", "params": point})
    for att in message.attachments:
        calls.extend(_render_attachment(chat_id, att))
    _thread_calls(calls, message.metadata)
    return calls


def _thread_calls(calls: list[dict[str, Any]], metadata: Mapping[str, str]) -> None:
    """Put every call in the message's forum topic; the first one quotes the asker."""
    thread = metadata.get("thread_id", "")
    quote = metadata.get("reply_to_message_id", "")
    for i, call in enumerate(calls):
        if thread.lstrip("-").isdigit():
            call["params"]["message_thread_id"] = int(thread)
        if i == 0 and quote.isdigit():
            # If the asker's message is gone, the reply is still sent (unquoted).
            call["params"]["reply_parameters"] = {
                "message_id": int(quote), "allow_sending_without_reply": True}


def _inline_keyboard(choices: Sequence[Button]) -> list[list[dict[str, str]]] | None:
    """Rows of inline buttons, or None when Telegram's limits force numbered text."""
    if len(choices) > KEYBOARD_LIMIT:
        return None
    for c in choices:
        size = len(c.payload.encode("utf-8"))
        if not c.title.strip() or size == 0 or size > CALLBACK_DATA_LIMIT:
            return None
    per_row = 2 if len(choices) > 1 and all(len(c.title) <= SHORT_TITLE for c in choices) else 1
    return [
        [{"text": c.title, "callback_data": c.payload} for c in choices[i : i + per_row]]
        for i in range(0, len(choices), per_row)
    ]


def _with_descriptions(message: OutboundMessage) -> str:
    # Inline buttons cannot show a list row's description, so it joins the text.
    described = [o for o in message.list_options if o.description]
    if not described:
        return message.text
    lines = [f"• {o.title}: {o.description}" for o in described]
    return "\n\n".join(p for p in (message.text, "\n".join(lines)) if p)


def _render_attachment(chat_id: int | str, att: Attachment) -> list[dict[str, Any]]:
    method, field_name = _MEDIA_METHODS[att.kind]
    source = att.media_id or att.url
    if not source:
        raise DeliveryError(
            f"Telegram {att.kind} attachment has neither media_id nor url", retryable=False
        )
    params: dict[str, Any] = {"chat_id": chat_id, field_name: source}
    calls = [{"method": method, "params": params}]
    if att.caption and att.kind != "sticker":
        if len(att.caption) <= CAPTION_LIMIT:
            params["caption"] = att.caption
        else:
            # Too long for a caption: send it as text after the media rather than cut it.
            calls += [
                {"method": "sendMessage", "params": {"chat_id": chat_id, "text": part}}
                for part in split_text(att.caption, TEXT_LIMIT)
            ]
    return calls


def _chat_id(recipient: str) -> int | str:
    # Numeric ids go out as numbers; "@channelname" stays a string.
    try:
        return int(recipient)
    except ValueError:
        return recipient


# --------------------------------------------------------------------------- adapter


class _Pacer:
    """Reserves send slots so one chat gets at most one message per interval.

    A global slot sequence also keeps the whole bot under its bulk rate.
    Slots are reserved before sleeping, so concurrent sends queue up in order
    instead of all waking at once. State is per process.
    """

    def __init__(self, global_interval: float) -> None:
        self._next: dict[str, float] = {}
        self._global_interval = global_interval
        self._global_next = 0.0

    async def wait(self, key: str, interval: float) -> None:
        """Sleep until ``key`` may receive its next message."""
        now = time.monotonic()
        slot = max(now, self._next.get(key, 0.0))
        self._next[key] = slot + interval
        if slot > now:
            await asyncio.sleep(slot - now)
        now = time.monotonic()
        shared = max(now, self._global_next)
        self._global_next = shared + self._global_interval
        if shared > now:
            await asyncio.sleep(shared - now)
            self._next[key] = max(self._next[key], shared + interval)
        self._prune(now)

    def defer(self, key: str, seconds: float) -> None:
        """Hold ``key`` back for ``seconds`` (after a flood-control answer)."""
        self._next[key] = max(self._next.get(key, 0.0), time.monotonic() + seconds)

    def _prune(self, now: float) -> None:
        if len(self._next) > 10_000:
            self._next = {k: v for k, v in self._next.items() if v > now}


class TelegramAdapter:
    """Telegram Bot API channel (webhook or polling) on python-telegram-bot's ``Bot``.

    ``api_url`` is the Bot API server root; requests go to
    ``{api_url}/bot{token}/{method}``. ``secret`` is the webhook secret token;
    without one every webhook is refused unless ``allow_unsigned`` (local
    development only). ``per_chat_interval`` spaces messages to one private
    chat, ``group_interval`` to one group (Telegram allows about 20/min),
    ``global_rate`` caps messages per second overall.
    """

    name = CHANNEL

    def __init__(
        self,
        *,
        token: str,
        secret: str | None = None,
        api_url: str = DEFAULT_API_URL,
        bot_username: str | None = None,
        per_chat_interval: float = 1.0,
        group_interval: float = 3.0,
        global_rate: float = 30.0,
        allow_unsigned: bool = False,
        timeout: float = 10.0,
    ) -> None:
        if not token:
            raise ValueError("Telegram bot token is required (PINTU_TELEGRAM__TOKEN)")
        if global_rate <= 0:
            raise ValueError("global_rate must be positive")
        self._token = token
        self._secret = secret or None
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self.bot_username = bot_username.lstrip("@") if bot_username else None
        self.per_chat_interval = per_chat_interval
        self.group_interval = group_interval
        self.allow_unsigned = allow_unsigned
        self._timeout = timeout
        self._pacer = _Pacer(1.0 / global_rate)
        self._bot: Bot | None = None
        self._updates_request: HTTPXRequest | None = None
        self._init_lock = asyncio.Lock()

    # -- inbound

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Check the secret token header in constant time; raise :class:`WebhookAuthError`."""
        if self._secret is None:
            if self.allow_unsigned:
                return
            raise WebhookAuthError(
                "Telegram webhook secret is not configured (PINTU_TELEGRAM__SECRET); "
                "refusing unauthenticated updates"
            )
        given = _header(headers, SECRET_HEADER)
        if given is None:
            raise WebhookAuthError(f"missing {SECRET_HEADER} header")
        if not hmac.compare_digest(given.encode("utf-8"), self._secret.encode("utf-8")):
            raise WebhookAuthError(f"wrong {SECRET_HEADER}")

    def parse(self, body: bytes) -> ParsedWebhook:
        """Parse one webhook body (a JSON ``Update``); :class:`PayloadError` if not an object."""
        return parse_telegram_update(json_object(body, "Telegram update"), self.bot_username)

    # -- outbound

    async def initialize(self) -> None:
        """Create the PTB ``Bot`` and call getMe (checks the token, learns ``bot_username``).

        Optional: every network method does this lazily on first use.
        """
        await self._get_bot()

    async def send(self, message: OutboundMessage) -> SendResult:
        """Deliver ``message`` (see :func:`render_telegram`), paced per chat.

        Returns the Bot API ``message_id`` of the first message sent. Raises
        :class:`DeliveryError`: retryable for flood control (with
        ``retry_after``), network errors and 5xx; not for bad requests, a
        blocked bot or a bad token.
        """
        calls = render_telegram(message)
        bot = await self._get_bot()
        key = message.recipient_id
        interval = self.group_interval if key.startswith("-") else self.per_chat_interval
        first: str | None = None
        for call in calls:
            await self._pacer.wait(key, interval)
            try:
                sent = await self._call(bot, call)
            except RetryAfter as exc:
                error = self._error(exc)
                self._pacer.defer(key, error.retry_after or 0.0)
                raise error from exc
            except TelegramError as exc:
                raise self._error(exc) from exc
            if first is None:
                first = str(sent.message_id)
        return SendResult(provider_message_id=first)

    async def fetch_media(self, media_id: str, max_bytes: int) -> FetchedMedia:
        """Download a citizen's photo, document or voice note: ``getFile`` gives the file's
        path, fetched from ``{api_url}/file/bot{token}/{path}``."""
        bot = await self._get_bot()
        try:
            file = await bot.get_file(media_id)
            if file.file_size is not None and file.file_size > max_bytes:
                raise MediaTooLarge(file.file_size, max_bytes)
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            raise self._error(exc) from exc
        if len(data) > max_bytes:
            raise MediaTooLarge(len(data), max_bytes)
        name = (file.file_path or "").rsplit("/", 1)[-1] or None
        return FetchedMedia(data, None, name)

    async def answer_callback(self, callback_query_id: str, text: str | None = None) -> None:
        """Acknowledge a button press (answerCallbackQuery), optionally with a toast text."""
        bot = await self._get_bot()
        try:
            await bot.answer_callback_query(callback_query_id, text=text)
        except TelegramError as exc:
            raise self._error(exc) from exc

    async def set_webhook(self, url: str, secret: str | None = None) -> bool:
        """Register ``url`` as the webhook with the secret token (default: the configured one)."""
        token = secret or self._secret
        if token is None and not self.allow_unsigned:
            raise ValueError("a webhook secret is required (PINTU_TELEGRAM__SECRET)")
        bot = await self._get_bot()
        try:
            return await bot.set_webhook(
                url=url, secret_token=token, allowed_updates=list(ALLOWED_UPDATES)
            )
        except TelegramError as exc:
            raise self._error(exc) from exc

    async def delete_webhook(self, drop_pending_updates: bool = False) -> bool:
        """Remove the webhook (needed before polling with :meth:`get_updates`)."""
        bot = await self._get_bot()
        try:
            return await bot.delete_webhook(drop_pending_updates=drop_pending_updates)
        except TelegramError as exc:
            raise self._error(exc) from exc

    async def get_updates(
        self,
        offset: int | None = None,
        timeout: int = 30,  # noqa: ASYNC109  # Bot API long-poll seconds, not a client timeout
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Long-poll getUpdates and return the raw update dicts (for development).

        Raw dicts, not PTB objects, so they go through the same lenient parser
        as webhooks. Pass ``offset = last update_id + 1`` to confirm earlier
        updates. Fails (not retryable) while a webhook is set.
        """
        bot = await self._get_bot()
        assert self._updates_request is not None  # created with the bot
        params: dict[str, Any] = {
            "timeout": timeout,
            "limit": limit,
            "allowed_updates": json.dumps(list(ALLOWED_UPDATES)),
        }
        if offset is not None:
            params["offset"] = offset
        # PTB's own get_updates would build strict Update objects; ask its
        # request layer for the plain JSON instead (parameters in the query string).
        url = f"{bot.base_url}/getUpdates?{urlencode(params)}"
        try:
            result = await self._updates_request.post(url, read_timeout=timeout + 10.0)
        except TelegramError as exc:
            raise self._error(exc) from exc
        if not isinstance(result, list):
            raise DeliveryError("getUpdates returned no list of updates", retryable=True)
        return [dict(u) for u in result if isinstance(u, dict)]

    async def close(self) -> None:
        """Close the HTTP connections; the adapter can be used again afterwards."""
        async with self._init_lock:
            bot, self._bot, self._updates_request = self._bot, None, None
            if bot is not None:
                await bot.shutdown()

    # -- internals

    async def _get_bot(self) -> Bot:
        async with self._init_lock:
            if self._bot is None:
                updates_request = HTTPXRequest(
                    connection_pool_size=1, read_timeout=self._timeout + 30.0
                )
                bot = Bot(
                    self._token,
                    base_url=f"{self.api_url}/bot",
                    base_file_url=f"{self.api_url}/file/bot",
                    request=HTTPXRequest(
                        connect_timeout=self._timeout,
                        read_timeout=self._timeout,
                        write_timeout=self._timeout,
                    ),
                    get_updates_request=updates_request,
                )
                try:
                    await bot.initialize()
                except TelegramError as exc:
                    await bot.shutdown()
                    error = self._error(exc)
                    log.warning("Telegram getMe failed: %s", error)
                    raise error from exc
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    await bot.shutdown()
                    raise self._malformed("getMe", exc) from exc
                self._bot, self._updates_request = bot, updates_request
                if self.bot_username is None and bot.username:
                    self.bot_username = bot.username
            return self._bot

    async def _call(self, bot: Bot, call: Mapping[str, Any]) -> Message:
        """One Bot API call; a malformed answer is a classified, retryable failure."""
        try:
            return await self._call_method(bot, call)
        except (TelegramError, DeliveryError):
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self._malformed(call["method"], exc) from exc

    def _malformed(self, method: str, exc: Exception) -> DeliveryError:
        text = f"{type(exc).__name__}: {exc}".replace(self._token, "<token>")
        log.warning("Telegram %s: malformed answer from %s (%s)", method, self.api_url, text)
        return DeliveryError(f"Telegram {method}: malformed answer from the Bot API ({text})",
                             retryable=True)

    async def _call_method(self, bot: Bot, call: Mapping[str, Any]) -> Message:
        method: str = call["method"]
        p: dict[str, Any] = dict(call["params"])
        chat_id = p["chat_id"]
        where: dict[str, Any] = {"message_thread_id": p.get("message_thread_id")}
        quote = p.get("reply_parameters")
        if quote:
            where["reply_parameters"] = ReplyParameters(
                quote["message_id"], allow_sending_without_reply=True)
        if method == "sendMessage":
            return await bot.send_message(
                chat_id, p["text"], reply_markup=_markup(p.get("reply_markup")), **where
            )
        if method == "sendLocation":
            return await bot.send_location(
                chat_id, latitude=p["latitude"], longitude=p["longitude"], **where
            )
        if method == "sendVenue":
            return await bot.send_venue(
                chat_id,
                latitude=p["latitude"],
                longitude=p["longitude"],
                title=p["title"],
                address=p["address"],
                **where,
            )
        caption = p.get("caption")
        if method == "sendPhoto":
            return await bot.send_photo(chat_id, p["photo"], caption=caption, **where)
        if method == "sendDocument":
            return await bot.send_document(chat_id, p["document"], caption=caption, **where)
        if method == "sendAudio":
            return await bot.send_audio(chat_id, p["audio"], caption=caption, **where)
        if method == "sendVideo":
            return await bot.send_video(chat_id, p["video"], caption=caption, **where)
        if method == "sendSticker":
            return await bot.send_sticker(chat_id, p["sticker"], **where)
        raise DeliveryError(f"unsupported Telegram method {method}", retryable=False)

    def _error(self, exc: TelegramError) -> DeliveryError:
        """Map a PTB error to a DeliveryError; the token never appears in the message."""
        text = str(exc).replace(self._token, "<token>")
        if isinstance(exc, RetryAfter):
            seconds = _retry_after_seconds(exc)
            return DeliveryError(
                f"Telegram flood control: retry after {seconds:g} s",
                retryable=True,
                retry_after=seconds,
            )
        if isinstance(exc, Forbidden):
            return DeliveryError(
                f"Telegram refused delivery (bot blocked or removed): {text}", retryable=False
            )
        if isinstance(exc, ChatMigrated):
            return DeliveryError(
                f"Telegram group moved to supergroup {exc.new_chat_id}", retryable=False
            )
        if isinstance(exc, (BadRequest, InvalidToken, Conflict)):
            # BadRequest subclasses NetworkError in PTB, so it is checked first.
            return DeliveryError(f"Telegram rejected the request: {text}", retryable=False)
        if isinstance(exc, NetworkError):
            return DeliveryError(f"Telegram unreachable or failing: {text}", retryable=True)
        return DeliveryError(f"Telegram error: {text}", retryable=True)


if TYPE_CHECKING:  # mypy proves the adapter fits the port and the capability
    _port: type[ChannelAdapter] = TelegramAdapter
    _answers: type[AnswersCallbacks] = TelegramAdapter


def _markup(raw: Any) -> InlineKeyboardMarkup | None:
    if not raw:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b["text"], callback_data=b["callback_data"]) for b in row]
            for row in raw["inline_keyboard"]
        ]
    )


def _retry_after_seconds(exc: RetryAfter) -> float:
    # PTB 22 warns that retry_after will become a timedelta; accept both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# --------------------------------------------------------------------------- helpers


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _num(value: Any) -> float:
    return float(value) if _is_number(value) else 0.0


def _full_name(person: Mapping[str, Any]) -> str | None:
    parts = [_str(person.get("first_name")), _str(person.get("last_name"))]
    name = " ".join(p for p in parts if p)
    return name or None


def _epoch(value: Any) -> datetime | None:
    if not _is_number(value) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
