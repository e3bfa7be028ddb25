"""Reading the place of a report from what citizens write: villages, bare district names,
nicknames, and the catalog's home area first.

:func:`read_place` combines the NLU's region (province/regency/district, see
:mod:`nlu.places`) with the village and district names of :mod:`nlu.villages`:

* a name found inside the NLU's region, or else inside the catalog's home region,
  is that place ("di junrejo", "desa pendem" in Kota Batu's bot);
* a name found in one place only in the country is that place;
* a name found in several places (or two regions named at once, "sleman jogja")
  gives choices, which the dialogue offers as buttons instead of asking again.

Pure: the data are the shipped wilayah tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlu.types import NluResult
from nlu.villages import PlaceMention, place_mentions, place_name

#: At most this many places are offered as buttons.
MAX_CHOICES = 5


@dataclass(frozen=True)
class Place:
    """A wilayah code (province down to village) and how it is shown."""

    code: str
    name: str


@dataclass(frozen=True)
class PlaceReading:
    """The place a message names, or the places it may mean."""

    place: Place | None = None
    choices: tuple[Place, ...] = ()


def _within(code: str, area: str | None) -> bool:
    return bool(area) and (code == area or code.startswith(f"{area}."))


def _broadest(codes: list[str]) -> str | None:
    """The one code all others lie in ("35.79.02" for Bumiaji the district and the desa)."""
    for code in sorted(codes, key=len):
        if all(_within(c, code) for c in codes):
            return code
    return None


def _most_specific(codes: list[str]) -> str:
    return max(codes, key=lambda c: c.count("."))


def _candidates(mention: PlaceMention, region: str | None, home: str | None) -> list[str]:
    """The codes a mention may mean given the NLU's region and the home area."""
    if region:
        inside = [c for c in mention.codes if _within(c, region)]
        if inside:
            return inside
    at_home = [c for c in mention.codes if _within(c, home)]
    if at_home:
        return at_home
    if mention.common or mention.cue in ("weak", "capital") or region:
        # An ordinary word ("di pasar") or a capitalised name elsewhere is no sure place.
        return []
    return list(mention.codes)


def read_place(text: str, nlu: NluResult | None, home: str | None) -> PlaceReading:
    """The place ``text`` names (the NLU's parse and the catalog's home region helping)."""
    region = nlu.region.code if nlu is not None and nlu.region is not None else None
    picked: list[str] = []
    choices: list[str] = []
    for mention in place_mentions(text):
        codes = _candidates(mention, region, home)
        if not codes:
            continue
        one = _broadest(codes)
        if one is not None:
            picked.append(one)
        elif not choices:
            choices = codes
    if picked:
        return PlaceReading(place=Place(_most_specific(picked), place_name(_most_specific(picked))))
    if region:
        return PlaceReading(place=Place(region, place_name(region)))
    named = _named_regions(nlu)
    if len(named) > 1:
        choices = named
    if choices:
        shown = sorted(set(choices))[:MAX_CHOICES]
        return PlaceReading(choices=tuple(Place(c, place_name(c)) for c in shown))
    return PlaceReading()


def _named_regions(nlu: NluResult | None) -> list[str]:
    """Distinct regions the NLU found on their own ("sleman" and "jogja")."""
    if nlu is None:
        return []
    codes: list[str] = []
    for e in nlu.entities:
        code = e.extra.get("code") if e.entity == "region" else None
        if isinstance(code, str) and code not in codes:
            codes.append(code)
    return codes
