"""What route handlers share: the runtime, the conversation service, JSON errors, the
staff pages' security headers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.responses import JSONResponse, Response

from bot.conversation.service import ConversationService
from bot.core.runtime import Runtime

# The largest id a database row can have (PostgreSQL bigint); a larger one in a path or
# query is refused with 422 instead of overflowing the database driver.
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="a row id")]


def runtime_of(request: Request) -> Runtime:
    """The runtime, for route handlers."""
    rt: Runtime = request.app.state.runtime
    return rt


def service_of(request: Request) -> ConversationService:
    """The conversation service, for route handlers."""
    service: ConversationService = request.app.state.service
    return service


def security_headers(response: Response) -> None:
    """Headers for the staff pages: only their own files load; no framing (clickjacking on
    the action forms), no referrer outside, nothing cached."""
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"


def json_error(status: int, message: str, **extra: Any) -> JSONResponse:
    """A clear JSON error answer."""
    return JSONResponse({"detail": message, **extra}, status_code=status)
