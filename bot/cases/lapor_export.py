"""The SP4N-LAPOR! export: tickets in the column layout agencies' admin exports use, so a
desk that must also report through SP4N-LAPOR! does not type twice.

Two shapes (``../shared/DOMAIN.md``): the XLSX "Laporan Ringkas" (a header block in rows
1-9, the table header on row 11) and the CSV (the same fields plus the reporter's name,
the unit's id, the district and the village; dates ``23 Sep 2024``, times ``00:41:43``,
local time). A confidential ticket is typed ``Rahasia``; a citizen who never gave a name
is ``Anonim``. Neither carries the reporter's name, and their texts have NIK, phone
numbers and e-mail addresses masked (:func:`nlu.entities.mask_personal_data`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.surveys.reports import ReportFilter, local_day_bounds
from bot.tickets.clocks import marks_by_ticket
from nlu.entities import mask_personal_data
from routing.catalog import Catalog
from storage.models import Citizen, Ticket, TicketEvent, TicketStatus
from storage.ports import Repositories

#: The table's columns, as in the XLSX "Laporan Ringkas" (row 11).
XLSX_COLUMNS: tuple[str, ...] = (
    "Tracking ID", "Tanggal Laporan Masuk", "Waktu Laporan Masuk", "Klasifikasi Laporan",
    "ID Kategori", "Kategori", "Judul Laporan", "Isi Laporan Awal", "Isi Laporan Akhir",
    "Tipe Laporan (Anonim/Rahasia)", "Sumber Laporan", "Instansi Induk",
    "Instansi Terdisposisi", "Status Laporan", "Alasan Tunda/Arsip", "Provinsi",
    "Kota/Kabupaten")
#: The CSV's columns: the same, plus four.
CSV_COLUMNS: tuple[str, ...] = (
    *XLSX_COLUMNS, "Nama Pelapor", "ID Instansi Terdisposisi", "Kecamatan", "Kelurahan")
HEADER_ROW = 11
TITLE = "Laporan Ringkas"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TITLE_CHARS = 80

#: Pintu's categories as SP4N-LAPOR!'s category names (``data/lapor_categories.tsv``).
LAPOR_CATEGORY: Mapping[str, str] = {
    "infrastructure": "Pekerjaan Umum dan Penataan Ruang",
    "water_supply": "Layanan Air Minum",
    "electricity": "Energi dan Sumber Daya Alam",
    "health": "Kesehatan",
    "education": "Pendidikan dan Kebudayaan",
    "population_registry": "Administrasi Kependudukan dan Pencatatan Sipil",
    "social_assistance": "Sosial dan Kesejahteraan",
    "environment": "Lingkungan Hidup dan Kehutanan",
    "disaster": "Penanggulangan Bencana",
    "transport": "Perhubungan",
    "public_order": "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat",
    "security": "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat",
    "licensing": "Perizinan",
    "taxes_fees": "Pajak",
    "employment": "Ketenagakerjaan",
    "civil_service": "Pungutan Liar",
    "other": "Topik Lainnya",
}
#: Where a report came from, in SP4N-LAPOR!'s words; other channels are written
#: capitalised, as SP4N-LAPOR! writes the messaging apps.
LAPOR_SOURCE: Mapping[str, str] = {
    "webchat": "Website", "rest": "API", "terminal": "Tatap Muka", "open311": "Open311",
}
#: Complaints about the apparatus itself are "berkadar pengawasan" (oversight).
OVERSIGHT_CATEGORIES = frozenset({"civil_service"})


@dataclass(frozen=True)
class LaporExport:
    """The rows of an export and what its header block says."""

    agency: str
    generated_at: datetime
    date_from: date | None
    date_to: date | None
    rows: Sequence[dict[str, str]]

    @property
    def period(self) -> str:
        """``(2021-01-01) - (2024-12-31)``, as the header block writes it."""
        first = self.date_from.isoformat() if self.date_from else ""
        last = self.date_to.isoformat() if self.date_to else ""
        return f"({first}) - ({last})"


def lapor_date(moment: datetime) -> str:
    """``23 Sep 2024``."""
    return f"{moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year:04d}"


def classification(ticket: Ticket) -> str:
    """Klasifikasi Laporan."""
    if ticket.kind == "aspiration":
        return "Aspirasi"
    if ticket.kind == "request":
        return "Permintaan Informasi"
    if ticket.category in OVERSIGHT_CATEGORIES:
        return "Pengaduan Berkadar Pengawasan"
    return "Pengaduan Tidak Berkadar Pengawasan"


def lapor_status(ticket: Ticket, verified: bool, closed_by: str | None) -> str:
    """Status Laporan from the ticket's status (and who closed it)."""
    status = ticket.status
    if status == TicketStatus.CLOSED:
        return {"staff": "Ditutup oleh Admin", "citizen": "Ditutup oleh Pelapor"}.get(
            closed_by or "", "Ditutup oleh Sistem")
    names: dict[str, str] = {
        TicketStatus.NEW: "Belum Terverifikasi",
        TicketStatus.ROUTED: "Terdisposisi" if verified else "Belum Terverifikasi",
        TicketStatus.IN_PROGRESS: "Ditindaklanjuti",
        TicketStatus.WAITING_CITIZEN: "Menunggu Kelengkapan Informasi",
        TicketStatus.RESOLVED: "Selesai",
    }
    return names.get(status, status)


def _title(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    return first if len(first) <= _TITLE_CHARS else first[:_TITLE_CHARS - 1].rstrip() + "…"


def _places(catalog: Catalog, code: str | None) -> tuple[str, str, str]:
    """Provinsi, Kota/Kabupaten, Kecamatan of a wilayah code ("" where unknown)."""
    wil = catalog.wilayah
    if not code or wil is None:
        return "", "", ""
    for candidate in wil.ancestors(code):
        if wil.level(candidate) is not None:
            region = wil.region(candidate)
            return (region.province_name or "", region.regency_name or "",
                    region.district_name or "")
    return "", "", ""


def _root_unit(catalog: Catalog, unit_id: str) -> str:
    if not catalog.has_unit(unit_id):
        return unit_id
    chain = catalog.ancestors(unit_id)
    return (chain[-1] if chain else catalog.unit(unit_id)).name


def export_row(ticket: Ticket, citizen: Citizen | None, catalog: Catalog, *, verified: bool,
               closed_by: str | None) -> dict[str, str]:
    """One ticket as a row of :data:`CSV_COLUMNS` (the XLSX takes its first 17)."""
    local = ticket.created_at.astimezone(catalog.tzinfo)
    anonymous = citizen is None or not (citizen.display_name or "").strip()
    private = anonymous or ticket.confidential
    text = mask_personal_data(ticket.description) if private else ticket.description
    kinds = [k for k, on in (("Anonim", anonymous), ("Rahasia", ticket.confidential)) if on]
    province, regency, district = _places(catalog, ticket.region_code)
    unit = catalog.unit(ticket.unit_id).name if catalog.has_unit(ticket.unit_id) \
        else ticket.unit_id
    return {
        "Tracking ID": ticket.number,
        "Tanggal Laporan Masuk": lapor_date(local),
        "Waktu Laporan Masuk": local.strftime("%H:%M:%S"),
        "Klasifikasi Laporan": classification(ticket),
        "ID Kategori": ticket.category,
        "Kategori": LAPOR_CATEGORY.get(ticket.category, "Topik Lainnya"),
        "Judul Laporan": _title(text),
        "Isi Laporan Awal": text,
        "Isi Laporan Akhir": text,
        "Tipe Laporan (Anonim/Rahasia)": "|".join(kinds),
        "Sumber Laporan": LAPOR_SOURCE.get(ticket.channel, ticket.channel.capitalize()),
        "Instansi Induk": _root_unit(catalog, ticket.unit_id),
        "Instansi Terdisposisi": unit,
        "Status Laporan": lapor_status(ticket, verified, closed_by),
        "Alasan Tunda/Arsip": "",
        "Provinsi": province,
        "Kota/Kabupaten": regency or (ticket.region_name or ""),
        "Nama Pelapor": "" if private or citizen is None else (citizen.display_name or ""),
        "ID Instansi Terdisposisi": ticket.unit_id,
        "Kecamatan": district,
        # Pintu resolves places down to the district; a village is in the location text.
        "Kelurahan": "",
    }


def _closed_by(events: Iterable[TicketEvent]) -> dict[int, str]:
    out: dict[int, str] = {}
    for ev in events:
        if ev.to_status == TicketStatus.CLOSED:
            out[ev.ticket_id] = ev.actor_type
    return out


async def lapor_export(repos: Repositories, catalog: Catalog, flt: ReportFilter,
                       now: datetime) -> LaporExport:
    """The tickets filed on the filter's local days, of its units, as export rows."""
    since, until = local_day_bounds(flt.date_from, flt.date_to, catalog.tzinfo)
    tickets = await repos.cases.filed_between(since, until, flt.unit_scope(catalog))
    ids = [t.id for t in tickets]
    marks = marks_by_ticket(await repos.cases.clock_events(ids))
    closed = _closed_by(await repos.cases.events_of_kind(ids, ("status_changed",)))
    citizens = {c.id: c for c in await repos.cases.citizens([t.citizen_id for t in tickets])}
    rows = [export_row(t, citizens.get(t.citizen_id), catalog,
                       verified=t.id in marks and marks[t.id].first_staff_action_at is not None,
                       closed_by=closed.get(t.id)) for t in tickets]
    agency = catalog.unit(flt.unit_id).name if flt.unit_id else catalog.name
    return LaporExport(agency, now.astimezone(catalog.tzinfo), flt.date_from, flt.date_to, rows)


def export_csv(export: LaporExport) -> str:
    """The CSV shape (UTF-8 text, a header row, CRLF)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(export.rows)
    return buf.getvalue()


def export_xlsx(export: LaporExport, manager: str = "Pintu") -> bytes:
    """The XLSX "Laporan Ringkas": the header block, then the table from row 11."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet: Any = book.active
    sheet.title = TITLE
    block = (("Judul Laporan", TITLE), ("Nama Instansi", export.agency),
             ("Tanggal Generate", export.generated_at.strftime("%Y-%m-%d %H:%M:%S")),
             ("Periode Masuk", export.period), ("Pengelola", manager))
    for i, (label, value) in enumerate(block):
        sheet.cell(row=1 + 2 * i, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=1 + 2 * i, column=3, value=value)
    for col, name in enumerate(XLSX_COLUMNS, start=1):
        sheet.cell(row=HEADER_ROW, column=col, value=name).font = Font(bold=True)
    for r, row in enumerate(export.rows, start=HEADER_ROW + 1):
        for col, name in enumerate(XLSX_COLUMNS, start=1):
            sheet.cell(row=r, column=col, value=row[name])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
