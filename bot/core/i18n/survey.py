"""The satisfaction survey's chat texts (SKM offer, prompts, thanks)."""

from __future__ import annotations

from bot.core.i18n.lang import Messages

_TEXTS: dict[str, dict[str, str]] = {
    "intro": {
        "id": "Bantu kami menilai layanan {unit}: {n} pertanyaan singkat (Survei Kepuasan "
              "Masyarakat). Ketik \"lewati\" bila tidak berkenan.",
        "en": "Please help us rate the service of {unit}: {n} short questions (public "
              "satisfaction survey). Type \"skip\" if you'd rather not.",
    },
    "not_understood": {
        "id": "Maaf, jawaban Anda belum saya pahami. Pilih salah satu jawaban atau balas dengan "
              "angka 1-4 (1 terendah, 4 tertinggi).",
        "en": "Sorry, I didn't understand your answer. Pick one of the answers or reply with a "
              "number 1-4 (1 lowest, 4 highest).",
    },
    "ask_comment": {
        "id": "Terakhir: ada saran atau komentar untuk kami? Ketik saja, atau pilih Lewati.",
        "en": "Last one: any suggestion or comment for us? Just type it, or choose Skip.",
    },
    "btn_skip": {"id": "Lewati", "en": "Skip"},
    "thanks": {
        "id": "Terima kasih atas penilaian Anda! Masukan Anda membantu kami memperbaiki layanan.",
        "en": "Thank you for your rating! Your feedback helps us improve our services.",
    },
    "skipped": {
        "id": "Baik, survei dilewati. Terima kasih! Ada lagi yang bisa saya bantu?",
        "en": "OK, the survey is skipped. Thank you! Anything else I can help with?",
    },
    "dropped": {
        "id": "Baik, survei saya tutup dulu. Terima kasih! Ada yang bisa saya bantu?",
        "en": "OK, I'll close the survey for now. Thank you! How can I help?",
    },
    "numbered_hint": {"id": "Balas 1-4.", "en": "Reply 1-4."},
}

#: Texts around the SKM questions; the questions themselves are in bot.surveys.skm.
SURVEY = Messages("survey", _TEXTS)
