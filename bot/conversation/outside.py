"""No wrong door outside the catalog's area: tell the citizen who owns the place.

A report about a place outside the area the catalog serves (a Kota Batu bot told
about a road in Sleman) is still filed and goes to the triage desk, which
forwards it through SP4N-LAPOR!; :func:`outside_note` says so in words, naming
the regency or city found.
"""

from __future__ import annotations

from bot.core.i18n import chat_text
from nlu.wilayah import load_wilayah
from routing.catalog import Catalog
from routing.router import RoutingDecision


def owner_region_name(code: str) -> str | None:
    """The regency/city (else the province) a wilayah code lies in ("Kabupaten Sleman")."""
    w = load_wilayah()
    parts = code.split(".")
    regency = ".".join(parts[:2])
    if len(parts) >= 2 and regency in w.regencies:
        return w.regencies[regency].name
    if parts[0] in w.provinces:
        return f"Provinsi {w.provinces[parts[0]].name}"
    return None


def is_outside(catalog: Catalog, code: str | None) -> bool:
    """Whether a place lies outside the catalog's home region (False when either is unknown)."""
    home = catalog.default_region
    if not code or not home:
        return False
    return not (code == home or code.startswith(home + "."))


def outside_note(catalog: Catalog, decision: RoutingDecision, region_code: str | None,
                 lang: str) -> str:
    """The explanation added to the filing message, or "" when the place is the catalog's own
    or a unit of the catalog owns the problem there."""
    if not decision.unit.is_triage or not is_outside(catalog, region_code):
        return ""
    assert region_code is not None
    region = owner_region_name(region_code)
    if region is None:
        return ""
    return chat_text("outside_area", lang, region=region, catalog=catalog.name,
                     desk=decision.unit.name)
