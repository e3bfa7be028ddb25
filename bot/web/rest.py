"""The Rasa-compatible REST channel routes."""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from bot.conversation.service import RawBody
from bot.core.feature import Feature
from bot.web.deps import json_error, runtime_of, service_of
from bot.web.webhooks import keep_raw_body
from channels.base import OutboundMessage, PayloadError
from channels.rest import parse_rest_body, render_rest
from storage.models import utcnow
from storage.sqlite_driver import inline_statements


def _unauthorized(request: Request) -> JSONResponse | None:
    """A 401 unless the request carries the configured ``rest.token`` (if any)."""
    token = runtime_of(request).settings.rest.token
    if not token:
        return None  # open like Rasa's REST channel
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.get_secret_value().encode()
    ):
        refused = json_error(401, "a valid 'Authorization: Bearer <token>' header is required")
        refused.headers["WWW-Authenticate"] = "Bearer"
        return refused
    return None


# ``POST /webhooks/rest/webhook`` and ``GET /webhooks/rest/messages``.
router = APIRouter()

@router.post("/webhooks/rest/webhook", tags=["channels"])
async def rest_webhook(request: Request) -> Any:
    refused = _unauthorized(request)
    if refused is not None:
        return refused
    body = await request.body()
    try:
        inbound = parse_rest_body(body)
    except PayloadError as exc:
        return json_error(400, str(exc))
    rt = runtime_of(request)
    raw = RawBody("rest", body.decode("utf-8", "replace"), {})
    try:
        # The turn stores the raw body (processed, or duplicate) in its own transaction.
        result = await service_of(request).handle(inbound, inline=True, raw=raw)
    except Exception as exc:
        with inline_statements():
            await keep_raw_body(rt, raw.channel, raw.body, raw.headers, "failed",
                                f"{type(exc).__name__}: {exc}"[:2000])
        raise
    # The replies are plain JSON already: no encoder pass over them.
    return JSONResponse([render_rest(r) for r in result.replies])

@router.get("/webhooks/rest/messages", tags=["channels"])
async def rest_messages(
    request: Request, sender: str = Query(..., min_length=1)
) -> JSONResponse:
    """Messages that came later for ``sender`` (officer replies, surveys), once each."""
    refused = _unauthorized(request)
    if refused is not None:
        return refused
    if "\x00" in sender:
        return json_error(400, "'sender' must not contain a NUL character")
    rt = runtime_of(request)
    out: list[dict[str, Any]] = []
    async with rt.sessions() as session, session.begin():
        now = utcnow()
        for row in await rt.repositories(session).outbox.held_for("rest", sender):
            msg = OutboundMessage.from_dict(row.payload)
            out.append(
                {**render_rest(msg), "id": row.id, "timestamp": row.created_at.isoformat()}
            )
            row.status = "delivered"
            row.sent_at = now
            row.updated_at = now
    return JSONResponse(json.loads(json.dumps(out, default=str)))


feature = Feature("rest", routers=(router,))
