"""Government units named in a text, and the unit a report is addressed to.

Real reports often name the unit the citizen wants to act ("Kepada Yth. Dinas
Perhubungan", "Mohon Satpol PP menertibkan ..."). That unit is strong evidence
for the category, stronger than the background the citizen gives (a report may
tell how Disdukcapil already fixed the family card before asking Dinas Sosial
about the PKH money). :func:`addressed_categories` finds the units named where
the citizen asks for something (after "kepada", "yth", "mohon", "tolong",
"minta", "agar", "please", ...) and :func:`mentioned_categories` every unit
named anywhere; the classifier uses both as features of their own
(:mod:`nlu.embedded`), so it learns how much each is worth.

The same table maps a LAPOR! export's ``Instansi Terdisposisi`` to a category
(:mod:`nlu.lapor`). Units whose job is mixed (Dinas PU, Dishub, a kecamatan,
the Setda) carry a *leaning* category: good enough as a hint for the
classifier, never enough to label a training row on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class AgencyPattern:
    """A unit's names (one regex) and its category; ``mixed`` when its job spans several
    categories (then ``category`` is only its usual one, or None)."""

    pattern: str
    category: str | None
    mixed: bool = False


# Order matters only for overlapping names: the first match at a position wins.
AGENCIES: tuple[AgencyPattern, ...] = (
    AgencyPattern(r"dis\s?dukcapil|dukcapil|dinas\s+kependudukan(?:\s+dan\s+pencatatan\s+sipil)?"
                  r"|\bcapil\b", "population_registry"),
    AgencyPattern(r"dinas\s+sosial|\bdinsos\w*|kemensos|kementerian\s+sosial", "social_assistance"),
    AgencyPattern(r"\bdlhk?\b|dinas\s+lingkungan\s+hidup(?:\s+dan\s+kehutanan)?|\bdklh\b"
                  r"|dinas\s+kebersihan|dinas\s+lingkungan", "environment"),
    AgencyPattern(r"satpol[\s-]*pp|satuan\s+polisi\s+pamong\s+praja|\bpol\s?pp\b|satpol\b",
                  "public_order"),
    AgencyPattern(r"dinas\s+kesehatan|\bdinkes\w*|\brsud\b|rumah\s+sakit\s+umum\s+daerah"
                  r"|\bpuskesmas\b|bpjs\s+kesehatan|kemenkes", "health"),
    AgencyPattern(r"dinas\s+pendidikan|\bdisdik\w*|\bdindik\w*|\bdispendik\w*|\bdikbud\b"
                  r"|kemendikbud\w*|dinas\s+pendidikan\s+dan\s+kebudayaan", "education"),
    AgencyPattern(r"\bdisnaker\w*|dinas\s+tenaga\s+kerja|dinas\s+ketenagakerjaan"
                  r"|dinas\s+tenaga\s+kerja\s+dan\s+transmigrasi|bpjs\s+ketenagakerjaan"
                  r"|kemnaker|\bbp2mi\b", "employment"),
    AgencyPattern(r"\bbapenda\b|\bdispenda\b|badan\s+pendapatan\s+daerah|\bbpprd\b|\bbppd\b"
                  r"|\bsamsat\b", "taxes_fees"),
    AgencyPattern(r"\bpdam\b|perumda\s+(?:air\s+minum|tirta\w*)|perusahaan\s+daerah\s+air\s+minum"
                  r"|\bpam\s+jaya\b|tirtanadi", "water_supply"),
    AgencyPattern(r"\bdpmptsp\b|\bdpm\s?ptsp\b|dinas\s+penanaman\s+modal|\bptsp\b",
                  "licensing"),
    AgencyPattern(r"\bbpbd\b|badan\s+penanggulangan\s+bencana|\bdamkar\b"
                  r"|pemadam\s+kebakaran|\bbasarnas\b", "disaster"),
    AgencyPattern(r"\binspektorat\b|saber\s+pungli|\bombudsman\b", "civil_service"),
    AgencyPattern(r"\bpln\b|\bulp\s+pln\b|perusahaan\s+listrik\s+negara", "electricity"),
    AgencyPattern(r"\bpolres\w*|\bpolsek\b|\bpolda\b|\bkepolisian\b|\bbnnk?\b|\bpolisi\b"
                  r"|\bpolri\b", "security"),
    # mixed jobs: a usual category at most
    AgencyPattern(r"dinas\s+(?:pu|pupr|pekerjaan\s+umum)\w*|\bpupr\b|bina\s+marga"
                  r"|dinas\s+sdabmbk|dinas\s+perkim\w*|\bdpupr\w*|\bdpu\b", "infrastructure",
                  mixed=True),
    AgencyPattern(r"\bdishub\b|dinas\s+perhubungan", "transport", mixed=True),
    AgencyPattern(r"\bkecamatan\b|\bcamat\b|\bsetda\b|sekretariat\s+daerah|\bkelurahan\b"
                  r"|\blurah\b|\bpemkot\b|\bpemkab\b|\bpemprov\b|\bpemda\b|\bbupati\b"
                  r"|wali\s?kota|\bgubernur\b", None, mixed=True),
)

# Words before a unit's name that make it the one asked to act.
_ASK = (r"(?:kepada|kpd|yth\.?|yang\s+terhormat|mohon|mhn|tolong|tlg|minta|meminta|memohon"
        r"|harap|berharap|agar|supaya|please|request|ask|urge|dear|untuk)")
# Up to four words between the asking word and the name ("mohon kiranya pihak Dinas ...").
# Not across a conjunction or an active verb ("mohon Inspektorat memeriksa petugas
# puskesmas": the puskesmas is not asked).
_BETWEEN = r"(?:\s+(?!(?:dan|atau|tetapi|tapi|karena)\b|me[a-z]{3,})[\w./-]+){0,4}?"


# First words of the names above: a text without any of them names no unit, which spares
# the regexes on most chat messages (the parse must stay well under a millisecond).
_TRIGGERS = frozenset([
    "dukcapil", "disdukcapil", "dinas", "capil", "kemensos", "kementerian", "dlh", "dlhk",
    "dklh", "satpol", "satuan", "rsud", "puskesmas", "bpjs", "kemenkes", "dikbud", "kemnaker",
    "bp2mi", "bapenda", "dispenda", "bpprd", "bppd", "samsat", "pdam", "perumda", "tirtanadi",
    "dpmptsp", "ptsp", "bpbd", "damkar", "pemadam", "basarnas", "inspektorat", "ombudsman",
    "pln", "polsek", "polda", "kepolisian", "bnn", "bnnk", "polisi", "polri", "pupr", "dpu",
    "dishub", "kecamatan", "camat", "setda", "sekretariat", "kelurahan", "lurah", "pemkot",
    "pemkab", "pemprov", "pemda", "bupati", "walikota", "gubernur"
])
_TRIGGER_PREFIXES = ("dinsos", "dinkes", "disdik", "dindik", "dispendik", "kemendikbud",
                     "disnaker", "polres", "dpupr", "satpol", "perkim")
# names whose first word is common on its own
_TRIGGER_PHRASES = ("rumah sakit umum", "badan p", "pam jaya", "wali kota", "bina marga",
                    "perusahaan daerah", "perusahaan listrik", "saber pungli", "pol pp",
                    "dis dukcapil", "dpm ptsp")
_WEAK_TRIGGERS = frozenset({p.split()[0] for p in _TRIGGER_PHRASES})
_WORDS = re.compile(r"[a-z0-9]+")


def names_a_unit(text: str) -> bool:
    """Whether the text may name a unit (a cheap test before the regexes)."""
    lower = text.lower()
    for word in _WORDS.findall(lower):
        if word in _TRIGGERS or word.startswith(_TRIGGER_PREFIXES):
            return True
    return any(p in lower for p in _TRIGGER_PHRASES)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], AgencyPattern], ...]:
    return tuple((re.compile(a.pattern, re.IGNORECASE), a) for a in AGENCIES)


@lru_cache(maxsize=1)
def _any_agency() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a.pattern})" for a in AGENCIES), re.IGNORECASE)


@lru_cache(maxsize=1)
def _ask_before() -> re.Pattern[str]:
    return re.compile(rf"\b{_ASK}\b{_BETWEEN}\s+(?:bapak/ibu\s+|pihak\s+|bpk\s+)?$",
                      re.IGNORECASE)


def agency_of(name: str) -> AgencyPattern | None:
    """The table entry for a unit's name (the first pattern found in it), or None."""
    best: tuple[int, AgencyPattern] | None = None
    for regex, agency in _compiled():
        m = regex.search(name)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), agency)
    return best[1] if best else None


def _category(name: str) -> str | None:
    agency = agency_of(name)
    return agency.category if agency is not None else None


def named_units(text: str) -> list[tuple[str, bool]]:
    """(category, whether the text asks that unit to act) of every unit named, in order."""
    lower = text.lower()
    names = _any_agency()
    out: list[tuple[str, bool]] = []
    end = 0
    # The names are tried only where a trigger word starts (a regex alternation scanned
    # over the whole text would cost more than the rest of the parse).
    for word in _WORDS.finditer(lower):
        w = word.group(0)
        if word.start() < end or not (w in _TRIGGERS or w in _WEAK_TRIGGERS
                                      or w.startswith(_TRIGGER_PREFIXES)):
            continue
        m = names.match(lower, word.start())
        if m is None:
            continue
        previous_end, end = end, m.end()
        cat = _category(m.group(0))
        if cat is not None:
            # back to the previous unit at most: "mohon X ... Y" asks X, not Y
            window = lower[max(0, previous_end, m.start() - 80):m.start()]
            out.append((cat, _ask_before().search(window) is not None))
    return out


def addressed_categories(text: str) -> list[str]:
    """Categories of the units the text asks to act, in order, without repeats."""
    return list(dict.fromkeys(cat for cat, asked in named_units(text) if asked))


def mentioned_categories(text: str) -> list[str]:
    """Categories of every unit named in the text, in order, without repeats."""
    return list(dict.fromkeys(cat for cat, _asked in named_units(text)))
