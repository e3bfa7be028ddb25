"""Tiny text normaliser for keyword matching of service standards (no I/O)."""

from __future__ import annotations

import re
from typing import Final

_NON_WORD: Final = re.compile(r"[^0-9a-z]+")

# Colloquial and affixed forms folded onto one stem, so "bikin"/"pembuatan"
# match a keyword written as "buat". Only words that matter for services.
_STEMS: Final = {
    "bikin": "buat", "bkin": "buat", "membuat": "buat", "pembuatan": "buat", "dibuat": "buat",
    "ngurus": "urus", "ngurusin": "urus", "urusin": "urus", "mengurus": "urus",
    "pengurusan": "urus", "diurus": "urus",
    "persyaratan": "syarat", "syarat2": "syarat",
    "mendaftar": "daftar", "pendaftaran": "daftar", "daftarin": "daftar",
    "perpanjangan": "perpanjang", "memperpanjang": "perpanjang", "panjangin": "perpanjang",
    "akte": "akta", "ktpel": "ktp", "ektp": "ktp", "ktp2": "ktp",
    "sekolahnya": "sekolah", "pajaknya": "pajak",
    "brp": "berapa", "gmn": "gimana", "bgmn": "gimana", "bagaimana": "gimana",
    "pindahan": "pindah", "kepindahan": "pindah",
    "perizinan": "izin", "ijin": "izin", "perijinan": "izin",
    "permits": "permit", "certificates": "certificate", "taxes": "tax", "cards": "card",
    "sampahnya": "sampah", "airnya": "air", "listriknya": "listrik",
}


def normalize_tokens(text: str) -> tuple[str, ...]:
    """Lower-case word tokens with punctuation removed and colloquial forms stemmed."""
    out: list[str] = []
    for raw in _NON_WORD.split(text.lower()):
        if not raw:
            continue
        tok = _STEMS.get(raw, raw)
        # Possessive/definite "-nya" ("syaratnya", "biayanya") carries no meaning here.
        if tok == raw and len(tok) > 5 and tok.endswith("nya"):
            tok = _STEMS.get(tok[:-3], tok[:-3])
        out.append(tok)
    return tuple(out)


def contains_phrase(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """True if ``phrase`` occurs as consecutive tokens in ``tokens``."""
    n = len(phrase)
    if n == 0 or n > len(tokens):
        return False
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))
