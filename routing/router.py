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

Below the category, a service (``service``, picked by the NLU) decides first
when it is trusted (no score, or a score at least ``service_threshold``): the
unit the catalog names for that service at the most specific listed code of
the region (rules ``service+district`` ... ``service+national``). A region the
service lists no owner for, and a service below the threshold, fall back to
the category rules above, never to a guessed specific unit.

An oversight service (pungli, bribery, abuse by an officer) goes to the
region's Inspektorat (rule ``oversight``). The unit complained about, when
known, is excluded together with the units below it and its supervisors that
do not also supervise the Inspektorat (:func:`excluded_units`); when that would
exclude the Inspektorat itself, the next region up takes the report.

A decision carries the facts behind it (rule, region names, level, score);
:func:`routing.explain.explain` puts them into words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Final

from nlu.types import Region
from routing.catalog import NATIONAL, Catalog, CatalogService, ServiceUnit, region_chain
from routing.categories import TRIAGE_CATEGORY, is_category
from routing.rules import TRIAGE_RULES, RegionLevel, RoutingRule

# The rule names as constants, as callers and stored tickets know them.
RULE_DISTRICT: Final = RoutingRule.DISTRICT
RULE_REGENCY: Final = RoutingRule.REGENCY
RULE_PROVINCE: Final = RoutingRule.PROVINCE
RULE_NATIONAL: Final = RoutingRule.NATIONAL
RULE_DEFAULT_REGION: Final = RoutingRule.DEFAULT_REGION
RULE_ANYWHERE: Final = RoutingRule.ANYWHERE
RULE_NO_CATEGORY: Final = RoutingRule.NO_CATEGORY
RULE_UNKNOWN_CATEGORY: Final = RoutingRule.UNKNOWN_CATEGORY
RULE_LOW_CONFIDENCE: Final = RoutingRule.LOW_CONFIDENCE
RULE_NO_UNIT: Final = RoutingRule.NO_UNIT
RULE_MANUAL_FORWARD: Final = RoutingRule.MANUAL_FORWARD

__all__ = [
    "DEFAULT_SERVICE_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "RULE_ANYWHERE",
    "RULE_DEFAULT_REGION",
    "RULE_DISTRICT",
    "RULE_LOW_CONFIDENCE",
    "RULE_MANUAL_FORWARD",
    "RULE_NATIONAL",
    "RULE_NO_CATEGORY",
    "RULE_NO_UNIT",
    "RULE_PROVINCE",
    "RULE_REGENCY",
    "RULE_UNKNOWN_CATEGORY",
    "TRIAGE_RULES",
    "RegionLevel",
    "RoutingDecision",
    "RoutingRule",
    "escalation_target",
    "excluded_units",
    "forward_decision",
    "route_complaint",
    "service_decision",
]

DEFAULT_THRESHOLD: Final = 0.40
DEFAULT_SERVICE_THRESHOLD: Final = 0.50

_SERVICE_RULE: Final = {
    RegionLevel.NATIONAL: RoutingRule.SERVICE_NATIONAL,
    RegionLevel.PROVINCE: RoutingRule.SERVICE_PROVINCE,
    RegionLevel.REGENCY: RoutingRule.SERVICE_REGENCY,
    RegionLevel.DISTRICT: RoutingRule.SERVICE_DISTRICT,
}
_LEVEL_RULE: Final = {
    RegionLevel.NATIONAL: RoutingRule.NATIONAL, RegionLevel.PROVINCE: RoutingRule.PROVINCE,
    RegionLevel.REGENCY: RoutingRule.REGENCY, RegionLevel.DISTRICT: RoutingRule.DISTRICT,
}
_DOTTED: Final = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
_UNDOTTED: Final = re.compile(r"^\d{2}(?:\d{2}(?:\d{2}(?:\d{4})?)?)?$")


@dataclass(frozen=True)
class RoutingDecision:
    """Where a report goes, by which rule, and the facts behind it.

    ``region_code`` is the citizen's region as given (normalised; None when
    unknown), ``matched_region`` the code in the unit's service area that
    decided it ("35.79", "ID"; None for triage and manual forwards), and
    ``searched_region`` where the search for an owner started: the citizen's
    region, else the catalog's home region. The other facts are what
    :func:`routing.explain.explain` needs to put the decision in words.
    """

    unit: ServiceUnit
    rule: RoutingRule
    response_days: int
    category: str | None
    confidence: float | None
    region_code: str | None
    channel: str | None = None
    matched_region: str | None = None
    matched_region_name: str | None = None
    searched_region: str | None = None
    searched_region_name: str | None = None
    unread_region: str | None = None
    """Region text the citizen gave that is not a wilayah code."""
    unknown_category: str | None = None
    """A category that is not in the taxonomy, as given."""
    invalid_confidence: str | None = None
    """An unusable score as given (its repr: "nan", "'tinggi'")."""
    threshold: float | None = None
    """The confidence threshold the score fell below."""
    note: str | None = None
    """The officer's note on a manual forward."""
    service: CatalogService | None = None
    """The service the NLU (or a person) named, also when it fell below the threshold."""
    service_confidence: float | None = None
    service_fallback: str | None = None
    """Why the service did not decide: "low-confidence" or "no-owner" (None when it did)."""
    service_threshold: float | None = None
    complained_unit: ServiceUnit | None = None
    """The unit an oversight complaint is about (excluded from the ticket)."""
    excluded_unit_ids: tuple[str, ...] = ()
    """Units that must never see, receive or be forwarded this report."""

    @property
    def unit_id(self) -> str:
        """The chosen unit's id."""
        return self.unit.id

    @property
    def is_triage(self) -> bool:
        """True when the report went to the triage desk because no rule placed it."""
        return self.rule in TRIAGE_RULES

    @property
    def matched_level(self) -> RegionLevel | None:
        """The level of ``matched_region`` (None when no region decided it)."""
        return _level(self.matched_region) if self.matched_region is not None else None




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


def _level(code: str) -> RegionLevel:
    if code == NATIONAL:
        return RegionLevel.NATIONAL
    return {1: RegionLevel.PROVINCE, 2: RegionLevel.REGENCY}.get(
        code.count(".") + 1, RegionLevel.DISTRICT)


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


@dataclass(frozen=True)
class _Request:
    """A complaint's normalised inputs, from which every decision about it is made."""

    catalog: Catalog
    confidence: float | None
    region_code: str | None
    unread_region: str | None
    channel: str
    service: CatalogService | None = None
    service_confidence: float | None = None
    service_fallback: str | None = None
    service_threshold: float | None = None

    def decide(
        self,
        unit: ServiceUnit,
        rule: RoutingRule,
        category: str | None,
        *,
        searched: str | None = None,
        matched: str | None = None,
        unknown_category: str | None = None,
        invalid_confidence: str | None = None,
        threshold: float | None = None,
        response_days: int | None = None,
        complained: ServiceUnit | None = None,
        excluded: tuple[str, ...] = (),
    ) -> RoutingDecision:
        name = self.catalog.region_name
        return RoutingDecision(
            unit=unit, rule=rule,
            response_days=response_days or unit.response_days_for(category),
            service=self.service, service_confidence=self.service_confidence,
            service_fallback=self.service_fallback, service_threshold=self.service_threshold,
            complained_unit=complained, excluded_unit_ids=excluded,
            category=category, confidence=self.confidence, region_code=self.region_code,
            channel=self.channel, matched_region=matched,
            matched_region_name=name(matched) if matched is not None else None,
            searched_region=searched,
            searched_region_name=name(searched) if searched is not None else None,
            unread_region=self.unread_region, unknown_category=unknown_category,
            invalid_confidence=invalid_confidence, threshold=threshold,
        )


def route_complaint(
    category: str | None,
    confidence: float | None,
    region: Region | str | None,
    channel: str,
    catalog: Catalog,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    service: str | None = None,
    service_confidence: float | None = None,
    service_threshold: float = DEFAULT_SERVICE_THRESHOLD,
    complained_unit_id: str | None = None,
) -> RoutingDecision:
    """Choose the unit for a complaint or aspiration (see the module docstring for the rules).

    ``region`` is an ``nlu.types.Region`` (or anything with a ``code``), a wilayah
    code such as "35.79.01", or None. ``confidence`` None means the category
    was chosen, not guessed (a button or an officer), and is trusted; the same
    for ``service_confidence``. ``service`` is a catalog service code (unknown
    codes are ignored). ``complained_unit_id`` names the unit an oversight
    complaint is about. ``channel`` is recorded on the decision; it does not
    change the unit.
    """
    code, unread = _normalise_region(region)
    value, usable = _clean_confidence(confidence)
    svc = catalog.service(service) if service and catalog.has_service(service) else None
    svc_value, svc_usable = _clean_confidence(service_confidence)
    trusted = svc is not None and svc_usable and (
        svc_value is None or svc_value >= service_threshold)
    request = _Request(catalog, value, code, unread, channel, svc, svc_value,
                       None if trusted or svc is None else "low-confidence",
                       service_threshold if svc is not None else None)
    if trusted and svc is not None:
        return _route_service(request, svc, complained_unit_id)
    triage = catalog.triage_unit
    if category is None or category == TRIAGE_CATEGORY:
        return request.decide(triage, RoutingRule.NO_CATEGORY, category)
    if not is_category(category):
        return request.decide(triage, RoutingRule.UNKNOWN_CATEGORY, None,
                              unknown_category=category)
    if not usable:
        return request.decide(triage, RoutingRule.LOW_CONFIDENCE, category,
                              invalid_confidence=repr(confidence))
    if value is not None and value < threshold:
        return request.decide(triage, RoutingRule.LOW_CONFIDENCE, category, threshold=threshold)
    return _route_trusted(request, category)


def _route_trusted(request: _Request, category: str) -> RoutingDecision:
    """Rules 3 to 5: the most specific owner around the region, else the triage desk."""
    catalog = request.catalog
    search = request.region_code if request.region_code is not None else catalog.default_region
    if search is None:
        anywhere = [u for u in catalog.units_for_category(category) if not u.is_triage]
        if anywhere:
            return request.decide(anywhere[0], RoutingRule.ANYWHERE, category)
    else:
        for candidate in region_chain(search):
            owners = catalog.owners(category, candidate)
            if owners:
                rule = (_LEVEL_RULE[_level(candidate)] if request.region_code is not None
                        else RoutingRule.DEFAULT_REGION)
                return request.decide(owners[0], rule, category, searched=search,
                                      matched=candidate)
    return request.decide(catalog.triage_unit, RoutingRule.NO_UNIT, category, searched=search)


def _route_service(request: _Request, svc: CatalogService,
                   complained_unit_id: str | None) -> RoutingDecision:
    """The unit the catalog names for the service around the region; else the category rules."""
    catalog = request.catalog
    search = request.region_code if request.region_code is not None else catalog.default_region
    if svc.oversight:
        return _route_oversight(request, svc, search, complained_unit_id)
    owner = catalog.service_owner(svc.code, search) if search is not None else None
    if owner is None:
        return _route_trusted(replace(request, service_fallback="no-owner"), svc.category)
    return request.decide(owner.unit, _SERVICE_RULE[_level(owner.region_code)], svc.category,
                          searched=search, matched=owner.region_code,
                          response_days=svc.response_days)


def _route_oversight(request: _Request, svc: CatalogService, search: str | None,
                     complained_unit_id: str | None) -> RoutingDecision:
    """The Inspektorat for the region, never the unit complained about nor one under it."""
    catalog = request.catalog
    complained = (catalog.unit(complained_unit_id)
                  if complained_unit_id and catalog.has_unit(complained_unit_id) else None)
    for candidate in region_chain(search) if search is not None else []:
        owner = catalog.service_owner(svc.code, candidate)
        if owner is None:
            owner_unit = _category_owner(catalog, svc.category, candidate)
            matched = candidate
        else:
            owner_unit, matched = owner.unit, owner.region_code
        if owner_unit is None:
            continue
        excluded = excluded_units(catalog, complained.id, owner_unit.id) if complained else ()
        if owner_unit.id in excluded:
            continue  # the Inspektorat itself (or its head) is complained about: one level up
        return request.decide(owner_unit, RoutingRule.OVERSIGHT, svc.category, searched=search,
                              matched=matched, response_days=svc.response_days,
                              complained=complained, excluded=excluded)
    triage = catalog.triage_unit
    return request.decide(triage, RoutingRule.NO_UNIT, svc.category, searched=search,
                          complained=complained,
                          excluded=excluded_units(catalog, complained.id, triage.id)
                          if complained else ())


def _category_owner(catalog: Catalog, category: str, code: str) -> ServiceUnit | None:
    owners = catalog.owners(category, code)
    return owners[0] if owners else None


def excluded_units(catalog: Catalog, complained_unit_id: str, handler_id: str) -> tuple[str, ...]:
    """Units kept from a complaint about ``complained_unit_id`` handled by ``handler_id``.

    The unit itself, every unit below it, and its supervisors (parents up the
    chain) except those that also supervise the handler: the head of region
    above both the Inspektorat and the office complained about keeps seeing
    the Inspektorat's work, the office's own head (e.g. the Sekda above a
    dinas) does not.
    """
    if not catalog.has_unit(complained_unit_id):
        return ()
    keep = ({handler_id, *(u.id for u in catalog.ancestors(handler_id))}
            if catalog.has_unit(handler_id) else set())
    below = [u.id for u in catalog.descendants(complained_unit_id)]
    above = [u.id for u in catalog.ancestors(complained_unit_id) if u.id not in keep]
    return tuple(dict.fromkeys([complained_unit_id, *below, *above]))


def service_decision(catalog: Catalog, code: str, region: Region | str | None,
                     channel: str = "catalog") -> RoutingDecision:
    """Who handles service ``code`` for a region, with every fallback (KeyError if unknown).

    The same decision a trusted report of that service gets: the owner the
    catalog names at the most specific listed code, else the category's owner
    up the region hierarchy, else the triage desk.
    """
    service = catalog.service(code)
    return route_complaint(service.category, None, region, channel, catalog, service=code)


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
    return RoutingDecision(
        unit=unit, rule=RoutingRule.MANUAL_FORWARD, response_days=unit.response_days_for(cat),
        category=cat, confidence=None, region_code=region_code, channel=channel,
        note=reason.strip(),
    )


def escalation_target(catalog: Catalog, unit_id: str,
                      excluded: Collection[str] = ()) -> ServiceUnit | None:
    """Who an overdue report escalates to: the unit's parent (None at the top).

    A unit no longer in the catalog (removed by a reload) escalates to the
    triage desk, so an open report never loses its owner. Parents in
    ``excluded`` (the supervisors of a unit complained about) are skipped.
    """
    if not catalog.has_unit(unit_id):
        return catalog.triage_unit
    for parent in catalog.ancestors(unit_id):
        if parent.id not in excluded:
            return parent
    return None
