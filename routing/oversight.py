"""Which unit an oversight complaint is about, read from the citizen's words.

Pure. A complaint about the apparatus (pungli, bribery, abuse) goes to the
Inspektorat and must never reach the unit it is about; that unit is named
("oknum Disdukcapil", "petugas samsat") or inferred from the service the
officer was delivering ("... minta uang buat urus KK" -> the owner of the
family-card service in the citizen's region).
"""

from __future__ import annotations

from routing._text import contains_phrase, normalize_tokens
from routing.catalog import Catalog, region_chain, serves


def complained_unit(catalog: Catalog, text: str, region_code: str | None) -> str | None:
    """The id of the unit ``text`` complains about in the region, or None if it is unclear.

    A unit named by its short name, name or keyword and serving the region
    wins (the longest name found); else the unit that delivers the service
    named by one of its keywords (oversight services aside), or the owner of
    that service's category there.
    """
    tokens = normalize_tokens(text)
    if not tokens:
        return None
    region = region_code or catalog.default_region
    named = _named_unit(catalog, tokens, region)
    if named is not None:
        return named
    return _service_unit(catalog, tokens, region)


def _named_unit(catalog: Catalog, tokens: tuple[str, ...], region: str | None) -> str | None:
    best: tuple[int, str] | None = None
    for unit in catalog.units:
        if unit.is_triage:
            continue
        if region is not None and not serves(unit, region):
            continue
        for name in (unit.short_name, unit.name, *unit.keywords):
            phrase = normalize_tokens(name)
            if phrase and contains_phrase(tokens, phrase) and (best is None
                                                               or len(phrase) > best[0]):
                best = (len(phrase), unit.id)
    return best[1] if best else None


def _service_unit(catalog: Catalog, tokens: tuple[str, ...], region: str | None) -> str | None:
    best: tuple[int, str] | None = None
    for service in catalog.services:
        if service.oversight:
            continue
        for keyword in service.keywords:
            phrase = normalize_tokens(keyword)
            if phrase and contains_phrase(tokens, phrase) and (best is None
                                                               or len(phrase) > best[0]):
                best = (len(phrase), service.code)
    if best is None or region is None:
        return None
    service = catalog.service(best[1])
    owner = catalog.service_owner(service.code, region)
    if owner is not None:
        return owner.unit.id
    for code in region_chain(region):
        owners = catalog.owners(service.category, code)
        if owners:
            return owners[0].id
    return None

