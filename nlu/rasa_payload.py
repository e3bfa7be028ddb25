"""Rasa-style intent payloads: ``/intent``, ``/intent{"slot": "value"}``, ``/intent@0.8``.

Rasa takes a message that starts with ``/`` and names an intent as that intent
(confidence 1, or the one given after ``@``) with the JSON object's keys and
values as entities, without running the NLU. :func:`parse_intent_payload`
does the same for the intents a model knows; anything else is left to the
classifier. Pure; never raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

from nlu.types import Entity, NluResult, Prediction

_PAYLOAD = re.compile(
    r"^/(?P<intent>[A-Za-z_][\w+\-]*)(?:@(?P<conf>[01](?:\.\d+)?))?(?P<slots>\{.*\})?$",
    re.DOTALL,
)
EXTRACTOR = "RegexMessageHandler"  # the name Rasa gives entities read from a payload
MAX_PAYLOAD = 2000


def _slot_entities(raw: str | None, text: str) -> tuple[Entity, ...] | None:
    """Entities from the ``{...}`` part; None when it is not a JSON object."""
    if not raw:
        return ()
    try:
        slots: Any = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(slots, dict):
        return None
    out: list[Entity] = []
    for key, value in slots.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                value_text = str(v)
                if key == "ticket_number":
                    value_text = value_text.strip().upper()
                out.append(Entity(str(key), value_text, 0, len(text), 1.0, EXTRACTOR))
    return tuple(out)


def parse_intent_payload(text: str, known_intents: Collection[str]) -> NluResult | None:
    """The parse of a Rasa intent payload naming one of ``known_intents``, else None."""
    stripped = (text or "").strip()
    if not stripped.startswith("/") or len(stripped) > MAX_PAYLOAD:
        return None
    match = _PAYLOAD.match(stripped)
    if match is None or match.group("intent") not in known_intents:
        return None
    entities = _slot_entities(match.group("slots"), stripped)
    if entities is None:
        return None
    conf = float(match.group("conf")) if match.group("conf") else 1.0
    intent = match.group("intent")
    category = next((e.value for e in entities if e.entity == "category"), None)
    return NluResult(
        text=stripped,
        intent=Prediction(intent, conf, ((intent, conf),), True),
        category=Prediction(category, 1.0, ((category, 1.0),), True) if category else None,
        entities=entities,
        lang="id",
    )
