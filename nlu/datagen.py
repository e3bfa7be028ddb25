"""Generate the shipped training data ``nlu/data/nlu.yml`` from the project's seed sentences.

Run ``python -m nlu.datagen`` after editing :mod:`nlu.datagen_content`. Seeds are
combined with openers, places, durations, details and closings, and a share of
the Indonesian messages is rewritten the way people chat (slang, dropped
punctuation, lower case, stretched letters). Output is deterministic.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from nlu import datagen_content as C
from nlu.places import _NICKNAMES
from nlu.rasa_yaml import NluData, write_nlu_yaml
from nlu.training import SHIPPED_NLU_PATH, TrainingExample

SEED = 20260101

# formal -> informal spellings used to make chat-style variants
_INFORMAL: dict[str, list[str]] = {
    "tidak": ["gak", "ga", "nggak", "tdk", "gk", "enggak"],
    "sudah": ["udah", "udh", "sdh", "dah"],
    "belum": ["blm", "belom"],
    "yang": ["yg"],
    "dengan": ["dgn", "sama"],
    "saya": ["sy", "aku", "gw", "saya"],
    "kami": ["kita", "kami"],
    "karena": ["krn", "karna", "soalnya"],
    "tapi": ["tp", "tpi"],
    "padahal": ["pdhl", "padahal"],
    "sekali": ["banget", "bgt"],
    "sangat": ["banget", "bgt"],
    "bagaimana": ["gimana", "gmn"],
    "kenapa": ["knp", "napa"],
    "tolong": ["tlg", "tolongin", "tolonggg"],
    "mohon": ["mhn", "mohon"],
    "segera": ["cepet", "segera"],
    "sekarang": ["skrg", "skrang"],
    "kemarin": ["kmrn", "kemaren"],
    "untuk": ["utk", "buat"],
    "jalan": ["jln", "jalan"],
    "rumah": ["rmh", "rumah"],
    "juga": ["jg"],
    "saja": ["aja"],
    "lagi": ["lg", "lagi"],
    "kalau": ["kalo", "klo"],
    "sampai": ["sampe", "ampe"],
    "dari": ["dr", "dari"],
    "bisa": ["bs", "bisa"],
    "harus": ["hrs", "harus"],
    "masih": ["msh", "masih"],
    "terima kasih": ["makasih", "mksh", "trims", "thx"],
    "berapa": ["brp", "berapa"],
    "bulan": ["bln", "bulan"],
    "tahun": ["thn", "tahun"],
}
_INFORMAL_RE = re.compile(r"\b(" + "|".join(sorted(_INFORMAL, key=len, reverse=True)) + r")\b")
_CHAT_TAGS = ["", "", " min", " kak", " dong", " nih", " pak", " bu", " pls", " woy", " ya"]


def _informal(text: str, rng: random.Random) -> str:
    """A chat-style rewrite of a formal Indonesian message."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(1)
        return rng.choice(_INFORMAL[word]) if rng.random() < 0.7 else word

    out = _INFORMAL_RE.sub(swap, text)
    if rng.random() < 0.5:
        out = out.lower()
    if rng.random() < 0.5:
        out = out.rstrip(".")
    if rng.random() < 0.3:
        out = out.replace(". ", " ")
    if rng.random() < 0.25:
        out = re.sub(r"\b(\w+)-\1\b", r"\g<1>2", out)
    if rng.random() < 0.2:
        out += rng.choice(["!!", "!!!", "??", " 🙏", " 😡", " huhu"])
    out += rng.choice(_CHAT_TAGS) if rng.random() < 0.4 else ""
    return out


def _place(rng: random.Random) -> str:
    pool = C.PLACES + [k.title() if len(k) > 3 else k.upper() for k, v in _NICKNAMES.items() if v]
    return rng.choice(pool)


def _fill(template: str, rng: random.Random) -> str:
    place = _place(rng)
    gov = rng.choice(["Pemkot", "Pemkab", "Pemda", "Dinas terkait di", "pemerintah"])
    return template.replace("{place_gov}", f"{gov} {place}").replace("{place}", place)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    if text[-1] not in ".?!":
        text += "."
    return text[0].upper() + text[1:]


def _complaint(cat: str, rng: random.Random) -> tuple[str, bool]:
    id_seeds, en_seeds, details = C.COMPLAINTS[cat]
    english = rng.random() < 0.22
    if english:
        core = rng.choice(en_seeds)
        opener = rng.choice(C.OPENERS_EN)
        if rng.random() < 0.4:
            core += " " + _fill(rng.choice(C.LOCATIONS_EN), rng)
        if rng.random() < 0.35:
            core += " " + rng.choice(C.DURATIONS_EN)
        parts = [opener + _sentence(core)]
        en_details = [d for d in details if d.isascii() and d.split()[0] in ("The", "It", "Several",
                      "We", "Other", "My", "Many", "People", "Accidents", "There", "I", "Please")]
        if en_details and rng.random() < 0.4:
            parts.append(_sentence(rng.choice(en_details)))
        parts.append(rng.choice(C.CLOSINGS_EN))
        return _fill(" ".join(p for p in parts if p), rng), True
    core = rng.choice(id_seeds)
    if rng.random() < 0.45:
        core += " " + _fill(rng.choice(C.LOCATIONS_ID), rng)
    if rng.random() < 0.35:
        core += ", " + rng.choice(C.DURATIONS_ID)
    opener = rng.choice(C.OPENERS_ID)
    if opener.endswith(", ") or opener.endswith("bahwa ") or opener.endswith("tapi "):
        first = opener + core[0].lower() + core[1:]
    else:
        first = opener + core
    parts = [_sentence(first)]
    id_details = [d for d in details if not (d.isascii() and d.split()[0] in (
        "The", "It", "Several", "We", "Other", "My", "Many", "People", "Accidents", "There", "I",
        "Please"))]
    if rng.random() < 0.45:
        parts.append(_sentence(rng.choice(id_details)))
    if rng.random() < 0.15:
        other = rng.choice(id_seeds)
        parts.append(_sentence("Selain itu, " + other[0].lower() + other[1:]))
    parts.append(rng.choice(C.CLOSINGS_ID))
    text = _fill(" ".join(p for p in parts if p), rng)
    if rng.random() < 0.35:
        text = _informal(text, rng)
    return text, False


def _aspiration(cat: str, rng: random.Random) -> str:
    id_props, en_props = C.ASPIRATIONS[cat]
    if rng.random() < 0.22:
        frame = rng.choice(C.ASPIRATION_FRAMES_EN)
        text = frame.replace("{p}", rng.choice(en_props))
        reason = rng.choice(C.ASPIRATION_REASONS_EN)
    else:
        frame = rng.choice(C.ASPIRATION_FRAMES_ID)
        text = frame.replace("{p}", rng.choice(id_props))
        reason = rng.choice(C.ASPIRATION_REASONS_ID)
    text = _fill(_sentence(text) + (" " + reason if reason else ""), rng)
    if rng.random() < 0.3 and not text.isascii():
        text = _informal(text, rng)
    elif rng.random() < 0.3:
        text = _informal(text, rng)
    return text


def _ticket(rng: random.Random) -> str:
    prefix = rng.choice(["PTU", "PTU", "PTU", "LPR", "ADU", "SP4N"])
    year = rng.choice([2025, 2026, 2026, 2027])
    number = rng.randint(1, 999_999)
    style = rng.random()
    if style < 0.5:
        return f"{prefix}-{year}-{number:06d}"
    if style < 0.7:
        return f"#{rng.randint(100_000, 999_999)}"
    if style < 0.85:
        return f"{prefix.lower()} {year} {number}"
    return f"{prefix}-{year}-{number}"


def _ticket_status(rng: random.Random) -> str:
    if rng.random() < 0.25:
        template = rng.choice(C.TICKET_STATUS_EN)
        topic = rng.choice(C.TICKET_TOPICS_EN)
    else:
        template = rng.choice(C.TICKET_STATUS_ID)
        topic = rng.choice(C.TICKET_TOPICS_ID)
    text = template.replace("{t}", _ticket(rng)).replace("{topic}", topic)
    if rng.random() < 0.2 and "{place}" not in text:
        text += f" Lokasinya di {_place(rng)}." if not text.isascii() else f" It is in {_place(rng)}."
    if rng.random() < 0.3 and not template.isascii():
        text = _informal(text, rng)
    return text


def _info_request(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        q = rng.choice(C.INFO_REQUESTS[0])
        text = rng.choice(C.INFO_FRAMES_ID).replace("{q}", q[0].lower() + q[1:]
                                                    if rng.random() < 0.5 else q)
    elif roll < 0.65:
        q = rng.choice(C.INFO_PATTERNS_ID).replace("{s}", rng.choice(C.INFO_SERVICES_ID))
        text = rng.choice(C.INFO_FRAMES_ID).replace("{q}", q)
    elif roll < 0.85:
        q = rng.choice(C.INFO_REQUESTS[1])
        text = rng.choice(C.INFO_FRAMES_EN).replace("{q}", q)
    else:
        q = rng.choice(C.INFO_PATTERNS_EN).replace("{s}", rng.choice(C.INFO_SERVICES_EN))
        text = rng.choice(C.INFO_FRAMES_EN).replace("{q}", q)
    if rng.random() < 0.2:
        place = _place(rng)
        text += f" Saya tinggal di {place}." if not text.isascii() else f" I live in {place}."
    if rng.random() < 0.3 and not text.isascii():
        text = _informal(text, rng)
    return text


def _simple(pool: tuple[list[str], list[str]], rng: random.Random, *, chat: bool = True) -> str:
    ids, ens = pool
    text = rng.choice(ens) if rng.random() < 0.25 else rng.choice(ids)
    if chat and not text.isascii() and rng.random() < 0.3:
        text = _informal(text, rng)
    elif chat and rng.random() < 0.15:
        text = text.lower() + rng.choice(["", "!", "..", " 🙏", " 😊"])
    return text


def generate(seed: int = SEED) -> list[TrainingExample]:
    """The full generated training set, deduplicated, in a stable order."""
    rng = random.Random(seed)
    out: list[TrainingExample] = []
    seen: set[str] = set()

    def add(text: str, intent: str, category: str | None = None) -> None:
        text = " ".join(text.split())
        key = text.lower()
        if text and key not in seen:
            seen.add(key)
            out.append(TrainingExample(text, intent, category))

    for cat in C.COMPLAINTS:
        id_seeds, en_seeds, _ = C.COMPLAINTS[cat]
        # every seed once as written, then combined variants
        for s in id_seeds + en_seeds:
            add(_sentence(s), "complaint", cat)
        for _ in range(150):
            text, _english = _complaint(cat, rng)
            add(text, "complaint", cat)
    for cat in C.ASPIRATIONS:
        for _ in range(45):
            add(_aspiration(cat, rng), "aspiration", cat)
    for q in C.INFO_REQUESTS[0] + C.INFO_REQUESTS[1]:
        add(q, "info_request")
    for _ in range(700):
        add(_info_request(rng), "info_request")
    for _ in range(350):
        add(_ticket_status(rng), "ticket_status")
    for pool, intent, n in ((C.HUMAN_AGENT, "human_agent", 160), (C.THANKS, "thanks", 160),
                            (C.GREETS, "greet", 140), (C.OUT_OF_SCOPE, "out_of_scope", 200)):
        for text in pool[0] + pool[1]:
            add(text, intent)
        for _ in range(n):
            add(_simple(pool, rng), intent)
    return out


def lookup_tables() -> dict[str, tuple[str, ...]]:
    """Rasa lookup table of place nicknames (the gazetteer itself lives in nlu.places)."""
    return {"region": tuple(sorted(k for k, v in _NICKNAMES.items() if v))}


REGEXES: dict[str, tuple[str, ...]] = {
    "ticket_number": (r"\b[A-Z]{2,6}-\d{4}-\d{1,6}\b",),
    "nik": (r"\b\d{16}\b",),
    "phone": (r"(\+62|62|0)8\d{7,11}",),
}
SYNONYMS: dict[str, tuple[str, ...]] = {
    "Kota Administrasi Jakarta Selatan": ("jaksel", "south jakarta"),
    "Kota Yogyakarta": ("jogja", "yogya", "jogjakarta"),
    "Kota Bandung": ("bdg", "bandoeng"),
}


def main(argv: list[str] | None = None) -> int:
    """Write the generated data to ``nlu/data/nlu.yml`` (or the path given)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else SHIPPED_NLU_PATH
    examples = generate()
    data = NluData(tuple(examples), SYNONYMS, REGEXES, lookup_tables())
    path.write_text(write_nlu_yaml(data), encoding="utf-8")
    print(f"wrote {len(examples)} examples to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
