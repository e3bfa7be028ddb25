"""The label set the NLU predicts: intents and complaint categories.

Read from the shipped copy of ``shared/taxonomy.yml`` (``nlu/data/taxonomy.yml``);
the YAML keys are the labels. ``INTENTS`` and ``CATEGORIES`` keep the file's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.yml"

# Intents whose messages carry a complaint category.
CATEGORY_INTENTS: frozenset[str] = frozenset({"complaint", "aspiration"})


@dataclass(frozen=True, slots=True)
class Label:
    """One taxonomy entry: its key plus the Indonesian/English names and description."""

    key: str
    id_name: str
    en_name: str
    desc: str
    unit: str | None = None


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{TAXONOMY_PATH}: not a mapping")
    return data


def intent_labels() -> tuple[Label, ...]:
    """All intents with their names, in file order."""
    return tuple(
        Label(k, str(v.get("id", k)), str(v.get("en", k)), str(v.get("desc", "")))
        for k, v in _load()["intents"].items()
    )


def category_labels() -> tuple[Label, ...]:
    """All complaint categories with their names and owning unit, in file order."""
    return tuple(
        Label(k, str(v.get("id", k)), str(v.get("en", k)), str(v.get("desc", "")),
              str(v["unit"]) if v.get("unit") else None)
        for k, v in _load()["categories"].items()
    )


INTENTS: tuple[str, ...] = tuple(label.key for label in intent_labels())
CATEGORIES: tuple[str, ...] = tuple(label.key for label in category_labels())
