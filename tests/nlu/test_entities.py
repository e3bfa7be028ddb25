from __future__ import annotations

import pytest

from nlu.entities import extract_entities, nik_is_plausible, normalize_phone


def values(text: str, entity: str, **kw: str) -> list[str]:
    return [e.value for e in extract_entities(text, **kw) if e.entity == entity]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cek PTU-2026-000123 dong", ["PTU-2026-000123"]),
        ("laporan LPR-2026-009915 gimana", ["LPR-2026-009915"]),
        ("tiket ptu 2026 123 belum ada kabar", ["PTU-2026-000123"]),
        ("tiket PTU-2026-123", ["PTU-2026-000123"]),
        ("ptu/2026/45", ["PTU-2026-000045"]),
        ("jalan rusak 2026 parah", []),
    ],
)
def test_ticket_numbers(text: str, expected: list[str]) -> None:
    assert values(text, "ticket_number") == expected


def test_ticket_prefix_is_configurable() -> None:
    assert values("status abc 2026 7", "ticket_number", ticket_prefix="ABC") == [
        "ABC-2026-000007"]
    assert values("status abc 2026 7", "ticket_number") == []


def test_bare_number_after_hash_is_a_partial_reference() -> None:
    ents = [e for e in extract_entities("tiket #907315 sudah sampai mana?")
            if e.entity == "ticket_ref"]
    assert [e.value for e in ents] == ["907315"]
    assert ents[0].extra["partial"] is True


@pytest.mark.parametrize(
    ("nik", "ok"),
    [
        ("3273014507900001", True),   # woman born 5 Jul 1990 (day + 40)
        ("6471024407900003", True),
        ("3273010101000001", True),
        ("9973010101900001", False),  # no province 99
        ("3200010101900001", False),  # regency 00
        ("3273013202900001", False),  # 32 February
        ("3273017201900001", False),  # day 72 - 40 = 32
        ("3273010113900001", False),  # month 13
        ("3273010101900000", False),  # serial 0000
        ("327301010190000", False),   # 15 digits
    ],
)
def test_nik_plausibility(nik: str, ok: bool) -> None:
    assert nik_is_plausible(nik) is ok


def test_nik_extracted_only_when_plausible() -> None:
    assert values("NIK saya 3273014507900001", "nik") == ["3273014507900001"]
    assert values("NIK 3273 0145 0790 0001", "nik") == ["3273014507900001"]
    assert values("rekening 9999999999999999", "nik") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0812-3456-7890", "+6281234567890"), ("+62 812 3456 789", "+628123456789"),
     ("6281234567890", "+6281234567890")],
)
def test_phone_numbers_normalised(raw: str, expected: str) -> None:
    assert values(f"hubungi {raw} ya", "phone") == [expected]
    assert normalize_phone(raw) == expected


def test_email_url_and_rt_rw() -> None:
    text = "Email Budi@Contoh.co.id, foto di https://bit.ly/abc. Lokasi RT 3 RW 05, rt.07/rw.2"
    assert values(text, "email") == ["budi@contoh.co.id"]
    assert values(text, "url") == ["https://bit.ly/abc"]
    assert values(text, "rt_rw") == ["RT 03/RW 05", "RT 07/RW 02"]


def test_offsets_point_into_the_original_text() -> None:
    text = "Halo, tiket PTU-2026-000001 di Jaksel"
    for e in extract_entities(text):
        assert e.start < e.end
        assert text[e.start:e.end].strip()
    kinds = {e.entity for e in extract_entities(text)}
    assert kinds == {"ticket_number", "region"}


def test_money_and_dates_are_not_phones_or_niks() -> None:
    text = "Tagihan Rp240.000 tanggal 12-05-2026, denda 1.500.000"
    ents = {e.entity for e in extract_entities(text)}
    assert not ents & {"phone", "nik"}
