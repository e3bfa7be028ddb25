"""What route handlers share: the runtime, the conversation service, JSON errors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from bot.conversation.service import ConversationService
from bot.core.runtime import Runtime


def runtime_of(request: Request) -> Runtime:
    """The runtime, for route handlers."""
    rt: Runtime = request.app.state.runtime
    return rt


def service_of(request: Request) -> ConversationService:
    """The conversation service, for route handlers."""
    service: ConversationService = request.app.state.service
    return service


RuntimeDep = Annotated[Runtime, Depends(runtime_of)]
ServiceDep = Annotated[ConversationService, Depends(service_of)]


def json_error(status: int, message: str, **extra: Any) -> JSONResponse:
    """A clear JSON error answer."""
    return JSONResponse({"detail": message, **extra}, status_code=status)
