from __future__ import annotations

import pytest

from routing.catalog import Catalog, find_service_standards


@pytest.mark.parametrize(
    ("question", "best"),
    [
        ("syarat bikin KTP apa aja", "ktp-el"),
        ("Syarat pembuatan e-KTP?", "ktp-el"),
        ("ktp saya hilang gimana", "ktp-el-ganti"),
        ("how much does a business permit cost", "nib-oss"),
        ("jam buka disdukcapil", "ktp-el"),
        ("cara ngurus akte lahir anak", "akta-kelahiran"),
        ("mau urus IMB rumah", "pbg"),
        ("bayar pajak motor dimana", "pajak-kendaraan"),
        ("berapa biaya SKCK", "skck"),
        ("cara bikin kartu kuning", "kartu-kuning-ak1"),
        ("gimana cara daftar sekolah SMA", "spmb-sma-smk"),
        ("daftar SD anak saya", "spmb-sd-smp"),
        ("bpjs gratis buat orang ga mampu", "bpjs-pbi"),
        ("syaratnya pindah domisili ke Malang?", "pindah-domisili"),
        ("mau pasang PDAM baru", "sambungan-air-baru"),
        ("I need a health certificate", "surat-keterangan-sehat"),
    ],
)
def test_best_match(demo: Catalog, question: str, best: str) -> None:
    assert find_service_standards(demo, question)[0].id == best


def test_unit_name_finds_its_services(demo: Catalog) -> None:
    found = find_service_standards(demo, "jam buka disdukcapil", limit=10)
    assert {s.unit_id for s in found} == {"disdukcapil-batu"}
    assert len(found) == len(demo.standards_for(unit_id="disdukcapil-batu"))


def test_limit_and_no_match(demo: Catalog) -> None:
    assert len(find_service_standards(demo, "jam buka disdukcapil", limit=2)) == 2
    assert find_service_standards(demo, "jam buka disdukcapil", limit=0) == []
    assert find_service_standards(demo, "halo selamat pagi") == []
    assert find_service_standards(demo, "") == []
    assert find_service_standards(demo, "?!...") == []


def test_category_breaks_ties(demo: Catalog) -> None:
    question = "kartu keluarga atau kartu kuning"
    assert find_service_standards(demo, question, category="employment")[0].id == (
        "kartu-kuning-ak1")
    assert find_service_standards(demo, question, category="population_registry")[0].id == (
        "kartu-keluarga")


def test_category_alone_does_not_invent_matches(demo: Catalog) -> None:
    assert find_service_standards(demo, "halo", category="education") == []
