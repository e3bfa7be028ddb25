"""The console's words, per language (Indonesian by default, English available)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request

from bot.staff.auth import StaffContext
from routing.categories import CATEGORY_KEYS, category_name

UI: dict[str, dict[str, str]] = {
    "id": {
        "app": "Konsol Petugas Pintu",
        "login_title": "Masuk",
        "username": "Nama pengguna",
        "password": "Kata sandi",
        "sign_in": "Masuk",
        "sign_out": "Keluar",
        "login_failed": "Nama pengguna atau kata sandi salah.",
        "login_throttled": "Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit.",
        "login_expired": "Formulir kedaluwarsa, silakan coba lagi.",
        "inbox": "Kotak masuk",
        "all_units": "Semua unit",
        "filter": "Saring",
        "status": "Status",
        "category": "Kategori",
        "channel": "Kanal",
        "overdue": "Lewat tenggat",
        "overdue_only": "Hanya yang lewat tenggat",
        "search": "Cari",
        "search_placeholder": "Nomor, isi, lokasi",
        "any": "Semua",
        "open": "Terbuka",
        "number": "Nomor",
        "created": "Dibuat",
        "due": "Tenggat",
        "unit": "Unit",
        "region": "Wilayah",
        "location": "Lokasi",
        "map": "Lihat peta",
        "no_tickets": "Tidak ada tiket.",
        "live_hint": "Tiket baru muncul otomatis.",
        "new_activity": "Ada aktivitas baru.",
        "reload": "Muat ulang",
        "ticket": "Tiket",
        "kind": "Jenis",
        "citizen": "Pelapor",
        "confidential": "Pelapor dirahasiakan",
        "escalated": "Dieskalasi",
        "escalated_to": "Dieskalasi ke",
        "description": "Isi laporan",
        "conversation": "Percakapan warga (semua kanal)",
        "this_ticket": "tiket ini",
        "other_ticket_hidden": "(pesan terkait tiket unit lain, disembunyikan)",
        "attachments": "Lampiran",
        "no_messages": "Belum ada pesan.",
        "history": "Riwayat",
        "reply": "Balas warga",
        "reply_send": "Kirim balasan",
        "wait_for_citizen": "Tunggu tanggapan warga",
        "note": "Catatan internal",
        "note_add": "Simpan catatan",
        "forward": "Teruskan ke unit lain",
        "forward_to": "Unit tujuan",
        "reason": "Alasan",
        "forward_send": "Teruskan",
        "resolve": "Selesaikan",
        "resolve_note": "Catatan penyelesaian (opsional)",
        "reopen": "Buka kembali",
        "reopen_reason": "Alasan (opsional)",
        "set_status": "Ubah status",
        "save": "Simpan",
        "back": "Kembali ke kotak masuk",
        "done_reply": "Balasan dikirim ke warga.",
        "done_note": "Catatan disimpan.",
        "done_forward": "Tiket diteruskan.",
        "done_resolve": "Tiket diselesaikan.",
        "done_reopen": "Tiket dibuka kembali.",
        "done_status": "Status diubah.",
        "forwarded_away": "Tiket diteruskan ke unit lain dan tidak lagi ada di kotak masuk Anda.",
        "not_found": "Tiket tidak ditemukan.",
        "csrf_failed": "Formulir tidak sah atau kedaluwarsa. Muat ulang halaman lalu coba lagi.",
        "error": "Kesalahan",
        "signed_in_as": "Masuk sebagai",
        "language": "Bahasa",
        "yes": "ya",
        "no": "tidak",
        "actor_citizen": "Warga",
        "actor_system": "Sistem",
        "actor_staff": "Petugas",
        "sender_citizen": "Warga",
        "sender_bot": "Bot",
        "sender_staff": "Petugas",
        "sender_system": "Sistem",
    },
    "en": {
        "app": "Pintu Officers' Console",
        "login_title": "Sign in",
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "login_failed": "Wrong username or password.",
        "login_throttled": "Too many failed attempts. Try again in 15 minutes.",
        "login_expired": "The form expired, please try again.",
        "inbox": "Inbox",
        "all_units": "All units",
        "filter": "Filter",
        "status": "Status",
        "category": "Category",
        "channel": "Channel",
        "overdue": "Overdue",
        "overdue_only": "Overdue only",
        "search": "Search",
        "search_placeholder": "Number, text, location",
        "any": "Any",
        "open": "Open",
        "number": "Number",
        "created": "Created",
        "due": "Due",
        "unit": "Unit",
        "region": "Region",
        "location": "Location",
        "map": "Show map",
        "no_tickets": "No tickets.",
        "live_hint": "New tickets appear automatically.",
        "new_activity": "There is new activity.",
        "reload": "Reload",
        "ticket": "Ticket",
        "kind": "Kind",
        "citizen": "Citizen",
        "confidential": "Reporter's identity withheld",
        "escalated": "Escalated",
        "escalated_to": "Escalated to",
        "description": "Report",
        "conversation": "The citizen's conversation (all channels)",
        "this_ticket": "this ticket",
        "other_ticket_hidden": "(message about another unit's ticket, hidden)",
        "attachments": "Attachments",
        "no_messages": "No messages yet.",
        "history": "History",
        "reply": "Reply to the citizen",
        "reply_send": "Send reply",
        "wait_for_citizen": "Wait for the citizen's answer",
        "note": "Internal note",
        "note_add": "Save note",
        "forward": "Forward to another unit",
        "forward_to": "Target unit",
        "reason": "Reason",
        "forward_send": "Forward",
        "resolve": "Resolve",
        "resolve_note": "Resolution note (optional)",
        "reopen": "Reopen",
        "reopen_reason": "Reason (optional)",
        "set_status": "Change status",
        "save": "Save",
        "back": "Back to the inbox",
        "done_reply": "Reply sent to the citizen.",
        "done_note": "Note saved.",
        "done_forward": "Ticket forwarded.",
        "done_resolve": "Ticket resolved.",
        "done_reopen": "Ticket reopened.",
        "done_status": "Status changed.",
        "forwarded_away": "The ticket went to another unit and left your inbox.",
        "not_found": "Ticket not found.",
        "csrf_failed": "The form is invalid or expired. Reload the page and try again.",
        "error": "Error",
        "signed_in_as": "Signed in as",
        "language": "Language",
        "yes": "yes",
        "no": "no",
        "actor_citizen": "Citizen",
        "actor_system": "System",
        "actor_staff": "Officer",
        "sender_citizen": "Citizen",
        "sender_bot": "Bot",
        "sender_staff": "Officer",
        "sender_system": "System",
    },
}

STATUS: dict[str, dict[str, str]] = {
    "new": {"id": "Baru", "en": "New"},
    "routed": {"id": "Diteruskan ke unit", "en": "Routed"},
    "in_progress": {"id": "Sedang ditangani", "en": "In progress"},
    "waiting_citizen": {"id": "Menunggu warga", "en": "Waiting for citizen"},
    "resolved": {"id": "Selesai", "en": "Resolved"},
    "closed": {"id": "Ditutup", "en": "Closed"},
}

EVENTS: dict[str, dict[str, str]] = {
    "created": {"id": "Dibuat", "en": "Created"},
    "routed": {"id": "Dirutekan", "en": "Routed"},
    "forwarded": {"id": "Diteruskan", "en": "Forwarded"},
    "replied": {"id": "Dibalas", "en": "Replied"},
    "status_changed": {"id": "Status diubah", "en": "Status changed"},
    "escalated": {"id": "Dieskalasi", "en": "Escalated"},
    "noted": {"id": "Catatan", "en": "Note"},
    "citizen_message": {"id": "Pesan warga", "en": "Citizen message"},
    "handover": {"id": "Minta petugas", "en": "Asked for an officer"},
}

KINDS: dict[str, dict[str, str]] = {
    "complaint": {"id": "Pengaduan", "en": "Complaint"},
    "aspiration": {"id": "Aspirasi", "en": "Suggestion"},
    "request": {"id": "Permintaan", "en": "Request"},
}

LANGS: tuple[str, ...] = ("id", "en")


LANG_COOKIE = "pintu_lang"


def request_lang(request: Request, ctx: StaffContext | None = None) -> str:
    """A console page's language: ?lang=, then the language cookie, the user's preference,
    then the configured default."""
    settings_lang = request.app.state.runtime.settings.console.language
    return pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                     ctx.user.language if ctx else None, settings_lang)


def pick_lang(*candidates: str | None) -> str:
    """The first supported language among the candidates (Indonesian if none)."""
    for lang in candidates:
        if lang is not None and lang in LANGS:
            return lang
    return "id"


class Words:
    """The console's texts in one language, for templates."""

    def __init__(self, lang: str) -> None:
        self.lang = pick_lang(lang)
        self._ui: Mapping[str, str] = UI[self.lang]

    def __call__(self, key: str) -> str:
        """A UI text (the key itself if missing, so a gap shows instead of failing)."""
        return self._ui.get(key, key)

    def status(self, status: str) -> str:
        """A status in words."""
        return STATUS.get(status, {}).get(self.lang, status)

    def event(self, kind: str) -> str:
        """A history event in words."""
        return EVENTS.get(kind, {}).get(self.lang, kind)

    def kind(self, kind: str) -> str:
        """A report type in words."""
        return KINDS.get(kind, {}).get(self.lang, kind)

    def category(self, key: str | None) -> str:
        """A category in words."""
        return category_name(key, self.lang) if key else "-"

    @property
    def categories(self) -> list[tuple[str, str]]:
        """Every category key with its name, for filters."""
        return [(k, category_name(k, self.lang)) for k in CATEGORY_KEYS]
