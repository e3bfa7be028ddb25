"""The words of the satisfaction (IKM/SKM) reports: the CSV files, the console page
and the terminal table.

Each output has its own table because the same idea is worded differently in
each (the CSV's "Jumlah responden" is the page's "Responden"), and the CSV and
terminal texts are asserted byte for byte by the report tests.
"""

from __future__ import annotations

from bot.core.i18n.lang import Messages, require_lang

_SKM_CSV: dict[str, dict[str, str]] = {
    "id": {
        "title": "Laporan Survei Kepuasan Masyarakat (SKM)",
        "basis": "Dasar",
        "unit": "Unit pelayanan",
        "period": "Periode",
        "no": "No",
        "code": "Kode",
        "element": "Unsur pelayanan",
        "answers": "Jumlah jawaban",
        "total": "Jumlah nilai",
        "nrr": "NRR",
        "weight": "Bobot",
        "weighted": "NRR tertimbang",
        "note": "Keterangan",
        "empty": "Tidak ada jawaban; tidak dihitung",
        "ikm": "IKM (skala 1-4)",
        "converted": "IKM konversi (skala 25-100)",
        "grade": "Mutu pelayanan",
        "label": "Kinerja unit pelayanan",
        "respondents": "Jumlah responden",
        "population": "Populasi",
        "minimum": "Sampel minimum (Krejcie-Morgan)",
        "sufficient": "Sampel memenuhi",
        "yes": "Ya",
        "no_": "Tidak",
        "respondent": "Responden",
        "sum_row": "Jumlah nilai",
        "count_row": "Jumlah jawaban",
    },
    "en": {
        "title": "Public Satisfaction Survey (SKM) report",
        "basis": "Basis",
        "unit": "Service unit",
        "period": "Period",
        "no": "No",
        "code": "Code",
        "element": "Service element",
        "answers": "Answers",
        "total": "Total score",
        "nrr": "NRR",
        "weight": "Weight",
        "weighted": "Weighted NRR",
        "note": "Note",
        "empty": "No answers; not counted",
        "ikm": "IKM (1-4 scale)",
        "converted": "Converted IKM (25-100 scale)",
        "grade": "Service quality",
        "label": "Unit performance",
        "respondents": "Respondents",
        "population": "Population",
        "minimum": "Minimum sample (Krejcie-Morgan)",
        "sufficient": "Sample sufficient",
        "yes": "Yes",
        "no_": "No",
        "respondent": "Respondent",
        "sum_row": "Total score",
        "count_row": "Answers",
    },
}

_IKM_PAGE: dict[str, dict[str, str]] = {
    "id": {
        "title": "Indeks Kepuasan Masyarakat (IKM)", "unit": "Unit", "all": "Semua unit",
        "from": "Dari", "to": "Sampai", "period": "Periode", "channel": "Kanal", "any": "Semua",
        "filter": "Tampilkan", "descendants": "Termasuk unit di bawahnya",
        "ikm": "IKM (1-4)", "converted": "Konversi", "grade": "Mutu",
        "respondents": "Responden", "sample": "Sampel minimum", "total": "Total",
        "over_time": "IKM per periode", "per_element": "NRR per unsur",
        "per_unit": "IKM per unit", "csv": "Unduh laporan SKM (CSV)",
        "none": "Belum ada jawaban survei untuk pilihan ini.", "element": "Unsur",
        "nrr": "NRR", "answers": "Jawaban", "inbox": "Kotak masuk",
        "week": "minggu", "month": "bulan", "quarter": "triwulan", "semester": "semester",
        "year": "tahun", "ok": "terpenuhi", "short": "belum terpenuhi",
        "forbidden": "Laporan hanya untuk supervisor dan admin.",
        "not_found": "Unit tidak ditemukan.", "error": "Kesalahan", "yes": "Ya", "no": "Tidak",
    },
    "en": {
        "title": "Public Satisfaction Index (IKM)", "unit": "Unit", "all": "All units",
        "from": "From", "to": "To", "period": "Period", "channel": "Channel", "any": "Any",
        "filter": "Show", "descendants": "Include units below it",
        "ikm": "IKM (1-4)", "converted": "Converted", "grade": "Grade",
        "respondents": "Respondents", "sample": "Minimum sample", "total": "Total",
        "over_time": "IKM per period", "per_element": "NRR per element",
        "per_unit": "IKM per unit", "csv": "Download the SKM report (CSV)",
        "none": "No survey answers for this selection yet.", "element": "Element",
        "nrr": "NRR", "answers": "Answers", "inbox": "Inbox",
        "week": "week", "month": "month", "quarter": "quarter", "semester": "semester",
        "year": "year", "ok": "reached", "short": "not reached",
        "forbidden": "Reports are for supervisors and admins.",
        "not_found": "Unit not found.", "error": "Error", "yes": "Yes", "no": "No",
    },
}

_IKM_TERMINAL: dict[str, dict[str, str]] = {
    "id": {
        # The summary table's column headings, left to right.
        "unit": "Unit", "ikm": "IKM 1-4", "converted": "Konversi", "grade": "Mutu",
        "respondents": "Responden", "sample": "Sampel min.",
        "total": "Total",
        "per_element": "Per unsur", "per_period": "Per periode", "per_channel": "Per kanal",
        "none": "Tidak ada jawaban survei.", "nrr": "NRR", "answers": "jawaban",
        "sample_ok": "cukup", "sample_short": "kurang",
        "csv_written": "CSV ditulis ke {path}",
    },
    "en": {
        "unit": "Unit", "ikm": "IKM 1-4", "converted": "Converted", "grade": "Grade",
        "respondents": "Respondents", "sample": "Min. sample",
        "total": "Total",
        "per_element": "Per element", "per_period": "Per period", "per_channel": "Per channel",
        "none": "No survey answers.", "nrr": "NRR", "answers": "answers",
        "sample_ok": "ok", "sample_short": "short",
        "csv_written": "CSV written to {path}",
    },
}

_REPORT_SCOPE: dict[str, dict[str, str]] = {
    "id": {
        "until": "s.d.", "start": "awal", "now": "sekarang", "all_units": "Semua unit",
        "with_descendants": " (termasuk unit di bawahnya)",
    },
    "en": {
        "until": "to", "start": "start", "now": "now", "all_units": "All units",
        "with_descendants": " (with units below it)",
    },
}

#: Headings and fixed cells of the SKM report and respondent-matrix CSV files.
SKM_CSV = Messages.per_language("SKM CSV", _SKM_CSV)
#: The console's IKM report page (the template's ``r``) and its chart labels.
IKM_PAGE = Messages.per_language("IKM page", _IKM_PAGE)
#: ``pintu report ikm``'s terminal table.
IKM_TERMINAL = Messages.per_language("IKM terminal", _IKM_TERMINAL)
#: The terminal summary table's columns, in order (keys of :data:`IKM_TERMINAL`).
IKM_TERMINAL_COLUMNS: tuple[str, ...] = (
    "unit", "ikm", "converted", "grade", "respondents", "sample",
)


def skm_csv_headings(lang: str) -> dict[str, str]:
    """Every SKM CSV heading in ``lang``, which must be exactly ``"id"`` or ``"en"``.

    Strict (ValueError otherwise) because a report file in a silently
    substituted language would be worse than none.
    """
    return SKM_CSV.in_lang(require_lang(lang))
#: What a report covers, in words (its dates and its units), on every output.
REPORT_SCOPE = Messages.per_language("report scope", _REPORT_SCOPE)
