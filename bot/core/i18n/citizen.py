"""What the bot says to citizens, in Indonesian and English. One key per utterance."""

from __future__ import annotations

from bot.core.i18n.lang import Messages, lang_of
from routing.categories import TRIAGE_CATEGORY, category_name

_TEXTS: dict[str, dict[str, str]] = {
    "greeting": {
        "id": "Halo{name}! Saya Pintu, asisten layanan publik. Ceritakan keluhan atau usulan Anda, "
        "tanyakan syarat layanan, atau cek status laporan. Ada yang bisa saya bantu?",
        "en": "Hello{name}! I'm Pintu, the public service assistant. Tell me about a problem or a "
        "suggestion, ask how to get a service, or check a report's status. How can I help?",
    },
    "category_other": {"id": "Lainnya (dipilah petugas)", "en": "Other (sorted by an officer)"},
    "menu_complaint": {"id": "Buat laporan", "en": "Report a problem"},
    "menu_status": {"id": "Cek status", "en": "Check status"},
    "menu_info": {"id": "Info layanan", "en": "Service info"},
    "menu_agent": {"id": "Bicara dgn petugas", "en": "Talk to an officer"},
    "ask_what": {
        "id": "Silakan ceritakan masalahnya: apa yang terjadi, sejak kapan, dan dampaknya?",
        "en": "Please describe the problem: what happened, since when, and how it affects you?",
    },
    "ask_what_aspiration": {
        "id": "Silakan tuliskan usulan Anda: apa yang perlu diadakan atau diperbaiki?",
        "en": "Please write your suggestion: what should be provided or improved?",
    },
    "ask_where": {
        "id": "Di mana lokasinya? Sebutkan alamat, kelurahan/desa, kecamatan dan kota/kabupaten, "
        "atau kirim lokasi (share location).",
        "en": "Where is it? Give the address, village, district and city/regency, or share your "
        "location.",
    },
    "confirm": {
        "id": "Mohon periksa laporan Anda:\n\n{kind}: {description}\nKategori: {category}\n"
        "Lokasi: {location}\n\nKirim laporan ini?",
        "en": "Please check your report:\n\n{kind}: {description}\nCategory: {category}\n"
        "Location: {location}\n\nSend this report?",
    },
    "kind_complaint": {"id": "Pengaduan", "en": "Complaint"},
    "kind_aspiration": {"id": "Aspirasi", "en": "Suggestion"},
    "btn_send": {"id": "Ya, kirim", "en": "Yes, send"},
    "btn_send_confidential": {"id": "Kirim & rahasiakan", "en": "Send confidentially"},
    "btn_edit": {"id": "Ubah", "en": "Edit"},
    "btn_send_open": {"id": "Kirim tanpa rahasia", "en": "Send with my name"},
    "oversight_confidential_offer": {
        "id": "\n\nLaporan tentang petugas ditangani Inspektorat, bukan unit yang Anda adukan. "
        "Identitas Anda akan dirahasiakan; pilih \"Kirim tanpa rahasia\" bila tidak perlu.",
        "en": "\n\nReports about an officer go to the Inspectorate, not to the unit you report. "
        "Your identity will be kept confidential; choose \"Send with my name\" if you do not "
        "need that.",
    },
    "btn_cancel": {"id": "Batal", "en": "Cancel"},
    "location_unknown": {"id": "(belum disebutkan)", "en": "(not given)"},
    "detail_added": {
        "id": "Baik, keterangan tambahan sudah saya catat.",
        "en": "Noted, I've added that to the report.",
    },
    "edit_prompt": {
        "id": "Silakan tulis ulang laporan Anda selengkapnya.",
        "en": "Please write your report again in full.",
    },
    "cancelled": {
        "id": "Baik, laporan dibatalkan. Tidak ada yang dikirim.",
        "en": "OK, the report is cancelled. Nothing was sent.",
    },
    "ticket_created": {
        "id": "Terima kasih, laporan Anda sudah kami terima dengan nomor tiket {number}.\n"
        "Ditangani oleh: {unit}\nTarget tanggapan: {days} hari kerja (paling lambat {due}).\n"
        "Simpan nomor ini untuk cek status kapan saja, dari kanal mana pun.",
        "en": "Thank you, your report has been received with ticket number {number}.\n"
        "Handled by: {unit}\nResponse target: {days} working days (by {due}).\n"
        "Keep this number to check the status any time, on any channel.",
    },
    "confidential_note": {
        "id": "\nIdentitas Anda dirahasiakan dari unit yang menangani.",
        "en": "\nYour identity is kept from the unit that handles it.",
    },
    "ask_ticket_number": {
        "id": "Sebutkan nomor tiket Anda (contoh: {example}).",
        "en": "Please give your ticket number (for example {example}).",
    },
    "your_tickets": {
        "id": "Laporan terakhir Anda ada di bawah ini; pilih salah satu atau ketik nomornya.",
        "en": "Your latest reports are below; pick one or type its number.",
    },
    "ticket_not_found": {
        "id": "Tiket {number} tidak ditemukan. Periksa kembali nomornya (contoh: {example}).",
        "en": "Ticket {number} was not found. Please check the number (for example {example}).",
    },
    "ticket_status": {
        "id": "Tiket {number}\nStatus: {status}\nDitangani oleh: {unit}\nDibuat: {created}\n"
        "Target tanggapan: {due}{overdue}{last}",
        "en": "Ticket {number}\nStatus: {status}\nHandled by: {unit}\nCreated: {created}\n"
        "Response target: {due}{overdue}{last}",
    },
    "overdue_note": {
        "id": "\nMelewati target; sudah dieskalasi ke atasan unit.",
        "en": "\nPast its target; escalated to the unit's supervisor.",
    },
    "last_update": {"id": "\nTanggapan terakhir: {text}", "en": "\nLatest response: {text}"},
    "ask_info_query": {
        "id": "Layanan apa yang ingin Anda ketahui? (misalnya: syarat membuat KTP-el)",
        "en": "Which service would you like to know about? (for example: how to get an ID card)",
    },
    "standard": {
        "id": "{name}\n({unit})\n\nPersyaratan:\n{requirements}\n\nProsedur:\n{procedure}\n\n"
        "Waktu penyelesaian: {time}\nBiaya: {cost}\nProduk: {product}\nDasar hukum: {legal}",
        "en": "{name}\n({unit})\n\nRequirements:\n{requirements}\n\nProcedure:\n{procedure}\n\n"
        "Completion time: {time}\nCost: {cost}\nProduct: {product}\nLegal basis: {legal}",
    },
    "standard_more": {"id": "Layanan terkait lainnya:", "en": "Related services:"},
    "info_not_found": {
        "id": "Maaf, saya belum menemukan informasi layanan itu. Mau saya sambungkan ke petugas?",
        "en": "Sorry, I couldn't find that service. Shall I connect you to an officer?",
    },
    "handover": {
        "id": "Baik, percakapan ini saya teruskan ke petugas {unit}{ticket}. "
        "Petugas akan membalas di "
        'sini pada jam layanan ({hours}). Ketik "menu" untuk kembali ke bot.',
        "en": "OK, I've passed this conversation to an officer of {unit}{ticket}. They will reply "
        'here during service hours ({hours}). Type "menu" to return to the bot.',
    },
    "handover_ticket": {"id": " (tiket {number})", "en": " (ticket {number})"},
    "handover_ack": {
        "id": "Pesan Anda sudah diteruskan ke petugas.",
        "en": "Your message has been passed to the officer.",
    },
    "back_to_bot": {
        "id": "Anda kembali terhubung dengan bot Pintu. Ada yang bisa saya bantu?",
        "en": "You're back with the Pintu bot. How can I help?",
    },
    "goodbye": {
        "id": "Sama-sama, terima kasih telah menghubungi kami. Semoga harinya menyenangkan!",
        "en": "You're welcome, thank you for contacting us. Have a nice day!",
    },
    "out_of_scope": {
        "id": "Maaf, hal itu di luar layanan kami. Saya bisa membantu menerima pengaduan atau "
        "aspirasi, memberi info layanan, dan mengecek status laporan.",
        "en": "Sorry, that's outside what we handle. I can take complaints or suggestions, give "
        "service information and check report status.",
    },
    "not_understood": {
        "id": "Maaf, saya belum paham maksud Anda. Silakan pilih:",
        "en": "Sorry, I didn't quite get that. Please choose:",
    },
    "numbered_hint": {
        "id": "Balas dengan angka pilihan.",
        "en": "Reply with the number of your choice.",
    },
    "officer_reply": {
        "id": "Balasan petugas {unit} untuk tiket {number}:\n{text}",
        "en": "Reply from {unit} officer on ticket {number}:\n{text}",
    },
    "ticket_forwarded": {
        "id": "Tiket {number} kini ditangani oleh {unit} agar lebih tepat. "
        "Anda tidak perlu melapor "
        "ulang. Alasan: {reason}\nTarget tanggapan baru: {days} hari kerja (paling lambat {due}).",
        "en": "Ticket {number} is now handled by {unit}, who own this issue. You don't need to "
        "report again. Reason: {reason}\nNew response target: {days} working days (by {due}).",
    },
    "ticket_resolved": {
        "id": "Tiket {number} telah diselesaikan oleh {unit}.{note} Jika masalah belum tuntas, "
        'balas "buka lagi {number}" dalam {days} hari.',
        "en": "Ticket {number} has been resolved by {unit}.{note} If the problem persists, reply "
        '"reopen {number}" within {days} days.',
    },
    "ticket_in_progress": {
        "id": "Tiket {number} sedang ditindaklanjuti oleh {unit}. Perkembangannya akan kami "
        "kabarkan kepada Anda.",
        "en": "{unit} has started work on ticket {number}. We will keep you posted.",
    },
    "ticket_reopened": {
        "id": "Tiket {number} dibuka kembali dan diteruskan ke {unit}.",
        "en": "Ticket {number} is reopened and passed to {unit}.",
    },
    "reopen_too_late": {
        "id": "Tiket {number} sudah ditutup dan tidak bisa dibuka lagi. Silakan buat laporan baru.",
        "en": "Ticket {number} is closed and can no longer be reopened. Please file a new report.",
    },
}

_STATUS_LABELS: dict[str, dict[str, str]] = {
    "new": {"id": "Diterima", "en": "Received"},
    "routed": {"id": "Diteruskan ke unit", "en": "Routed to the unit"},
    "in_progress": {"id": "Sedang ditangani", "en": "In progress"},
    "waiting_citizen": {"id": "Menunggu tanggapan Anda", "en": "Waiting for your reply"},
    "resolved": {"id": "Selesai", "en": "Resolved"},
    "closed": {"id": "Ditutup", "en": "Closed"},
}

#: The citizen-facing texts of the chat (greeting, report flow, ticket notices).
CITIZEN = Messages("citizen", _TEXTS)
#: Ticket statuses as the citizen reads them.
CITIZEN_STATUS = Messages("citizen status", _STATUS_LABELS)


def t(key: str, lang: str | None, **params: object) -> str:
    """The citizen text ``key`` in ``lang`` with ``params`` filled in."""
    return CITIZEN.text(key, lang, **params)


def status_label(status: str, lang: str | None) -> str:
    """A ticket status in words (the status itself if it has none)."""
    return CITIZEN_STATUS.get(status, lang, status)


def category_label(category: str | None, lang: str | None) -> str:
    """A complaint category in words, for the citizen ("Infrastruktur")."""
    lg = lang_of(lang)
    if not category or category == TRIAGE_CATEGORY:
        return t("category_other", lg)
    name = category_name(category, lg)
    return name[:1].upper() + name[1:]
