"""The pure parts of dialogue repair (#12): payloads that belong, places people write,
the outside-the-area note, small talk."""

from __future__ import annotations

import pytest

from bot.conversation import repair
from bot.conversation.outside import is_outside, outside_note, owner_region_name
from bot.conversation.places import Place, PlaceReading, read_place
from nlu.places import extract_region
from nlu.types import NluResult, Prediction
from nlu.villages import place_mentions, place_name
from routing.catalog import load_catalog
from routing.router import route_complaint


def _parse(text: str) -> NluResult:
    region, entities = extract_region(text)
    return NluResult(text, Prediction("complaint", 1.0), None, tuple(entities), region)


@pytest.mark.parametrize(("payload", "mode", "ok"), [
    ("/confirm", "confirming", True), ("/confirm", "awaiting_where", False),
    ("/confirm", "awaiting_what", False), ("/edit", "awaiting_where", False),
    ("/edit_place", "confirming", True), ("/topic health", "confirming", True),
    ("/place 35.79.03", "awaiting_where", True), ("/place 35.79.03", "confirming", False),
    ("skm:cost:4", "awaiting_where", False),
])
def test_a_payload_belongs_only_to_its_question(payload: str, mode: str, ok: bool) -> None:
    assert repair.belongs(payload, mode) is ok


@pytest.mark.parametrize(("text", "expected"), [
    ("/confirm", True), ("skm:completion_time:4", True), ("/status PTU-2026-000001", True),
    ("jl diponegoro", False), ("di batu", False), ("", False),
])
def test_payload_shaped_text(text: str, expected: bool) -> None:
    assert repair.looks_like_payload(text) is expected


@pytest.mark.parametrize(("text", "code"), [
    ("air pdam mati dr kmrn di batu", "35.79"),
    ("jalan rusak parah di junrejo banyak lubang", "35.79.03"),
    ("sampah numpuk di desa pendem sudah seminggu bau", "35.79.03.2006"),
    ("bumiaji", "35.79.02"),
    ("desa sidomulyo kec batu kota batu", "35.79.01.2007"),
    ("saluran mampet di kelurahan temas", "35.79.01.1001"),
    ("Kabupaten Sleman", "34.04"),
])
def test_places_people_write_are_read_with_the_home_area_first(text: str, code: str) -> None:
    reading = read_place(text, _parse(text), "35.79")
    assert reading.place is not None and reading.place.code == code, reading
    assert reading.choices == ()


def test_a_village_name_in_many_regencies_gives_choices() -> None:
    reading = read_place("desa sukamaju", _parse("desa sukamaju"), "35.79")
    assert reading.place is None
    assert 2 <= len(reading.choices) <= 5
    assert all(p.name.endswith(")") or "Sukamaju" in p.name for p in reading.choices)


def test_two_regions_named_at_once_give_choices() -> None:
    text = "jalan berlubang besar di sleman jogja"
    assert read_place(text, _parse(text), "35.79") == PlaceReading(choices=(
        Place("34.04", "Kabupaten Sleman"), Place("34.71", "Kota Yogyakarta")))


@pytest.mark.parametrize("text", ["di rumah saya jalan rusak", "Jl Diponegoro", "ya", ""])
def test_ordinary_words_and_streets_are_no_place(text: str) -> None:
    assert read_place(text, _parse(text), "35.79") == PlaceReading()


def test_village_names_and_mentions() -> None:
    assert place_name("35.79.03.2006") == "Desa Pendem, Kec. Junrejo, Kota Batu"
    assert place_name("35.79.01.1001") == "Kelurahan Temas, Kec. Batu, Kota Batu"
    assert place_name("35.79.02") == "Kec. Bumiaji, Kota Batu"
    [mention] = place_mentions("banjir di desa pendem")
    assert mention.text == "pendem" and mention.cue == "village"
    assert "35.79.03.2006" in mention.codes and all(c.count(".") == 3 for c in mention.codes)


def test_outside_note_names_the_owner_and_the_lapor_route() -> None:
    catalog = load_catalog()
    decision = route_complaint("infrastructure", 0.9, "34.04", "rest", catalog)
    assert decision.unit.is_triage
    note = outside_note(catalog, decision, "34.04", "id")
    assert "Kabupaten Sleman" in note and "SP4N-LAPOR!" in note and catalog.name in note
    assert "outside" in outside_note(catalog, decision, "34.04", "en")
    inside = route_complaint("infrastructure", 0.9, "35.79.03", "rest", catalog)
    assert outside_note(catalog, inside, "35.79.03", "id") == ""
    assert is_outside(catalog, "35.73") and not is_outside(catalog, "35.79.01.1001")
    assert owner_region_name("34.04.01") == "Kabupaten Sleman"


# ---- small talk (pure, through the dialogue step) -----------------------------------------

def _step(text: str, intent: str = "out_of_scope", **state: object) -> list[object]:
    from bot.conversation import dialogue as dlg
    from channels.base import InboundMessage

    nlu = NluResult(text, Prediction(intent, 0.95), None)
    _, actions = dlg.step(dlg.DialogueState(**state),  # type: ignore[arg-type]
                          InboundMessage(channel="rest", sender_id="u", text=text), nlu)
    return list(actions)


@pytest.mark.parametrize(("text", "key"), [
    ("p", "here"), ("🙏", "acknowledged"), ("😡😡😡", "upset"), ("ok", "acknowledged"),
    ("kok triase? maksudnya apa", "explain_triage"),
    ("hari kerja itu maksudnya gimana?", "explain_working_days"),
    ("what does confidential mean?", "explain_confidential"),
])
def test_small_talk_is_acknowledged_not_out_of_scope(text: str, key: str) -> None:
    from bot.conversation import dialogue as dlg
    from bot.core.i18n import chat_text

    [reply, *_] = _step(text)
    assert isinstance(reply, dlg.Reply)
    assert reply.text == chat_text(key, "id", example="PTU-2026-000123")


def test_a_follow_up_asks_about_the_ticket_just_discussed() -> None:
    from bot.conversation import dialogue as dlg

    assert _step("kapan diperbaiki?", "ticket_status", last_ticket="PTU-2026-000007") == [
        dlg.ReportStatus("PTU-2026-000007")]
    assert _step("berapa biayanya?", "info_request", last_standard="ktp-el") == [
        dlg.AnswerInfo(query="", standard_id="ktp-el")]
    # With no ticket discussed, the bot asks which one.
    asked = _step("kapan diperbaiki?", "ticket_status")
    assert isinstance(asked[-1], dlg.ListMyTickets)


def test_a_question_during_a_survey_is_answered_and_the_survey_resumes() -> None:
    from bot.conversation import dialogue as dlg

    actions = _step("berapa lama jadinya?", "info_request", mode=dlg.Mode.SURVEY, survey_id=3,
                    last_standard="ktp-el")
    assert actions == [dlg.AnswerInfo(query="", standard_id="ktp-el"),
                       dlg.SurveyInput(3, resume=True)]


def test_real_out_of_scope_stays_out_of_scope() -> None:
    from bot.conversation import dialogue as dlg
    from bot.core.i18n import t

    [reply] = _step("siapa juara piala dunia tahun 2018?")
    assert isinstance(reply, dlg.Reply) and reply.text == t("out_of_scope", "id")


# ---- check codes ----------------------------------------------------------------------------

def test_check_codes_are_random_and_read_from_what_people_type() -> None:
    from bot.tickets.check_code import ALPHABET, codes_in, matches, new_check_code

    codes = {new_check_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == 6 and set(c) <= set(ALPHABET) for c in codes)
    assert codes_in("status PTU-2026-000123 kode k7q2ma") == ["K7Q2MA"]
    assert codes_in("PTU-2026-000123 AB7K2M") == ["AB7K2M"]
    assert codes_in("cek status PTU-2026-000123 dong") == []
    assert matches("k7q2ma", "K7Q2MA") and not matches("K7Q2MB", "K7Q2MA")
    assert not matches(None, "K7Q2MA") and not matches("K7Q2MA", None)
