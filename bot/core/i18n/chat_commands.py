"""What the bot says for the commands every client sends, custom answers and shared contacts."""

from __future__ import annotations

from bot.core.i18n.lang import Messages

_TEXTS: dict[str, dict[str, str]] = {
    "help": {
        "id": "Saya Pintu, asisten layanan publik. Yang bisa saya bantu:\n"
        "- Buat laporan: ceritakan masalah atau usulan Anda, saya teruskan ke unit yang "
        "berwenang.\n"
        "- Cek status: kirim nomor laporan Anda (mis. {example}).\n"
        "- Info layanan: tanyakan syarat, prosedur, biaya dan waktu layanan.\n"
        "- Bicara dengan petugas.\n\n"
        "Perintah: /start (menu), /help (bantuan ini), /restart (mulai dari awal).",
        "en": "I'm Pintu, the public service assistant. I can help you:\n"
        "- Report a problem: tell me what is wrong or what you suggest; I pass it to the "
        "unit in charge.\n"
        "- Check a status: send your report number (e.g. {example}).\n"
        "- Service info: ask about requirements, procedure, cost and time of a service.\n"
        "- Talk to an officer.\n\n"
        "Commands: /start (menu), /help (this help), /restart (start over).",
    },
    "restarted": {
        "id": "Baik, percakapan tadi saya akhiri. Kita mulai dari awal.",
        "en": "OK, I have ended our conversation. Let's start over.",
    },
    "contact_thanks": {
        "id": "Terima kasih, nomor telepon Anda sudah kami catat. Laporan Anda kini dapat "
        "diikuti dari kanal mana pun yang memakai nomor ini.",
        "en": "Thank you, we have noted your phone number. You can now follow your reports "
        "from any channel that uses this number.",
    },
    "contact_other": {
        "id": "Terima kasih, kontak ini sudah kami terima. Ada yang bisa saya bantu?",
        "en": "Thank you, we received this contact. How can I help?",
    },
    "custom_missing": {
        "id": "Maaf, jawaban untuk pertanyaan ini belum tersedia. Ada lagi yang bisa saya "
        "bantu?",
        "en": "Sorry, the answer to this question is not available yet. Anything else I can "
        "help with?",
    },
}

#: The texts of client commands (/help, /restart), shared contacts and custom answers.
CHAT_COMMANDS = Messages("chat commands", _TEXTS)


def tc(key: str, lang: str | None, **params: object) -> str:
    """The chat-command text ``key`` in ``lang`` with ``params`` filled in."""
    return CHAT_COMMANDS.text(key, lang, **params)
