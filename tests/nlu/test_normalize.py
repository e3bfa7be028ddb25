from __future__ import annotations

import pytest

from nlu.normalize import normalize, normalize_with_entities, slang_map


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TOLONGGG", "tolong"),
        ("maaaaf", "maaf"),
        ("jalan bolong2", "jalan berlubang berlubang"),
        ("udh gk ada yg dtg", "sudah tidak ada yang datang"),
        ("Makasih min!!", "terima kasih admin ! !"),
    ],
)
def test_informal_words_become_formal(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_placeholders_replace_structured_values() -> None:
    text = ("Tiket PTU-2026-000123, NIK 3273014507900001, HP 0812-3456-7890, "
            "mail a.b@contoh.id, lihat https://lapor.go.id/x, bayar Rp50.000 untuk 3 hari")
    out = normalize(text)
    for holder in ("<ticket>", "<nik>", "<phone>", "<email>", "<url>", "<money>", "<num>"):
        assert holder in out
    assert "3273014507900001" not in out
    assert "lapor.go.id" not in out


def test_english_words_are_not_translated() -> None:
    assert normalize("The water is off and it is not fixed") == (
        "the water is off and it is not fixed")


def test_emoji_collapse_to_one_placeholder() -> None:
    assert normalize("terima kasih 🙏🙏🙏") == "terima kasih <emoji>"


def test_lexicon_includes_indocollex_and_project_entries() -> None:
    mapping = slang_map()
    assert mapping["dgn"] == "dengan"  # from IndoCollex
    assert mapping["gak"] == "tidak"  # the project's own list
    assert "it" not in mapping  # English word kept as is


def test_empty_and_whitespace() -> None:
    assert normalize("") == ""
    assert normalize("   \n\t ") == ""


def test_half_an_emoji_is_read_as_an_emoji() -> None:
    # A lone UTF-16 surrogate (an emoji cut in two by a client) is an emoji, not nothing.
    assert normalize("halo \ud83d pak") == "halo <emoji> bapak"


def test_money_numbers_and_emoji_runs_become_single_placeholders() -> None:
    assert normalize("bayar Rp 5.000 untuk 3 lembar") == "bayar <money> untuk <num> lembar"
    assert normalize("halo 🙏 🙏 pak 😡 ok") == "halo <emoji> bapak <emoji> oke"
    assert normalize("🙏 halo") == "<emoji> halo"


def test_given_entities_are_the_only_ones_replaced() -> None:
    # The caller's entities (none here) decide; the text is not searched again.
    assert normalize_with_entities("kirim ke budi@mail.com", []) == "kirim ke budi mail com"
    assert normalize("kirim ke budi@mail.com") == "kirim ke <email>"
