""""Saya juga" in the pure dialogue: the answers to "is this the same problem?"."""

from __future__ import annotations

import pytest

from bot.conversation import dialogue as dlg
from channels.base import InboundMessage

NUMBER = "PTU-2026-000007"


def offered(lang: str = "id") -> dlg.DialogueState:
    """The state after the service showed ticket NUMBER instead of filing the report."""
    state = dlg.DialogueState(lang=lang)
    draft = dlg.DraftReport(kind="complaint", description="lampu jalan mati depan masjid",
                            category="infrastructure", region_code="35.79.01.1006",
                            message_ids=[11, 12])
    dlg.offer_me_too(state, draft, NUMBER)
    return state


def say(state: dlg.DialogueState, text: str = "", payload: str | None = None,
        **kw: object) -> tuple[dlg.DialogueState, list[dlg.Action]]:
    event = InboundMessage(channel="rest", sender_id="w", text=text, payload=payload,
                           **kw)  # type: ignore[arg-type]
    return dlg.step(state, event, None)


def test_the_offer_waits_with_two_choices() -> None:
    state = offered()
    assert state.mode == dlg.Mode.ME_TOO
    assert state.draft is not None and state.draft.me_too_ticket == NUMBER
    assert state.choices == [["Ya, saya juga", "/join"], ["Buat laporan baru", "/new_report"]]
    assert dlg.Mode.ME_TOO in dlg.REPORT_MODES  # no survey interrupts it
    # The state survives storage as JSON.
    again = dlg.DialogueState.from_dict(state.to_dict())
    assert again.mode == dlg.Mode.ME_TOO and again.draft == state.draft


@pytest.mark.parametrize("text,payload", [
    ("", "/join"), ("1", None), ("iya", None), ("ok", None), ("Ya, saya juga", None),
    ("sy jg", None), ("sama min", None), ("ikut aja", None), ("yes", None),
])
def test_joining(text: str, payload: str | None) -> None:
    state, actions = say(offered(), text, payload)
    assert state.mode == dlg.Mode.IDLE and state.draft is None
    assert len(actions) == 1 and isinstance(actions[0], dlg.JoinTicket)
    assert actions[0].number == NUMBER
    assert actions[0].draft.description == "lampu jalan mati depan masjid"
    assert actions[0].draft.message_ids == [11, 12]


@pytest.mark.parametrize("text,payload", [
    ("", "/new_report"), ("2", None), ("buat laporan baru", None), ("bukan", None),
    ("tidak", None), ("beda masalahnya", None), ("kirim saja", None), ("new report", None),
])
def test_filing_anyway(text: str, payload: str | None) -> None:
    state, actions = say(offered(), text, payload)
    assert state.mode == dlg.Mode.IDLE and state.draft is None
    assert len(actions) == 1 and isinstance(actions[0], dlg.CreateTicket)
    draft = actions[0].draft
    # Declined: the service will not offer this ticket again for this report.
    assert draft.me_too_ticket is None and draft.me_too_declined == [NUMBER]


def test_more_words_are_detail_and_the_report_is_shown_again() -> None:
    state, actions = say(offered(), "lampunya berkedip lalu padam sejak hujan deras kemarin")
    assert state.mode == dlg.Mode.CONFIRMING
    assert state.draft is not None and state.draft.me_too_ticket is None
    assert state.draft.description == ("lampu jalan mati depan masjid\n"
                                       "lampunya berkedip lalu padam sejak hujan deras kemarin")
    assert isinstance(actions[0], dlg.Reply) and isinstance(actions[1], dlg.Reply)
    assert [b.payload for b in actions[1].buttons] == [
        "/confirm", "/confirm_confidential", "/edit", "/cancel"]


def test_a_photo_alone_joins_the_report_and_the_question_stands() -> None:
    from channels.base import Attachment

    photo = Attachment(kind="image", media_id="m1")
    state, actions = say(offered(), attachments=(photo,))
    assert state.mode == dlg.Mode.ME_TOO
    assert state.draft is not None and len(state.draft.attachments) == 1
    assert actions == [dlg.Reply(
        f'Apakah masalah Anda sama dengan laporan {NUMBER}? Pilih "Ya, saya juga" atau '
        '"Buat laporan baru".', dlg.me_too_buttons("id"))]


def test_an_old_send_button_repeats_the_question_and_cancel_cancels() -> None:
    state, actions = say(offered("en"), payload="/confirm")
    assert state.mode == dlg.Mode.ME_TOO
    assert actions == [dlg.Reply(
        f'Is your problem the same as report {NUMBER}? Choose "Yes, me too" or '
        '"File a new report".', dlg.me_too_buttons("en"))]
    state, actions = say(offered(), "batal")
    assert state.mode == dlg.Mode.IDLE and state.draft is None
    assert isinstance(actions[0], dlg.Reply) and "dibatalkan" in actions[0].text.lower()


def test_a_strangers_report_is_shown_masked_and_short() -> None:
    from bot.tickets.me_too import SUMMARY_CHARS, summary

    assert summary("lampu mati depan rumah saya,\nhubungi 081234567890  NIK 3579012345670001") \
        == "lampu mati depan rumah saya, hubungi [TELEPON] NIK [NIK]"
    long = summary("lampu mati " + "panjang " * 40)
    assert len(long) == SUMMARY_CHARS and long.endswith("panj…")
