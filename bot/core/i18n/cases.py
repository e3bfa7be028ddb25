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
        "forbidden": "Laporan hanya untuk supervisor dan admin.",
        "not_found": "Unit tidak ditemukan.",
        "error": "Kesalahan",
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
        "forbidden": "Reports are for supervisors and admins.",
        "not_found": "Unit not found.",
        "error": "Error",
    },
}

CASES = Messages.per_language("cases", _CASES)
