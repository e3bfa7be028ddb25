"""Whole results of the pure dialogue's pieces and steps: the stored state, the menu,
and step results (state and actions) on paths tests/bot/test_dialogue.py leaves out."""

from __future__ import annotations

import pytest

from bot.conversation import dialogue as dlg
from channels.base import Button


def test_the_menu_in_both_languages() -> None:
    assert dlg.menu_buttons("id") == (
        Button("Buat laporan", "/complaint"), Button("Cek status", "/status"),
        Button("Info layanan", "/info"), Button("Bicara dgn petugas", "/agent"))
    assert dlg.menu_buttons("en") == (
        Button("Report a problem", "/complaint"), Button("Check status", "/status"),
        Button("Service info", "/info"), Button("Talk to an officer", "/agent"))


@pytest.mark.parametrize(("value", "mode"), [
    ("confirming", dlg.Mode.CONFIRMING), ("survey", dlg.Mode.SURVEY), ("CONFIRMING", dlg.Mode.IDLE),
    ("", dlg.Mode.IDLE), (None, dlg.Mode.IDLE), (3, dlg.Mode.IDLE),
])
def test_stored_modes_are_read_back_or_idle(value: object, mode: dlg.Mode) -> None:
    assert dlg.Mode.parse(value) is mode


def test_state_from_a_stored_dict_keeps_known_keys_only() -> None:
    stored = {
        "lang": "en", "mode": "awaiting_where", "turns": 3, "retired_key": 1,
        "draft": {"description": "lampu mati", "category": "infrastructure",
                  "asked_where": True, "retired_draft_key": "x"},
        "choices": [["/edit", "Ubah"]], "last_ticket": "PTU-2026-000001",
    }
    assert dlg.DialogueState.from_dict(stored) == dlg.DialogueState(
        lang="en", mode=dlg.Mode.AWAITING_WHERE, turns=3,
        draft=dlg.DraftReport(description="lampu mati", category="infrastructure",
                              asked_where=True),
        choices=[["/edit", "Ubah"]], last_ticket="PTU-2026-000001")
    assert dlg.DialogueState.from_dict(None) == dlg.DialogueState()
    assert dlg.DialogueState.from_dict({}) == dlg.DialogueState()
    assert dlg.DialogueState.from_dict({"mode": "idle", "draft": {}}) == dlg.DialogueState()
