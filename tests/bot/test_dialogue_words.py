"""The dialogue's word readers (yes, no, cancel, menu, confidential) at their edges:
length limits, word boundaries, a "no" inside a "yes"."""

from __future__ import annotations

import pytest

from bot.conversation import dialogue as dlg


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
