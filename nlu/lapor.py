"""SP4N-LAPOR! admin exports as training data: reading, labelling, masking (pure logic).

Every agency on SP4N-LAPOR! can export its reports in one of two shapes:

- XLSX "Laporan Ringkas": a header block (report title, ``Nama Instansi``,
  ``Tanggal Generate``, ``Periode Masuk``, ``Pengelola``) and then the table,
  whose header row starts with ``Tracking ID``;
- CSV: the same table with ``Nama Pelapor``, ``ID Instansi Terdisposisi``,
  ``Kecamatan`` and ``Kelurahan`` besides.

:func:`read_export` reads either from bytes (the header row is found, not
assumed); :func:`label_report` turns one row into a training example or says
why it cannot: ``Isi Laporan Awal`` is the text (a ``Judul Laporan`` glued to
its start is split off), ``Klasifikasi Laporan`` the intent, and ``Kategori``,
then ``Instansi Terdisposisi``, the category (:class:`LaporMap`: the shipped
``nlu/data/lapor_map.yml`` and the unit table of :mod:`nlu.agencies`, extended
by an agency's own map). Units whose job is mixed (Dinas PU, Dishub, a
kecamatan, the Setda) label a row only together with a category. Personal data
(NIK, phone numbers, e-mail addresses, the reporter's and other people's
names) is masked by :func:`mask_report` before a text goes anywhere.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from nlu.agencies import agency_of
from nlu.entities import mask_personal_data
from nlu.examples import TrainingExample
from nlu.taxonomy import CATEGORIES

LAPOR_SOURCE = "lapor"  # the ``source`` of imported examples
DEFAULT_MAP_PATH = Path(__file__).resolve().parent / "data" / "lapor_map.yml"
MAX_TEXT = 4000  # characters of a report kept (cut at a sentence end)
MIN_TEXT = 15
MIXED = "mixed"

# The table's columns: our name -> how the export names it (compared folded).
COLUMNS: dict[str, tuple[str, ...]] = {
    "tracking_id": ("tracking id",),
    "date": ("tanggal laporan masuk",),
    "classification": ("klasifikasi laporan",),
    "category": ("kategori",),
    "title": ("judul laporan",),
    "text": ("isi laporan awal",),
    "kind": ("tipe laporan (anonim/rahasia)", "tipe laporan"),
    "channel": ("sumber laporan",),
    "unit": ("instansi terdisposisi",),
    "status": ("status laporan",),
    "reporter": ("nama pelapor",),
}
_HEADER_KEYS = ("tracking id", "isi laporan awal")


class LaporFormatError(ValueError):
    """The file is not an SP4N-LAPOR! export this reader understands."""


class LaporMapError(ValueError):
    """A map file (``--map``) that cannot be used."""


@dataclass(frozen=True, slots=True)
class LaporReport:
    """One row of an export (every value as text, trimmed; ``received`` parsed)."""

    line: int
    tracking_id: str = ""
    received: date | None = None
    classification: str = ""
    category: str = ""
    title: str = ""
    text: str = ""
    kind: str = ""
    channel: str = ""
    unit: str = ""
    status: str = ""
    reporter: str = ""

    @property
    def confidential(self) -> bool:
        """Whether the citizen asked that the report not be published ("Rahasia")."""
        return "rahasia" in self.kind.casefold()


@dataclass(frozen=True)
class LaporExport:
    """A read export: its rows, the shape and what its header block says."""

    reports: tuple[LaporReport, ...]
    shape: str  # "xlsx" | "csv"
    agency: str | None = None
    period: str | None = None


# --------------------------------------------------------------------------- reading

def _fold(value: object) -> str:
    return " ".join(str(value or "").replace("\u00a0", " ").split()).casefold()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").strip()


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise LaporFormatError(f"not a readable XLSX file ({type(exc).__name__})") from exc
    try:
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise LaporFormatError("the CSV file is neither UTF-8 nor Windows-1252 text")
    sample = text[:20_000]
    delimiter = max((",", ";", "\t"), key=sample.count)
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _header_index(rows: Sequence[Sequence[str]]) -> int:
    for i, row in enumerate(rows[:60]):
        folded = {_fold(v) for v in row}
        if all(k in folded for k in _HEADER_KEYS):
            return i
    raise LaporFormatError("no table header with 'Tracking ID' and 'Isi Laporan Awal' "
                           "in the first 60 rows: not an SP4N-LAPOR! export")


def _column_positions(header: Sequence[str]) -> dict[str, int]:
    folded = [_fold(v) for v in header]
    positions: dict[str, int] = {}
    for name, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in folded:
                positions[name] = folded.index(spelling)
                break
    return positions


def _header_block(rows: Sequence[Sequence[str]]) -> dict[str, str]:
    """Label -> value of the rows above the table ("Nama Instansi", "Periode Masuk")."""
    block: dict[str, str] = {}
    for row in rows:
        cells = [c for c in row if c]
        if len(cells) >= 2:
            block[_fold(cells[0]).rstrip(" :")] = cells[1].lstrip(": ").strip()
    return block


_MONTHS = {m: i + 1 for i, names in enumerate((
    ("jan", "januari", "january"), ("feb", "februari", "february", "peb"),
    ("mar", "maret", "march"), ("apr", "april"), ("mei", "may"), ("jun", "juni", "june"),
    ("jul", "juli", "july"), ("agu", "agt", "aug", "agustus", "august"),
    ("sep", "sept", "september"), ("okt", "oct", "oktober", "october"),
    ("nov", "nopember", "november"), ("des", "dec", "desember", "december"),
)) for m in names}


def parse_date(value: str) -> date | None:
    """A report date as exports write it ("23 Sep 2024", "2024-09-23", "23/09/2024"),
    or None."""
    text = value.strip()
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = re.match(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
        if m and m[2].casefold() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2].casefold()], int(m[1]))
    except ValueError:
        return None
    return None


def read_export(content: bytes, filename: str = "") -> LaporExport:
    """Read an export (XLSX or CSV, told apart by content); :class:`LaporFormatError`
    when it is neither or has no LAPOR! table."""
    if not content.strip():
        raise LaporFormatError("the file is empty")
    is_xlsx = content[:2] == b"PK" or filename.lower().endswith(".xlsx")
    rows = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    start = _header_index(rows)
    positions = _column_positions(rows[start])
    block = _header_block(rows[:start])
    reports: list[LaporReport] = []
    for offset, row in enumerate(rows[start + 1:], start=start + 2):
        if not any(row):
            continue
        values = {name: (row[i] if i < len(row) else "") for name, i in positions.items()}
        reports.append(LaporReport(
            line=offset, received=parse_date(values.pop("date", "")),
            **{k: v for k, v in values.items()}))
    return LaporExport(tuple(reports), "xlsx" if is_xlsx else "csv",
                       block.get("nama instansi") or None, block.get("periode masuk") or None)


# --------------------------------------------------------------------------- text

def split_title(title: str, text: str) -> str:
    """The report's body: ``text`` without the title glued to its start (the export often
    writes "Jalan RusakJalan di depan ..."); ``text`` as it is when the title is not there."""
    body, head = text.strip(), " ".join(title.split())
    if not head:
        return body
    folded = " ".join(body.split())
    if len(folded) > len(head) and folded[:len(head)].casefold() == head.casefold():
        rest = folded[len(head):].lstrip(" -:.|\u2013\u2014")
        if len(rest) >= MIN_TEXT:
            return rest
    return body


_HONORIFIC = re.compile(
    r"\b(?P<h>(?i:bapak|bpk|pak|ibu|bu|sdr|sdri|saudara|saudari|nama saya|saya bernama"
    r"|atas nama|a\.n\.?)\.?)\s+(?P<n>[A-Z][a-z']+(?:\s+[A-Z][a-z']+){0,3})")
# Capitalised words after "Pak"/"Bu" that are offices, not names.
_OFFICES = frozenset([
    "camat", "lurah", "rt", "rw", "kades", "kepala", "bupati", "walikota", "wali", "gubernur",
    "dokter", "dinas", "kadis", "kapolsek", "kapolres", "presiden", "menteri", "guru", "kepsek",
    "direktur", "ketua", "sekda", "satpol", "kapten", "polisi", "bidan", "mantri", "haji",
    "kyai", "ustadz", "camatnya", "lurahnya"
])
# Words an export puts in "Nama Pelapor" that are not a person's name.
_NOT_NAMES = frozenset([
    "anonim", "anonymous", "rahasia", "warga", "pelapor", "masyarakat", "hamba", "admin",
    "bapak", "ibu", "saudara", "saudari"
])


def _mask_names(text: str, reporter: str) -> str:
    words = {w for w in re.findall(r"[^\W\d_]{3,}", reporter) if w.casefold() not in _NOT_NAMES}
    for w in sorted(words, key=len, reverse=True):
        # as a name is written: capitalised or in capitals (not the same common word)
        forms = {w[:1].upper() + w[1:].lower(), w.upper()}
        text = re.sub(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", "[NAMA]", text)

    def name(m: re.Match[str]) -> str:
        first = m["n"].split()[0].strip("'").casefold()
        return m[0] if first in _OFFICES else f"{m['h']} [NAMA]"

    return _HONORIFIC.sub(name, text)


def mask_report(text: str, reporter: str = "") -> str:
    """``text`` with NIK, phone numbers, e-mail addresses and names masked (``[NIK]``,
    ``[TELEPON]``, ``[EMAIL]``, ``[NAMA]``): the reporter's name wherever it occurs, and
    any name after "Bapak", "Ibu", "Sdr.", "nama saya", "atas nama"."""
    return _mask_names(mask_personal_data(text), reporter)


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` on one line, cut at the last sentence end before ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[:end + 1] if end > limit // 2 else cut.rsplit(" ", 1)[0]


# --------------------------------------------------------------------------- labels

@dataclass(frozen=True)
class LaporMap:
    """Category names and unit patterns -> Pintu categories (see ``lapor_map.yml``)."""

    categories: Mapping[str, str | None]
    agencies: tuple[tuple[re.Pattern[str], str], ...] = ()  # pattern -> category or MIXED
    sources: tuple[str, ...] = ()  # the map files applied, the shipped one first

    def category_for_name(self, name: str) -> tuple[bool, str | None]:
        """(known, category) of a LAPOR! category name; known with None = says nothing."""
        key = _fold(name)
        if key in self.categories:
            return True, self.categories[key]
        return False, None

    def unit(self, name: str) -> tuple[str | None, bool]:
        """(category, mixed) of a unit's name: the map's patterns first, then the built-in
        unit table; (None, False) when neither knows it."""
        for pattern, value in self.agencies:
            if pattern.search(name):
                return (None, True) if value == MIXED else (value, False)
        agency = agency_of(name)
        if agency is None:
            return None, False
        return (None, True) if agency.mixed else (agency.category, False)


def _category_value(value: Any, where: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text not in CATEGORIES:
        raise LaporMapError(f"{where}: unknown category {text!r} (known: "
                            f"{', '.join(CATEGORIES)})")
    return text


def parse_map(text: str, base: LaporMap | None = None, *, name: str = "map") -> LaporMap:
    """A map file (``categories:`` and ``agencies:`` tables) over ``base``; its entries
    extend or override the base's. :class:`LaporMapError` naming the bad entry."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise LaporMapError(f"{name}: not valid YAML: {exc}") from exc
    except RecursionError:  # PyYAML composes nested collections recursively
        raise LaporMapError(f"{name}: not valid YAML: collections nested too deeply") from None
    if not isinstance(data, dict) or set(data) - {"categories", "agencies"}:
        raise LaporMapError(f"{name}: expected the tables 'categories:' and 'agencies:' only")
    categories = dict(base.categories) if base else {}
    for key, value in (data.get("categories") or {}).items():
        categories[_fold(key)] = _category_value(value, f"{name}: categories.{key}")
    agencies: list[tuple[re.Pattern[str], str]] = []
    for key, value in (data.get("agencies") or {}).items():
        where = f"{name}: agencies.{key}"
        try:
            pattern = re.compile(str(key), re.IGNORECASE)
        except re.error as exc:
            raise LaporMapError(f"{where}: not a valid pattern: {exc}") from exc
        mixed = value is None or str(value).strip() == MIXED
        agencies.append((pattern, MIXED if mixed else str(_category_value(value, where))))
    if base is not None:
        agencies.extend(base.agencies)  # the newer map's patterns are tried first
    return LaporMap(categories, tuple(agencies), (*(base.sources if base else ()), name))


@lru_cache(maxsize=1)
def default_map() -> LaporMap:
    """The shipped map: national category names, and the unit table of nlu.agencies."""
    return parse_map(DEFAULT_MAP_PATH.read_text(encoding="utf-8"), name="lapor_map.yml")


def intent_of(classification: str) -> str:
    """Pintu's intent for ``Klasifikasi Laporan`` (empty or unknown: a complaint, as most
    reports are)."""
    folded = _fold(classification)
    if "aspirasi" in folded:
        return "aspiration"
    if "informasi" in folded:
        return "info_request"
    return "complaint"


@dataclass(frozen=True, slots=True)
class Labelled:
    """A report turned into a training example, or the reason it was not."""

    report: LaporReport
    example: TrainingExample | None
    reason: str | None = None
    via: str | None = None  # "category" | "unit": what decided the category


SKIP_REASONS = ("confidential", "blocked", "no_text", "mixed_unit_without_category",
                "unmapped", "duplicate")


def label_report(report: LaporReport, mapping: LaporMap, *,
                 include_confidential: bool = False) -> Labelled:
    """The training example of one report (masked text, intent, category) or why not:
    ``confidential`` (Rahasia, without ``include_confidential``), ``blocked`` (the
    content was blocked), ``no_text``, ``mixed_unit_without_category`` (a unit with
    mixed jobs and no telling category), ``unmapped`` (neither maps)."""
    if report.confidential and not include_confidential:
        return Labelled(report, None, "confidential")
    if "terblokir" in _fold(report.status):
        return Labelled(report, None, "blocked")
    text = clip(mask_report(split_title(report.title, report.text), report.reporter))
    if len(text) < MIN_TEXT:
        return Labelled(report, None, "no_text")
    intent = intent_of(report.classification)
    if intent == "info_request":
        return Labelled(report, TrainingExample(text, intent, None, LAPOR_SOURCE), None, None)
    _known, category = mapping.category_for_name(report.category)
    if category is not None:
        return Labelled(report, TrainingExample(text, intent, category, LAPOR_SOURCE),
                        via="category")
    unit_category, mixed = mapping.unit(report.unit)
    if unit_category is not None:
        return Labelled(report, TrainingExample(text, intent, unit_category, LAPOR_SOURCE),
                        via="unit")
    return Labelled(report, None, "mixed_unit_without_category" if mixed else "unmapped")


def label_reports(reports: Iterable[LaporReport], mapping: LaporMap, *,
                  include_confidential: bool = False) -> list[Labelled]:
    """:func:`label_report` for every report, in order."""
    return [label_report(r, mapping, include_confidential=include_confidential)
            for r in reports]
