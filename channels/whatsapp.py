"""WhatsApp Cloud API channel: signed webhooks in, Graph API messages out.

Pintu owns the HTTP routes; this module only checks, parses and sends. The
app wires it roughly like this::

    adapter = WhatsAppAdapter(token=..., app_secret=..., verify_token=...,
                              api_url="https://graph.facebook.com/v23.0",
                              phone_number_id=...)

    # GET /webhooks/whatsapp  (Meta's subscription check)
    challenge = adapter.verify_subscription(
        q.get("hub.mode"), q.get("hub.verify_token"), q.get("hub.challenge"))
    # -> answer challenge as text/plain; WebhookAuthError -> 401 (403 also fine)

    # POST /webhooks/whatsapp
    adapter.verify(request.headers, raw_body)   # X-Hub-Signature-256; WebhookAuthError -> 401
    parsed = adapter.parse(raw_body)            # PayloadError -> 400; otherwise always 200
    # dedupe parsed.messages on provider_message_id (the wamid), apply
    # parsed.statuses to the outbox by provider_message_id, keep parsed.unparsed

    await adapter.send(outbound)   # DeliveryError(retryable, retry_after) -> outbox
    await adapter.close()

Identity: since 2026 Meta sends a business-scoped user id (``user_id`` /
``from_user_id``, e.g. ``ID.1234...``) and may omit the phone number
(``wa_id`` / ``from``). Citizens are keyed on the user id when present, else
the phone number; replies go to the phone number when known (Graph API
``"to"``), else to the user id (``"recipient"``). :func:`render_whatsapp`
tells the two apart by shape: an all-digit address (optionally ``+``) is a
phone number, anything else a business-scoped id.

The 24-hour customer-service window is the caller's knowledge: put the
citizen's last inbound time in ``OutboundMessage.metadata["last_inbound_at"]``
(ISO 8601). Outside the window only an approved template may be sent
(``metadata["template"]``, optional ``template_language`` (default ``id``) and
``template_params``, a JSON list of body parameters). Without
``last_inbound_at`` the message is sent as is and Meta has the last word.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpx

from channels._payload import coordinates as _coordinates
from channels._payload import header as _header
from channels._payload import ident as _id
from channels._payload import obj as _obj
from channels._payload import text as _str
from channels.base import (
    Attachment,
    Button,
    DeliveryError,
    DeliveryStatus,
    FetchedMedia,
    InboundMessage,
    Location,
    MediaTooLarge,
    OutboundMessage,
    ParsedWebhook,
    PayloadError,
    SendResult,
    WebhookAuthError,
    json_object,
    numbered_text,
    split_text,
)

CHANNEL = "whatsapp"
DEFAULT_API_URL = "https://graph.facebook.com/v23.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"

TEXT_LIMIT = 4096
INTERACTIVE_BODY_LIMIT = 1024
CAPTION_LIMIT = 1024
MAX_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
MAX_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_ID_LIMIT = 200
ROW_DESCRIPTION_LIMIT = 72
LIST_BUTTON_LIMIT = 20
SERVICE_WINDOW = timedelta(hours=24)

DEFAULT_NUMBERED_HINT = "Balas dengan angka pilihan."
DEFAULT_LIST_BUTTON = "Pilih"
DEFAULT_PROMPT = "Silakan pilih:"
DEFAULT_TEMPLATE_LANGUAGE = "id"

# Graph API error codes that mean "later", even when the HTTP status is 400:
# unknown/temporary (1, 2, 131000, 131016, 133004) and throughput or
# per-user rate limits (4, 80007, 130429, 131056).
RETRYABLE_ERROR_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})

_MEDIA_KINDS: dict[str, Literal["image", "document", "audio", "video", "sticker"]] = {
    "image": "image",
    "document": "document",
    "audio": "audio",
    "video": "video",
    "sticker": "sticker",
}
_STATUSES: dict[str, Literal["sent", "delivered", "read", "failed"]] = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "failed": "failed",
}
_CAPTIONED = frozenset({"image", "video", "document"})


# --------------------------------------------------------------------------- parsing


def parse_whatsapp_payload(payload: Mapping[str, Any]) -> ParsedWebhook:
    """Walk every ``entry[].changes[].value`` of a Cloud API webhook. Never raises.

    Messages become :class:`InboundMessage` (text, button and list replies,
    template quick replies, locations, media, contacts), ``statuses[]`` become
    :class:`DeliveryStatus`; reactions are noted in ``ignored``; anything not
    understood (other fields, unsupported types, errors) is described in
    ``unparsed``.
    """
    out = _Collector()
    obj = payload.get("object")
    if obj is not None and obj != "whatsapp_business_account":
        out.unparsed.append(f"whatsapp payload for object {obj!r} not handled")
        return out.result()
    entries = payload.get("entry")
    if not isinstance(entries, list):
        out.unparsed.append("whatsapp payload without an entry list")
        return out.result()
    for entry in entries:
        changes = _obj(entry).get("changes")
        if not isinstance(changes, list):
            out.unparsed.append("whatsapp entry without a changes list")
            continue
        for change in changes:
            change = _obj(change)
            field = change.get("field")
            value = change.get("value")
            if field not in (None, "messages"):
                out.unparsed.append(f"whatsapp change field {field!r} not handled")
            elif not isinstance(value, Mapping):
                out.unparsed.append("whatsapp change without a value object")
            else:
                _parse_value(value, out)
    return out.result()


class _Collector:
    def __init__(self) -> None:
        self.messages: list[InboundMessage] = []
        self.statuses: list[DeliveryStatus] = []
        self.unparsed: list[str] = []
        self.ignored: list[str] = []

    def result(self) -> ParsedWebhook:
        return ParsedWebhook(
            messages=tuple(self.messages),
            statuses=tuple(self.statuses),
            unparsed=tuple(self.unparsed),
            ignored=tuple(self.ignored),
        )


def _parse_value(value: Mapping[str, Any], out: _Collector) -> None:
    meta = _obj(value.get("metadata"))
    phone_number_id = _id(meta.get("phone_number_id"))
    contacts = [c for c in _list(value.get("contacts")) if isinstance(c, Mapping)]
    messages = _list(value.get("messages"))
    statuses = _list(value.get("statuses"))
    errors = _list(value.get("errors"))
    for msg in messages:
        if isinstance(msg, Mapping):
            _parse_message(msg, contacts, phone_number_id, out)
        else:
            out.unparsed.append("whatsapp message that is not an object")
    for status in statuses:
        _parse_status(_obj(status), out)
    for err in errors:
        out.unparsed.append(f"whatsapp error: {_error_text(_obj(err))}")
    if not (messages or statuses or errors):
        keys = ", ".join(sorted(k for k in value if k not in ("messaging_product", "metadata")))
        out.unparsed.append(f"whatsapp change value without messages or statuses ({keys})")


def _parse_message(
    msg: Mapping[str, Any],
    contacts: Sequence[Mapping[str, Any]],
    phone_number_id: str | None,
    out: _Collector,
) -> None:
    wamid = _id(msg.get("id"))
    mtype = _str(msg.get("type")) or "unknown"
    label = f"whatsapp message {wamid or '?'} ({mtype})"
    contact = _contact_for(msg, contacts)
    phone = _id(msg.get("from")) or _id(contact.get("wa_id"))
    user_id = _id(msg.get("from_user_id")) or _id(contact.get("user_id"))
    sender = user_id or phone
    if sender is None:
        out.unparsed.append(f"{label}: no sender (neither from, from_user_id nor contacts)")
        return
    parser = _MESSAGE_PARSERS.get(mtype, _parse_unsupported)
    content = parser(mtype, _obj(msg.get(mtype)), msg)
    if isinstance(content, _Skip):
        (out.ignored if content.ignored else out.unparsed).append(f"{label}: {content.reason}")
        return
    profile = _obj(contact.get("profile"))
    metadata: dict[str, str] = {"message_type": mtype}
    for key, val in (
        ("phone_number_id", phone_number_id),
        ("wa_id", phone),
        ("user_id", user_id),
        ("username", _str(profile.get("username"))),
        ("context_id", _id(_obj(msg.get("context")).get("id"))),
    ):
        if val:
            metadata[key] = val
    metadata.update(content.metadata)
    out.messages.append(
        InboundMessage(
            channel=CHANNEL,
            sender_id=sender,
            text=content.text,
            provider_message_id=wamid,
            payload=content.payload,
            location=content.location,
            attachments=content.attachments,
            contact_phone=content.contact_phone,
            display_name=_str(profile.get("name")),
            timestamp=_epoch(msg.get("timestamp")),
            reply_address=phone or user_id,
            metadata=metadata,
            # Meta vouches for wa_id: it is the number the message came from.
            verified_phone=phone,
            # Keyed on user_id, the citizen may already be known by phone number.
            aliases=(phone,) if phone and phone != sender else (),
        )
    )


@dataclass(frozen=True, slots=True)
class _Content:
    """What one message says, by type; ``metadata`` adds type-specific keys."""

    text: str = ""
    payload: str | None = None
    location: Location | None = None
    attachments: tuple[Attachment, ...] = ()
    contact_phone: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Skip:
    """Why a message yields nothing: ``unparsed``, or ``ignored`` when deliberate."""

    reason: str
    ignored: bool = False


# (message type, the object under that type's key, the whole message) -> content.
_MessageParser = Callable[[str, Mapping[str, Any], Mapping[str, Any]], _Content | _Skip]


def _parse_text(mtype: str, body: Mapping[str, Any], msg: Mapping[str, Any]) -> _Content | _Skip:
    text = _str(body.get("body"))
    return _Content(text=text) if text else _Skip("empty text")


def _parse_interactive(
    mtype: str, body: Mapping[str, Any], msg: Mapping[str, Any]
) -> _Content | _Skip:
    itype = _str(body.get("type")) or "?"
    reply = _obj(body.get(itype))
    payload = _id(reply.get("id"))
    if itype not in ("button_reply", "list_reply") or not payload:
        return _Skip(f"interactive {itype} not handled")
    return _Content(
        text=_str(reply.get("title")) or payload,
        payload=payload,
        metadata={"interactive_type": itype},
    )


def _parse_button(mtype: str, body: Mapping[str, Any], msg: Mapping[str, Any]) -> _Content | _Skip:
    # Quick-reply button of a template message.
    payload = _str(body.get("payload")) or _str(body.get("text"))
    if not payload:
        return _Skip("template button without payload or text")
    return _Content(text=_str(body.get("text")) or payload, payload=payload)


def _parse_location(
    mtype: str, body: Mapping[str, Any], msg: Mapping[str, Any]
) -> _Content | _Skip:
    location = _location(body)
    if location is None:
        return _Skip("location without coordinates")
    return _Content(location=location)


def _parse_media(mtype: str, body: Mapping[str, Any], msg: Mapping[str, Any]) -> _Content | _Skip:
    media_id = _id(body.get("id"))
    url = _str(body.get("url"))
    if not (media_id or url):
        return _Skip("media without id")
    caption = _str(body.get("caption"))
    attachment = Attachment(
        kind=_MEDIA_KINDS[mtype],
        media_id=media_id,
        url=url,
        mime_type=_str(body.get("mime_type")),
        caption=caption,
        filename=_str(body.get("filename")),
    )
    return _Content(text=caption or "", attachments=(attachment,))


def _parse_contacts(
    mtype: str, body: Mapping[str, Any], msg: Mapping[str, Any]
) -> _Content | _Skip:
    # The cards are the message's own "contacts" list, not the sender's contacts[].
    cards = [c for c in _list(msg.get("contacts")) if isinstance(c, Mapping)]
    phones = [p for c in cards for p in _list(c.get("phones")) if isinstance(p, Mapping)]
    contact_phone = next(
        (v for p in phones if (v := _str(p.get("phone")) or _id(p.get("wa_id")))), None
    )
    if contact_phone is None:
        return _Skip("shared contact without a phone number")
    name = _str(_obj(cards[0].get("name")).get("formatted_name")) if cards else None
    return _Content(contact_phone=contact_phone, metadata={"contact_name": name} if name else {})


def _parse_reaction(
    mtype: str, body: Mapping[str, Any], msg: Mapping[str, Any]
) -> _Content | _Skip:
    emoji = _str(body.get("emoji")) or "(removed)"
    target = _id(body.get("message_id")) or "?"
    return _Skip(f"reaction {emoji} to {target}", ignored=True)


def _parse_unsupported(
    mtype: str, body: Mapping[str, Any], msg: Mapping[str, Any]
) -> _Content | _Skip:
    errors = _list(msg.get("errors"))
    detail = f": {_error_text(_obj(errors[0]))}" if errors else ""
    return _Skip(f"type not supported{detail}")


# One pure parser per WhatsApp message type; any other type is unsupported.
_MESSAGE_PARSERS: dict[str, _MessageParser] = {
    "text": _parse_text,
    "interactive": _parse_interactive,
    "button": _parse_button,
    "location": _parse_location,
    **dict.fromkeys(_MEDIA_KINDS, _parse_media),
    "contacts": _parse_contacts,
    "reaction": _parse_reaction,
}


def _contact_for(
    msg: Mapping[str, Any], contacts: Sequence[Mapping[str, Any]]
) -> Mapping[str, Any]:
    """The contacts[] entry describing this message's sender, matched on either id."""
    phone = _id(msg.get("from"))
    user_id = _id(msg.get("from_user_id"))
    for c in contacts:
        if (user_id and _id(c.get("user_id")) == user_id) or (
            phone and _id(c.get("wa_id")) == phone
        ):
            return c
    if len(contacts) == 1:
        # One contact and no conflicting id: it is the sender (ids may be partial).
        c = contacts[0]
        wa_id, c_user = _id(c.get("wa_id")), _id(c.get("user_id"))
        if not (phone and wa_id and wa_id != phone) and not (
            user_id and c_user and c_user != user_id
        ):
            return c
    return {}


def _parse_status(status: Mapping[str, Any], out: _Collector) -> None:
    wamid = _id(status.get("id"))
    raw = _str(status.get("status")) or "?"
    state = _STATUSES.get(raw)
    if wamid is None or state is None:
        out.unparsed.append(f"whatsapp status {raw!r} for {wamid or '?'} not handled")
        return
    errors = _list(status.get("errors"))
    out.statuses.append(
        DeliveryStatus(
            channel=CHANNEL,
            provider_message_id=wamid,
            status=state,
            recipient_id=_id(status.get("recipient_id")) or _id(status.get("recipient_user_id")),
            timestamp=_epoch(status.get("timestamp")),
            error=_error_text(_obj(errors[0])) if errors else None,
        )
    )


def _location(body: Mapping[str, Any]) -> Location | None:
    found = _coordinates(body.get("latitude"), body.get("longitude"))
    if found is None:
        return None
    return Location(
        latitude=found[0],
        longitude=found[1],
        name=_str(body.get("name")),
        address=_str(body.get("address")),
    )


def _error_text(err: Mapping[str, Any]) -> str:
    code = err.get("code")
    title = _str(err.get("title")) or _str(err.get("message")) or "error"
    details = _str(_obj(err.get("error_data")).get("details"))
    text = f"{code} {title}" if code is not None else title
    return f"{text}: {details}" if details and details != title else text


# --------------------------------------------------------------------------- rendering


def render_whatsapp(message: OutboundMessage, now: datetime | None = None) -> list[dict[str, Any]]:
    """The Graph API message bodies that deliver ``message``, in order.

    Text becomes ``type: text`` (split at 4096 characters). Up to 3 choices
    with titles <= 20 characters become reply buttons; up to 10 with titles
    <= 24 become a one-section list; anything beyond, or a body over 1024
    characters, degrades to numbered text ending with
    ``metadata["numbered_hint"]`` (default "Balas dengan angka pilihan.").
    Outside the 24-hour window (``metadata["last_inbound_at"]`` older than 24 h
    at ``now``) the whole message is replaced by ``metadata["template"]``, or
    :class:`DeliveryError` (not retryable) is raised when none is named.
    """
    base = _addressing(message.recipient_id)
    if _outside_window(message.metadata, now or datetime.now(UTC)):
        name = message.metadata.get("template")
        if not name:
            raise DeliveryError(
                "outside the 24-hour customer service window and no approved template "
                "named (metadata['template']): WhatsApp would refuse a free-form message",
                retryable=False,
            )
        return [{**base, "type": "template", "template": _template(name, message.metadata)}]

    bodies: list[dict[str, Any]] = []
    choices = message.choices()
    interactive = _interactive(message, choices) if choices else None
    if interactive is not None:
        bodies.append({**base, "type": "interactive", "interactive": interactive})
    else:
        if choices:
            hint = message.metadata.get("numbered_hint", DEFAULT_NUMBERED_HINT)
            text = numbered_text(message, hint)
        else:
            text = message.text
        if text:
            bodies += [_text_body(base, part) for part in split_text(text, TEXT_LIMIT)]
    loc = message.location
    if loc is not None:
        point: dict[str, Any] = {"latitude": loc.latitude, "longitude": loc.longitude}
        if loc.name:
            point["name"] = loc.name
        if loc.address:
            point["address"] = loc.address
        bodies.append({**base, "type": "location", "location": point})
    for att in message.attachments:
        bodies += _media_bodies(base, att)
    return bodies


def _addressing(address: str) -> dict[str, Any]:
    base: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
    phone = address.strip().removeprefix("+")
    if phone.isdigit():
        base["to"] = phone
    else:
        # A business-scoped user id (e.g. "ID.1234..."): no phone number known.
        base["recipient"] = address
    return base


def _text_body(base: Mapping[str, Any], text: str) -> dict[str, Any]:
    return {**base, "type": "text", "text": {"preview_url": False, "body": text}}


def _interactive(message: OutboundMessage, choices: Sequence[Button]) -> dict[str, Any] | None:
    """Reply buttons or a list when WhatsApp's limits allow, else None (numbered text)."""
    body = message.text or DEFAULT_PROMPT
    payloads = [c.payload for c in choices]
    if len(body) > INTERACTIVE_BODY_LIMIT or len(set(payloads)) != len(payloads):
        return None
    if any(not c.payload or not c.title.strip() for c in choices):
        return None
    if (
        not message.list_options
        and len(choices) <= MAX_BUTTONS
        and len({c.title for c in choices}) == len(choices)
        and all(
            len(c.title) <= BUTTON_TITLE_LIMIT and len(c.payload) <= BUTTON_ID_LIMIT
            for c in choices
        )
    ):
        buttons = [{"type": "reply", "reply": {"id": c.payload, "title": c.title}} for c in choices]
        return {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}}
    if len(choices) <= MAX_ROWS and all(
        len(c.title) <= ROW_TITLE_LIMIT and len(c.payload) <= ROW_ID_LIMIT for c in choices
    ):
        descriptions = {o.payload: o.description for o in message.list_options if o.description}
        rows: list[dict[str, str]] = []
        for c in choices:
            row = {"id": c.payload, "title": c.title}
            desc = descriptions.get(c.payload)
            if desc:
                # A description only adds detail; shortening it loses less than degrading.
                row["description"] = _shorten(desc, ROW_DESCRIPTION_LIMIT)
            rows.append(row)
        label = message.list_button
        if not label or len(label) > LIST_BUTTON_LIMIT:
            label = DEFAULT_LIST_BUTTON
        return {
            "type": "list",
            "body": {"text": body},
            "action": {"button": label, "sections": [{"title": label, "rows": rows}]},
        }
    return None


def _media_bodies(base: Mapping[str, Any], att: Attachment) -> list[dict[str, Any]]:
    kind = "document" if att.kind == "other" else att.kind
    if att.media_id:
        media: dict[str, Any] = {"id": att.media_id}
    elif att.url:
        media = {"link": att.url}
    else:
        raise DeliveryError(
            f"WhatsApp {att.kind} attachment has neither media_id nor url", retryable=False
        )
    extra: list[dict[str, Any]] = []
    if att.caption and kind in _CAPTIONED:
        if len(att.caption) <= CAPTION_LIMIT:
            media["caption"] = att.caption
        else:
            # Too long for a caption: send it as text after the media rather than cut it.
            extra = [_text_body(base, part) for part in split_text(att.caption, TEXT_LIMIT)]
    if att.filename and kind == "document":
        media["filename"] = att.filename
    return [{**base, "type": kind, kind: media}, *extra]


def _outside_window(metadata: Mapping[str, str], now: datetime) -> bool:
    raw = metadata.get("last_inbound_at")
    if not raw:
        return False
    try:
        last = datetime.fromisoformat(raw)
    except ValueError:
        return False  # unknown: send, and let Meta refuse (131047) if it must
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return now - last > SERVICE_WINDOW


def _template(name: str, metadata: Mapping[str, str]) -> dict[str, Any]:
    template: dict[str, Any] = {
        "name": name,
        "language": {"code": metadata.get("template_language") or DEFAULT_TEMPLATE_LANGUAGE},
    }
    raw = metadata.get("template_params")
    if raw:
        try:
            params = json.loads(raw)
        except ValueError:
            params = None
        if not isinstance(params, list):
            raise DeliveryError(
                "metadata['template_params'] must be a JSON list of strings", retryable=False
            )
        template["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in params]}
        ]
    return template


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- adapter


class WhatsAppAdapter:
    """WhatsApp Cloud API channel.

    ``api_url`` is the Graph API root including the version; messages go to
    ``POST {api_url}/{phone_number_id}/messages`` with the bearer ``token``.
    ``app_secret`` checks webhook signatures, ``verify_token`` answers Meta's
    subscription check. ``phone_number_id`` is the sending number unless an
    outbound message names one in ``metadata["phone_number_id"]`` (replies
    can go out from the number that received the message).
    """

    name = CHANNEL

    def __init__(
        self,
        *,
        token: str,
        app_secret: str | None = None,
        verify_token: str | None = None,
        api_url: str = DEFAULT_API_URL,
        phone_number_id: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._token = token
        self._app_secret = app_secret or None
        self._verify_token = verify_token or None
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self.phone_number_id = phone_number_id or None
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None

    # -- inbound

    def verify_subscription(
        self, mode: str | None, token: str | None, challenge: str | None
    ) -> str:
        """Answer Meta's GET check: the challenge if mode and verify token match."""
        if self._verify_token is None:
            raise WebhookAuthError(
                "WhatsApp verify token is not configured (PINTU_WHATSAPP__VERIFY_TOKEN)"
            )
        if mode != "subscribe":
            raise WebhookAuthError("hub.mode must be 'subscribe'")
        if token is None or not hmac.compare_digest(
            token.encode("utf-8"), self._verify_token.encode("utf-8")
        ):
            raise WebhookAuthError("wrong hub.verify_token")
        if not challenge:
            raise PayloadError("missing hub.challenge")
        return challenge

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Check X-Hub-Signature-256 (HMAC-SHA256 of the raw body) in constant time."""
        if self._app_secret is None:
            raise WebhookAuthError(
                "WhatsApp app secret is not configured (PINTU_WHATSAPP__APP_SECRET); "
                "refusing unsigned webhooks"
            )
        given = _header(headers, SIGNATURE_HEADER)
        if not given:
            raise WebhookAuthError(f"missing {SIGNATURE_HEADER} header")
        expected = (
            "sha256=" + hmac.new(self._app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8")):
            raise WebhookAuthError(f"wrong {SIGNATURE_HEADER}")

    def parse(self, body: bytes) -> ParsedWebhook:
        """Parse one webhook body; :class:`PayloadError` if it is not a JSON object."""
        return parse_whatsapp_payload(json_object(body, "WhatsApp webhook"))

    # -- outbound

    async def send(self, message: OutboundMessage) -> SendResult:
        """Deliver ``message`` (see :func:`render_whatsapp`); returns the first wamid.

        Raises :class:`DeliveryError`: retryable on 429, 5xx, network errors
        and Meta's rate-limit codes (``retry_after`` from Retry-After); not
        retryable on other 4xx (e.g. 131047, re-engagement required) or
        outside the 24-hour window without a template.
        """
        bodies = render_whatsapp(message)
        url = self._messages_url(message.metadata.get("phone_number_id"))
        first: str | None = None
        for body in bodies:
            answer = await self._post(url, body)
            if first is None:
                sent = _list(answer.get("messages"))
                first = _id(_obj(sent[0]).get("id")) if sent else None
        return SendResult(provider_message_id=first)

    async def fetch_media(self, media_id: str, max_bytes: int) -> FetchedMedia:
        """Download a citizen's media: ``GET /{media_id}`` gives a short-lived URL, which is
        fetched with the same token (Meta refuses it without)."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout)
        auth = {"Authorization": f"Bearer {self._token}"}
        try:
            meta = await self._client.get(f"{self.api_url}/{media_id}", headers=auth)
            if meta.status_code != 200:
                raise DeliveryError(f"WhatsApp media {media_id}: HTTP {meta.status_code}",
                                    retryable=meta.status_code >= 500
                                    or meta.status_code == 429)
            info = _obj(meta.json())
            size = info.get("file_size")
            if isinstance(size, int) and size > max_bytes:
                raise MediaTooLarge(size, max_bytes)
            url = info.get("url")
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                raise DeliveryError(f"WhatsApp media {media_id}: no URL", retryable=False)
            data = bytearray()
            async with self._client.stream("GET", url, headers=auth) as resp:
                if resp.status_code != 200:
                    raise DeliveryError(f"WhatsApp media download: HTTP {resp.status_code}",
                                        retryable=resp.status_code >= 500)
                async for chunk in resp.aiter_bytes():
                    data += chunk
                    if len(data) > max_bytes:
                        raise MediaTooLarge(len(data), max_bytes)
        except (httpx.HTTPError, ValueError) as exc:
            raise DeliveryError(f"WhatsApp media {media_id}: {type(exc).__name__}: {exc}",
                                retryable=True) from exc
        mime = info.get("mime_type")
        return FetchedMedia(bytes(data), mime if isinstance(mime, str) else None)

    async def mark_read(self, message_id: str, phone_number_id: str | None = None) -> None:
        """Mark an inbound message (wamid) as read: blue ticks for the citizen."""
        body = {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
        await self._post(self._messages_url(phone_number_id), body)

    async def close(self) -> None:
        """Close the HTTP connections; the adapter can be used again afterwards."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    # -- internals

    def _messages_url(self, phone_number_id: str | None) -> str:
        number = phone_number_id or self.phone_number_id
        if not number:
            raise DeliveryError(
                "no WhatsApp phone_number_id configured to send from", retryable=False
            )
        return f"{self.api_url}/{number}/messages"

    async def _post(self, url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout)
        try:
            response = await self._client.post(
                url, json=body, headers={"Authorization": f"Bearer {self._token}"}
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(
                f"WhatsApp API unreachable: {type(exc).__name__}: {exc}", retryable=True
            ) from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        answer: dict[str, Any] = data if isinstance(data, dict) else {}
        if response.status_code >= 400:
            raise _http_error(response, answer)
        return answer


def _http_error(response: httpx.Response, answer: Mapping[str, Any]) -> DeliveryError:
    err = _obj(answer.get("error"))
    code = err.get("code")
    message = _str(err.get("message")) or response.reason_phrase or "error"
    details = _str(_obj(err.get("error_data")).get("details"))
    text = f"WhatsApp API {response.status_code}: {message}"
    if code is not None:
        text += f" (code {code})"
    if details:
        text += f": {details}"
    status = response.status_code
    retryable = status == 429 or status >= 500 or code in RETRYABLE_ERROR_CODES
    retry_after = _retry_after(response.headers.get("Retry-After")) if retryable else None
    return DeliveryError(text, retryable=retryable, retry_after=retry_after)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


# --------------------------------------------------------------------------- helpers


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _epoch(value: Any) -> datetime | None:
    # Cloud API timestamps are epoch seconds as strings.
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
