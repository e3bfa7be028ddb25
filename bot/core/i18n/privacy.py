"""Privacy and limits texts for citizens (UU 27/2022 on personal data protection).

The privacy notice says what is kept, for what, for how long and who sees it;
:func:`privacy_notice` fills in the retention period. Other features (the
welcome message of ``/start``) reuse it from here.
"""

from __future__ import annotations

from bot.core.i18n.lang import Messages

_TEXTS: dict[str, dict[str, str]] = {
    "notice": {
        "id": "Privasi: Pintu menyimpan pesan, nama, nomor/ID akun dan lokasi yang Anda kirim "
        "untuk menangani laporan dan permintaan Anda serta mengukur kepuasan layanan (SKM). "
        "Yang melihat: petugas unit yang menangani laporan Anda dan admin. Laporan yang sudah "
        "selesai dianonimkan setelah {days} hari. Anda dapat meminta salinan atau penghapusan "
        "data Anda kepada admin. Dengan melanjutkan, Anda menyetujui pemrosesan ini "
        "(UU 27/2022 tentang Pelindungan Data Pribadi).",
        "en": "Privacy: Pintu keeps the messages, name, number/account id and location you send "
        "to handle your reports and requests and to measure service satisfaction (SKM). "
        "Who sees them: the officers of the unit handling your report, and admins. Closed "
        "reports are anonymised after {days} days. You may ask an admin for a copy of your "
        "data or its erasure. By continuing you agree to this processing "
        "(Indonesian Law 27/2022 on Personal Data Protection).",
    },
    "notice_short": {
        "id": "Data Anda dipakai hanya untuk menangani laporan dan mengukur kepuasan layanan.",
        "en": "Your data is used only to handle your reports and measure service satisfaction.",
    },
    "consent_agree": {"id": "Setuju", "en": "I agree"},
    "consent_decline": {"id": "Tidak setuju", "en": "I do not agree"},
    "consent_thanks": {
        "id": "Terima kasih. Silakan lanjutkan.",
        "en": "Thank you. Please go on.",
    },
    "consent_declined": {
        "id": "Baik, tanpa persetujuan Anda Pintu tidak dapat memproses laporan. Pesan Anda "
        "tidak akan diteruskan ke petugas. Ketik \"setuju\" kapan saja bila berubah pikiran.",
        "en": "Understood: without your consent Pintu cannot process reports. Your messages "
        "will not be passed to officers. Type \"I agree\" any time if you change your mind.",
    },
    "too_many": {
        "id": "Mohon maaf, pesan Anda terlalu banyak dalam waktu singkat. Mohon tunggu "
        "sebentar lalu kirim lagi.",
        "en": "Sorry, you have sent too many messages in a short time. Please wait a moment "
        "and try again.",
    },
}

PRIVACY = Messages("privacy", _TEXTS)


def privacy_text(key: str, lang: str | None, **params: object) -> str:
    """The privacy/limits text ``key`` in ``lang``."""
    return PRIVACY.text(key, lang, **params)


def privacy_notice(lang: str | None, retention_days: int | None) -> str:
    """The privacy notice shown at a citizen's first contact on a channel."""
    days = retention_days if retention_days else 365
    return PRIVACY.text("notice", lang, days=days)
