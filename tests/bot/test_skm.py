"""SKM questionnaire: elements, forms, rendering and answer parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.surveys.skm import (
    ELEMENTS,
    FULL_FORM,
    MAX_TITLE_CHARS,
    SHORT_FORM,
    SkmElement,
    answer_options,
    element,
    numbered_hint,
    numbered_question,
    parse_answer,
    payload,
    question_text,
    resolve_form,
)

TIME = element("completion_time")
CONDUCT = element("conduct")
COMPLAINTS = element("complaint_handling")
FACILITIES = element("facilities")
COST = element("cost")


# --- the nine elements --------------------------------------------------------


def test_nine_elements_in_regulation_order() -> None:
    assert [(e.number, e.code, e.key) for e in ELEMENTS] == [
        (1, "U1", "requirements"),
        (2, "U2", "procedure"),
        (3, "U3", "completion_time"),
        (4, "U4", "cost"),
        (5, "U5", "product"),
        (6, "U6", "competence"),
        (7, "U7", "conduct"),
        (8, "U8", "complaint_handling"),
        (9, "U9", "facilities"),
    ]
    assert [e.name_id for e in ELEMENTS] == [
        "Persyaratan",
        "Sistem, mekanisme dan prosedur",
        "Waktu penyelesaian",
        "Biaya/tarif",
        "Produk spesifikasi jenis pelayanan",
        "Kompetensi pelaksana",
        "Perilaku pelaksana",
        "Penanganan pengaduan, saran dan masukan",
        "Sarana dan prasarana",
    ]


def test_questionnaire_wording_follows_the_regulation() -> None:
    requirements = element("requirements")
    assert requirements.question_id == (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
        "dengan jenis pelayanannya?"
    )
    assert requirements.answers_id == ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")
    assert TIME.answers_id == ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")
    assert COST.answers_id == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert CONDUCT.answers_id == (
        "Tidak sopan dan ramah",
        "Kurang sopan dan ramah",
        "Sopan dan ramah",
        "Sangat sopan dan ramah",
    )
    assert COMPLAINTS.answers_id == (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    )
    assert FACILITIES.answers_id == ("Buruk", "Cukup", "Baik", "Sangat baik")


def test_every_element_has_four_distinct_answers_in_both_languages() -> None:
    for item in ELEMENTS:
        for labels in (item.answers_id, item.answers_en, item.titles_id, item.titles_en):
            assert len(set(labels)) == 4, item.key
        assert item.question_en.endswith("?")
        assert item.question_id.endswith("?")


def test_element_lookup_rejects_unknown_key() -> None:
    with pytest.raises(ValueError, match="unknown SKM element 'speed'"):
        element("speed")


# --- forms --------------------------------------------------------------------


def test_short_form_is_time_conduct_complaints() -> None:
    assert SHORT_FORM == ("completion_time", "conduct", "complaint_handling")
    assert resolve_form("short") == (TIME, CONDUCT, COMPLAINTS)


def test_full_form_is_all_nine_in_order() -> None:
    assert resolve_form("full") == ELEMENTS
    assert tuple(e.key for e in resolve_form(FULL_FORM)) == FULL_FORM


def test_custom_form_keeps_the_given_order() -> None:
    assert resolve_form(["facilities", "cost"]) == (FACILITIES, COST)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("medium", "unknown SKM form 'medium'"),
        ("", "unknown SKM form ''"),
        ([], "at least one element"),
        (["cost", "speed"], "unknown SKM element 'speed'"),
        (["cost", "conduct", "cost"], "repeats element.*cost"),
    ],
)
def test_resolve_form_rejects_bad_forms(form: str | list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_form(form)


# --- rendering ----------------------------------------------------------------


def test_question_text_numbers_the_question() -> None:
    assert question_text(TIME, "id", 1, 3) == (
        "(1/3) Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"
    )
    assert question_text(TIME, "en", 3, 3) == "(3/3) How fast was the service delivered?"


@pytest.mark.parametrize(("index", "total"), [(0, 3), (4, 3), (1, 0)])
def test_question_text_rejects_bad_position(index: int, total: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        question_text(TIME, "id", index, total)


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        question_text(TIME, "fr", 1, 1)  # type: ignore[arg-type]


def test_numbered_question_is_the_button_free_fallback() -> None:
    assert numbered_hint("id") == "Balas 1-4."
    assert numbered_hint("en") == "Reply 1-4."
    assert numbered_question(TIME, "id", 1, 3) == (
        "(1/3) Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?\n"
        "1. Tidak cepat\n"
        "2. Kurang cepat\n"
        "3. Cepat\n"
        "4. Sangat cepat\n"
        "Balas 1-4."
    )


def test_answer_options_are_scored_in_order() -> None:
    assert answer_options(TIME, "en") == [
        ("Not fast", "skm:completion_time:1"),
        ("Less fast", "skm:completion_time:2"),
        ("Fast", "skm:completion_time:3"),
        ("Very fast", "skm:completion_time:4"),
    ]
    assert answer_options(CONDUCT, "id")[3] == ("Sangat sopan & ramah", "skm:conduct:4")


@pytest.mark.parametrize("item", ELEMENTS, ids=lambda e: e.key)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_option_titles_fit_whatsapp_rows_and_round_trip(item: SkmElement, lang: str) -> None:
    options = answer_options(item, lang)  # type: ignore[arg-type]
    assert len(options) == 4
    for score, (title, button) in enumerate(options, start=1):
        assert len(title) <= MAX_TITLE_CHARS == 24
        assert button == f"skm:{item.key}:{score}" == payload(item.key, score)
        # Typing the title back (e.g. copied from a list) means the same score.
        assert parse_answer(button, item) == score
        assert parse_answer(title, item) == score
    for score, label in enumerate(item.answers(lang), start=1):  # type: ignore[arg-type]
        assert parse_answer(label, item) == score


def test_payload_validates() -> None:
    with pytest.raises(ValueError, match=r"1\.\.4"):
        payload("cost", 5)
    with pytest.raises(ValueError, match="unknown SKM element"):
        payload("speed", 1)


# --- parsing answers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "score"),
    [
        # numbers and letters
        ("4", 4),
        (" 1 ", 1),
        ("4.", 4),
        ("3)", 3),
        ("4️⃣", 4),
        ("d", 4),
        ("D.", 4),
        ("a", 1),
        ("b) kurang cepat", 2),
        ("4 - sangat puas", 4),
        ("2 kurang", 2),
        ("nilai 3", 3),
        ("empat", 4),
        # the element's own labels, id and en
        ("sangat cepat", 4),
        ("Cepat", 3),
        ("kurang cepat", 2),
        ("tidak cepat", 1),
        ("gak cepat", 1),
        ("cepat sekali", 4),
        ("Very fast", 4),
        ("not fast", 1),
        # general satisfaction words
        ("puas", 3),
        ("Sangat puas!", 4),
        ("puas banget", 4),
        ("puas bgt", 4),
        ("mantap", 4),
        ("kurang puas", 2),
        ("kurang", 2),
        ("tidak puas", 1),
        ("tdk puas", 1),
        ("nggak puas", 1),
        ("kecewa", 1),
        ("buruk", 1),
        ("baik", 3),
        ("sangat baik", 4),
        ("bagus banget", 4),
        ("kurang baik", 2),
        ("tidak baik", 1),
        ("jelek", 1),
        ("very good", 4),
        ("Excellent", 4),
        ("good", 3),
        ("poor", 2),
        ("very poor", 1),
        ("bad", 1),
        ("saya sangat puas dengan pelayanannya", 4),
        # buttons, stars, emoji
        ("skm:completion_time:2", 2),
        ("⭐⭐⭐", 3),
        ("👍", 3),
        ("👎", 1),
    ],
)
def test_parse_answer_understands(text: str, score: int) -> None:
    assert parse_answer(text, TIME) == score


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "halo",
        "terima kasih",
        "10",
        "0",
        "5",
        "4.5",
        "e",
        "a bit slow",
        "4 hari",  # a duration, not a score
        "1 sangat puas",  # number and words disagree
        "cepat tapi tidak puas",  # two different scores
        "tidak sangat puas",  # negated intensifier: unclear
        "not very good",
        "skm:conduct:4",  # another element's (stale) button
        "skm:completion_time:5",
        "skm:completion_time:x",
    ],
)
def test_parse_answer_returns_none_when_unclear(text: str) -> None:
    assert parse_answer(text, TIME) is None


def test_negation_is_never_read_as_its_positive() -> None:
    pairs = [("puas", "tidak puas"), ("baik", "tidak baik"), ("good", "not good")]
    for positive, negative in pairs:
        assert parse_answer(positive, TIME) == 3
        assert parse_answer(negative, TIME) == 1


def test_element_labels_take_precedence_over_generic_words() -> None:
    # "baik" alone is 3 anywhere, but "dikelola dengan baik" is the
    # complaint-handling answer d (4), and facilities "cukup" is b (2).
    assert parse_answer("dikelola dengan baik", COMPLAINTS) == 4
    assert parse_answer("ada tapi tidak berfungsi", COMPLAINTS) == 2
    assert parse_answer("berfungsi kurang maksimal", COMPLAINTS) == 3
    assert parse_answer("tidak ada", COMPLAINTS) == 1
    assert parse_answer("cukup", FACILITIES) == 2
    assert parse_answer("cukup", TIME) is None
    assert parse_answer("gratis", COST) == 4
    assert parse_answer("cukup mahal", COST) == 2
    assert parse_answer("sopan & ramah", CONDUCT) == 3


def test_parse_answer_rejects_non_text_without_raising() -> None:
    assert parse_answer(None, TIME) is None  # type: ignore[arg-type]
    assert parse_answer(4, TIME) is None  # type: ignore[arg-type]


@given(st.text(max_size=60))
def test_parse_answer_never_raises_and_stays_in_range(text: str) -> None:
    score = parse_answer(text, COMPLAINTS)
    assert score is None or 1 <= score <= 4
