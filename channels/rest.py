"""Rasa-compatible REST channel.

``POST /webhooks/rest/webhook`` takes ``{"sender": .., "message": ..}`` (plus
optional ``message_id`` for de-duplication and ``metadata``) and answers the
list of bot messages ``[{"recipient_id", "text", "buttons": [{"title",
"payload"}]}]``. Messages that come later (an officer's reply, a survey) are
POSTed in the same shape to a callback URL when one is configured, and are
kept for ``GET /webhooks/rest/messages?sender=ID`` when none is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from channels.base import (
    ChannelAdapter,
    DeliveryError,
    HoldsMessages,
    InboundMessage,
    OutboundMessage,
    ParsedWebhook,
    PayloadError,
    SendResult,
    clean_text,
    has_lone_surrogate,
    load_json,
)

MAX_TEXT = 8000
# Column sizes: channel_identities.external_id, messages.provider_message_id and
# the display name. Checked here so an over-long value is a clear 400, not a
# database error (PostgreSQL refuses it; SQLite would silently keep it).
MAX_SENDER = 128
MAX_MESSAGE_KEY = 200
MAX_NAME = 200


def parse_rest_body(body: bytes) -> InboundMessage:
    """Parse a REST webhook body; :class:`PayloadError` with a clear message when invalid."""
    # Strings are not cleaned here: an id with a lone surrogate is refused below,
    # while the citizen's words and name are kept with the bad character replaced.
    data = load_json(body or b"", "body", clean=False)
    if not isinstance(data, dict):
        raise PayloadError('body must be a JSON object like {"sender": "..", "message": ".."}')
    raw_sender = data.get("sender")
    if (
        not isinstance(raw_sender, str | int)
        or isinstance(raw_sender, bool)
        or not str(raw_sender).strip()
    ):
        raise PayloadError("'sender' is required: a non-empty string")
    sender = str(raw_sender).strip() if isinstance(raw_sender, str) else _number(raw_sender)
    if has_lone_surrogate(sender):
        raise PayloadError("'sender' holds a lone surrogate (\\ud800..\\udfff): not text")
    if len(sender) > MAX_SENDER:
        raise PayloadError(f"'sender' is longer than {MAX_SENDER} characters")
    if "\x00" in sender:
        raise PayloadError("'sender' must not contain a NUL character")
    message = data.get("message")
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise PayloadError("'message' must be a string")
    if len(message) > MAX_TEXT:
        raise PayloadError(f"'message' is longer than {MAX_TEXT} characters")
    message_id = data.get("message_id")
    if message_id is not None and not isinstance(message_id, str | int):
        raise PayloadError("'message_id' must be a string")
    # Scoped by sender: one client cannot replay another's id to read its replies.
    if isinstance(message_id, int):
        message_id = _number(message_id)
    key = None if message_id is None else f"{sender}:{message_id}"
    if key is not None:
        if has_lone_surrogate(key):
            raise PayloadError("'message_id' holds a lone surrogate (\\ud800..\\udfff): not text")
        if "\x00" in key:
            raise PayloadError("'message_id' must not contain a NUL character")
        if len(key) > MAX_MESSAGE_KEY:
            raise PayloadError(
                f"'message_id' is too long: sender, ':' and message_id together "
                f"must fit in {MAX_MESSAGE_KEY} characters"
            )
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise PayloadError("'metadata' must be an object")
    # A NUL cannot be stored (PostgreSQL text) and means nothing in a message: drop it.
    text = clean_text(message).strip()
    payload = text if text.startswith("/") else None
    lang = metadata.get("language")
    name = metadata.get("name")
    # The name is only a courtesy: a long one is cut to fit, not refused.
    display_name = clean_text(name).strip()[:MAX_NAME] if isinstance(name, str) else ""
    return InboundMessage(
        channel="rest",
        language_hint=clean_text(lang)[:16] if isinstance(lang, str) else None,
        sender_id=sender,
        text=text,
        payload=payload,
        provider_message_id=key,
        display_name=display_name or None,
    )


def _number(value: int) -> str:
    """An id given as a JSON number, as text (a number too long for an id is refused)."""
    if not -(10**MAX_SENDER) < value < 10**MAX_SENDER:
        raise PayloadError(f"an id is longer than {MAX_SENDER} characters")
    return str(value)


def render_rest(message: OutboundMessage) -> dict[str, Any]:
    """One bot message in Rasa's REST shape."""
    out: dict[str, Any] = {"recipient_id": message.recipient_id, "text": message.text}
    choices = message.choices()
    if choices:
        out["buttons"] = [{"title": b.title, "payload": b.payload} for b in choices]
    return out


class RestAdapter:
    """The REST channel: nothing to verify, replies inline, later messages by callback or poll."""

    name = "rest"

    def __init__(
        self,
        callback_url: str | None = None,
        *,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.callback_url = callback_url
        self._client = client
        self._timeout = timeout

    @property
    def holds_messages(self) -> bool:
        """Without a callback URL, later messages wait to be fetched."""
        return not self.callback_url

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Nothing to verify here: the routes check the optional ``rest.token``."""
        return None

    def parse(self, body: bytes) -> ParsedWebhook:
        """One message per request."""
        return ParsedWebhook(messages=(parse_rest_body(body),))

    async def send(self, message: OutboundMessage) -> SendResult:
        """POST the message to the callback URL."""
        if not self.callback_url:
            raise DeliveryError("no REST callback URL configured", retryable=False)
        client = self._client or httpx.AsyncClient(timeout=self._timeout)
        try:
            # A retried send carries the same key, so the receiver can drop the repeat.
            key = message.metadata.get("idempotency_key")
            headers = {"Idempotency-Key": key} if key else {}
            resp = await client.post(self.callback_url, json=[render_rest(message)],
                                     headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"callback unreachable: {exc}") from exc
        finally:
            if self._client is None:
                await client.aclose()
        if resp.status_code >= 500 or resp.status_code == 429:
            raise DeliveryError(f"callback answered {resp.status_code}")
        if resp.status_code >= 400:
            raise DeliveryError(
                f"callback refused the message: {resp.status_code}", retryable=False
            )
        return SendResult()


if TYPE_CHECKING:  # mypy proves the adapter fits the port and the capability
    _port: type[ChannelAdapter] = RestAdapter
    _holds: type[HoldsMessages] = RestAdapter
