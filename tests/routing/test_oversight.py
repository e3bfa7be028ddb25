"""Which unit an oversight complaint is about (routing.oversight) on the demo catalog."""

from __future__ import annotations

import dataclasses

import pytest

from routing._text import contains_phrase, normalize_tokens
from routing.catalog import Catalog
from routing.oversight import complained_unit

CASES = [
    # A unit named by its keyword, serving the region.
    ("oknum Disdukcapil minta uang", "35.79", "disdukcapil-batu"),
    # Named by its whole name: the longest name found wins over a shorter one.
    ("oknum Dinas Pendidikan Kota Batu", "35.79", "dindik-batu"),
    ("Pemkot Batu dan Dispendik Kota Batu", "35.79", "dindik-batu"),
    # Two names of the same length: the first unit in catalog order.
    ("petugas dishub dan disdukcapil", "35.79", "disdukcapil-batu"),
    ("petugas disdukcapil dan dishub", "35.79", "disdukcapil-batu"),
    # A named unit not serving the region is not it; no service named either.
    ("oknum dishub", "32.73", None),
    # No region: the catalog's home region (Kota Batu).
    ("oknum dishub", None, "dishub-batu"),
    ("petugas minta uang buat urus KK", None, "disdukcapil-batu"),
    # The service's owner in the region (a district of Kota Batu; a Bandung province unit).
    ("petugas minta uang buat urus KK", "35.79.01", "disdukcapil-batu"),
    ("petugas samsat minta uang", "32.73", "bapenda-jabar"),
    # The longest service keyword wins; a tie goes to the first service in the catalog.
    ("jalan rusak dekat lampu lalu lintas", "35.79", "dishub-batu"),
    ("sopir angkot minta uang di jalan rusak", "35.79", "dinas-pupr-batu"),
    # No owner for the service there: its category's owner up the regions.
    ("lampu jalan mati petugas minta uang", "32.04", "dbmpr-jabar"),
    # Neither the service nor its category has an owner there.
    ("sampah tidak diangkat petugas minta uang", "32.04", None),
    ("minta uang buat urus KK", "31.71", None),
    # Oversight services name no unit ("pungli" is the complaint, not the office).
    ("pungli di kelurahan", "35.79", None),
    ("", "35.79", None),
    ("!!! ...", "35.79", None),
]


@pytest.mark.parametrize(("text", "region", "unit"), CASES)
def test_complained_unit(demo: Catalog, text: str, region: str | None,
                         unit: str | None) -> None:
    assert complained_unit(demo, text, region) == unit


def test_without_any_region_only_a_named_unit_is_found(demo: Catalog) -> None:
    homeless = dataclasses.replace(demo, default_region=None)
    assert complained_unit(homeless, "oknum dishub", None) == "dishub-batu"
    assert complained_unit(homeless, "petugas minta uang buat urus KK", None) is None


def test_tokens_are_lower_case_words_with_colloquial_forms_stemmed() -> None:
    assert normalize_tokens("Syaratnya apa? Bikin KTP-el, punya biayanya brp") == (
        "syarat", "apa", "buat", "ktp", "el", "punya", "biaya", "berapa")
    assert normalize_tokens("  ...  ") == ()
    assert normalize_tokens("¿syarat ktp?") == ("syarat", "ktp")
    # "-nya" goes from words of six letters on, and the stem is then folded too.
    assert normalize_tokens("ktpnya aktenya punya") == ("ktp", "akta", "punya")


def test_phrases_are_consecutive_tokens() -> None:
    tokens = ("urus", "akta", "kelahiran")
    assert contains_phrase(tokens, ("akta", "kelahiran"))
    assert contains_phrase(tokens, tokens)
    assert not contains_phrase(tokens, ("urus", "kelahiran"))
    assert not contains_phrase(tokens, ())
    assert not contains_phrase(("akta",), ("akta", "kelahiran"))
