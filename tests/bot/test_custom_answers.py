"""Custom intents: validation, answers in both languages, the dialogue's hook (issue 17)."""

from __future__ import annotations

import pytest

from bot.conversation import dialogue as dlg
from bot.conversation.custom_answers import custom_answer
from bot.nlu_admin.custom_intents import check_buttons, check_intent_name
from bot.nlu_admin.data import NluAdminError
from bot.web.nlu_admin.intent_pages import buttons_text, parse_buttons
from channels.base import Button, InboundMessage
from nlu.rasa_payload import parse_intent_payload
from nlu.types import NluResult, Prediction
from storage.models import CustomIntent


def intent(**kw: object) -> CustomIntent:
    values: dict[str, object] = {"name": "jam_buka_mpp", "kind": "answer", "answer_id": "",
                                 "answer_en": "", "buttons": []}
    values.update(kw)
    return CustomIntent(**values)


def test_answers_in_the_citizens_language_with_the_other_as_fallback() -> None:
    both = intent(answer_id="Buka 08.00", answer_en="Open at 8",
                  buttons=[{"title_id": "Peta", "title_en": "Map", "payload": "/info"}])
    in_id = custom_answer(both, "id")
    assert in_id is not None and (in_id.text, in_id.buttons) == (
        "Buka 08.00", (Button("Peta", "/info"),))
    en = custom_answer(both, "en")
    assert en is not None and (en.text, en.buttons) == ("Open at 8", (Button("Map", "/info"),))
    only_id = custom_answer(intent(answer_id="Buka 08.00"), "en")
    assert only_id is not None and only_id.text == "Buka 08.00"
    assert custom_answer(intent(), "id") is None
    assert intent().needs_review and not intent(answer_en="x").needs_review


@pytest.mark.parametrize(("name", "fragment"), [
    ("greet", "built-in"), ("jam buka", "letters"), ("9lives", "letters"), ("x" * 33, "32"),
])
def test_bad_intent_names_are_refused(name: str, fragment: str) -> None:
    with pytest.raises(NluAdminError, match=fragment):
        check_intent_name(name)
    assert check_intent_name(" jadwal-posyandu_2 ") == "jadwal-posyandu_2"


def test_buttons_are_checked_and_typed_one_per_line() -> None:
    typed = "Peta | Map | /info\n\nLapor | /complaint"
    buttons = parse_buttons(typed)
    assert buttons == [{"title_id": "Peta", "title_en": "Map", "payload": "/info"},
                       {"title_id": "Lapor", "title_en": "", "payload": "/complaint"}]
    assert check_buttons(buttons) == buttons
    assert parse_buttons(buttons_text(buttons)) == buttons
    with pytest.raises(NluAdminError, match="title and a payload"):
        check_buttons([{"title_id": "Peta", "payload": ""}])
    with pytest.raises(NluAdminError, match="title \\| English title \\| payload"):
        parse_buttons("a | b | c | d")


def _nlu(label: str, conf: float) -> NluResult:
    return NluResult(text="jam buka mpp", intent=Prediction(label, conf, confident=conf >= 0.45),
                     category=None)


def test_the_dialogue_answers_a_confident_custom_intent_and_flags_an_unsure_one() -> None:
    event = InboundMessage(channel="rest", sender_id="u", text="jam buka mpp hari ini")
    _, actions = dlg.step(dlg.DialogueState(), event, _nlu("jam_buka_mpp", 0.9))
    assert actions == [dlg.AnswerCustomIntent("jam_buka_mpp")]
    _, unsure = dlg.step(dlg.DialogueState(), event, _nlu("jam_buka_mpp", 0.2))
    assert isinstance(unsure[0], dlg.FlagForReview) and isinstance(unsure[1], dlg.Reply)


def test_rasa_payloads_name_known_intents_only() -> None:
    known = ("greet", "jam_buka_mpp", "ticket_status")
    parsed = parse_intent_payload('/jam_buka_mpp{"hari": ["sabtu", "minggu"]}', known)
    assert parsed is not None and parsed.intent.label == "jam_buka_mpp"
    assert [(e.entity, e.value) for e in parsed.entities] == [("hari", "sabtu"),
                                                              ("hari", "minggu")]
    weak = parse_intent_payload("/greet@0.3", known)
    assert weak is not None and weak.intent.confidence == 0.3
    assert parse_intent_payload("/unknown", known) is None
    assert parse_intent_payload("/greet{not json}", known) is None
    assert parse_intent_payload("/status PTU-2026-000001", known) is None
    assert parse_intent_payload("halo /greet", known) is None
