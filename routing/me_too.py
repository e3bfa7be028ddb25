""""Saya juga" matching: which open ticket a new complaint is about, if any (pure).

A new complaint matches an open ticket when all of these hold:

* the same service (both routed by a catalog service), else the same topic (category),
  never the catch-all topic;
* the same place: the same village (a village-level wilayah code), or within
  ``distance_m`` of each other when both shared a location;
* alike in words: :func:`similarity` of the two descriptions at least ``min_similarity``;
* filed within ``window_days``, by someone else, and neither confidential nor a
  complaint about the apparatus (those are never shown to another citizen).

:func:`best_matches` ranks what is left, most alike first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from routing._text import normalize_tokens

EARTH_RADIUS_M = 6_371_008.8
#: The catch-all topics: "other" says nothing about what two reports share.
UNSPECIFIC_CATEGORIES = frozenset({"other", "triage", ""})

# Words that say nothing about the problem (Indonesian chat and English).
_STOPWORDS = frozenset((
    "di", "ke", "dari", "yang", "dan", "atau", "ini", "itu", "ada", "sudah", "udah", "sdh",
    "belum", "blm", "sejak", "sampai", "sampe", "untuk", "buat", "dengan", "dgn", "pada",
    "oleh", "karena", "krn", "jadi", "tapi", "juga", "lagi", "masih", "akan", "bisa", "tidak",
    "tdk", "gak", "ga", "nggak", "saya", "aku", "sy", "gw", "gue", "kami", "kita", "mereka",
    "dia", "bapak", "ibu", "pak", "bu", "mas", "mbak", "kak", "min", "admin", "tolong", "mohon",
    "minta", "segera", "ya", "yg", "dong", "nih", "sih", "kok", "deh", "lah", "pun", "tsb",
    "tersebut", "sangat", "sekali", "banget", "bgt", "hari", "jam", "minggu", "bulan", "tahun",
    "kemarin", "tadi", "sekarang", "depan", "belakang", "samping", "dekat", "dekatnya",
    "sekitar", "nya", "the", "a", "an", "of", "in", "on", "at", "to", "is", "are", "was", "be",
    "it", "this", "that", "there", "please", "for", "near",
))
_MIN_TOKEN = 3


@dataclass(frozen=True)
class NewReport:
    """The complaint the citizen is about to file."""

    citizen_id: int
    description: str
    category: str | None
    service_code: str | None
    region_code: str | None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class OpenTicket:
    """An open ticket that might be the same problem (as the repository loads it)."""

    id: int
    number: str
    citizen_id: int
    description: str
    category: str
    service_code: str | None
    region_code: str | None
    latitude: float | None
    longitude: float | None
    created_at: datetime
    confidential: bool = False
    # A complaint about the apparatus (oversight): never offered to anyone else.
    oversight: bool = False
    # Citizens who already joined it (the new citizen among them: not offered again).
    joiner_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class MeTooRules:
    """The knobs (``cases.me_too`` in config.yml)."""

    distance_m: float = 300.0
    min_similarity: float = 0.5
    window_days: int = 30


@dataclass(frozen=True)
class Match:
    """A ticket the new complaint may join, and why."""

    ticket: OpenTicket
    similarity: float
    same_village: bool
    distance_m: float | None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, distance_m: float) -> tuple[float, float, float, float]:
    """``(min_lat, max_lat, min_lon, max_lon)`` around a point: every point within
    ``distance_m`` lies inside (a cheap pre-filter for an indexed query)."""
    dlat = math.degrees(distance_m / EARTH_RADIUS_M)
    # Near the poles a degree of longitude shrinks to nothing: take the whole circle.
    cos_lat = math.cos(math.radians(lat))
    dlon = 180.0 if cos_lat < 1e-6 else min(180.0, dlat / cos_lat)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def is_village_code(code: str | None) -> bool:
    """Whether a wilayah code names a village (kelurahan/desa: four parts, "35.79.01.2001")."""
    return code is not None and code.count(".") == 3


def content_words(text: str) -> tuple[str, ...]:
    """The words of a description that say what the problem is (normalised, no stopwords)."""
    return tuple(w for w in normalize_tokens(text)
                 if len(w) >= _MIN_TOKEN and w not in _STOPWORDS and not w.isdigit())


def _grams(words: Iterable[str]) -> Counter[str]:
    """Character trigrams of each word, padded, so "lampu"/"lampunya"/"lmpu" still overlap."""
    grams: Counter[str] = Counter()
    for w in words:
        padded = f" {w} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """How alike two descriptions are, 0 to 1: the cosine of their content words'
    character trigrams (typos and suffixes still count, filler words do not)."""
    ga, gb = _grams(content_words(a)), _grams(content_words(b))
    if not ga or not gb:
        return 0.0
    dot = sum(n * gb[g] for g, n in ga.items() if g in gb)
    norm = math.sqrt(sum(n * n for n in ga.values())) * math.sqrt(sum(n * n for n in gb.values()))
    return dot / norm if norm else 0.0


def same_topic(report: NewReport, ticket: OpenTicket) -> bool:
    """The same catalog service when both have one, else the same specific topic."""
    if report.service_code and ticket.service_code:
        return report.service_code == ticket.service_code
    category = report.category or ""
    return category not in UNSPECIFIC_CATEGORIES and category == ticket.category


def place_match(report: NewReport, ticket: OpenTicket,
                distance_m: float) -> tuple[bool, bool, float | None]:
    """``(near, same_village, metres apart)``: near is the same village, or within
    ``distance_m`` when both shared a location."""
    same_village = is_village_code(report.region_code) and report.region_code == ticket.region_code
    apart = None
    if (report.latitude is not None and report.longitude is not None
            and ticket.latitude is not None and ticket.longitude is not None):
        apart = haversine_m(report.latitude, report.longitude, ticket.latitude, ticket.longitude)
    return same_village or (apart is not None and apart <= distance_m), same_village, apart


def best_matches(report: NewReport, tickets: Sequence[OpenTicket], rules: MeTooRules,
                 now: datetime) -> list[Match]:
    """The tickets ``report`` may join, most alike first (ties: nearest, then newest)."""
    since = now - timedelta(days=rules.window_days)
    found: list[Match] = []
    for ticket in tickets:
        if (ticket.confidential or ticket.oversight or ticket.citizen_id == report.citizen_id
                or report.citizen_id in ticket.joiner_ids or ticket.created_at < since
                or not same_topic(report, ticket)):
            continue
        near, village, apart = place_match(report, ticket, rules.distance_m)
        if not near:
            continue
        score = similarity(report.description, ticket.description)
        if score < rules.min_similarity:
            continue
        found.append(Match(ticket, round(score, 4), village, apart))
    found.sort(key=lambda m: (-m.similarity,
                              m.distance_m if m.distance_m is not None else math.inf,
                              -m.ticket.created_at.timestamp(), m.ticket.id))
    return found


__all__ = ["Match", "MeTooRules", "NewReport", "OpenTicket", "best_matches", "bounding_box",
           "content_words", "haversine_m", "is_village_code", "place_match", "same_topic",
           "similarity"]
