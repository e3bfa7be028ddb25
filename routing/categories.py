"""The complaint categories the router knows, with the names used in routing reasons.

Kept here rather than read from the NLU's taxonomy so that routing stays
independent of the NLU package; a test checks the keys against
``shared/taxonomy.yml`` whenever that file is present.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

TRIAGE_CATEGORY: Final = "other"

# key -> (Indonesian name, English name); order follows shared/taxonomy.yml.
_NAMES: Final = {
    "infrastructure": ("infrastruktur", "infrastructure"),
    "water_supply": ("air bersih", "water supply"),
    "electricity": ("listrik", "electricity"),
    "health": ("kesehatan", "health"),
    "education": ("pendidikan", "education"),
    "population_registry": ("kependudukan", "population registry"),
    "social_assistance": ("bantuan sosial", "social assistance"),
    "environment": ("lingkungan hidup", "environment"),
    "disaster": ("kebencanaan", "disaster"),
    "transport": ("perhubungan", "transport"),
    "public_order": ("ketertiban umum", "public order"),
    "security": ("keamanan", "security"),
    "licensing": ("perizinan", "licensing"),
    "taxes_fees": ("pajak dan retribusi", "taxes and fees"),
    "employment": ("ketenagakerjaan", "employment"),
    "civil_service": ("aparatur", "civil service conduct"),
    TRIAGE_CATEGORY: ("lainnya", "other"),
}

CATEGORY_KEYS: Final[tuple[str, ...]] = tuple(_NAMES)
CATEGORY_NAMES_ID: Final = MappingProxyType({k: v[0] for k, v in _NAMES.items()})
CATEGORY_NAMES_EN: Final = MappingProxyType({k: v[1] for k, v in _NAMES.items()})


def is_category(key: object) -> bool:
    """True if ``key`` is one of :data:`CATEGORY_KEYS`."""
    return isinstance(key, str) and key in _NAMES


def category_name(key: str, lang: str = "id") -> str:
    """The display name of a category ("infrastruktur"); the key itself if unknown."""
    names = CATEGORY_NAMES_EN if lang == "en" else CATEGORY_NAMES_ID
    return names.get(key, key)
