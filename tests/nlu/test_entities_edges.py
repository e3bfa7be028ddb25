"""Structured entities at their edges: NIK plausibility and phone normalisation."""

from __future__ import annotations

import pytest

from nlu.entities import nik_is_plausible, normalize_phone


@pytest.mark.parametrize(("nik", "plausible"), [
    ("3579014507900001", True),   # Kota Batu, a woman born 5 July 1990
    ("3579010507900001", True),   # a man born 5 July 1990
    ("3579012902000001", True),   # 29 February (2000 is a leap year)
    ("3579013002000001", False),  # 30 February
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
