"""Place extraction: the province, regency or city a message names or clearly implies.

Every name of ``nlu/data/wilayah`` (38 provinces, 514 regencies/cities, 7,285
districts) plus the project's nicknames and spelling variants ("Jogja", "Jaksel",
"Bdg", "Sumatra", "South Jakarta") goes into one dictionary keyed by lower-case
token sequences, so a message is scanned with a few dict look-ups per token
(longest match first) instead of a regular expression per place. Single-token
misspellings of longer names ("Surabya") are caught with a symmetric-delete map.

Resolution rules (they follow ``shared/eval/README.md``):

* a bare name shared by a city and a regency ("Bandung", "Malang", "Bogor") is the
  *Kota*, unless a cue picks the regency ("Kabupaten", "Kab.", "Pemkab",
  "regency") or a district named in the text belongs to the regency;
* a bare name shared by a province and a city ("Jambi", "Bengkulu") is the city;
  with "Provinsi"/"Prov." it is the province;
* a district resolves to its regency/city when the name is unique in the
  country, or when a regency/province named in the text picks one;
* only a province named -> "Provinsi X"; several different places -> None.

False positives are avoided by treating names that are ordinary words ("Batu",
"Malang", "Padang", "Natal") and all district names as *weak*: they count only
when capitalised in mid-sentence or right after a cue word ("kota", "kecamatan"),
never after a street word ("Jalan Bandung") or a title ("Pak Slamet").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from nlu.types import Entity, Region
from nlu.wilayah import Wilayah, load_wilayah

_DATA = Path(__file__).resolve().parent / "data"
_TOKEN = re.compile(r"[^\W\d_]+")

# Cue words just before a name.
_KOTA_CUES = frozenset({"kota", "pemkot", "kotamadya", "kodya", "walikota", "city", "wali"})
_KAB_CUES = frozenset({"kabupaten", "kab", "pemkab", "bupati", "regency", "kabupatennya"})
_PROV_CUES = frozenset({"provinsi", "prov", "propinsi", "pemprov", "gubernur", "province"})
_DISTRICT_CUES = frozenset({"kecamatan", "kec", "camat", "district", "subdistrict"})
_WEAK_OK_CUES = _KOTA_CUES | _KAB_CUES | _PROV_CUES | _DISTRICT_CUES
# After these the name is a street, a person or a business, not a place mention.
_BLOCKERS = frozenset({
    "jalan", "jl", "jln", "gang", "gg", "lorong", "simpang", "street", "road", "avenue", "st",
    "perumahan", "perum", "komplek", "kompleks", "blok", "gedung", "hotel", "toko", "warung",
    "bank", "nasi", "sate", "soto", "bakso", "rumah", "makan", "restoran",
    "pak", "bu", "bapak", "ibu", "mas", "mbak", "mba", "kak", "bang", "abang", "dik", "adik",
    "mr", "mrs", "ms", "sdr", "saudara", "saudari", "nama", "namanya", "bernama", "dokter", "dr",
    "haji", "hj", "ustadz", "ustad", "kang", "teh", "cak", "bli", "daeng", "om", "tante", "ny",
    "nyonya", "tuan", "nn", "mister", "madam", "miss", "bro", "sis", "kapten", "jenderal",
})
# Words after a name that say which level is meant (English word order).
_KOTA_AFTER = frozenset({"city"})
_KAB_AFTER = frozenset({"regency"})
_PROV_AFTER = frozenset({"province"})

_PREFIXES = ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota ")

# Bare regency/city names that are also ordinary words or common person names.
_WEAK_REGENCY_NAMES = frozenset({
    "batu", "banjar", "buru", "bone", "puncak", "metro", "padang", "kudus", "batang", "pati",
    "bima", "malaka", "belu", "ende", "alor", "sigi", "muna", "landak", "ketapang", "kapuas",
    "tapin", "seram", "aru", "lingga", "karo", "malang", "medan", "tegal", "kota baru", "kotabaru",
    "tanah laut", "tanah datar", "tebing tinggi", "pagar alam", "sungai penuh", "batu bara",
    "lima puluh kota", "empat lawang", "pulang pisau", "gunung mas", "murung raya",
    "pesisir selatan", "pesisir barat", "padang panjang", "tulang bawang", "agam", "solok",
    "serang", "berau", "paser", "rote", "toba", "dairi", "luwu", "poso", "asmat", "natuna",
    "barru", "gowa", "wajo", "maros", "kaur", "lahat", "tuban", "siak", "bangli", "badung",
    "sampang", "bangka", "nias", "buton", "sumba", "sorong", "tual", "ambon", "palu", "kendal",
    "demak", "blora", "solo", "karimun", "bintan", "jember", "garut", "sabang", "langsa", "dompu",
    "mamasa", "majene", "tabalong", "balangan", "sambas", "melawi", "katingan", "seruyan",
    "bungo", "tebo", "kampar", "pelalawan", "merangin", "lebong", "seluma", "mesuji",
    "pringsewu", "ngada", "sikka", "lembata", "kupang", "waropen", "sarmi", "mappi", "keerom",
})

# Project nicknames and variants: alias -> regency/province code.
_NICKNAMES: dict[str, str] = {
    # Jakarta and its cities
    "jakarta": "31", "jkt": "31", "dki": "31", "dki jakarta": "31", "ibukota": "31",
    "jaksel": "31.74", "jakarta sel": "31.74", "south jakarta": "31.74",
    "jakbar": "31.73", "west jakarta": "31.73", "jakpus": "31.71", "central jakarta": "31.71",
    "jaktim": "31.75", "east jakarta": "31.75", "jakut": "31.72", "north jakarta": "31.72",
    "kepulauan seribu": "31.01", "pulau seribu": "31.01",
    "tanah abang": "31.71", "menteng": "31.71", "kebayoran": "31.74", "pasar minggu": "31.74",
    # Yogyakarta
    "jogja": "34.71", "jogjakarta": "34.71", "yogya": "34.71", "yogyakarta": "34.71",
    "djogja": "34.71", "yogja": "34.71", "jogya": "34.71",
    "diy": "34", "di yogyakarta": "34", "d i yogyakarta": "34", "daerah istimewa yogyakarta": "34",
    "special region of yogyakarta": "34",
    # city short forms used in chat
    "bdg": "32.73", "bandoeng": "32.73", "sby": "35.78", "suroboyo": "35.78", "mlg": "35.73",
    "smg": "33.74", "mks": "73.71", "makasar": "73.71", "mdn": "12.71", "plg": "16.71",
    "pku": "14.71", "bpn": "64.71", "smd": "64.72", "bjm": "63.71", "ptk": "61.71",
    "mnd": "71.71", "dps": "51.71", "bks": "32.75", "tng": "36.71", "tangsel": "36.74",
    "solo": "33.72", "surakarta": "33.72", "jogjakarta city": "34.71",
    "bukit tinggi": "13.75", "pangkalpinang": "19.71", "tanjungpinang": "21.72",
    "pematang siantar": "12.72", "siantar": "12.72", "palangka raya": "62.71",
    "pare pare": "73.72", "parepare": "73.72", "baubau": "74.72", "tanjung balai": "12.08",
    "padang sidempuan": "12.77", "lubuklinggau": "16.73", "pagaralam": "16.72",
    "gunung kidul": "34.03", "kulonprogo": "34.01", "kulon progo": "34.01",
    # well-known towns and districts that people use for their regency/city
    "purwokerto": "33.02", "cikarang": "32.16", "cibinong": "32.01", "serpong": "36.74",
    "bsd": "36.74", "ciputat": "36.74", "pamulang": "36.74", "kuta": "51.03", "ubud": "51.04",
    "lembang": "32.17", "soreang": "32.04", "sleman": "34.04", "bantul": "34.02",
    "cileunyi": "32.04", "jatinangor": "32.11", "puncak bogor": "32.01", "cianjur": "32.03",
    "yogyakarta province": "34",
    "jabodetabek": "", "jabotabek": "", "bodetabek": "",
    # province abbreviations
    "jabar": "32", "jateng": "33", "jatim": "35", "kalbar": "61", "kalteng": "62",
    "kalsel": "63", "kaltim": "64", "kaltara": "65", "sumut": "12", "sumbar": "13",
    "sumsel": "16", "sulut": "71", "sulteng": "72", "sulsel": "73", "sultra": "74",
    "sulbar": "76", "ntb": "52", "ntt": "53", "babel": "19", "kepri": "21", "malut": "82",
    "nad": "11", "nanggroe aceh darussalam": "11", "pabar": "92",
    # English province names
    "west java": "32", "central java": "33", "east java": "35", "north sumatra": "12",
    "west sumatra": "13", "south sumatra": "16", "north sulawesi": "71",
    "central sulawesi": "72", "south sulawesi": "73", "southeast sulawesi": "74",
    "west sulawesi": "76", "west kalimantan": "61", "central kalimantan": "62",
    "south kalimantan": "63", "east kalimantan": "64", "north kalimantan": "65",
    "west nusa tenggara": "52", "east nusa tenggara": "53", "north maluku": "82",
    "west papua": "92", "bangka belitung": "19", "riau islands": "21",
    "bangka belitung islands": "19", "jakarta special capital region": "31",
}
_NICKNAMES_VIEW: Mapping[str, str] = MappingProxyType(_NICKNAMES)


@dataclass(frozen=True, slots=True)
class _Target:
    code: str
    level: str  # "province" | "regency" | "district"
    kind: str  # "kota" | "kabupaten" | "province" | "district"
    weak: bool


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    text: str
    targets: list[_Target]
    cue: str | None  # "kota" | "kabupaten" | "province" | "district" | None


@dataclass(frozen=True)
class Gazetteer:
    """The compiled place dictionary (built once per process, read-only)."""

    wilayah: Wilayah
    index: dict[str, tuple[_Target, ...]]
    firsts: frozenset[str]
    max_tokens: int
    deletes: dict[str, frozenset[str]]
    common: frozenset[str]


def nicknames() -> Mapping[str, str]:
    """The project's place nicknames and variants (alias -> code, in their listed order);
    read-only. The training-data generator draws places and Rasa's lookup table from it."""
    return _NICKNAMES_VIEW


def _tokens(text: str) -> list[str]:
    return [m.group(0).lower() for m in _TOKEN.finditer(text)]


def _key(text: str) -> str:
    return " ".join(_tokens(text))


def _base_name(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _load_common_words() -> frozenset[str]:
    """Ordinary Indonesian/English words, so a district that is also a word needs a cue."""
    words: set[str] = set()
    path = _DATA / "places_common_words.txt"
    if path.exists():
        words.update(w.strip() for w in path.read_text(encoding="utf-8").split() if w.strip())
    slang = _DATA / "slang" / "indocollex_informal_formal_dictionary.tsv"
    if slang.exists():
        for line in slang.read_text(encoding="utf-8").splitlines()[1:]:
            informal, _, formal = line.partition("\t")
            words.update(_tokens(informal))
            words.update(_tokens(formal))
    return frozenset(words)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build (once) the place dictionary from the shipped wilayah tables and nicknames."""
    w = load_wilayah()
    common = _load_common_words()
    entries: dict[str, list[_Target]] = {}

    def add(alias: str, target: _Target) -> None:
        key = _key(alias)
        if not key:
            return
        bucket = entries.setdefault(key, [])
        if all(t.code != target.code for t in bucket):
            bucket.append(target)

    for p in w.provinces.values():
        target = _Target(p.code, "province", "province", False)
        names = {p.name, p.name.replace("Sumatera", "Sumatra")}
        for name in names:
            add(name, target)
    for r in w.regencies.values():
        base = _base_name(r.name)
        variants = {base, base.replace("Kep. ", "Kepulauan ")}
        toks = _tokens(base)
        if len(toks) > 1:
            variants.add("".join(toks))
        for v in variants:
            key = _key(v)
            weak = key in _WEAK_REGENCY_NAMES
            add(v, _Target(r.code, "regency", r.kind, weak))
    regency_keys = set(entries)
    for code, alias in ((c, a) for a, c in _NICKNAMES.items()):
        if not code:
            entries[_key(alias)] = []  # a known name for a region too wide to resolve
            continue
        level = w.level(code) or "regency"
        kind = "province" if level == "province" else w.regencies[code].kind
        weak = _key(alias) in _WEAK_REGENCY_NAMES or (
            _key(alias) in regency_keys and any(t.weak for t in entries[_key(alias)]))
        add(alias, _Target(code, level, kind, weak))
    for d in w.districts.values():
        key = _key(d.name)
        if key in entries and any(t.level != "district" for t in entries[key]):
            continue  # a regency/province name wins over a district of the same name
        head, _, rest = key.partition(" ")
        if head in _WEAK_OK_CUES and rest in regency_keys:
            continue  # "Kota Padang" the district would shadow "Kota Padang" the city
        add(d.name, _Target(d.code, "district", "district", True))

    index = {k: tuple(v) for k, v in entries.items()}
    deletes: dict[str, set[str]] = {}
    for key, targets in index.items():
        if " " in key or len(key) < 6 or not targets:
            continue
        if any(t.level == "district" or t.weak for t in targets):
            continue
        deletes.setdefault(key, set()).add(key)
        for variant in _deletions(key):
            deletes.setdefault(variant, set()).add(key)
    return Gazetteer(
        wilayah=w,
        index=index,
        firsts=frozenset(k.split(" ", 1)[0] for k in index),
        max_tokens=max(len(k.split()) for k in index),
        deletes={k: frozenset(v) for k, v in deletes.items()},
        common=common,
    )


def _fuzzy(g: Gazetteer, token: str) -> str | None:
    """The one place key within one edit of ``token`` (same first letter), else None."""
    hits: set[str] = set(g.deletes.get(token, ()))
    for d in _deletions(token):
        hits.update(k for k in g.deletes.get(d, ()) if abs(len(k) - len(token)) <= 1)
    hits = {h for h in hits if h[0] == token[0]}
    return next(iter(hits)) if len(hits) == 1 else None


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'(“‘*-":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;"


def _name_runs(text: str, spans: Sequence[tuple[int, int, str]], lowers: Sequence[str],
               all_caps: bool) -> list[bool]:
    """For each token: is it inside a street's or person's name? Capitalised words right
    after a street word or a title ("Jalan Garuda Sakti", "Pak Slamet Riyadi") are that
    name, not places."""
    in_name_run = [False] * len(spans)
    run = False
    for j, (s0, _e0, orig) in enumerate(spans):
        if lowers[j] in _BLOCKERS:
            run = True
            continue
        joined = j > 0 and text[spans[j - 1][1]:s0].strip(" .") == ""
        run = run and joined and orig[:1].isupper() and not all_caps
        in_name_run[j] = run
    return in_name_run


def _match_at(i: int, spans: Sequence[tuple[int, int, str]], lowers: Sequence[str],
              g: Gazetteer) -> tuple[int, tuple[_Target, ...]]:
    """The longest gazetteer entry starting at token ``i`` as (its length in tokens, its
    targets), else a fuzzy fix of a long capitalised token; (0, ()) when nothing matches."""
    tok = lowers[i]
    n = len(spans)
    if tok in g.firsts:
        for length in range(min(g.max_tokens, n - i), 0, -1):
            key = tok if length == 1 else " ".join(lowers[i:i + length])
            found = g.index.get(key)
            if found is not None:
                return length, found
    if len(tok) >= 6 and tok not in g.common and spans[i][2][0].isupper():
        fixed = _fuzzy(g, tok)
        if fixed is not None:
            return 1, g.index[fixed]
    return 0, ()


def _cue(prev: str, nxt: str) -> str | None:
    """The kind of place a cue word before (or, failing that, after) a name asks for."""
    if prev in _KOTA_CUES:
        return "kota"
    if prev in _KAB_CUES:
        return "kabupaten"
    if prev in _PROV_CUES:
        return "province"
    if prev in _DISTRICT_CUES:
        return "district"
    if nxt in _KOTA_AFTER:
        return "kota"
    if nxt in _KAB_AFTER:
        return "kabupaten"
    if nxt in _PROV_AFTER:
        return "province"
    return None


def _kept_targets(targets: Sequence[_Target], *, cue: str | None, capitalised: bool,
                  common: bool, multi_token: bool) -> list[_Target]:
    """The targets of one match that count: a district needs its cue or a capitalised,
    not-ordinary name (or several tokens); a weak name needs a cue or capitals."""
    kept: list[_Target] = []
    for t in targets:
        if t.level == "district":
            if cue == "district" or (capitalised and (multi_token or not common)):
                kept.append(t)
        elif t.weak:
            if cue is not None or capitalised:
                kept.append(t)
        else:
            kept.append(t)
    return kept


def _find_mentions(text: str, g: Gazetteer, taken: Sequence[tuple[int, int]]) -> list[_Mention]:
    spans = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    lowers = [s[2].lower() for s in spans]
    all_caps = text.upper() == text
    in_name_run = _name_runs(text, spans, lowers, all_caps)
    mentions: list[_Mention] = []
    i = 0
    n = len(spans)
    while i < n:
        if taken and any(s <= spans[i][0] < e for s, e in taken):
            i += 1
            continue
        match_len, targets = _match_at(i, spans, lowers, g)
        if not match_len:
            i += 1
            continue
        prev = lowers[i - 1] if i > 0 else ""
        cue = _cue(prev, lowers[i + match_len] if i + match_len < n else "")
        start, end = spans[i][0], spans[i + match_len - 1][1]
        surface = text[start:end]
        common = surface.lower() in g.common or surface.lower() in _WEAK_REGENCY_NAMES
        # Capitalisation says "name" except at a sentence start (or in all-caps text),
        # where an ordinary word also starts upper case: there it counts only when the
        # name stands alone ("Medan." / "Medan, 5 Mei") rather than in a phrase.
        ambiguous_case = all_caps or _sentence_initial(text, start)
        stands_alone = not text[end:].lstrip(" ")[:1].isalnum()
        capitalised = surface[:1].isupper() and (
            not common or not ambiguous_case or stands_alone
        )
        blocked = (prev in _BLOCKERS or in_name_run[i]) and cue is None
        kept = [] if blocked else _kept_targets(
            targets, cue=cue, capitalised=capitalised, common=common, multi_token=match_len > 1)
        if kept or not targets:
            mentions.append(_Mention(start, end, surface, kept, cue))
        i += match_len
    return mentions


def _pick(mention: _Mention) -> list[_Target]:
    """The targets a mention can mean once its cue is applied."""
    ts = mention.targets
    if mention.cue == "district":
        ds = [t for t in ts if t.level == "district"]
        if ds:
            return ds
    if mention.cue in ("kota", "kabupaten"):
        chosen = [t for t in ts if t.kind == mention.cue]
        if chosen:
            return chosen
    if mention.cue == "province":
        chosen = [t for t in ts if t.level == "province"]
        if chosen:
            return chosen
    non_district = [t for t in ts if t.level != "district"]
    return non_district or list(ts)


def _resolve(mentions: Iterable[_Mention], w: Wilayah) -> str | None:
    regency_sets: list[set[str]] = []  # per mention: regencies it may mean
    kota_default: list[str | None] = []
    district_sets: list[set[str]] = []
    provinces: set[str] = set()
    wide = False
    for m in mentions:
        if not m.targets:
            wide = True
            continue
        ts = _pick(m)
        levels = {t.level for t in ts}
        if levels == {"district"}:
            district_sets.append({t.code.rsplit(".", 1)[0] for t in ts})
            continue
        regs = {t.code for t in ts if t.level == "regency"}
        provs = {t.code for t in ts if t.level == "province"}
        if regs and (not provs or m.cue != "province"):
            regency_sets.append(regs)
            kotas = [c for c in regs if w.regencies[c].kind == "kota"]
            kota_default.append(kotas[0] if len(kotas) == 1 else None)
        elif provs:
            provinces.update(provs)

    district_regs: set[str] = set().union(*district_sets) if district_sets else set()
    chosen: set[str] = set()
    for regs, kota in zip(regency_sets, kota_default, strict=True):
        if len(regs) == 1:
            chosen.update(regs)
            continue
        # A bare name shared by a Kota and a Kabupaten: a district of one of them decides,
        # then another mention of the same name, else the Kota.
        by_district = regs & district_regs
        if len(by_district) == 1:
            chosen.update(by_district)
        else:
            chosen.add(kota or sorted(regs)[0])
    # Mentions of the same name in both forms ("Kabupaten Bandung ... Bandung") are one place.
    if len(chosen) > 1:
        explicit = {next(iter(r)) for r in regency_sets if len(r) == 1}
        merged = {c for c in chosen if c in explicit or not any(
            c in r and len(r) > 1 and (r & explicit) for r in regency_sets)}
        chosen = merged or chosen
    if len(chosen) == 1:
        return next(iter(chosen))
    if len(chosen) > 1:
        inside = {c for c in chosen if provinces and w.regencies[c].province_code in provinces}
        return next(iter(inside)) if len(inside) == 1 else None
    if district_sets:
        candidates = set.intersection(*district_sets)
        if provinces:
            candidates = {c for c in candidates if w.regencies[c].province_code in provinces}
        if len(candidates) == 1:
            return next(iter(candidates))
        return None
    if len(provinces) == 1 and not wide:
        return next(iter(provinces))
    return None


def extract_region(
    text: str, *, taken: Sequence[tuple[int, int]] = ()
) -> tuple[Region | None, list[Entity]]:
    """The place ``text`` names: the resolved :class:`Region` (or None) and one "region"
    entity per place mention that is unambiguous on its own.

    ``taken`` are character spans already claimed by other entities (a URL, say).
    Never raises on any string.
    """
    if not text:
        return None, []
    g = gazetteer()
    w = g.wilayah
    mentions = _find_mentions(text, g, taken)
    if not mentions:
        return None, []
    code = _resolve(mentions, w)
    entities: list[Entity] = []
    for m in mentions:
        own = _resolve([m], w)
        if own is None:
            continue
        region = w.region(own)
        entities.append(
            Entity("region", region.canonical_name, m.start, m.end, confidence=1.0 if not any(
                t.weak for t in m.targets) else 0.8,
                extra={"code": own, "level": region.level, "text": m.text})
        )
    return (w.region(code) if code else None), entities


def resolve_name(name: str) -> Region | None:
    """The region a free-text place name means ("Jaksel", "Kab. Bandung"), or None."""
    region, _ = extract_region(name if name[:1].isupper() else name.title())
    return region
