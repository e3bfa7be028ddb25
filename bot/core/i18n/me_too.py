""""Saya juga" words (issue 16 item 2): the offer to join an open ticket, what joiners are
told, and the console's joiner list, merge and split."""

from __future__ import annotations

from bot.core.i18n.lang import Messages

_ME_TOO: dict[str, dict[str, str]] = {
    "id": {
        "offer": "Laporan yang mirip sudah ada dan sedang ditangani:\n\n"
                 "Tiket {number} ({status})\n{summary}\nLokasi: {place}\n"
                 "Warga yang ikut melapor: {joiners}\n\n"
                 "Apakah ini masalah yang sama? Pilih \"Ya, saya juga\" untuk ikut laporan ini "
                 "dan mendapat setiap kabar terbarunya, atau \"Buat laporan baru\".",
        "choose": "Apakah masalah Anda sama dengan laporan {number}? "
                  "Pilih \"Ya, saya juga\" atau \"Buat laporan baru\".",
        "btn_join": "Ya, saya juga",
        "btn_new": "Buat laporan baru",
        "joined": "Terima kasih, Anda ikut laporan {number} yang ditangani {unit}. "
                  "Keterangan Anda sudah kami teruskan ke petugas, dan setiap perkembangan "
                  "tiket ini akan kami kabarkan kepada Anda.",
        "check_code": "\nKode cek tiket: {code} (untuk melihat status bersama nomor tiket).",
        "gone": "Laporan {number} baru saja ditutup, jadi laporan Anda kami kirim sebagai "
                "laporan baru.",
        "reply": "Balasan petugas {unit} untuk tiket {number} yang Anda ikuti:\n{text}",
        "forwarded": "Tiket {number} yang Anda ikuti kini ditangani oleh {unit}. "
                     "Alasan: {reason}",
        "resolved": "Tiket {number} yang Anda ikuti telah diselesaikan oleh {unit}.{note}",
        "in_progress": "Tiket {number} yang Anda ikuti sedang ditindaklanjuti oleh {unit}.",
        "reopened": "Tiket {number} yang Anda ikuti dibuka kembali dan ditangani lagi "
                    "oleh {unit}.",
        "merged": "Laporan {source} digabung dengan laporan {target} tentang masalah yang "
                  "sama, ditangani {unit}. Anda tidak perlu melapor ulang: kabar "
                  "selanjutnya kami kirim untuk tiket {target}.",
        "split": "Laporan Anda kini ditangani sebagai tiket tersendiri {number} oleh {unit}, "
                 "terpisah dari tiket {source}.",
    },
    "en": {
        "offer": "A similar report is already being handled:\n\n"
                 "Ticket {number} ({status})\n{summary}\nLocation: {place}\n"
                 "Citizens who joined it: {joiners}\n\n"
                 "Is this the same problem? Choose \"Yes, me too\" to join this report and get "
                 "every update on it, or \"File a new report\".",
        "choose": "Is your problem the same as report {number}? "
                  "Choose \"Yes, me too\" or \"File a new report\".",
        "btn_join": "Yes, me too",
        "btn_new": "File a new report",
        "joined": "Thank you, you have joined report {number}, handled by {unit}. "
                  "Your details were passed on to the officers, and we will tell you of "
                  "every update on this ticket.",
        "check_code": "\nTicket check code: {code} (to see the status with the number).",
        "gone": "Report {number} was just closed, so we filed yours as a new report.",
        "reply": "Reply from {unit} officer on ticket {number}, which you joined:\n{text}",
        "forwarded": "Ticket {number}, which you joined, is now handled by {unit}. "
                     "Reason: {reason}",
        "resolved": "Ticket {number}, which you joined, has been resolved by {unit}.{note}",
        "in_progress": "{unit} has started work on ticket {number}, which you joined.",
        "reopened": "Ticket {number}, which you joined, was reopened and is handled again "
                    "by {unit}.",
        "merged": "Report {source} was merged with report {target} about the same problem, "
                  "handled by {unit}. You don't need to report again: further news comes "
                  "for ticket {target}.",
        "split": "Your report is now handled as its own ticket {number} by {unit}, apart from "
                 "ticket {source}.",
    },
}
ME_TOO = Messages.per_language("me too", _ME_TOO)


_ME_TOO_CONSOLE: dict[str, dict[str, str]] = {
    "id": {
        "joiners": "Warga yang ikut melapor",
        "joiners_short": "ikut",
        "no_joiners": "Belum ada warga yang ikut melapor.",
        "joined_at": "Bergabung",
        "source_me_too": "saya juga",
        "source_merged": "digabung dari {number}",
        "split": "Pisahkan jadi tiket baru",
        "split_hint": "Laporan warga ini menjadi tiket sendiri (dirutekan seperti laporan lain).",
        "merge": "Gabungkan ke tiket lain",
        "merge_target": "Nomor tiket tujuan (unit yang sama)",
        "merge_hint": "Pelapor dan warga yang ikut menjadi peserta tiket tujuan; tiket ini "
                      "ditutup sebagai digabung.",
        "merge_send": "Gabungkan",
        "merged_into": "Digabung ke",
        "done_merge": "Tiket digabung.",
        "done_split": "Laporan warga dipisah menjadi tiket baru.",
        "reply_reaches": "Balasan juga dikirim ke {n} warga yang ikut melapor.",
    },
    "en": {
        "joiners": "Citizens who joined",
        "joiners_short": "joined",
        "no_joiners": "No citizen has joined yet.",
        "joined_at": "Joined",
        "source_me_too": "me too",
        "source_merged": "merged from {number}",
        "split": "Split off as a new ticket",
        "split_hint": "This citizen's report becomes its own ticket (routed like any other).",
        "merge": "Merge into another ticket",
        "merge_target": "Target ticket number (same unit)",
        "merge_hint": "The reporter and joiners become joiners of the target; this ticket is "
                      "closed as merged.",
        "merge_send": "Merge",
        "merged_into": "Merged into",
        "done_merge": "Ticket merged.",
        "done_split": "The citizen's report was split off as a new ticket.",
        "reply_reaches": "The reply also goes to the {n} citizens who joined.",
    },
}
ME_TOO_CONSOLE = Messages.per_language("me too console", _ME_TOO_CONSOLE)
