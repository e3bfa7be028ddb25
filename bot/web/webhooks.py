"""Provider webhooks (Telegram, WhatsApp): verify, keep the raw body, parse, hand over.

Order matters for "never lose, never duplicate": a delivery of one message (the
common case) has its body stored by the same transaction as the message and its
replies, so it is kept exactly when the message is, and answered only after that
commit (if the process dies first, the provider gets no answer and delivers again);
a failed turn keeps the body as ``failed``; a delivery of several messages or
statuses has its body stored first, on its own. A forged request is refused (401)
and a malformed one answered 400 (body kept); a payload that parses to nothing we
understand is kept as ``unparsed`` and answered 200 so the provider stops re-sending; re-deliveries
are dropped by the conversation service on the provider's message id. A
failure while handling a delivery is answered 500 (deliver again) only when a
retry can help (database or network unavailable); a deterministic one is kept
as ``failed`` and answered 200, or the provider would re-send it forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.conversation.service import ConversationService, RawBody
from bot.core.feature import Feature
from bot.core.runtime import Runtime
from bot.delivery.worker import apply_delivery_status
from bot.web.deps import json_error, runtime_of, service_of
from channels.base import (
    AnswersCallbacks,
    ChannelAdapter,
    DeliveryError,
    ParsedWebhook,
    PayloadError,
    WebhookAuthError,
)
from channels.telegram import TelegramAdapter
from nlu.rasa_backend import NluBackendError
from storage.sqlite_driver import inline_statements

log = logging.getLogger(__name__)

KEPT_HEADERS = ("content-type", "user-agent", "x-hub-signature-256")


async def receive_webhook(rt: Runtime, service: ConversationService, adapter: ChannelAdapter,
                          headers: dict[str, str], body: bytes) -> Response:
    """Handle one provider delivery end to end (shared by every provider route)."""
    try:
        adapter.verify(headers, body)
    except WebhookAuthError as exc:
        return json_error(401, str(exc) or "unauthorized")
    # The intake's statements are short and indexed: on SQLite they run in the loop.
    with inline_statements():
        return await ingest(rt, service, adapter, headers, body)


async def ingest(rt: Runtime, service: ConversationService, adapter: ChannelAdapter,
                 headers: dict[str, str], body: bytes) -> Response:
    """Store, parse and handle one authenticated delivery.

    Used by the webhook routes after :meth:`ChannelAdapter.verify` and by
    ``pintu telegram poll`` for each polled update, so both take the same path.
    The answer's status says what the provider should do: 2xx done, 400 never
    retry, 5xx deliver again.
    """
    # PostgreSQL text cannot hold NUL: the one change made to the body kept.
    text = body.decode("utf-8", "replace").replace("\x00", "\ufffd")
    kept = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    try:
        parsed: ParsedWebhook = adapter.parse(body)
    except PayloadError as exc:
        await keep_raw_body(rt, adapter.name, text, kept, "failed", str(exc))
        return json_error(400, str(exc))
    except Exception as exc:  # a parser bug: keep the body, don't make the provider retry
        log.exception("%s parser failed", adapter.name)
        await keep_raw_body(rt, adapter.name, text, kept, "unparsed",
                            f"{type(exc).__name__}: {exc}")
        return JSONResponse({"status": "kept"})
    if len(parsed.messages) == 1 and not parsed.statuses and not parsed.unparsed:
        # The common delivery, one message and nothing else: the body is stored by the
        # turn's own transaction, so it is kept exactly when the message is (one commit).
        try:
            await service.handle(parsed.messages[0], raw=RawBody(adapter.name, text, kept))
        except Exception as exc:
            log.exception("%s delivery failed", adapter.name)
            await keep_raw_body(rt, adapter.name, text, kept, "failed", _describe(exc))
            return _failed(exc)
        _acknowledge(adapter, parsed)
        return JSONResponse({"status": "ok"})
    async with rt.sessions() as session, session.begin():
        raw_id = await rt.repositories(session).payloads.add_id(adapter.name, text, kept)
    duplicates = 0
    try:
        for message in parsed.messages:
            result = await service.handle(message)
            duplicates += result.duplicate
        for report in parsed.statuses:
            await apply_delivery_status(rt, report)
    except Exception as exc:
        log.exception("%s delivery %s failed", adapter.name, raw_id)
        await _mark(rt, raw_id, "failed", _describe(exc))
        return _failed(exc)
    _acknowledge(adapter, parsed)
    if not parsed.messages and not parsed.statuses and parsed.unparsed:
        status, note = "unparsed", "; ".join(parsed.unparsed)
    elif parsed.messages and duplicates == len(parsed.messages) and not parsed.statuses:
        status, note = "duplicate", None
    else:
        status, note = "processed", "; ".join(parsed.unparsed) or None
    await _mark(rt, raw_id, status, note)
    return JSONResponse({"status": "ok"})


def _failed(exc: BaseException) -> Response:
    """The answer to a delivery whose handling failed (its body is kept as 'failed')."""
    if is_transient(exc):
        # A 5xx makes the provider deliver again; de-duplication keeps that safe.
        return json_error(500, "temporary failure, please retry")
    # The same body would fail the same way every time: stop the provider's
    # retries. The raw body stays, marked 'failed', to inspect and replay.
    return JSONResponse({"status": "kept"})


def _acknowledge(adapter: ChannelAdapter, parsed: ParsedWebhook) -> None:
    if isinstance(adapter, AnswersCallbacks):
        for ack in parsed.acks:
            _in_background(adapter.answer_callback(ack))


async def keep_raw_body(rt: Runtime, channel: str, body: str, headers: dict[str, str],
                        status: str, error: str | None) -> None:
    """Store a raw body that no turn stored, in its own transaction, with what became of it."""
    async with rt.sessions() as session, session.begin():
        await rt.repositories(session).payloads.add_id(channel, body, headers, status=status,
                                                       error=error)




# PostgreSQL error classes a retry can clear: connection exception, transaction
# rollback (serialization failure, deadlock), insufficient resources, operator
# intervention (e.g. the server shutting down).
_TRANSIENT_SQLSTATES = ("08", "40", "53", "57")


def is_transient(exc: BaseException) -> bool:
    """Whether a retry may succeed: the database, network or NLU server was unavailable.

    Anything else (a value the database refuses, a bug) would fail the same way
    on every re-delivery.
    """
    if isinstance(
        exc, OperationalError | InterfaceError | TimeoutError | OSError | NluBackendError
    ):
        return True
    if isinstance(exc, DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None) or ""
        return exc.connection_invalidated or sqlstate.startswith(_TRANSIENT_SQLSTATES)
    return False


# The event loop keeps only weak references to tasks: hold acks until they finish,
# or they can be garbage-collected mid-flight.
_BACKGROUND: set[asyncio.Task[None]] = set()


def _in_background(coro: Any) -> None:
    task = asyncio.create_task(_quietly(coro))
    _BACKGROUND.add(task)
    task.add_done_callback(_BACKGROUND.discard)


async def finish_background(timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Wait (bounded) for button acknowledgements still in flight in this event loop."""
    loop = asyncio.get_running_loop()
    tasks = [task for task in _BACKGROUND if task.get_loop() is loop]
    if tasks:
        await asyncio.wait(tasks, timeout=timeout)


async def _quietly(coro: Any) -> None:
    with contextlib.suppress(Exception):
        await coro


def _describe(exc: BaseException) -> str:
    """The error kept with a failed payload: bounded, and storable on PostgreSQL."""
    return f"{type(exc).__name__}: {exc}"[:2000].replace("\x00", "")


async def _mark(rt: Runtime, payload_id: int, status: str, error: str | None) -> None:
    async with rt.sessions() as session, session.begin():
        await rt.repositories(session).payloads.mark(payload_id, status, error)


# The Telegram and WhatsApp webhook routes.
router = APIRouter()

async def _provider(request: Request, channel: str) -> Response:
    rt = runtime_of(request)
    adapter = rt.adapters.get(channel)
    if adapter is None:
        return json_error(404, f"the {channel} channel is not configured")
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    return await receive_webhook(rt, service_of(request), adapter, headers, body)

@router.post("/webhooks/telegram", tags=["channels"])
async def telegram_webhook(request: Request) -> Response:
    await _learn_bot_username(runtime_of(request).adapters.get("telegram"))
    return await _provider(request, "telegram")


# After a failed getMe, webhooks do not ask again for this long: while the Bot API is
# down each attempt would hold the webhook up to the timeout and cost ~25 ms of CPU
# (a new HTTP client and its TLS context); the outbox worker's sends keep trying.
GET_ME_RETRY_SECONDS = 60.0
_get_me_not_before: weakref.WeakKeyDictionary[TelegramAdapter, float] = (
    weakref.WeakKeyDictionary())


async def _learn_bot_username(adapter: ChannelAdapter | None) -> None:
    """Group messages are ours only when addressed to the bot (``/start@name``), so the
    bot's username must be known before the first one is parsed: getMe, once (again at
    most every :data:`GET_ME_RETRY_SECONDS` while it fails)."""
    if not isinstance(adapter, TelegramAdapter) or adapter.bot_username is not None:
        return
    now = time.monotonic()
    if now < _get_me_not_before.get(adapter, 0.0):
        return
    try:
        await adapter.initialize()
    except DeliveryError as exc:
        _get_me_not_before[adapter] = now + GET_ME_RETRY_SECONDS
        # Logged by the adapter; private chats still work, groups once getMe answers.
        log.info("Telegram bot username unknown for now: %s", exc)

@router.post("/webhooks/whatsapp", tags=["channels"])
async def whatsapp_webhook(request: Request) -> Response:
    return await _provider(request, "whatsapp")

@router.get("/webhooks/whatsapp", tags=["channels"])
async def whatsapp_verify(request: Request) -> Response:
    rt = runtime_of(request)
    adapter = rt.adapters.get("whatsapp")
    if adapter is None:
        return json_error(404, "the whatsapp channel is not configured")
    q = request.query_params
    try:
        challenge = adapter.verify_subscription(  # type: ignore[attr-defined]
            q.get("hub.mode", ""), q.get("hub.verify_token", ""), q.get("hub.challenge", ""))
    except WebhookAuthError as exc:
        return json_error(403, str(exc) or "verification failed")
    return PlainTextResponse(challenge)


feature = Feature("webhooks", routers=(router,))
