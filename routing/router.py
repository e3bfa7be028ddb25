"""The complaint router: (category, confidence, region, channel, catalog) -> RoutingDecision.

Pure: no I/O, no clock, never raises for any category or region input. The
rules, in order:

1. no category, ``other``, or an unknown category -> the triage desk;
2. confidence below the threshold -> the triage desk (a person checks the topic);
3. the most specific unit owning the category for the region: one serving the
   district, else the regency/city, else the province, else a national unit
   (regions ``["ID"]``);
4. no region given (or one that is not a wilayah code) -> the catalog's
   ``default_region`` (the home regency of a regency's own bot), then rule 3;
   a catalog without one takes the first owner in catalog order;
5. no unit owns the category there -> the triage desk, which forwards the
   report to whoever is responsible. A report is never "not our business".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

from nlu.types import Region
from routing.catalog import NATIONAL, Catalog, ServiceUnit
from routing.categories import TRIAGE_CATEGORY, category_name, is_category

RULE_DISTRICT: Final = "category+district"
RULE_REGENCY: Final = "category+regency"
RULE_PROVINCE: Final = "category+province"
RULE_NATIONAL: Final = "category+national"
RULE_DEFAULT_REGION: Final = "category+default-region"
RULE_ANYWHERE: Final = "category-anywhere"
RULE_NO_CATEGORY: Final = "no-category-triage"
RULE_UNKNOWN_CATEGORY: Final = "unknown-category-triage"
RULE_LOW_CONFIDENCE: Final = "low-confidence-triage"
RULE_NO_UNIT: Final = "no-unit-triage"
RULE_MANUAL_FORWARD: Final = "manual-forward"

TRIAGE_RULES: Final = frozenset(
    {RULE_NO_CATEGORY, RULE_UNKNOWN_CATEGORY, RULE_LOW_CONFIDENCE, RULE_NO_UNIT}
)

DEFAULT_THRESHOLD: Final = 0.40

# Level of a wilayah code by its number of dotted parts; "ID" is national.
_LEVEL_RULE: Final = {1: RULE_PROVINCE, 2: RULE_REGENCY, 3: RULE_DISTRICT}
_LEVEL_ID: Final = {
    "province": "provinsi", "regency": "kabupaten/kota", "district": "kecamatan",
    "national": "nasional",
}
_DOTTED: Final = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
_UNDOTTED: Final = re.compile(r"^\d{2}(?:\d{2}(?:\d{2}(?:\d{4})?)?)?$")


@dataclass(frozen=True)
class RoutingDecision:
    """Where a report goes, by which rule, and why (in Indonesian and English).

    ``region_code`` is the citizen's region as given (normalised; None when
    unknown), ``matched_region`` the code in the unit's service area that
    decided it ("35.79", "ID"; None for triage and manual forwards).
    """

    unit: ServiceUnit
    rule: str
    reason: str
    reason_en: str
    response_days: int
    category: str | None
    confidence: float | None
    region_code: str | None
    channel: str | None = None
    matched_region: str | None = None

    @property
    def unit_id(self) -> str:
        """The chosen unit's id."""
        return self.unit.id

    @property
    def is_triage(self) -> bool:
        """True when the report went to the triage desk because no rule placed it."""
        return self.rule in TRIAGE_RULES


def _normalise_region(region: object) -> tuple[str | None, str | None]:
    """(wilayah code or None, the raw text when it was given but unusable)."""
    if region is None:
        return None, None
    code = getattr(region, "code", region)
    if not isinstance(code, str):
        return None, repr(region)
    text = code.strip()
    if not text:
        return None, None
    if text.upper() == NATIONAL:
        return NATIONAL, None
    if _DOTTED.match(text):
        return text, None
    if _UNDOTTED.match(text):
        # BPS-style "3579" / "357901" -> "35.79" / "35.79.01".
        parts = [text[:2], text[2:4], text[4:6], text[6:]]
        return ".".join(p for p in parts if p), None
    return None, text


def _walk_up(code: str) -> list[str]:
    """The code and its parents, most specific first, then national."""
    if code == NATIONAL:
        return [NATIONAL]
    parts = code.split(".")[:3]  # villages (4th part) are not in the catalog's wilayah
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)] + [NATIONAL]


def _level(code: str) -> str:
    if code == NATIONAL:
        return "national"
    return {1: "province", 2: "regency"}.get(code.count(".") + 1, "district")


def _fmt(confidence: float, lang: str) -> str:
    text = f"{confidence:.2f}"
    return text.replace(".", ",") if lang == "id" else text


def _category_part(category: str, confidence: float | None, lang: str) -> str:
    word = "kategori" if lang == "id" else "category"
    label = category_name(category, lang)
    return f"{word} {label}" if confidence is None else f"{word} {label} {_fmt(confidence, lang)}"


def _clean_confidence(confidence: object) -> tuple[float | None, bool]:
    """(confidence as float or None, whether it is usable)."""
    if confidence is None:
        return None, True
    if isinstance(confidence, bool):
        return None, False
    try:
        value = float(confidence)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None, False
    return (value, True) if math.isfinite(value) else (None, False)


def route_complaint(
    category: str | None,
    confidence: float | None,
    region: Region | str | None,
    channel: str,
    catalog: Catalog,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> RoutingDecision:
    """Choose the unit for a complaint or aspiration (see the module docstring for the rules).

    ``region`` is an ``nlu.types.Region`` (or anything with a ``code``), a wilayah
    code such as "35.79.01", or None. ``confidence`` None means the category
    was chosen, not guessed (a button or an officer), and is trusted.
    ``channel`` is recorded on the decision; it does not change the unit.
    """
    code, bad_region = _normalise_region(region)
    value, usable = _clean_confidence(confidence)
    triage = catalog.triage_unit

    def to_triage(rule: str, reason: str, reason_en: str, cat: str | None) -> RoutingDecision:
        return RoutingDecision(
            unit=triage, rule=rule, reason=reason, reason_en=reason_en,
            response_days=triage.response_days_for(cat), category=cat, confidence=value,
            region_code=code, channel=channel,
        )

    desk_id = f"{triage.short_name} memilah dan meneruskannya ke unit yang berwenang"
    desk_en = f"{triage.short_name} sorts it and forwards it to the responsible unit"

    if category is None or category == TRIAGE_CATEGORY:
        said = "kategori belum diketahui" if category is None else "kategori lainnya"
        said_en = "no category yet" if category is None else "category other"
        return to_triage(RULE_NO_CATEGORY, f"{said}; {desk_id}", f"{said_en}; {desk_en}",
                         category)
    if not is_category(category):
        return to_triage(
            RULE_UNKNOWN_CATEGORY,
            f"kategori {category!r} tidak dikenal; {desk_id}",
            f"unknown category {category!r}; {desk_en}",
            None,
        )
    if not usable:
        return to_triage(
            RULE_LOW_CONFIDENCE,
            f"kategori {category_name(category)} dengan skor tidak valid ({confidence!r}); "
            f"{desk_id}",
            f"category {category_name(category, 'en')} with an invalid score ({confidence!r}); "
            f"{desk_en}",
            category,
        )
    if value is not None and value < threshold:
        return to_triage(
            RULE_LOW_CONFIDENCE,
            f"kategori {category_name(category)} {_fmt(value, 'id')} di bawah ambang "
            f"{_fmt(threshold, 'id')}; {desk_id}",
            f"category {category_name(category, 'en')} {_fmt(value, 'en')} below the threshold "
            f"{_fmt(threshold, 'en')}; {desk_en}",
            category,
        )

    cat_id = _category_part(category, value, "id")
    cat_en = _category_part(category, value, "en")
    unknown_id = f"wilayah {bad_region!r} tidak dikenali" if bad_region else ""
    unknown_en = f"region {bad_region!r} not recognised" if bad_region else ""

    search_code = code if code is not None else catalog.default_region
    if search_code is None:
        anywhere = [u for u in catalog.units_for_category(category) if not u.is_triage]
        if anywhere:
            unit = anywhere[0]
            return RoutingDecision(
                unit=unit, rule=RULE_ANYWHERE,
                reason=f"{cat_id}; {unknown_id or 'wilayah tidak disebut'}; "
                       f"ditangani {unit.short_name}",
                reason_en=f"{cat_en}; {unknown_en or 'no region given'}; "
                          f"handled by {unit.short_name}",
                response_days=unit.response_days_for(category), category=category,
                confidence=value, region_code=None, channel=channel,
            )
    else:
        for candidate in _walk_up(search_code):
            owners = catalog.owners(category, candidate)
            if not owners:
                continue
            unit = owners[0]
            level = _level(candidate)
            where_name = catalog.region_name(search_code)
            if code is None:
                rule = RULE_DEFAULT_REGION
                where_id = (f"{unknown_id or 'wilayah tidak disebut'}, "
                            f"memakai wilayah bawaan {where_name}")
                where_en = (f"{unknown_en or 'no region given'}, "
                            f"using the home region {where_name}")
            else:
                rule = RULE_NATIONAL if candidate == NATIONAL else _LEVEL_RULE[
                    candidate.count(".") + 1]
                where_id, where_en = f"wilayah {where_name}", f"region {where_name}"
            served = ""
            if candidate != search_code:
                served = f", {catalog.region_name(candidate)}"
            return RoutingDecision(
                unit=unit, rule=rule,
                reason=f"{cat_id}; {where_id}; ditangani {unit.short_name} "
                       f"(tingkat {_LEVEL_ID[level]}{served})",
                reason_en=f"{cat_en}; {where_en}; handled by {unit.short_name} "
                          f"({level} level{served})",
                response_days=unit.response_days_for(category), category=category,
                confidence=value, region_code=code, channel=channel, matched_region=candidate,
            )

    if code is not None:
        where_id, where_en = (f"wilayah {catalog.region_name(code)}",
                              f"region {catalog.region_name(code)}")
    elif search_code is not None:
        home = catalog.region_name(search_code)
        where_id = f"{unknown_id or 'wilayah tidak disebut'}, wilayah bawaan {home}"
        where_en = f"{unknown_en or 'no region given'}, home region {home}"
    else:
        where_id = unknown_id or "wilayah tidak disebut"
        where_en = unknown_en or "no region given"
    return to_triage(
        RULE_NO_UNIT,
        f"{cat_id}; {where_id}; belum ada unit di katalog untuk kategori ini di wilayah "
        f"tersebut; {desk_id}",
        f"{cat_en}; {where_en}; no unit in the catalog handles this category there; {desk_en}",
        category,
    )


def forward_decision(
    catalog: Catalog,
    to_unit_id: str,
    reason: str,
    *,
    category: str | None = None,
    region_code: str | None = None,
    channel: str | None = None,
) -> RoutingDecision:
    """An officer's forward of a report to another unit (rule ``manual-forward``).

    ``reason`` is the officer's note and must not be empty; an unknown unit
    raises KeyError. The response target is the new unit's for ``category``.
    """
    if not reason or not reason.strip():
        raise ValueError("a forward needs a reason the citizen and the unit can read")
    unit = catalog.unit(to_unit_id)
    cat = category if category is not None and is_category(category) else None
    note = reason.strip()
    return RoutingDecision(
        unit=unit, rule=RULE_MANUAL_FORWARD,
        reason=f"diteruskan petugas ke {unit.short_name}: {note}",
        reason_en=f"forwarded by an officer to {unit.short_name}: {note}",
        response_days=unit.response_days_for(cat), category=cat, confidence=None,
        region_code=region_code, channel=channel,
    )


def escalation_target(catalog: Catalog, unit_id: str) -> ServiceUnit | None:
    """Who an overdue report escalates to: the unit's parent (None at the top).

    A unit no longer in the catalog (removed by a reload) escalates to the
    triage desk, so an open report never loses its owner.
    """
    if not catalog.has_unit(unit_id):
        return catalog.triage_unit
    return catalog.parent(unit_id)
