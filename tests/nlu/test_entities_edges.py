"""Structured entities at their edges: NIK plausibility, phone normalisation and the
masking of personal data."""

from __future__ import annotations

import pytest

from nlu.entities import (
    extract_entities,
    mask_personal_data,
    nik_is_plausible,
    normalize_phone,
    structured_entities,
)
from nlu.types import Entity


@pytest.mark.parametrize(("nik", "plausible"), [
    ("3579014507900001", True),   # Kota Batu, a woman born 5 July 1990
    ("3579010507900001", True),   # a man born 5 July 1990
    ("3579012902000001", True),   # 29 February (2000 is a leap year)
    ("3579013002000001", False),  # 30 February
    ("3579012902140001", False),  # 29 February 2014 is no date
    ("3579012902041001", True),   # 29 February 2004 (the serial's digits are not the year)
    ("3579014107900001", True),   # a woman born 1 July (41 - 40)
    ("3579017107900001", True),   # a woman born 31 July (71 - 40)
    ("3579017207900001", False),  # day 72 - 40 = 32
    ("9979014507900001", False),  # no province 99
    ("3500014507900001", False),  # regency 00
    ("3579004507900001", False),  # district 00
    ("3579014513900001", False),  # month 13
    ("3579014507900000", False),  # serial 0000
    ("357901450790000", False),   # 15 digits
    ("35790145079000011", False),  # 17 digits
    ("357901450790000a", False),
    ("３５７９０１４５０７９００００１", False),  # full-width digits are not ASCII
])
def test_nik_is_plausible(nik: str, plausible: bool) -> None:
    assert nik_is_plausible(nik) is plausible


@pytest.mark.parametrize(("raw", "phone"), [
    ("0812-3456-7890", "+6281234567890"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("62812.3456.7890", "+6281234567890"),
    ("812 3456 7890", "+6281234567890"),
])
def test_normalize_phone(raw: str, phone: str) -> None:
    assert normalize_phone(raw) == phone


@pytest.mark.parametrize(("text", "masked"), [
    ("NIK saya 3579 0145 0790 0001 hp 0812-3456-7890 email budi.s@mail.co.id",
     "NIK saya [NIK] hp [TELEPON] email [EMAIL]"),
    ("NIK 3579014507900001.", "NIK [NIK]."),
    ("telp (0341) 512345", "telp [TELEPON]"),
    ("+62 812 3456 7890", "[TELEPON]"),
    ("no 62-812-555-1234 ya", "no [TELEPON] ya"),
    ("rek 1234567890123", "rek [ANGKA]"),
    ("RT 3 RW 5, Rp 50.000, 12345", "RT 3 RW 5, Rp 50.000, 12345"),
    ("", ""),
])
def test_mask_personal_data(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_a_place_inside_a_url_is_not_a_second_entity() -> None:
    # "Batu" at the end of the link is part of the URL, not the city of Batu.
    assert extract_entities("web www.kotabatu.go.id/Batu") == [
        Entity("url", "www.kotabatu.go.id/Batu", 4, 27)]


def test_every_kind_of_structured_entity_and_overlaps_skipped_not_stopping() -> None:
    # Inside the first link: a ticket, a NIK, an RT and a "#" reference (all part of the
    # link), and a link ending in "X"; inside the wa.me link a phone. Each kind still
    # finds its own later match.
    text = ("lihat www.batu.go.id/PTU-2026-000009/3579014507900001/rt05#123456/INDEX atau "
            "wa.me/6281234567890; email budi@mail.com; tiket PTU-2026-000001 dan ptu 2026 7; "
            "NIK 3579014507900001; hp 0812-3456-7890; laporan #654321; RT 3 RW 5, RT 07 di "
            "gang, lalu RW 9")
    assert structured_entities(text) == [
        Entity("url", "www.batu.go.id/PTU-2026-000009/3579014507900001/rt05#123456/INDEX",
               6, 71),
        Entity("url", "wa.me/6281234567890", 77, 96),
        Entity("email", "budi@mail.com", 104, 117),
        Entity("ticket_number", "PTU-2026-000001", 125, 140),
        Entity("ticket_number", "PTU-2026-000007", 145, 155, confidence=0.9),
        Entity("nik", "3579014507900001", 161, 177),
        Entity("phone", "+6281234567890", 182, 196),
        Entity("ticket_ref", "654321", 207, 213, confidence=0.6, extra={"partial": True}),
        Entity("rt_rw", "RT 03/RW 05", 215, 224),
        Entity("rt_rw", "RT 07", 226, 231),
        Entity("rt_rw", "RW 09", 246, 250),
    ]


@pytest.mark.parametrize(("raw", "phone"), [
    ("0812 34 567", "+6281234567"),  # 8 digits after the 0: the shortest mobile number
    ("0812 34 56", None),
    ("0812-3456-7890-12", "+628123456789012"),  # 13 digits after the 0: the longest
    ("0812-3456-7890-123", None),
])
def test_phone_numbers_have_a_plausible_length(raw: str, phone: str | None) -> None:
    found = structured_entities(f"hp {raw}")
    assert found == ([] if phone is None else [Entity("phone", phone, 3, 3 + len(raw))])
