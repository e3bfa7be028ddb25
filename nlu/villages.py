"""Places below the regency: the 83,762 desa/kelurahan of ``nlu/data/wilayah/villages.csv``
and the 7,285 kecamatan, found as people write them ("di junrejo", "desa pendem",
"kel. temas", a bare "bumiaji" answering "where?").

:func:`place_mentions` returns, for each place-like phrase of a message, every
wilayah code it may mean (villages, districts and, for a bare name such as
"batu", the regency/city of that name). Choosing among them (the catalog's own
area first, asking the citizen when still ambiguous) is the dialogue's job.

A lower-case word counts only after a cue: a strong one ("desa", "kel.",
"kecamatan", "dusun") always, a weak one ("di", "in", "at", or the whole message
being the name) only when the word is not an ordinary word ("di rumah" is no
place); :attr:`PlaceMention.common` says so, so the caller may still accept it
inside its home area ("di batu").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from nlu.places import gazetteer
from nlu.wilayah import DATA_DIR, load_wilayah

_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_VILLAGE_CUES = frozenset({"desa", "ds", "kel", "kelurahan", "dusun", "dsn", "village",
                           "lurah", "kampung", "kp"})
_DISTRICT_CUES = frozenset({"kec", "kecamatan", "camat", "district", "subdistrict"})
_WEAK_CUES = frozenset({"di", "in", "at", "daerah", "wilayah", "sekitar", "area", "near",
                        "dekat", "deket", "dkt"})
# After these a name is a street's or a person's ("Jl. Diponegoro", "Pak Slamet").
_BLOCKERS = frozenset({"jalan", "jl", "jln", "gang", "gg", "lorong", "street", "road", "perum",
                       "perumahan", "pak", "bu", "bapak", "ibu", "mas", "mbak", "hotel", "toko",
                       "warung", "sd", "sdn", "smp", "smpn", "sma", "sman", "masjid"})
_MAX_TOKENS = 4
# A message that is nothing but a place name ("bumiaji", "Pendem Junrejo").
_MAX_BARE_TOKENS = 3


@dataclass(frozen=True, slots=True)
class Village:
    """A desa (code ``xx.xx.xx.2xxx``) or kelurahan (``xx.xx.xx.1xxx``)."""

    code: str
    district_code: str
    name: str

    @property
    def kind(self) -> str:
        """"kelurahan" or "desa" (the first digit of the last code part says which)."""
        return "kelurahan" if self.code.rsplit(".", 1)[1].startswith("1") else "desa"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One phrase that names a place, with every code it may mean."""

    text: str
    start: int
    end: int
    codes: tuple[str, ...]
    cue: str  # "village" | "district" | "weak" | "bare" | "capital"
    common: bool  # an ordinary word too ("batu", "pasar")


@dataclass(frozen=True)
class VillageIndex:
    """Villages by code and every village/district/regency name by its lower-case key."""

    villages: dict[str, Village]
    by_name: dict[str, tuple[str, ...]]


def _key(text: str) -> str:
    return " ".join(t.lower() for t in _TOKEN.findall(text.replace("-", " ")))


@lru_cache(maxsize=1)
def village_index() -> VillageIndex:
    """Load (once) the village table and index all names below the province."""
    villages: dict[str, Village] = {}
    names: dict[str, list[str]] = {}
    with (DATA_DIR / "villages.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            v = Village(row["kode"], row["kode_kecamatan"], row["nama"])
            villages[v.code] = v
            names.setdefault(_key(v.name), []).append(v.code)
    w = load_wilayah()
    for d in w.districts.values():
        names.setdefault(_key(d.name), []).append(d.code)
    for r in w.regencies.values():
        base = r.name.split(" ", 1)[1] if r.name.startswith(("Kota ", "Kabupaten ")) else r.name
        names.setdefault(_key(base), []).append(r.code)
    return VillageIndex(villages, {k: tuple(v) for k, v in names.items() if k})


def village(code: str) -> Village | None:
    """The village with this code, if any."""
    return village_index().villages.get(code)


def place_name(code: str) -> str:
    """A display name for any wilayah code, village included
    ("Desa Pendem, Kec. Junrejo, Kota Batu")."""
    w = load_wilayah()
    v = village(code)
    if v is not None:
        d = w.districts[v.district_code]
        regency = w.regencies[d.regency_code].name
        return f"{v.kind.capitalize()} {v.name}, Kec. {d.name}, {regency}"
    if code in w.districts:
        d = w.districts[code]
        return f"Kec. {d.name}, {w.regencies[d.regency_code].name}"
    if w.level(code) is not None:
        return w.region(code).name
    return code


def _cue_of(prev: str) -> str | None:
    if prev in _VILLAGE_CUES:
        return "village"
    if prev in _DISTRICT_CUES:
        return "district"
    if prev in _WEAK_CUES:
        return "weak"
    return None


def _filter(codes: tuple[str, ...], cue: str) -> tuple[str, ...]:
    if cue == "village":
        picked = tuple(c for c in codes if c.count(".") == 3)
    elif cue == "district":
        picked = tuple(c for c in codes if c.count(".") == 2)
    else:
        return codes
    return picked or codes


def place_mentions(text: str) -> list[PlaceMention]:
    """The place-like phrases of ``text`` below the province, longest match first.

    Never raises; returns [] for text with no such phrase.
    """
    if not text:
        return []
    index = village_index()
    common = gazetteer().common
    spans = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    lowers = [_key(s[2]) for s in spans]
    bare = 0 < len(spans) <= _MAX_BARE_TOKENS
    found: list[PlaceMention] = []
    i = 0
    while i < len(spans):
        prev = lowers[i - 1] if i > 0 else ""
        cue = _cue_of(prev) or ("bare" if bare else None)
        if cue is None and spans[i][2][:1].isupper() and lowers[i] not in common:
            cue = "capital"
        if cue is None or prev in _BLOCKERS or lowers[i] in (
                _VILLAGE_CUES | _DISTRICT_CUES | _WEAK_CUES):
            i += 1
            continue
        for length in range(min(_MAX_TOKENS, len(spans) - i), 0, -1):
            key = " ".join(lowers[i:i + length])
            codes = index.by_name.get(key)
            if codes:
                start, end = spans[i][0], spans[i + length - 1][1]
                found.append(PlaceMention(text[start:end], start, end, _filter(codes, cue), cue,
                                          length == 1 and key in common))
                i += length
                break
        else:
            i += 1
    return found
