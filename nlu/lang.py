"""Language guess for a message: "id", "en" or "mixed" (Indonesian with English, or reverse).

Counts common function words of each language; loanwords both use ("online",
"admin", "ok") count for neither.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z]+")

_ID = frozenset({
    "yang", "dan", "di", "ke", "dari", "ini", "itu", "tidak", "sudah", "belum", "saya", "kami",
    "kita", "aku", "kamu", "dengan", "untuk", "pada", "adalah", "ada", "akan", "juga", "atau",
    "tapi", "tetapi", "karena", "kalau", "jika", "sangat", "sekali", "lagi", "masih", "bisa",
    "harus", "mohon", "tolong", "apa", "apakah", "bagaimana", "gimana", "kenapa", "mengapa",
    "berapa", "kapan", "mana", "siapa", "sejak", "sampai", "terima", "kasih", "selamat", "pagi",
    "siang", "sore", "malam", "halo", "min", "kak", "pak", "bu", "bapak", "ibu", "warga", "rumah",
    "jalan", "gak", "ga", "nggak", "udah", "udh", "blm", "yg", "dgn", "sy", "gw", "tdk", "aja",
    "saja", "dong", "sih", "deh", "nih", "kok", "ya", "iya", "mau", "ingin", "sama", "oleh",
    "dalam", "atas", "bawah", "depan", "belakang", "sudahlah", "padahal", "hanya", "cuma", "baru",
    "banyak", "semua", "laporan", "lapor", "tiket", "sekolah", "anak", "kantor", "petugas", "air",
    "listrik", "sampah", "banjir", "bulan", "hari", "minggu", "tahun", "kemarin", "besok",
    "sekarang", "pernah", "tanpa", "setiap", "seperti", "supaya", "agar", "biar",
})
_EN = frozenset({
    "the", "a", "an", "is", "are", "was", "were", "be", "been", "of", "in", "on", "at", "to",
    "for", "from", "by", "with", "and", "or", "but", "not", "no", "yes", "this", "that", "these",
    "those", "i", "you", "he", "she", "we", "they", "my", "your", "our", "their", "it", "its",
    "have", "has", "had", "do", "does", "did", "will", "would", "can", "could", "should", "please",
    "thanks", "thank", "hello", "hi", "good", "morning", "evening", "afternoon", "what", "when",
    "where", "why", "how", "who", "which", "there", "here", "very", "still", "already", "since",
    "about", "after", "before", "into", "over", "under", "again", "more", "some", "any", "all",
    "just", "only", "also", "because", "if", "than", "then", "so", "too", "street", "road",
    "water", "bill", "school", "office", "village", "city", "people", "neighbour",
    "neighbor", "house", "report", "ticket", "status", "help", "staff", "someone", "anyone",
    "need", "want", "get", "being",
})
_NEUTRAL = frozenset({
    "ok", "oke", "admin", "online", "hp", "wa", "rt", "rw", "pln", "pdam", "status", "update",
    "info", "link", "chat", "bot", "cs", "app", "email", "internet", "wifi",
})


def detect_lang(text: str) -> str:
    """"id", "en" or "mixed" for a message; "id" when there is no evidence either way."""
    words = _WORD.findall(text.lower())
    n_id = n_en = 0
    for w in words:
        if w in _NEUTRAL:
            continue
        in_id, in_en = w in _ID, w in _EN
        if in_id and not in_en:
            n_id += 1
        elif in_en and not in_id:
            n_en += 1
    total = n_id + n_en
    if total == 0:
        return "id"
    minority = min(n_id, n_en)
    if minority == 0:
        return "en" if n_en > n_id else "id"
    if minority / total >= 0.05 or minority >= 2:
        return "mixed"
    return "en" if n_en > n_id else "id"
