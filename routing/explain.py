"""Routing decisions in words, Indonesian or English.

Pure: :func:`explain` words a :class:`routing.router.RoutingDecision` from the
facts it carries, so the router decides and this module only phrases. The
ticket history keeps these words as the "routed" note and the bot shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from routing.categories import category_name
from routing.router import RoutingDecision
from routing.rules import RegionLevel, RoutingRule


@dataclass(frozen=True)
class _Words:
    """The phrases of one language; ``{...}`` are filled by :func:`explain`."""

    lang: str
    desk: str
    no_category: str
    category_other: str
    unknown_category: str
    invalid_score: str
    below_threshold: str
    category: str
    category_score: str
    no_region: str
    unread_region: str
    region: str
    using_home: str
    home: str
    handled: str
    handled_at: str
    no_unit: str
    forwarded: str
    levels: dict[RegionLevel, str]
    decimal_comma: bool
    service_at: str = ""
    service_low: str = ""
    service_no_owner: str = ""
    oversight: str = ""
    excluded: str = ""


_ID: Final = _Words(
    lang="id",
    desk="{desk} memilah dan meneruskannya ke unit yang berwenang",
    no_category="kategori belum diketahui",
    category_other="kategori lainnya",
    unknown_category="kategori {category} tidak dikenal",
    invalid_score="kategori {name} dengan skor tidak valid ({score})",
    below_threshold="kategori {name} {score} di bawah ambang {threshold}",
    category="kategori {name}",
    category_score="kategori {name} {score}",
    no_region="wilayah tidak disebut",
    unread_region="wilayah {region} tidak dikenali",
    region="wilayah {name}",
    using_home="{said}, memakai wilayah bawaan {name}",
    home="{said}, wilayah bawaan {name}",
    handled="ditangani {unit}",
    handled_at="ditangani {unit} (tingkat {level}{served})",
    no_unit="belum ada unit di katalog untuk kategori ini di wilayah tersebut",
    forwarded="diteruskan petugas ke {unit}: {note}",
    levels={RegionLevel.PROVINCE: "provinsi", RegionLevel.REGENCY: "kabupaten/kota",
            RegionLevel.DISTRICT: "kecamatan", RegionLevel.NATIONAL: "nasional"},
    decimal_comma=True,
    service_at="layanan {service} di {region}: {unit} (tingkat {level}{served})",
    service_low="layanan {service} {score} di bawah ambang {threshold}, dipakai pemilik kategori",
    service_no_owner="layanan {service} belum punya unit di {region}, dipakai pemilik kategori",
    oversight="pengaduan terhadap aparatur (layanan {service}) di {region}: {unit}"
              " (tingkat {level}{served})",
    excluded="unit yang diadukan dan atasannya tidak melihat laporan ini: {units}",
)
_EN: Final = _Words(
    lang="en",
    desk="{desk} sorts it and forwards it to the responsible unit",
    no_category="no category yet",
    category_other="category other",
    unknown_category="unknown category {category}",
    invalid_score="category {name} with an invalid score ({score})",
    below_threshold="category {name} {score} below the threshold {threshold}",
    category="category {name}",
    category_score="category {name} {score}",
    no_region="no region given",
    unread_region="region {region} not recognised",
    region="region {name}",
    using_home="{said}, using the home region {name}",
    home="{said}, home region {name}",
    handled="handled by {unit}",
    handled_at="handled by {unit} ({level} level{served})",
    no_unit="no unit in the catalog handles this category there",
    forwarded="forwarded by an officer to {unit}: {note}",
    levels={level: level.value for level in RegionLevel},
    decimal_comma=False,
    service_at="service {service} in {region}: {unit} ({level} level{served})",
    service_low="service {service} {score} below the threshold {threshold}, category owner used",
    service_no_owner="service {service} has no unit in {region}, category owner used",
    oversight="complaint about the apparatus (service {service}) in {region}: {unit}"
              " ({level} level{served})",
    excluded="the unit complained about and its supervisors do not see this report: {units}",
)


def explain(decision: RoutingDecision, lang: str = "id") -> str:
    """Why the report went where it did: ``lang`` "en" for English, else Indonesian.

    E.g. "kategori infrastruktur 0,91; wilayah Kota Batu; ditangani Dinas PUPR
    Kota Batu (tingkat kabupaten/kota)".
    """
    words = _EN if lang == "en" else _ID
    rule, unit = decision.rule, decision.unit.short_name
    if rule == RoutingRule.MANUAL_FORWARD:
        return words.forwarded.format(unit=unit, note=decision.note or "")
    if rule in _SERVICE_RULES or (decision.service is not None and decision.service.oversight
                                  and rule == RoutingRule.NO_UNIT):
        return _service_reason(decision, words)
    reason = _category_reason(decision, words)
    if decision.service is not None and decision.service_fallback is not None:
        return f"{_service_fallback(decision, words)}; {reason}"
    return reason


_SERVICE_RULES: Final = frozenset({
    RoutingRule.SERVICE_DISTRICT, RoutingRule.SERVICE_REGENCY, RoutingRule.SERVICE_PROVINCE,
    RoutingRule.SERVICE_NATIONAL, RoutingRule.OVERSIGHT,
})


def _service_reason(decision: RoutingDecision, words: _Words) -> str:
    """A service decided: "layanan Penerangan Jalan Umum di Kota Bandung: Dinas ..."."""
    service = decision.service
    name = service.display_name(words.lang) if service is not None else ""
    if decision.service_confidence is not None:
        name = f"{name} {_number(decision.service_confidence, words)}"
    region = decision.searched_region_name or decision.region_code or ""
    if decision.rule == RoutingRule.NO_UNIT:
        text = f"{name}; {words.no_unit}; {words.desk.format(desk=decision.unit.short_name)}"
    else:
        level = decision.matched_level
        served = (f", {decision.matched_region_name}"
                  if decision.matched_region != decision.searched_region else "")
        template = words.oversight if decision.rule == RoutingRule.OVERSIGHT else words.service_at
        text = template.format(service=name, region=region, unit=decision.unit.short_name,
                               level=words.levels[level] if level else "", served=served)
    if decision.complained_unit is not None:
        text += "; " + words.excluded.format(units=decision.complained_unit.short_name)
    return text


def _service_fallback(decision: RoutingDecision, words: _Words) -> str:
    service = decision.service
    name = service.display_name(words.lang) if service is not None else ""
    if decision.service_fallback == "no-owner":
        region = decision.searched_region_name or decision.region_code or "-"
        return words.service_no_owner.format(service=name, region=region)
    return words.service_low.format(
        service=name, score=_number(decision.service_confidence or 0.0, words),
        threshold=_number(decision.service_threshold or 0.0, words))


def _category_reason(decision: RoutingDecision, words: _Words) -> str:
    """The category rules' reason (no service decided)."""
    rule, unit = decision.rule, decision.unit.short_name
    desk = words.desk.format(desk=unit)
    if rule == RoutingRule.NO_CATEGORY:
        said = words.no_category if decision.category is None else words.category_other
        return f"{said}; {desk}"
    if rule == RoutingRule.UNKNOWN_CATEGORY:
        return f"{words.unknown_category.format(category=repr(decision.unknown_category))}; {desk}"
    if rule == RoutingRule.LOW_CONFIDENCE:
        return f"{_low_confidence(decision, words)}; {desk}"
    category = _category(decision, words)
    if rule == RoutingRule.NO_UNIT:
        return f"{category}; {_region(decision, words)}; {words.no_unit}; {desk}"
    if rule == RoutingRule.ANYWHERE:
        return f"{category}; {_region(decision, words)}; {words.handled.format(unit=unit)}"
    return f"{category}; {_region(decision, words)}; {_handled_at(decision, words)}"


def _number(value: float, words: _Words) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if words.decimal_comma else text


def _category_label(decision: RoutingDecision, words: _Words) -> str:
    return category_name(decision.category or "", words.lang)


def _category(decision: RoutingDecision, words: _Words) -> str:
    name = _category_label(decision, words)
    if decision.confidence is None:
        return words.category.format(name=name)
    return words.category_score.format(name=name, score=_number(decision.confidence, words))


def _low_confidence(decision: RoutingDecision, words: _Words) -> str:
    name = _category_label(decision, words)
    if decision.invalid_confidence is not None or decision.confidence is None:
        return words.invalid_score.format(name=name, score=decision.invalid_confidence)
    return words.below_threshold.format(
        name=name, score=_number(decision.confidence, words),
        threshold=_number(decision.threshold or 0.0, words),
    )


def _region(decision: RoutingDecision, words: _Words) -> str:
    """The region part: the citizen's region, else what was said and the home region."""
    if decision.region_code is not None:
        return words.region.format(name=decision.searched_region_name or decision.region_code)
    said = (words.unread_region.format(region=repr(decision.unread_region))
            if decision.unread_region else words.no_region)
    if decision.searched_region_name is None:
        return said
    home = words.home if decision.rule == RoutingRule.NO_UNIT else words.using_home
    return home.format(said=said, name=decision.searched_region_name)


def _handled_at(decision: RoutingDecision, words: _Words) -> str:
    level = decision.matched_level
    served = ""
    if decision.matched_region != decision.searched_region:
        served = f", {decision.matched_region_name}"
    return words.handled_at.format(
        unit=decision.unit.short_name, level=words.levels[level] if level else "", served=served
    )
