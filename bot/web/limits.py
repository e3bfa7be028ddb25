"""Request limits at the edge, before any route reads or parses a body.

- A body limit (``limits.max_body_bytes``, ``limits.max_upload_bytes`` for the
  admins' upload routes): a declared ``Content-Length`` over it is refused 413
  before a byte is read; a chunked body is counted as it streams and refused
  as soon as it passes the limit. Nothing of a refused body is stored.
- A per-address limit (``limits.address_per_minute``) on the open routes (the
  REST channel, ``/model/parse``, sign-in): over it, 429 with ``Retry-After``
  and a polite message. Provider webhooks are exempt: they all come from the
  provider's few addresses and are authenticated; citizens there are limited
  one by one (:mod:`bot.conversation.flood`).

The per-address counter lives in the process (a sliding window per address):
with several server processes each enforces it on its own share.
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.core.feature import Feature
from bot.core.i18n import privacy_text
from bot.core.ratelimit import SlidingWindow

UPLOAD_PREFIXES = ("/api/nlu/", "/console/nlu/")
# Unauthenticated routes anyone on the internet can hammer; the webhooks are not here.
OPEN_PREFIXES = ("/webhooks/rest/", "/model/parse", "/api/auth/token", "/console/login")


class BodyTooLarge(HTTPException):
    """The body passed the limit while streaming (an HTTPException, so FastAPI's body
    parsing re-raises it as is and it is answered 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


def body_limit(path: str, limits: Any) -> int:
    """The body limit for ``path``: the upload limit on the admins' upload routes."""
    if path.startswith(UPLOAD_PREFIXES):
        return int(limits.max_upload_bytes)
    return int(limits.max_body_bytes)


async def _answer(send: Send, status: int, payload: dict[str, Any],
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


class EdgeLimits:
    """ASGI middleware enforcing the body limit and the per-address limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.addresses: SlidingWindow | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = scope["app"].state.settings.limits
        path: str = scope.get("path", "")
        if path.startswith(OPEN_PREFIXES) and await self._over_rate(scope, send, limits):
            return
        limit = body_limit(path, limits)
        declared = _declared_length(scope)
        if declared is not None and (declared < 0 or declared > limit):
            status = 400 if declared < 0 else 413
            detail = ("invalid Content-Length" if declared < 0
                      else f"request body larger than {limit} bytes")
            await _answer(send, status, {"detail": detail})
            return
        await self._limited(scope, receive, send, limit)

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _answer(send, 413, {"detail": exc.detail})

    async def _over_rate(self, scope: Scope, send: Send, limits: Any) -> bool:
        if self.addresses is None or self.addresses.per_minute != limits.address_per_minute:
            self.addresses = SlidingWindow(limits.address_per_minute)
        client = scope.get("client")
        address = client[0] if client else "?"
        wait = self.addresses.hit(address)
        if not wait:
            return False
        lang = "en" if b"en" in dict(scope.get("headers", [])).get(b"accept-language", b"")[:2] \
            else "id"
        await _answer(send, 429, {"detail": privacy_text("too_many", lang)},
                      [(b"retry-after", str(math.ceil(wait)).encode())])
        return True


def install(app: FastAPI) -> None:
    """Add the limits in front of every route."""
    app.add_middleware(EdgeLimits)


feature = Feature("limits", mount=install)
