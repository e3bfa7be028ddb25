"""The complaint categories, with their display names (routing reasons, bot, console).

The keys come from the taxonomy the NLU predicts (``nlu/data/taxonomy.yml``);
this module adds only the names people read. Importing fails loudly if a
category has no name here, so the two cannot drift apart.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from nlu.taxonomy import CATEGORIES

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

CATEGORY_KEYS: Final[tuple[str, ...]] = CATEGORIES
if set(CATEGORY_KEYS) != set(_NAMES):
    raise RuntimeError(
        f"category names out of step with the taxonomy: {sorted(set(CATEGORY_KEYS) ^ set(_NAMES))}"
    )
CATEGORY_NAMES_ID: Final = MappingProxyType({k: v[0] for k, v in _NAMES.items()})
CATEGORY_NAMES_EN: Final = MappingProxyType({k: v[1] for k, v in _NAMES.items()})


def is_category(key: object) -> bool:
    """True if ``key`` is one of :data:`CATEGORY_KEYS`."""
    return isinstance(key, str) and key in _NAMES


def category_name(key: str, lang: str = "id") -> str:
    """The display name of a category ("infrastruktur"); the key itself if unknown."""
    names = CATEGORY_NAMES_EN if lang == "en" else CATEGORY_NAMES_ID
    return names.get(key, key)
