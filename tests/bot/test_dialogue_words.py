"""The conversation's word readers at their edges: the dialogue's yes, no, cancel, menu
and confidential (length limits, word boundaries, a "no" inside a "yes") and small talk
(bot.conversation.smalltalk: what each short message gets)."""

from __future__ import annotations

import pytest

from bot.conversation import dialogue as dlg
from bot.conversation import repair
from bot.conversation.smalltalk import (
    LAST_SERVICE,
    LAST_TICKET,
    SAY,
    SAY_WITH_MENU,
    WHICH_TICKET,
    Heard,
    Talk,
    aside,
    explain,
    is_info_follow_up,
    is_ticket_follow_up,
    small_talk,
)


@pytest.mark.parametrize(("text", "yes"), [
    ("ya", True), ("Oke kirim", True), ("iya benar kirim sekarang", True),
    ("ya ya ya ya ya", False),  # five words: a sentence, not an answer
    ("ya tapi jangan", False), ("kirim? tidak", False), ("", False), ("tidak", False),
    ("saya setuju", False),  # the answer must start with the yes word
])
def test_is_yes(text: str, yes: bool) -> None:
    assert dlg.is_yes(text) is yes


@pytest.mark.parametrize(("text", "no"), [
    ("tidak", True), ("Gak usah", True), ("no no no no", True), ("no no no no no", False),
    ("", False), ("ya", False), ("saya tidak mau", False),
])
def test_is_no(text: str, no: bool) -> None:
    assert dlg.is_no(text) is no


@pytest.mark.parametrize(("text", "cancel"), [
    ("batal", True), ("  BATAL!  ", True), ("ok gak jadi deh", True), ("never mind", True),
    ("pembatalan", False),  # a word containing the phrase is not the phrase
    ("batal " + "x" * 34, True),  # 40 characters
    ("batal " + "x" * 35, False),  # 41: a message about something, not a cancel
    ("", False),
])
def test_is_cancel(text: str, cancel: bool) -> None:
    assert dlg.is_cancel(text) is cancel


@pytest.mark.parametrize(("text", "menu"), [
    ("menu", True), ("kembali ke menu", True), ("mau ke menu utama", False),
    ("", False), ("lapor", False),
])
def test_is_menu(text: str, menu: bool) -> None:
    assert dlg.is_menu(text) is menu


@pytest.mark.parametrize(("text", "secret"), [
    ("rahasiakan", True), ("kirim tapi rahasia ya", True), ("send confidentially", True),
    ("tolong kirim anonim saja pak", True), ("tolong kirim anonim saja ya pak", False),
    ("", False), ("kirim", False),
])
def test_is_confidential(text: str, secret: bool) -> None:
    assert dlg.is_confidential(text) is secret


# ---------------------------------------------------------------- small talk


T = "PTU-2026-000001"


@pytest.mark.parametrize(("heard", "talk"), [
    # Symbols only: upset emoji get the menu, anything else is acknowledged.
    (Heard("🙏"), Talk(SAY, "acknowledged")),
    (Heard("😡😡😡"), Talk(SAY_WITH_MENU, "upset")),
    (Heard("?? 👎"), Talk(SAY_WITH_MENU, "upset")),
    # Two words at most for the word lists.
    (Heard("kesal banget"), Talk(SAY_WITH_MENU, "upset")),
    (Heard("kesal", intent="complaint"), None),
    (Heard("saya kesal sekali"), None),
    (Heard("p"), Talk(SAY_WITH_MENU, "here")),
    (Heard("halo min"), Talk(SAY_WITH_MENU, "here")),
    (Heard("halo", intent="greet"), None),
    (Heard("halo min kak"), None),
    (Heard("ok sip"), Talk(SAY, "acknowledged")),
    (Heard("ok lapor"), None),
    # A ticket follow-up with no ticket discussed yet.
    (Heard("kapan diperbaiki?"), Talk(WHICH_TICKET, "no_ticket_yet")),
    (Heard("kapan diperbaiki?", intent="complaint"), None),
    (Heard("kapan diperbaiki?", intent="aspiration"), None),
    (Heard("kapan diperbaiki?", last_ticket=T), Talk(LAST_TICKET)),
    (Heard("berapa biayanya?", last_standard="ktp-el"), Talk(LAST_SERVICE)),
    (Heard("triase itu apa?"), Talk(SAY, "explain_triage")),
    (Heard("   "), None),
    (Heard("lampu jalan mati"), None),
])
def test_small_talk(heard: Heard, talk: Talk | None) -> None:
    assert small_talk(heard) == talk


@pytest.mark.parametrize(("heard", "talk"), [
    (Heard("maksudnya rahasia apa?"), Talk(SAY, "explain_confidential")),
    (Heard("kok 5 hari kerja?"), Talk(SAY, "explain_working_days")),
    (Heard("eskalasi itu apa"), Talk(SAY, "explain_escalated")),
    (Heard("survey apa ini?"), Talk(SAY, "explain_survey")),
    (Heard("nomor tiket itu apa?"), Talk(SAY, "explain_ticket")),
    (Heard("triase"), None),  # not a question
    (Heard("triase itu apa", has_numbers=True), None),
    (Heard("biayanya?", last_ticket=T), None),
    (Heard("biayanya?"), None),
    (Heard("sudah selesai belum?", last_standard="ktp-el"), None),
    (Heard("sudah selesai belum?", last_ticket=T), Talk(LAST_TICKET)),
    (Heard(""), None),
])
def test_aside(heard: Heard, talk: Talk | None) -> None:
    assert aside(heard) == talk


def test_follow_ups_and_explanations_are_short() -> None:
    ten = "kapan diperbaiki " + " ".join(["x"] * 8)
    assert is_ticket_follow_up(ten)
    assert not is_ticket_follow_up(ten + " y")
    assert is_info_follow_up("berapa lama " + " ".join(["x"] * 4))
    assert not is_info_follow_up("berapa lama " + " ".join(["x"] * 5))
    assert explain("triase itu apa " + " ".join(["x"] * 7)) == "explain_triage"
    assert explain("triase itu apa " + " ".join(["x"] * 8)) is None
    assert explain("apa kabar?") is None


@pytest.mark.parametrize(("text", "send"), [
    ("kirim", True), ("yoi kirim", True), ("gas min", True), ("Send it now please", True),
    ("ok sipp lanjutkan saja", True), ("tolong segera kirim ke dinas", False),  # five words
    ("jangan kirim", False), ("belum, jangan dikirim", False), ("don't send", False),
    ("", False), ("ok", False),
])
def test_is_send(text: str, send: bool) -> None:
    assert repair.is_send(text) is send
