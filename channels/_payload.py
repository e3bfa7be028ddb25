"""Defensive readers for provider JSON, shared by the adapters.

Providers leave out fields their docs call required; these return a neutral
empty value instead of raising, so parsers stay lenient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header, matched case-insensitively."""
    value = headers.get(name)
    if value is not None:
        return value
    low = name.lower()
    for key, val in headers.items():
        if key.lower() == low:
            return val
    return None


def obj(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def text(value: Any) -> str | None:
    """A non-empty string, else None."""
    return value if isinstance(value, str) and value else None


# The longest id Pintu keeps (``channel_identities.external_id``). Provider ids are
# far shorter (Telegram: 52-bit numbers; WhatsApp: ~60 characters); a longer one
# is treated as missing, so the part is reported unparsed instead of failing in
# the database (PostgreSQL refuses it, SQLite would keep it).
MAX_ID = 128


def ident(value: Any) -> str | None:
    """An id that may come as a number or a string, as a string (None if over-long)."""
    if isinstance(value, int) and not isinstance(value, bool):
        found = str(value) if -(10**MAX_ID) < value < 10**MAX_ID else None
    else:
        found = value if isinstance(value, str) and value.strip() else None
    return found if found is not None and len(found) <= MAX_ID else None


def coordinates(lat: Any, lon: Any) -> tuple[float, float] | None:
    """A latitude and longitude on Earth as floats (numbers or numeric text), else None."""
    try:
        point = (float(lat), float(lon))
    except (TypeError, ValueError, OverflowError):
        return None
    if isinstance(lat, bool) or isinstance(lon, bool):
        return None
    if not (math.isfinite(point[0]) and math.isfinite(point[1])):
        return None
    if abs(point[0]) > 90 or abs(point[1]) > 180:
        return None
    return point
