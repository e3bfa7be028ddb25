"""Defensive readers for provider JSON, shared by the adapters.

Providers leave out fields their docs call required; these return a neutral
empty value instead of raising, so parsers stay lenient.
"""

from __future__ import annotations

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


def ident(value: Any) -> str | None:
    """An id that may come as a number or a string, as a string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) and value else None
