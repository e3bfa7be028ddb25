"""Rasa's ``POST /model/parse`` answered by Pintu's NLU."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from bot.core.feature import Feature
from bot.web.deps import service_of
from nlu.rasa_format import to_rasa_parse


class ParseRequest(BaseModel):
    """Rasa's parse request."""

    text: str = Field(..., max_length=10000)
    message_id: str | None = None


# The parse route.
router = APIRouter()

@router.post("/model/parse", tags=["nlu"])
async def model_parse(request: Request, body: ParseRequest) -> dict[str, Any]:
    """Intent with ranking, entities and Pintu's complaint category, in Rasa's shape."""
    service = service_of(request)
    # A Rasa intent payload ("/greet", '/ticket_status{"ticket_number": ".."}') as Rasa does.
    parsed = await service.parse(body.text) if body.text.strip() else None
    return to_rasa_parse(parsed if parsed is not None else await service.classify(body.text))


feature = Feature("model_parse", routers=(router,))
