"""Text normalisation before features.

Steps: Unicode NFKC; URLs, e-mail, ticket numbers, NIK, phone numbers, money
and other numbers become placeholders (``<url>``, ``<email>``, ``<ticket>``,
``<nik>``, ``<phone>``, ``<money>``, ``<num>``); emoji become ``<emoji>``;
lower case; Indonesian reduplication with "2" ("bolong2") is spelled out;
runs of a repeated letter shrink ("tolonggg" -> "tolong", "maaaf" -> "maaf");
informal words become formal ones, from the IndoCollex lexicon
(``nlu/data/slang``, English words left alone) plus the project's own list.

The output is space-separated tokens; "?" and "!" are kept as tokens because
they carry intent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from nlu.entities import structured_entities
from nlu.types import Entity

_SLANG_DIR = Path(__file__).resolve().parent / "data" / "slang"

_PLACEHOLDER = {
    "url": "<url>",
    "email": "<email>",
    "ticket_number": "<ticket>",
    "ticket_ref": "<ticket>",
    "nik": "<nik>",
    "phone": "<phone>",
    "region": "<place>",
}
_MONEY = re.compile(
    r"(?i)\b(?:rp\.?|idr)\s?\d[\d.,]*(?:\s?(?:ribu|rb|juta|jt|k|m|miliar|million|thousand))?"
    r"|\b\d[\d.,]*\s?(?:ribu|rb|rebu|juta|jt|jeti|k|miliar|million|thousand|rupiah)\b"
)
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_REDUP = re.compile(r"\b([^\W\d_]{2,})2\b")
_WORD = re.compile(r"<[a-z]+>|[^\W\d_]+|[?!]")
_REPEAT3 = re.compile(r"([^\W\d_])\1{2,}")

# Common English words the Indonesian lexicon would otherwise "translate".
_ENGLISH_KEEP = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "but", "not", "no", "yes", "is", "are", "was", "were", "be", "been", "am", "it", "its", "this",
    "that", "these", "those", "i", "you", "he", "she", "we", "they", "me", "my", "your", "our",
    "their", "his", "her", "them", "us", "do", "does", "did", "have", "has", "had", "will",
    "would", "can", "could", "should", "may", "might", "must", "please", "thanks", "thank", "ok",
    "okay", "hi", "hello", "bye", "sorry", "help", "call", "staff", "admin", "online", "offline",
    "info", "update", "status", "report", "ticket", "problem", "issue", "water", "road", "bill",
    "card", "school", "hospital", "police", "fire", "flood", "street", "light", "power", "service",
    "office", "city", "village", "sir", "madam", "so", "very", "too", "just", "still", "already",
    "yet", "now", "then", "there", "here", "what", "when", "where", "why", "how", "who", "which",
    "as", "if", "than", "about", "after", "before", "into", "over", "under", "up", "down", "out",
    "off", "again", "more", "most", "some", "any", "all", "each", "both", "few", "many", "much",
    "such", "only", "own", "same", "other", "another", "one", "two", "three", "time", "day",
    "week", "month", "year", "brothers", "items", "attending", "introducing", "italian",
})

# The project's own informal -> formal additions (chat Indonesian, public-service shorthand).
_PROJECT_SLANG: dict[str, str] = {
    "gak": "tidak", "ga": "tidak", "gk": "tidak", "ngga": "tidak", "nggak": "tidak",
    "enggak": "tidak", "engga": "tidak", "kagak": "tidak", "tak": "tidak", "ndak": "tidak",
    "nda": "tidak", "gaada": "tidak ada", "gada": "tidak ada", "tdk": "tidak",
    "udah": "sudah", "udh": "sudah", "dah": "sudah", "sdh": "sudah", "sudh": "sudah",
    "blm": "belum", "blom": "belum", "belom": "belum", "lom": "belum",
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "sy": "saya", "aq": "aku", "gw": "saya",
    "gue": "saya", "gua": "saya", "ane": "saya", "sya": "saya", "km": "kamu", "lu": "kamu",
    "lo": "kamu", "elu": "kamu", "klo": "kalau", "kalo": "kalau", "kl": "kalau", "kalok": "kalau",
    "krn": "karena", "karna": "karena", "coz": "karena", "tp": "tapi", "tpi": "tapi",
    "trs": "terus", "trus": "terus", "jg": "juga", "jga": "juga", "aja": "saja", "aj": "saja",
    "doang": "saja", "bgt": "sangat", "banget": "sangat", "bngt": "sangat", "bener": "benar",
    "bnr": "benar", "gmn": "bagaimana", "gimana": "bagaimana", "gmana": "bagaimana",
    "gimna": "bagaimana", "knp": "kenapa", "napa": "kenapa", "ngapa": "kenapa",
    "brp": "berapa", "berapaan": "berapa", "dmn": "dimana", "dmana": "dimana",
    "kpn": "kapan", "kapn": "kapan", "sm": "sama", "ama": "sama", "sampe": "sampai",
    "ampe": "sampai", "smp": "smp", "tlg": "tolong", "tolongin": "tolong", "plis": "tolong",
    "pls": "please", "plz": "please", "mksh": "terima kasih", "makasih": "terima kasih",
    "makasi": "terima kasih", "mkasih": "terima kasih", "trims": "terima kasih",
    "trimakasih": "terima kasih", "terimakasih": "terima kasih", "tq": "terima kasih",
    "thx": "thanks", "tks": "terima kasih", "tengkyu": "terima kasih", "nuhun": "terima kasih",
    "maturnuwun": "terima kasih", "suwun": "terima kasih", "jln": "jalan", "jl": "jalan",
    "jalanan": "jalan", "lampu2": "lampu", "rmh": "rumah", "rumh": "rumah", "skrg": "sekarang",
    "skrang": "sekarang", "sekarng": "sekarang", "kmrn": "kemarin", "kemaren": "kemarin",
    "kmarin": "kemarin", "bsk": "besok", "besuk": "besok", "hr": "hari", "bln": "bulan",
    "thn": "tahun", "mgg": "minggu", "mingguan": "minggu", "jam2": "jam", "lg": "lagi",
    "lgi": "lagi", "mau": "mau", "mo": "mau", "pengen": "ingin", "pingin": "ingin",
    "pgn": "ingin", "pengin": "ingin", "bs": "bisa", "bsa": "bisa", "gbs": "tidak bisa",
    "gabisa": "tidak bisa", "gakbisa": "tidak bisa", "ato": "atau", "atw": "atau",
    "utk": "untuk", "untk": "untuk", "dr": "dari", "dri": "dari",
    "pd": "pada", "dlm": "dalam", "spt": "seperti", "kyk": "seperti", "kayak": "seperti",
    "gitu": "begitu", "gt": "begitu", "gini": "begini", "emg": "memang",
    "emang": "memang", "mmg": "memang", "bgmn": "bagaimana", "tau": "tahu", "tw": "tahu",
    "gatau": "tidak tahu", "ngerti": "mengerti", "liat": "lihat", "ngeliat": "melihat",
    "ngurus": "mengurus", "ngurusin": "mengurus", "bikin": "membuat", "bkin": "membuat",
    "dibikin": "dibuat", "nanya": "bertanya", "tanya2": "tanya", "nunggu": "menunggu",
    "nungguin": "menunggu", "ditungguin": "ditunggu", "dateng": "datang", "dtg": "datang",
    "pake": "pakai", "mati2": "mati", "nyala": "menyala", "idup": "hidup",
    "byr": "bayar", "bayarin": "bayar", "duit": "uang", "gaji": "gaji", "gajian": "gaji",
    "mampet": "mampat", "bocor": "bocor", "ancur": "hancur", "rusak2": "rusak",
    "berlubang": "berlubang", "bolong": "berlubang", "lobang": "lubang", "lubang2": "lubang",
    "ortu": "orang tua", "bokap": "ayah", "nyokap": "ibu", "anak2": "anak", "warga2": "warga",
    "org": "orang", "orng": "orang", "pemda": "pemerintah daerah", "pemkot": "pemerintah kota",
    "pemkab": "pemerintah kabupaten", "pemprov": "pemerintah provinsi", "min": "admin",
    "mimin": "admin", "minn": "admin", "adm": "admin", "kak": "kakak", "kk": "kartu keluarga",
    "ktp": "ktp", "e-ktp": "ktp", "ektp": "ktp", "ktpel": "ktp", "capil": "dukcapil",
    "disdukcapil": "dukcapil", "pln": "pln", "pdam": "pdam", "puskes": "puskesmas",
    "rsud": "rumah sakit", "rs": "rumah sakit", "sekolahan": "sekolah", "skolah": "sekolah",
    "sklh": "sekolah", "guru2": "guru", "ijin": "izin", "sertipikat": "sertifikat",
    "pungutan2": "pungutan", "sampah2": "sampah", "sy2": "saya", "mohonn": "mohon",
    "mhn": "mohon", "mohon2": "mohon", "segera2": "segera", "cpt": "cepat", "cepet": "cepat",
    "cpet": "cepat", "lama2": "lama", "bbrp": "beberapa", "brapa": "berapa",
    "hrs": "harus", "hrus": "harus", "msh": "masih", "masi": "masih", "msih": "masih",
    "tetep": "tetap", "ttp": "tetap", "sdg": "sedang", "lagi2": "lagi",
    "ni": "ini", "nih": "ini", "tu": "itu", "tuh": "itu", "dong": "dong", "donk": "dong",
    "sih": "sih", "deh": "deh", "yah": "ya", "iya": "ya", "y": "ya", "yaa": "ya", "ok": "oke",
    "okey": "oke", "okay": "oke", "okee": "oke", "sip": "oke", "siap": "siap",
    "mantap": "mantap", "mantul": "mantap", "thanks": "thanks", "bye": "bye",
    "assalamualaikum": "assalamualaikum", "asw": "assalamualaikum",
    "askum": "assalamualaikum", "aslkm": "assalamualaikum", "slmt": "selamat",
    "met": "selamat", "pg": "pagi", "pgi": "pagi", "siang2": "siang", "sore2": "sore",
    "malem": "malam", "mlm": "malam", "hallo": "halo", "hai": "halo", "hi": "hi",
    "hy": "halo", "hei": "halo", "bpk": "bapak", "ibu2": "ibu", "bu": "ibu", "pak": "bapak",
    "mas": "mas", "mba": "mbak", "mbk": "mbak", "cs": "customer service", "wa": "whatsapp",
    "hp": "hp", "nmr": "nomor", "nomer": "nomor", "tiketnya": "tiket nya",
    "laporannya": "laporan nya", "aduannya": "aduan nya", "gmna": "bagaimana",
}


@lru_cache(maxsize=1)
def slang_map() -> dict[str, str]:
    """Informal -> formal word map: IndoCollex filtered, then the project's own entries."""
    mapping: dict[str, str] = {}
    tsv = _SLANG_DIR / "indocollex_informal_formal_dictionary.tsv"
    csv_path = _SLANG_DIR / "indocollex_full.csv"
    pairs: list[tuple[str, str]] = []
    if tsv.exists():
        for line in tsv.read_text(encoding="utf-8").splitlines()[1:]:
            informal, _, formal = line.partition("\t")
            pairs.append((informal, formal))
    if csv_path.exists():
        for line in csv_path.read_text(encoding="utf-8").splitlines()[1:]:
            parts = line.split(",")
            if len(parts) >= 4:
                pairs.append((parts[1], parts[2]))
    for informal, formal in pairs:
        informal, formal = informal.strip().lower(), formal.strip().lower()
        if (
            not informal
            or not formal
            or informal == formal
            or not informal.isalpha()
            or any(ch.isdigit() for ch in formal)
            or informal in _ENGLISH_KEEP
        ):
            continue
        mapping.setdefault(informal, formal)
    mapping.update(_PROJECT_SLANG)
    return mapping


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    words: set[str] = set(_ENGLISH_KEEP)
    for informal, formal in slang_map().items():
        words.add(informal)
        words.update(formal.split())
    return frozenset(words)


def _shrink_repeats(word: str) -> str:
    if not _REPEAT3.search(word):
        return word
    double = _REPEAT3.sub(r"\1\1", word)
    single = _REPEAT3.sub(r"\1", word)
    known = _known_words()
    if single in known or single in slang_map():
        return single
    if double in known or double in slang_map():
        return double
    return single


def _is_emoji(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat == "So" or (cat == "Cs")


def _placeholders(text: str, entities: Sequence[Entity] | None = None) -> str:
    """Replace entities, money and numbers (right to left keeps offsets valid)."""
    out = text
    found = structured_entities(text) if entities is None else entities
    for ent in sorted(found, key=lambda e: e.start, reverse=True):
        holder = _PLACEHOLDER.get(ent.entity)
        if holder:
            out = f"{out[:ent.start]} {holder} {out[ent.end:]}"
    return out


def _numbers(text: str) -> str:
    out = _MONEY.sub(" <money> ", text)
    out = _REDUP.sub(r"\1 \1", out)
    return _NUMBER.sub(" <num> ", out)


def normalize(text: str) -> str:
    """Normalise a message for the classifiers (see the module docstring). Never raises."""
    return normalize_with_entities(text, None)


def normalize_with_entities(text: str, entities: Sequence[Entity] | None) -> str:
    """:func:`normalize` reusing entities already found in ``text`` (offsets into it).

    "region" entities become ``<place>``, so the classifiers never learn place names.
    """
    if not text:
        return ""
    text = _numbers(unicodedata.normalize("NFKC", _placeholders(text, entities)))
    if not text.isascii() and any(_is_emoji(ch) for ch in text):
        text = "".join(" <emoji> " if _is_emoji(ch) else ch for ch in text)
    text = text.lower()
    mapping = slang_map()
    out: list[str] = []
    last_emoji = False
    for word in _WORD.findall(text):
        if word == "<emoji>":
            if last_emoji:
                continue
            last_emoji = True
            out.append(word)
            continue
        last_emoji = False
        if word[0] != "<":
            word = _shrink_repeats(word)
            word = mapping.get(word, word)
        out.append(word)
    return " ".join(out)
