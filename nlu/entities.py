"""Entity extraction: ticket numbers, NIK, phone numbers, e-mail, URLs, RT/RW and the place.

Offsets are into the original text. Structured entities come from a few
precompiled regular expressions; the place comes from :mod:`nlu.places`.

Ticket numbers are ``PREFIX-YYYY-NNNNNN``: any ``[A-Z]{2,6}-\\d{4}-\\d{1,6}`` is
accepted and normalised to upper case with six-digit zero padding; for the
configured prefix (default ``PTU``) sloppy spellings such as ``ptu 2026 123``
are accepted too. A bare number right after ``#`` or a word like "tiket"
("tiket #907315") is reported as ``ticket_ref`` (not ``ticket_number``: its
prefix and year are unknown, so it cannot be looked up as is).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from nlu.types import Entity

DEFAULT_TICKET_PREFIX = "PTU"

_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"']+"
    r"|\b[a-z0-9][a-z0-9-]{1,62}(?:\.[a-z0-9-]{1,62})*\.(?:com|id|net|org|info|ly|io|me|co)"
    r"(?:/[^\s<>\"']*)?(?![\w.@-])"
)
_EMAIL = re.compile(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
_TICKET_STRICT = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2,6})-(\d{4})-(\d{1,6})(?!\d)")
_TICKET_PARTIAL = re.compile(
    r"(?i)(?:(?:tiket|ticket|laporan|aduan|pengaduan|report|nomor|no\.?|nmr)\s*[:.]?\s*#?\s*"
    r"|#\s?)(\d{5,8})(?!\d)"
)
_NIK = re.compile(r"(?<![\d.])(\d{4})[ .]?(\d{4})[ .]?(\d{4})[ .]?(\d{4})(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+62|62|0)[\s.-]?8\d{1,3}(?:[\s.-]?\d{2,4}){2,3}(?!\d)"
    r"|(?<![\w+])\+62[\s.-]?[2-9]\d{1,3}(?:[\s.-]?\d{3,4}){1,2}(?!\d)"
)
_RT_RW = re.compile(
    r"(?i)\bRT\.?\s*0*(\d{1,3})\s*(?:/|,|\s|\bdan\b|\band\b)\s*(?:RW\.?\s*)?0*(\d{1,3})\b"
    r"|\bRT\.?\s*0*(\d{1,3})\b|\bRW\.?\s*0*(\d{1,3})\b"
)


@lru_cache(maxsize=8)
def _sloppy_ticket(prefix: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?i)(?<![A-Za-z0-9]){re.escape(prefix)}[\s_./#-]*((?:19|20)\d\d)[\s_./#-]*(\d{{1,6}})(?!\d)"
    )


@lru_cache(maxsize=1)
def _province_codes() -> frozenset[str]:
    from nlu.wilayah import load_wilayah

    return frozenset(load_wilayah().provinces)


def nik_is_plausible(nik: str) -> bool:
    """Whether 16 digits can be a NIK: a real province code, non-zero regency and district,
    a valid birth date DDMMYY (women add 40 to the day) and a non-zero serial."""
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        return False
    if nik[:2] not in _province_codes() or nik[2:4] == "00" or nik[4:6] == "00":
        return False
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    try:
        # Any century works for the check: 2000 is a leap year, so 29 Feb passes.
        date(2000 + year, month, day)
    except ValueError:
        return False
    return nik[12:] != "0000"


def normalize_phone(raw: str) -> str:
    """An Indonesian phone number as +62 followed by digits."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("62"):
        return "+" + digits
    if digits.startswith("0"):
        return "+62" + digits[1:]
    return "+62" + digits


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def structured_entities(text: str, *, ticket_prefix: str = DEFAULT_TICKET_PREFIX) -> list[Entity]:
    """Tickets, NIK, phones, e-mail, URLs and RT/RW, earlier patterns winning overlaps."""
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []

    def add(entity: Entity) -> None:
        found.append(entity)
        taken.append((entity.start, entity.end))

    for m in _EMAIL.finditer(text):
        add(Entity("email", m.group(0).lower(), m.start(), m.end()))
    for m in _URL.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        url = m.group(0).rstrip(".,;:!?)")
        add(Entity("url", url, m.start(), m.start() + len(url)))
    for m in _TICKET_STRICT.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        value = f"{m.group(1).upper()}-{m.group(2)}-{int(m.group(3)):06d}"
        add(Entity("ticket_number", value, m.start(), m.end()))
    for m in _sloppy_ticket(ticket_prefix.upper()).finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        value = f"{ticket_prefix.upper()}-{m.group(1)}-{int(m.group(2)):06d}"
        add(Entity("ticket_number", value, m.start(), m.end(), confidence=0.9))
    for m in _NIK.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        nik = "".join(m.groups())
        if nik_is_plausible(nik):
            add(Entity("nik", nik, m.start(), m.end()))
    for m in _PHONE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        digits = re.sub(r"\D", "", m.group(0))
        if 9 <= len(digits.removeprefix("62").removeprefix("0")) + 1 <= 14:
            add(Entity("phone", normalize_phone(m.group(0)), m.start(), m.end()))
    for m in _TICKET_PARTIAL.finditer(text):
        start = m.start(1)
        if _overlaps(taken, start, m.end()):
            continue
        add(Entity("ticket_ref", m.group(1), start, m.end(), confidence=0.6,
                   extra={"partial": True}))
    for m in _RT_RW.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        if m.group(1) is not None:
            value = f"RT {int(m.group(1)):02d}/RW {int(m.group(2)):02d}"
        elif m.group(3) is not None:
            value = f"RT {int(m.group(3)):02d}"
        else:
            value = f"RW {int(m.group(4)):02d}"
        add(Entity("rt_rw", value, m.start(), m.end()))
    found.sort(key=lambda e: e.start)
    return found


def extract_entities(text: str, *, ticket_prefix: str = DEFAULT_TICKET_PREFIX) -> list[Entity]:
    """All entities in ``text``: the structured ones plus place mentions ("region").

    Never raises on any string; the list is ordered by position.
    """
    from nlu.places import extract_region

    entities = structured_entities(text, ticket_prefix=ticket_prefix)
    _, places = extract_region(text, taken=[(e.start, e.end) for e in entities])
    return sorted([*entities, *places], key=lambda e: e.start)


_MASK_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# NIK: 16 digits, sometimes grouped with spaces, dots or dashes.
_MASK_NIK = re.compile(r"(?<![\d.-])\d(?:[ .-]?\d){15}(?![\d])")
# Indonesian mobile and fixed numbers: 08.., +62 8.., 62 8.., (021) ...; with separators.
_MASK_PHONE = re.compile(
    r"(?<![\w+(])\(?(?:\+62|62|0)[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d){6,11}(?!\d)"
)
_MASK_LONG_DIGITS = re.compile(r"\d{10,}")


def mask_personal_data(text: str) -> str:
    """Hide NIK, phone numbers and e-mail addresses (and any long digit run) in a text.

    Used wherever staff read what citizens wrote outside their own ticket (the NLU
    review queue, training examples).
    """
    text = _MASK_EMAIL.sub("[EMAIL]", text)
    text = _MASK_NIK.sub("[NIK]", text)
    text = _MASK_PHONE.sub("[TELEPON]", text)
    return _MASK_LONG_DIGITS.sub("[ANGKA]", text)
