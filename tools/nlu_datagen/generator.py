"""Generate the shipped training data ``nlu/data/nlu.yml`` (and its seed groups,
``nlu/data/nlu_groups.tsv``) from the project's seed sentences.

Run ``python -m tools.nlu_datagen`` after editing the seed lists
(:mod:`tools.nlu_datagen.content`, :mod:`~tools.nlu_datagen.more`,
:mod:`~tools.nlu_datagen.contrast`, the long reports of
:mod:`~tools.nlu_datagen.reports` and the forms of address of every intent in
:mod:`~tools.nlu_datagen.courtesy`). This is a development tool: the runtime
package ``nlu`` ships only its output and never imports it. Seeds are
combined with openers, places, durations, details and closings, and a share of
the Indonesian messages is rewritten the way people chat (slang, dropped
punctuation, lower case, stretched letters). Output is deterministic.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
from pathlib import Path
from typing import Any

from nlu.examples import TrainingExample
from nlu.places import nicknames
from nlu.rasa_yaml import NluData, write_nlu_yaml
from nlu.training import SHIPPED_NLU_PATH, text_key
from tools.nlu_datagen import content as C
from tools.nlu_datagen import contrast as X
from tools.nlu_datagen import courtesy as Q
from tools.nlu_datagen import more as M
from tools.nlu_datagen import reports as R

SEED = 20260101

COMPLAINTS = {
    cat: (ids + M.MORE_COMPLAINTS[cat][0] + M.EXTRA_COMPLAINTS.get(cat, ([], []))[0],
          ens + M.MORE_COMPLAINTS[cat][1] + M.EXTRA_COMPLAINTS.get(cat, ([], []))[1],
          det + M.MORE_COMPLAINTS[cat][2])
    for cat, (ids, ens, det) in C.COMPLAINTS.items()
}
ASPIRATIONS = {
    cat: (ids + M.MORE_ASPIRATIONS[cat][0], ens + M.MORE_ASPIRATIONS[cat][1])
    for cat, (ids, ens) in C.ASPIRATIONS.items()
}
ASPIRATION_FRAMES_ID = C.ASPIRATION_FRAMES_ID + M.MORE_ASPIRATION_FRAMES_ID
INFO_ID = C.INFO_REQUESTS[0] + M.INFO_MORE_ID
INFO_EN = C.INFO_REQUESTS[1] + M.INFO_MORE_EN
TICKET_ID = C.TICKET_STATUS_ID + M.TICKET_MORE_ID
TICKET_EN = C.TICKET_STATUS_EN + M.TICKET_MORE_EN

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
    pool = C.PLACES + [k.title() if len(k) > 3 else k.upper()
                       for k, v in nicknames().items() if v]
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


def _complaint(cat: str, rng: random.Random,
               seeds: tuple[list[str], list[str]] | None = None) -> tuple[str, str]:
    """A complaint built around one seed sentence (of ``seeds``, default the category's);
    returns (text, the seed)."""
    id_seeds, en_seeds, details = COMPLAINTS[cat]
    if seeds is not None:
        id_seeds, en_seeds = seeds
    english = rng.random() < 0.22
    if english:
        core = seed = rng.choice(en_seeds)
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
        if rng.random() < 0.3:
            parts.insert(rng.randint(1, len(parts)), rng.choice(M.NEUTRAL_CONTEXT_EN))
        parts.append(rng.choice(C.CLOSINGS_EN))
        return _fill(" ".join(p for p in parts if p), rng), seed
    core = seed = rng.choice(id_seeds)
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
    if rng.random() < 0.3:
        parts.insert(rng.randint(0, len(parts)), rng.choice(M.NEUTRAL_CONTEXT_ID))
    if rng.random() < 0.15:
        other = rng.choice(id_seeds)
        parts.append(_sentence("Selain itu, " + other[0].lower() + other[1:]))
    parts.append(rng.choice(C.CLOSINGS_ID))
    text = _fill(" ".join(p for p in parts if p), rng)
    if rng.random() < 0.35:
        text = _informal(text, rng)
    return text, seed


def _topic_complaint(cat: str, rng: random.Random) -> tuple[str, str]:
    """A complaint naming only the topic noun; returns (text, the noun)."""
    id_nouns, en_nouns = M.TOPIC_NOUNS[cat]
    details = COMPLAINTS[cat][2]
    if rng.random() < 0.25:
        template = rng.choice(M.TOPIC_TEMPLATES_EN)
        noun = rng.choice(en_nouns)
        text = template.replace("{n}", noun)
        text = text.replace("{loc}", _fill(rng.choice(C.LOCATIONS_EN), rng)[3:])
        text = text.replace("{dur}", rng.choice(C.DURATIONS_EN))
        return text, noun
    noun = rng.choice(id_nouns)
    text = rng.choice(M.TOPIC_TEMPLATES_ID)
    text = text.replace("{N}", noun[0].upper() + noun[1:]).replace("{n}", noun)
    text = text.replace("{loc}", _fill(rng.choice(C.LOCATIONS_ID), rng)[3:])
    text = text.replace("{dur}", rng.choice(C.DURATIONS_ID)).replace("{d}", rng.choice(details))
    return (_informal(text, rng) if rng.random() < 0.3 else text), noun


def _aspiration(cat: str, rng: random.Random) -> tuple[str, str]:
    """A proposal in a frame; returns (text, the proposal)."""
    id_props, en_props = ASPIRATIONS[cat]
    if rng.random() < 0.22:
        frame = rng.choice(C.ASPIRATION_FRAMES_EN)
        prop = seed = rng.choice(en_props)
        if rng.random() < 0.3 and "{p}." in frame:
            prop += ", " + rng.choice(M.ASPIRATION_PURPOSES_EN)
        text = frame.replace("{p}", prop)
        reason = rng.choice(C.ASPIRATION_REASONS_EN)
    else:
        frame = rng.choice(ASPIRATION_FRAMES_ID)
        prop = seed = rng.choice(id_props)
        if rng.random() < 0.35 and "{p}." in frame:
            prop += ", " + rng.choice(M.ASPIRATION_PURPOSES_ID)
        text = frame.replace("{p}", prop)
        reason = rng.choice(C.ASPIRATION_REASONS_ID)
    text = _fill(_sentence(text) + (" " + reason if reason else ""), rng)
    if (rng.random() < 0.3 and not text.isascii()) or rng.random() < 0.3:
        text = _informal(text, rng)
    return text, seed


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


def _nik(rng: random.Random) -> str:
    province = rng.choice(["32", "33", "35", "64", "73", "12", "51"])
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    return (f"{province}{rng.randint(1, 79):02d}{rng.randint(1, 30):02d}{day:02d}"
            f"{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}{rng.randint(1, 999):04d}")


def _compose(parts: list[list[str]], rng: random.Random, sep: str = " ") -> str:
    chosen = [rng.choice(p) for p in parts]
    return sep.join(c for c in chosen if c).strip()


def _human(rng: random.Random) -> tuple[str, str]:
    """A reason plus a request for a person; returns (text, the reason)."""
    if rng.random() < 0.25:
        text = _compose([M.HUMAN_REASONS_EN, M.HUMAN_REQUESTS_EN], rng)
        return text, next((r for r in M.HUMAN_REASONS_EN if r and text.startswith(r)), text)
    text = _compose([M.HUMAN_REASONS_ID, M.HUMAN_REQUESTS_ID], rng)
    key = next((r for r in M.HUMAN_REASONS_ID if r and text.startswith(r)), text)
    return (_informal(text, rng) if rng.random() < 0.3 else text), key


def _thanks(rng: random.Random) -> tuple[str, str]:
    """A thank-you / goodbye; returns (text, its closing phrase)."""
    if rng.random() < 0.25:
        ack, close = rng.choice(M.THANKS_ACK_EN), rng.choice(M.THANKS_CLOSE_EN)
        wish = rng.choice(M.THANKS_WISH_EN)
    else:
        ack, close = rng.choice(M.THANKS_ACK_ID), rng.choice(M.THANKS_CLOSE_ID)
        wish = rng.choice(M.THANKS_WISH_ID)
    head = f"{ack}, {close}" if ack else close[0].upper() + close[1:]
    text = f"{head}. {wish}".strip()
    return (_informal(text, rng) if rng.random() < 0.25 and not text.isascii() else text), close


def _greet(rng: random.Random) -> tuple[str, str]:
    """A greeting; returns (text, its salutation)."""
    if rng.random() < 0.25:
        salute, tail = rng.choice(M.GREET_EN), rng.choice(M.GREET_TAIL_EN)
        address = rng.choice(["", "", "admin", "team", "everyone"])
    else:
        salute, tail = rng.choice(M.GREET_SALUTE_ID), rng.choice(M.GREET_TAIL_ID)
        address = rng.choice(M.GREET_ADDRESS_ID)
    text = f"{salute}, {address}." if address else f"{salute}."
    text = f"{text} {tail}".strip()
    return (text.lower() if rng.random() < 0.2 else text), salute


def _oos(rng: random.Random) -> tuple[str, str]:
    """An out-of-scope message; returns (text, its request)."""
    roll = rng.random()
    if roll < 0.35:
        verb = rng.choice(M.OOS_VERBS_ID)
        obj = rng.choice(M.OOS_OBJECTS_ID)
        text = f"{verb} {obj}"
        text += rng.choice(["", " dong", " ya", " min", "?"])
        return text, obj
    if roll < 0.75:
        text = rng.choice(M.OOS_MISC_ID + C.OUT_OF_SCOPE[0])
    else:
        text = rng.choice(M.OOS_EN + C.OUT_OF_SCOPE[1])
    return text, text


def _ticket_status(rng: random.Random) -> tuple[str, str]:
    """A status question; returns (text, its template)."""
    if rng.random() < 0.25:
        template = rng.choice(TICKET_EN)
        topic = rng.choice(C.TICKET_TOPICS_EN)
    else:
        template = rng.choice(TICKET_ID)
        topic = rng.choice(C.TICKET_TOPICS_ID)
    text = template.replace("{t}", _ticket(rng)).replace("{topic}", topic)
    text = text.replace("{nik}", _nik(rng))
    if rng.random() < 0.2 and "{place}" not in text:
        place = _place(rng)
        text += f" It is in {place}." if text.isascii() else f" Lokasinya di {place}."
    if rng.random() < 0.3 and not template.isascii():
        text = _informal(text, rng)
    return text, template


def _info_request(rng: random.Random) -> tuple[str, str]:
    """A question about a service; returns (text, the question or the service asked about)."""
    roll = rng.random()
    if roll < 0.4:
        q = key = rng.choice(INFO_ID)
        text = rng.choice(C.INFO_FRAMES_ID).replace("{q}", q[0].lower() + q[1:]
                                                    if rng.random() < 0.5 else q)
    elif roll < 0.65:
        pattern = rng.choice(C.INFO_PATTERNS_ID)
        key = rng.choice(C.INFO_SERVICES_ID)
        text = rng.choice(C.INFO_FRAMES_ID).replace("{q}", pattern.replace("{s}", key))
    elif roll < 0.85:
        q = key = rng.choice(INFO_EN)
        text = rng.choice(C.INFO_FRAMES_EN).replace("{q}", q)
    else:
        pattern = rng.choice(C.INFO_PATTERNS_EN)
        key = rng.choice(C.INFO_SERVICES_EN)
        text = rng.choice(C.INFO_FRAMES_EN).replace("{q}", pattern.replace("{s}", key))
    if rng.random() < 0.2:
        place = _place(rng)
        text += f" Saya tinggal di {place}." if not text.isascii() else f" I live in {place}."
    if rng.random() < 0.3 and not text.isascii():
        text = _informal(text, rng)
    return text, key


def _simple(pool: tuple[list[str], list[str]], rng: random.Random, *, chat: bool = True
            ) -> tuple[str, str]:
    """One pool sentence, maybe chat-styled; returns (text, the sentence)."""
    ids, ens = pool
    text = key = rng.choice(ens) if rng.random() < 0.25 else rng.choice(ids)
    if chat and not text.isascii() and rng.random() < 0.3:
        text = _informal(text, rng)
    elif chat and rng.random() < 0.15:
        text = text.lower() + rng.choice(["", "!", "..", " 🙏", " 😊"])
    return text, key


def group_id(intent: str, category: str | None, key: str) -> str:
    """The calibration group of a generated example: its intent, category and a short hash
    of the seed it was built from (every variant of one seed shares it)."""
    digest = hashlib.sha1(key.strip().lower().encode()).hexdigest()[:8]
    return f"{intent}/{category or '-'}/{digest}"


def generate_grouped(seed: int = SEED) -> list[tuple[TrainingExample, str]]:
    """The full generated training set with each example's seed group (:func:`group_id`),
    deduplicated, in a stable order."""
    rng = random.Random(seed)
    out: list[tuple[TrainingExample, str]] = []
    seen: set[str] = set()

    def add(item: str | tuple[str, str], intent: str, category: str | None = None) -> None:
        text, key = (item, item) if isinstance(item, str) else item
        text = " ".join(text.split())
        if text and text.lower() not in seen:
            seen.add(text.lower())
            out.append((TrainingExample(text, intent, category), group_id(intent, category, key)))

    for cat in COMPLAINTS:
        id_seeds, en_seeds, _ = COMPLAINTS[cat]
        # every seed once as written, then combined variants
        for s in id_seeds + en_seeds:
            add((_sentence(s), s), "complaint", cat)
        for _ in range(150):
            add(_complaint(cat, rng), "complaint", cat)
        for _ in range(30):
            add(_topic_complaint(cat, rng), "complaint", cat)
    for cat in ASPIRATIONS:
        for _ in range(70):
            add(_aspiration(cat, rng), "aspiration", cat)
    for q in INFO_ID + INFO_EN:
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
    for text in M.THANKS_MORE:
        add(text, "thanks")
        add((_informal(text, rng), text), "thanks")
    for text in M.GREET_MORE:
        add(text, "greet")
        add((text.lower(), text), "greet")
    for _ in range(250):
        add(_human(rng), "human_agent")
        add(_thanks(rng), "thanks")
        add(_greet(rng), "greet")
        add(_oos(rng), "out_of_scope")
    _contrast(add, seed)
    R.add_reports(add, COMPLAINTS, ASPIRATIONS, INFO_ID, seed)
    Q.add_courtesy(add, COMPLAINTS, ASPIRATIONS, INFO_ID, TICKET_ID, seed)
    return out


def _two_topics(rng: random.Random) -> tuple[str, str, str]:
    """A complaint about one topic with a lesser second topic of another category added;
    returns (text, the first category, its seed)."""
    first, second = rng.sample([c for c in COMPLAINTS if c != "other"], 2)
    english = rng.random() < 0.2
    pick = 1 if english else 0
    seed = rng.choice(COMPLAINTS[first][pick])
    other = rng.choice(COMPLAINTS[second][pick])
    connector = rng.choice(X.SECOND_TOPIC_EN if english else X.SECOND_TOPIC_ID)
    text = f"{_sentence(seed)} {connector}{other[0].lower()}{other[1:]}."
    if not english and rng.random() < 0.35:
        text = _informal(text, rng)
    return text, first, seed


def _contrast(add: Any, seed: int) -> None:
    """The contrast seeds (:mod:`tools.nlu_datagen.contrast`) and two-topic complaints, on a
    random stream of their own so the older examples stay as they were."""
    rng = random.Random(seed + 1)
    for cat, (ids, ens) in X.CONTRAST_COMPLAINTS.items():
        for s in ids + ens:
            add((_sentence(s), s), "complaint", cat)
        for _ in range(4 * len(ids + ens)):
            add(_complaint(cat, rng, (ids, ens)), "complaint", cat)
    for _ in range(300):
        text, cat, key = _two_topics(rng)
        add((text, key), "complaint", cat)


def generate(seed: int = SEED) -> list[TrainingExample]:
    """The full generated training set, deduplicated, in a stable order."""
    return [ex for ex, _group in generate_grouped(seed)]


def lookup_tables() -> dict[str, tuple[str, ...]]:
    """Rasa lookup table of place nicknames (the gazetteer itself lives in nlu.places)."""
    return {"region": tuple(sorted(k for k, v in nicknames().items() if v))}


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
    grouped = generate_grouped()
    examples = [ex for ex, _group in grouped]
    data = NluData(tuple(examples), SYNONYMS, REGEXES, lookup_tables())
    path.write_text(write_nlu_yaml(data), encoding="utf-8")
    groups_path = path.with_name(path.stem + "_groups.tsv")
    lines = [f"# seed group of each example in {path.name} (text key\tgroup), "
             "written by python -m tools.nlu_datagen"]
    lines.extend(sorted(f"{text_key(ex.text)}\t{group}" for ex, group in grouped))
    groups_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(examples)} examples to {path} "
          f"({len({g for _, g in grouped})} seed groups in {groups_path.name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
