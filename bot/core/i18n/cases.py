"""Case handling words (issue 16): the clocks, the compliance report (console and
terminal), and the console's map."""

from __future__ import annotations

from bot.core.i18n.lang import Messages

_CASES: dict[str, dict[str, str]] = {
    "id": {
        "clocks": "Jam layanan",
        "clock_verification": "Verifikasi",
        "clock_first_response": "Tindak lanjut pertama",
        "clock_resolution": "Penyelesaian",
        "state_met": "tepat waktu",
        "state_breached": "terlambat",
        "state_running": "berjalan",
        "due": "tenggat",
        "stopped": "selesai",
        "compliance_title": "Kepatuhan waktu layanan",
        "compliance_intro": "Persentase tiket yang selesai dalam setiap jam "
                            "(verifikasi, tindak lanjut pertama, penyelesaian), "
                            "per unit dan periode tiket masuk.",
        "unit": "Unit",
        "period": "Periode",
        "tickets": "Tiket",
        "within": "dalam waktu",
        "total": "Semua unit",
        "none": "Tidak ada tiket pada periode ini.",
        "csv": "Unduh CSV",
        "from": "Dari",
        "to": "Sampai",
        "show": "Tampilkan",
        "all_units": "Semua unit",
        "per_period": "Per periode",
        "csv_written": "CSV ditulis ke {path}",
        "lapor_written": "{count} tiket ditulis ke {path}",
        "forbidden": "Laporan hanya untuk supervisor dan admin.",
        "not_found": "Unit tidak ditemukan.",
        "error": "Kesalahan",
        "hold_title": "Percakapan",
        "with_bot": "Bot menjawab warga.",
        "held_until": "Dipegang petugas sampai {until}: bot diam.",
        "take": "Ambil alih percakapan",
        "hand_back": "Kembalikan ke bot",
        "media": "Media dari warga",
        "media_pending": "sedang diunduh",
        "media_rejected": "ditolak",
        "media_failed": "gagal diunduh",
        "media_expired": "dihapus (masa simpan habis)",
        "media_erased": "dihapus (data warga dihapus atas permintaannya)",
        "map_link": "Lihat di peta",
        "map_title": "Peta tiket",
        "map_approx": "lokasi perkiraan (pusat wilayah)",
        "map_unplaced": "{count} dari {total} tiket tidak dapat ditempatkan di peta: tanpa "
                        "koordinat, dan titik pusat wilayahnya tidak diketahui.",
        "map_more": "Peta hanya memuat {limit} tiket terbaru yang cocok; persempit saringan "
                    "untuk melihat yang lain.",
        "map_open": "Buka tiket",
    },
    "en": {
        "clocks": "Service clocks",
        "clock_verification": "Verification",
        "clock_first_response": "First follow-up",
        "clock_resolution": "Resolution",
        "state_met": "in time",
        "state_breached": "late",
        "state_running": "running",
        "due": "due",
        "stopped": "done",
        "compliance_title": "Service-time compliance",
        "compliance_intro": "Share of tickets done within each clock "
                            "(verification, first follow-up, resolution), "
                            "per unit and period filed.",
        "unit": "Unit",
        "period": "Period",
        "tickets": "Tickets",
        "within": "within",
        "total": "All units",
        "none": "No tickets in this period.",
        "csv": "Download CSV",
        "from": "From",
        "to": "To",
        "show": "Show",
        "all_units": "All units",
        "per_period": "Per period",
        "csv_written": "CSV written to {path}",
        "lapor_written": "{count} tickets written to {path}",
        "forbidden": "Reports are for supervisors and admins.",
        "not_found": "Unit not found.",
        "error": "Error",
        "hold_title": "Conversation",
        "with_bot": "The bot answers the citizen.",
        "held_until": "Held by an officer until {until}: the bot is quiet.",
        "take": "Take the conversation",
        "hand_back": "Hand back to the bot",
        "media": "Media from the citizen",
        "media_pending": "downloading",
        "media_rejected": "refused",
        "media_failed": "download failed",
        "media_expired": "deleted (retention passed)",
        "media_erased": "deleted (the citizen's data was erased at their request)",
        "map_link": "Show on the map",
        "map_title": "Ticket map",
        "map_approx": "approximate place (area centre)",
        "map_unplaced": "{count} of {total} tickets could not be placed on the map: no "
                        "coordinates, and no centre known for their area.",
        "map_more": "The map holds only the newest {limit} matching tickets; narrow the "
                    "filters to see the others.",
        "map_open": "Open ticket",
    },
}

CASES = Messages.per_language("cases", _CASES)


_CASES_CITIZEN: dict[str, dict[str, str]] = {
    "id": {
        "followup_question": "Terima kasih atas penilaian Anda. Apakah masalah pada tiket "
                             "{number} benar-benar sudah selesai? Jika belum, ceritakan apa "
                             "yang masih bermasalah.",
        "btn_solved": "Sudah",
        "btn_not_solved": "Belum",
        "followup_solved": "Baik, terima kasih. Tiket {number} tetap selesai.",
        "followup_reopened": "Tiket {number} dibuka kembali dan dikembalikan ke {unit} "
                             "bersama komentar Anda. Kami akan mengabari Anda.",
        "followup_cannot_reopen": "Tiket {number} tidak dapat dibuka kembali lagi. Silakan "
                                  "buat laporan baru bila masalahnya masih ada.",
        "followup_dropped": "Baik. Bila masalahnya belum selesai, buat laporan baru kapan saja.",
        "followup_default_comment": "Warga menyatakan masalah belum selesai (nilai {score} "
                                    "dari 4 untuk penanganan).",
    },
    "en": {
        "followup_question": "Thank you for your rating. Is the problem of ticket {number} "
                             "really solved? If not, tell us what is still wrong.",
        "btn_solved": "Solved",
        "btn_not_solved": "Not yet",
        "followup_solved": "All right, thank you. Ticket {number} stays resolved.",
        "followup_reopened": "Ticket {number} is reopened and sent back to {unit} with your "
                             "comment. We will keep you posted.",
        "followup_cannot_reopen": "Ticket {number} cannot be reopened again. Please file a new "
                                  "report if the problem is still there.",
        "followup_dropped": "All right. If the problem is not solved, file a new report any "
                            "time.",
        "followup_default_comment": "The citizen says the problem is not solved (rated "
                                    "{score} of 4 for handling).",
    },
}

CASES_CITIZEN = Messages.per_language("cases citizen", _CASES_CITIZEN)


_ALERTS: dict[str, dict[str, str]] = {
    "id": {
        "subject_ticket": "[Pintu] Tiket baru {number} untuk {unit}",
        "subject_forwarded": "[Pintu] Tiket {number} diteruskan ke {unit}",
        "subject_handover": "[Pintu] Warga meminta petugas: {number}",
        "body": "{headline}\nKategori: {category}\nWilayah: {region}\nTenggat: {due}\n\n"
                "{text}\n\n{link}",
        "confidential": "(laporan rahasia)",
    },
    "en": {
        "subject_ticket": "[Pintu] New ticket {number} for {unit}",
        "subject_forwarded": "[Pintu] Ticket {number} forwarded to {unit}",
        "subject_handover": "[Pintu] A citizen asks for an officer: {number}",
        "body": "{headline}\nCategory: {category}\nRegion: {region}\nDue: {due}\n\n"
                "{text}\n\n{link}",
        "confidential": "(confidential report)",
    },
}

ALERTS = Messages.per_language("alerts", _ALERTS)
