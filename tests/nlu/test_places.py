from __future__ import annotations

import pytest

from nlu.places import extract_region, gazetteer, resolve_name
from nlu.wilayah import load_wilayah


def region_of(text: str) -> str | None:
    region, _ = extract_region(text)
    return region.canonical_name if region else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # bare names shared by a Kota and a Kabupaten mean the Kota
        ("jalan rusak di Bandung", "Kota Bandung"),
        ("banjir di Malang", "Kota Malang"),
        ("macet parah di Bogor", "Kota Bogor"),
        ("lampu mati di Kabupaten Bandung", "Kabupaten Bandung"),
        ("Pemkab Malang lambat", "Kabupaten Malang"),
        ("kab. bogor", "Kabupaten Bogor"),
        ("Pemkot Pontianak", "Kota Pontianak"),
        ("in Bandung regency", "Kabupaten Bandung"),
        # nicknames and abbreviations
        ("Jogja macet", "Kota Yogyakarta"),
        ("warga Yogya", "Kota Yogyakarta"),
        ("banjir lagi di Jaksel", "Kota Administrasi Jakarta Selatan"),
        ("in South Jakarta", "Kota Administrasi Jakarta Selatan"),
        ("Bdg hujan terus", "Kota Bandung"),
        ("aku di sby", "Kota Surabaya"),
        ("Mlg dingin", "Kota Malang"),
        ("warga Smg", "Kota Semarang"),
        ("Mks panas", "Kota Makassar"),
        ("Medan", "Kota Medan"),
        ("tinggal di Solo", "Kota Surakarta"),
        ("Tangsel", "Kota Tangerang Selatan"),
        # misspellings
        ("rumah saya di Surabya", "Kota Surabaya"),
        ("di Makasar", "Kota Makassar"),
        ("Pekanbaru", "Kota Pekanbaru"),
        # province only
        ("Jkt", "Provinsi Daerah Khusus Ibukota Jakarta"),
        ("warga Jakarta", "Provinsi Daerah Khusus Ibukota Jakarta"),
        ("di Jawa Barat", "Provinsi Jawa Barat"),
        ("Kaltim", "Provinsi Kalimantan Timur"),
        ("West Java province", "Provinsi Jawa Barat"),
        ("DIY", "Provinsi Daerah Istimewa Yogyakarta"),
        ("Provinsi Jambi", "Provinsi Jambi"),
        ("di Jambi", "Kota Jambi"),
        # regency-only names
        ("di Sidoarjo", "Kabupaten Sidoarjo"),
        ("Gianyar", "Kabupaten Gianyar"),
        ("Bandung Barat", "Kabupaten Bandung Barat"),
        # explicit Kota in front of a name that is also a district elsewhere
        ("Di Kota Padang, akta", "Kota Padang"),
    ],
)
def test_region_table(text: str, expected: str) -> None:
    assert region_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kecamatan Coblong banjir", "Kota Bandung"),
        ("di Cibiru ada jalan rusak", "Kota Bandung"),
        ("Oebobo gelap", "Kota Kupang"),
        ("tinggal di Bekasi Utara", "Kota Bekasi"),
        # a district of the Kabupaten decides the bare name
        ("Ciparay, Bandung", "Kabupaten Bandung"),
        # a regency named elsewhere picks among same-named districts
        ("simpang Gunungsari, Cirebon", "Kota Cirebon"),
        ("Kec. Gunungsari, Lombok Barat", "Kabupaten Lombok Barat"),
    ],
)
def test_districts_resolve_to_their_regency(text: str, expected: str) -> None:
    assert region_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "jalan rusak parah di depan rumah",
        "nasib malang sekali",  # malang = unlucky
        "Medan perang",  # sentence-initial ordinary word
        "batu besar di tengah jalan",
        "rumah makan padang enak",
        "Jalan Garuda Sakti berlubang",  # street name, not the district Sakti
        "Pak Slamet tidak datang",
        "Kota baru itu ramai",
        "Timur Tengah",
        "simpang Gunungsari",  # district name used in two regencies
        "pindah dari Bandung ke Surabaya",  # two different places
        "Jabodetabek macet",  # too wide
        "the karyawan were not paid",  # not a fuzzy match for Karawang
    ],
)
def test_no_region(text: str) -> None:
    assert region_of(text) is None


def test_entities_carry_code_level_and_offsets() -> None:
    text = "Lampu mati di Kota Bandung dan Jaksel"
    region, entities = extract_region(text)
    assert region is None  # two different places
    values = [(e.value, e.extra["code"], e.extra["level"]) for e in entities]
    assert values == [("Kota Bandung", "32.73", "regency"),
                      ("Kota Administrasi Jakarta Selatan", "31.74", "regency")]
    assert text[entities[1].start:entities[1].end] == "Jaksel"


def test_same_place_twice_is_one_place() -> None:
    assert region_of("Kabupaten Bandung. Di Bandung banyak jalan rusak") == "Kabupaten Bandung"
    assert region_of("Bandung, Jawa Barat") == "Kota Bandung"


def test_every_regency_and_province_is_found_by_its_name() -> None:
    w = load_wilayah()
    for regency in w.regencies.values():
        assert region_of(f"Laporan dari {regency.name}.") == regency.name, regency.name
    for province in w.provinces.values():
        assert region_of(f"Laporan dari Provinsi {province.name}.") == (
            f"Provinsi {province.name}"), province.name
    assert len(w.provinces) == 38
    assert len(w.regencies) == 514


def test_resolve_name_helper() -> None:
    region = resolve_name("jaksel")
    assert region is not None and region.code == "31.74"
    assert resolve_name("nowhere at all") is None


def test_gazetteer_is_built_once() -> None:
    assert gazetteer() is gazetteer()
