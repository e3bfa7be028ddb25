"""What the bot says when a conversation leaves the happy path (issue #12), in
Indonesian and English: editing a report, places, small talk, the bot's own
words explained, ticket privacy and moves outside the catalog's area."""

from __future__ import annotations

from bot.core.i18n.lang import Messages

_TEXTS: dict[str, dict[str, str]] = {
    "edit_what": {
        "id": "Apa yang ingin Anda ubah? Bagian lain laporan tetap seperti semula.",
        "en": "What would you like to change? The rest of the report stays as it is.",
    },
    "btn_edit_description": {"id": "Keterangan", "en": "Description"},
    "btn_edit_place": {"id": "Lokasi", "en": "Place"},
    "btn_edit_topic": {"id": "Topik", "en": "Topic"},
    "edit_description": {
        "id": "Silakan tulis keterangan yang baru. Lokasi dan topik tetap.",
        "en": "Please write the new description. The place and the topic stay.",
    },
    "edit_topic": {
        "id": "Pilih topik yang paling tepat untuk laporan ini:",
        "en": "Pick the topic that fits this report best:",
    },
    "place_which": {
        "id": "Nama tempat itu ada di beberapa daerah. Yang mana yang Anda maksud?",
        "en": "That place name exists in several regions. Which one do you mean?",
    },
    "outside_area": {
        "id": "\n\nLokasi ini berada di {region}, di luar wilayah layanan {catalog}; yang "
        "berwenang adalah Pemerintah {region}. Laporan Anda tetap kami simpan, dan {desk} "
        "meneruskannya ke instansi tersebut melalui SP4N-LAPOR! (lapor.go.id). Anda akan "
        "diberi tahu perkembangannya di sini.",
        "en": "\n\nThis place is in {region}, outside the area served by {catalog}; the "
        "government of {region} is responsible. Your report is kept, and {desk} forwards it "
        "to them through SP4N-LAPOR! (lapor.go.id). You will hear about its progress here.",
    },
    "outside_area_note": {
        "id": " (di luar wilayah {catalog}; akan diteruskan)",
        "en": " (outside {catalog}'s area; it will be forwarded)",
    },
    "check_code": {
        "id": "\nKode cek: {code} (rahasiakan; orang lain hanya bisa melihat status dengan "
        "nomor tiket dan kode ini).",
        "en": "\nCheck code: {code} (keep it private; others can see the status only with the "
        "ticket number and this code).",
    },
    "status_private": {
        "id": "Demi privasi pelapor, status tiket {number} hanya ditampilkan kepada pelapornya. "
        "Bila Anda pelapornya dari nomor/akun lain, kirim nomor tiket beserta kode cek yang "
        "diberikan saat melapor (contoh: {example} kode AB7K2M).",
        "en": "To protect the person who reported it, the status of ticket {number} is shown "
        "only to them. If you reported it from another number or account, send the ticket "
        "number with the check code you were given (for example: {example} code AB7K2M).",
    },
    "status_hidden_unit": {"id": "(dirahasiakan)", "en": "(confidential)"},
    "here": {
        "id": "Ya, saya di sini. Ada yang bisa saya bantu?",
        "en": "Yes, I'm here. How can I help?",
    },
    "acknowledged": {
        "id": "Baik 🙏 Ada lagi yang bisa saya bantu?",
        "en": "All right 🙏 Anything else I can help with?",
    },
    "upset": {
        "id": "Mohon maaf atas ketidaknyamanan Anda. Ceritakan apa yang terjadi, saya teruskan "
        "ke unit yang berwenang; atau bicara langsung dengan petugas.",
        "en": "I'm sorry for the trouble. Tell me what happened and I'll pass it to the unit "
        "in charge, or talk to an officer directly.",
    },
    "explain_triage": {
        "id": "Triase artinya laporan dipilah dulu oleh petugas Meja Triase: bila topik atau "
        "lokasinya belum jelas, atau tidak ada unit kami yang berwenang, petugas membaca "
        "laporan itu dan meneruskannya ke unit atau instansi yang tepat. Laporan Anda tidak "
        "hilang dan Anda tidak perlu melapor ulang.",
        "en": "Triage means an officer at the triage desk reads the report first: when its "
        "topic or place is unclear, or none of our units is responsible, they pass it to the "
        "right unit or agency. Your report is not lost and you don't need to report again.",
    },
    "explain_confidential": {
        "id": "Laporan yang dirahasiakan tetap ditangani, tetapi identitas Anda (nama, nomor, "
        "akun) tidak diperlihatkan kepada unit yang menanganinya. Pilih \"Kirim & "
        "rahasiakan\" saat mengirim laporan.",
        "en": "A confidential report is handled as usual, but your identity (name, number, "
        "account) is not shown to the unit that handles it. Choose \"Send confidentially\" "
        "when you send the report.",
    },
    "explain_working_days": {
        "id": "Hari kerja adalah Senin sampai Jumat, tidak termasuk Sabtu, Minggu, libur "
        "nasional dan cuti bersama. Target tanggapan dihitung dalam hari kerja.",
        "en": "Working days are Monday to Friday, not counting Saturdays, Sundays, public "
        "holidays and collective leave days. Response targets are counted in working days.",
    },
    "explain_ticket": {
        "id": "Nomor tiket adalah nomor laporan Anda (contoh: {example}). Dengan nomor itu Anda "
        "bisa mengecek status dari kanal mana pun.",
        "en": "The ticket number is your report's number (for example {example}). With it you "
        "can check the status on any channel.",
    },
    "explain_survey": {
        "id": "SKM (Survei Kepuasan Masyarakat) adalah survei singkat tentang layanan yang Anda "
        "terima; hasilnya menjadi IKM (Indeks Kepuasan Masyarakat) unit tersebut.",
        "en": "The SKM is a short satisfaction survey about the service you received; its "
        "results make up the unit's IKM (community satisfaction index).",
    },
    "explain_escalated": {
        "id": "Dieskalasi artinya laporan sudah melewati target tanggapan, sehingga atasan "
        "unit ikut diberi tahu agar segera ditindaklanjuti.",
        "en": "Escalated means the report is past its response target, so the unit's "
        "supervisor has been told to make sure it is followed up.",
    },
    "no_ticket_yet": {
        "id": "Saya belum tahu laporan mana yang Anda maksud. Sebutkan nomor tiketnya "
        "(contoh: {example}).",
        "en": "I don't know which report you mean yet. Please give the ticket number "
        "(for example {example}).",
    },
}

#: The chat's texts off the happy path (repair, places, small talk, privacy).
CHAT = Messages("chat", _TEXTS)


def chat_text(key: str, lang: str | None, **params: object) -> str:
    """The chat text ``key`` in ``lang`` with ``params`` filled in."""
    return CHAT.text(key, lang, **params)
