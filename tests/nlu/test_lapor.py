"""Reading SP4N-LAPOR! exports (both shapes), labelling, the default map, ``--map``
overrides and masking (nlu.lapor, bot.nlu_admin.lapor_import.plan_import)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.nlu_admin.data import NluAdminError
from bot.nlu_admin.lapor_import import plan_import
from nlu.examples import TrainingExample
from nlu.lapor import (
    LaporMapError,
    LaporReport,
    default_map,
    label_report,
    mask_report,
    parse_date,
    parse_map,
    read_export,
    split_title,
)
from tests.lapor_support import AGENCY, Row, csv_bytes, make_rows, special_rows, xlsx_bytes

START = date(2023, 8, 8)


def _rows() -> list[Row]:
    return make_rows(14, start=date(2022, 1, 1), days=300, local_share=0.5, seed=3) + \
        special_rows(START)


EXPECTED_COUNTS = {
    "read": 26, "imported": 19,
    "skipped": {"confidential": 2, "blocked": 1, "no_text": 1,
                "mixed_unit_without_category": 2, "unmapped": 0, "duplicate": 1},
    "skipped_total": 7,
    "per_category": {"-": 1, "environment": 3, "infrastructure": 2,
                     "population_registry": 2, "public_order": 3, "social_assistance": 3,
                     "transport": 2, "water_supply": 3},
    "per_intent": {"complaint": 18, "info_request": 1},
    "unknown_categories": {"Kategori Baru Daerah": 1},
}


def test_xlsx_export_with_its_header_block() -> None:
    rows = _rows()
    export = read_export(xlsx_bytes(rows), "laporan.xlsx")
    assert (export.shape, export.agency, export.period) == (
        "xlsx", AGENCY, "(2021-01-01) - (2024-12-31)")
    assert len(export.reports) == len(rows)
    first = export.reports[0]
    assert first == LaporReport(
        line=12, tracking_id="SKM-0000001", received=rows[0].received,
        classification=rows[0].classification, category=rows[0].category_name,
        title=rows[0].title, text=rows[0].text, kind="", channel="Website",
        unit=rows[0].unit, status="Ditutup oleh Admin", reporter="")


def test_csv_export_has_the_reporter_and_text_dates() -> None:
    rows = _rows()
    export = read_export(csv_bytes(rows), "laporan.csv")
    assert (export.shape, export.agency, export.period) == ("csv", None, None)
    by_id = {r.tracking_id: r for r in export.reports}
    dewi = by_id["SKM-9000007"]
    assert dewi.reporter == "Dewi Lestari"
    assert dewi.received == START
    assert by_id["SKM-9000002"].kind == "Rahasia" and by_id["SKM-9000002"].confidential
    assert by_id["SKM-9000003"].confidential  # "Anonim|Rahasia"
    assert [r.received for r in export.reports[:14]] == [r.received for r in rows[:14]]


@pytest.mark.parametrize("shape", ["xlsx", "csv"])
def test_both_shapes_give_the_same_counts(shape: str) -> None:
    rows = _rows()
    content = xlsx_bytes(rows) if shape == "xlsx" else csv_bytes(rows)
    counts = plan_import(content, f"export.{shape}").to_dict()
    assert {k: counts[k] for k in EXPECTED_COUNTS} == EXPECTED_COUNTS
    assert counts["shape"] == shape and counts["dry_run"] is False


def test_semicolon_csv_in_windows_1252_is_read() -> None:
    text = ("Tracking ID;Tanggal Laporan Masuk;Kategori;Judul Laporan;Isi Laporan Awal;"
            "Instansi Terdisposisi\r\n"
            "A1;3 Agu 2024;Jalan Berlubang;Jalan;Jalan di depan caf\xe9 berlubang besar sekali;"
            "Dinas PUPR\r\n")
    export = read_export(text.encode("cp1252"), "x.csv")
    assert export.reports[0].text == "Jalan di depan caf\xe9 berlubang besar sekali"
    assert export.reports[0].received == date(2024, 8, 3)


def test_not_an_export_is_refused_clearly() -> None:
    with pytest.raises(NluAdminError, match="no table header with 'Tracking ID'"):
        plan_import(b"nama,umur\nbudi,3\n", "people.csv")
    with pytest.raises(NluAdminError, match="not a readable XLSX"):
        plan_import(b"PK\x03\x04 broken", "broken.xlsx")
    with pytest.raises(NluAdminError, match="empty"):
        plan_import(b"  \n", "empty.csv")


@pytest.mark.parametrize(("value", "expected"), [
    ("23 Sep 2024", date(2024, 9, 23)), ("3 Agu 2022", date(2022, 8, 3)),
    ("1 Mei 2021", date(2021, 5, 1)), ("2024-09-23", date(2024, 9, 23)),
    ("2024-09-23 00:41:43", date(2024, 9, 23)), ("23/09/2024", date(2024, 9, 23)),
    ("31 Feb 2024", None), ("kemarin", None), ("", None),
])
def test_dates(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(("title", "text", "body"), [
    ("Jalan Rusak", "Jalan RusakJalan di depan SD berlubang.", "Jalan di depan SD berlubang."),
    ("Jalan Rusak", "JALAN RUSAK - Jalan di depan SD berlubang.",
     "Jalan di depan SD berlubang."),
    ("Lampu  Mati", "Lampu Mati:  lampu jalan di gang kami mati.",
     "lampu jalan di gang kami mati."),
    ("Banjir", "Air PDAM mati sejak kemarin di rumah kami.",
     "Air PDAM mati sejak kemarin di rumah kami."),
    ("", "Sampah menumpuk di TPS.", "Sampah menumpuk di TPS."),
    ("Air", "Air", "Air"),  # nothing left after the title: kept as it is
])
def test_glued_titles_are_split_off(title: str, text: str, body: str) -> None:
    assert split_title(title, text) == body


def test_masking() -> None:
    text = ("Saya Dewi Lestari, NIK 3273 0145 0190 0002, HP +62 812-3456-7890 atau "
            "dewi.l@contoh.id. Tetangga saya Bapak Hendra Wijaya dan Pak Camat tahu. "
            "Nama saya DEWI. Atas nama Siti. Warga lain juga.")
    assert mask_report(text, "Dewi Lestari") == (
        "Saya [NAMA] [NAMA], NIK [NIK], HP [TELEPON] atau [EMAIL]. Tetangga saya Bapak "
        "[NAMA] dan Pak Camat tahu. Nama saya [NAMA]. Atas nama [NAMA]. Warga lain juga.")
    # a reporter field that is no name masks nothing
    assert mask_report("Warga Sukasari mengeluh.", "Warga") == "Warga Sukasari mengeluh."


def _report(**fields: str) -> LaporReport:
    base = {"text": "Air PDAM di rumah kami mati sejak tiga hari lalu.",
            "classification": "Pengaduan Tidak Berkadar Pengawasan"}
    return LaporReport(line=1, **{**base, **fields})


@pytest.mark.parametrize(("fields", "expected"), [
    ({"category": "Layanan Air Minum"}, ("complaint", "water_supply", "category")),
    ({"category": "  jalan   berlubang "}, ("complaint", "infrastructure", "category")),
    ({"category": "Topik Lainnya", "unit": "Disdukcapil Kab. Bogor"},
     ("complaint", "population_registry", "unit")),
    ({"category": "", "unit": "Perumda Air Minum Tirta Raharja"},
     ("complaint", "water_supply", "unit")),
    ({"category": "", "unit": "RSUD Kota Bekasi"}, ("complaint", "health", "unit")),
    ({"category": "Pungutan Liar", "unit": "Dinas Perhubungan"},
     ("complaint", "civil_service", "category")),
    ({"category": "Jalan Berlubang", "unit": "Kecamatan Sukasari"},
     ("complaint", "infrastructure", "category")),
    ({"classification": "Aspirasi", "category": "Transportasi Darat"},
     ("aspiration", "transport", "category")),
    ({"classification": "Permintaan Informasi", "category": ""}, ("info_request", None, None)),
])
def test_default_map(fields: dict[str, str], expected: tuple[str, str | None, str | None]
                     ) -> None:
    labelled = label_report(_report(**fields), default_map())
    assert labelled.reason is None and labelled.example is not None
    assert (labelled.example.intent, labelled.example.category, labelled.via) == expected
    assert labelled.example.source == "lapor"


@pytest.mark.parametrize(("fields", "reason"), [
    ({"category": "Topik Lainnya", "unit": "Dinas PUPR Kota Batu"},
     "mixed_unit_without_category"),
    ({"category": "", "unit": "Dishub Kota Batu"}, "mixed_unit_without_category"),
    ({"category": "SP4N-LAPOR!", "unit": "Sekretariat Daerah"}, "mixed_unit_without_category"),
    ({"category": "Kategori Aneh", "unit": "Badan Entah Apa"}, "unmapped"),
    ({"category": "", "unit": ""}, "unmapped"),
    ({"category": "Layanan Air Minum", "kind": "Rahasia"}, "confidential"),
    ({"category": "Layanan Air Minum", "status": "Konten Terblokir"}, "blocked"),
    ({"category": "Layanan Air Minum", "text": "tes"}, "no_text"),
])
def test_rows_that_cannot_be_labelled_say_why(fields: dict[str, str], reason: str) -> None:
    assert label_report(_report(**fields), default_map()).reason == reason


def test_confidential_rows_only_when_asked() -> None:
    row = _report(category="Layanan Air Minum", kind="Anonim|Rahasia")
    labelled = label_report(row, default_map(), include_confidential=True)
    assert labelled.example == TrainingExample(row.text, "complaint", "water_supply", "lapor")


def test_every_category_name_in_the_map_is_a_pintu_category_or_null() -> None:
    from nlu.taxonomy import CATEGORIES

    mapping = default_map()
    assert len(mapping.categories) >= 100
    assert {v for v in mapping.categories.values() if v is not None} <= set(CATEGORIES)
    for name in ("Infrastruktur Jalan", "Jalan Berlubang", "Pencemaran Lingkungan",
                 "Bantuan Sosial", "Administrasi Kependudukan and Pencatatan Sipil".replace(
                     "and", "dan"), "Ketertiban Umum", "Penerangan Jalan"):
        assert mapping.category_for_name(name)[1] is not None, name
    assert mapping.category_for_name("Topik Lainnya") == (True, None)
    assert mapping.category_for_name("Tidak Ada") == (False, None)


MAP_YML = """
categories:
  Topik Lainnya: other            # this agency sends its "other topics" to the triage desk
  Jalan Berlubang: transport      # override (a silly one, for the test)
  Kategori Baru Daerah: social_assistance
agencies:
  UPT Persampahan: environment
  Dinas Sosial: mixed             # in this region Dinsos also runs the fire brigade
"""


def test_map_file_extends_and_overrides() -> None:
    mapping = parse_map(MAP_YML, default_map(), name="sukamaju.yml")
    assert mapping.sources == ("lapor_map.yml", "sukamaju.yml")
    cases = [
        (_report(category="Topik Lainnya", unit="Dinas PUPR"), "other"),
        (_report(category="Jalan Berlubang"), "transport"),
        (_report(category="Kategori Baru Daerah"), "social_assistance"),
        (_report(category="", unit="UPT Persampahan Kota Sukamaju"), "environment"),
        (_report(category="Layanan Air Minum"), "water_supply"),  # default kept
    ]
    for report, category in cases:
        example = label_report(report, mapping).example
        assert example is not None and example.category == category, report
    dinsos = label_report(_report(category="", unit="Dinas Sosial Kota Sukamaju"), mapping)
    assert dinsos.reason == "mixed_unit_without_category"
    # without the map, Dinas Sosial is a plain social-assistance unit
    plain = label_report(_report(category="", unit="Dinas Sosial Kota Sukamaju"), default_map())
    assert plain.example is not None and plain.example.category == "social_assistance"


@pytest.mark.parametrize(("text", "message"), [
    ("categories:\n  Jalan: roads\n", "categories.Jalan: unknown category 'roads'"),
    ("agencies:\n  '(unclosed': environment\n", "agencies.(unclosed: not a valid pattern"),
    ("units:\n  A: b\n", "expected the tables 'categories:' and 'agencies:' only"),
    ("categories: [\n", "not valid YAML"),
])
def test_bad_map_files_are_refused(text: str, message: str) -> None:
    with pytest.raises(LaporMapError, match=message.replace("(", r"\(")):
        parse_map(text, default_map(), name="bad.yml")


def test_long_reports_are_cut_at_a_sentence_end() -> None:
    long_text = "Jalan di depan rumah kami berlubang. " * 200
    example = label_report(_report(category="Jalan Berlubang", text=long_text),
                           default_map()).example
    assert example is not None
    assert len(example.text) <= 4000 and example.text.endswith("berlubang.")
