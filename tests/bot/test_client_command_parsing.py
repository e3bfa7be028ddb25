"""Parsing the commands every chat client sends (bot.conversation.commands), whole results."""

from __future__ import annotations

import pytest

from bot.conversation.commands import ClientCommand, CommandKind, parse_command


@pytest.mark.parametrize(("text", "command"), [
    ("/start", ClientCommand(CommandKind.WELCOME, "start")),
    ("  /START@PintuBot  ", ClientCommand(CommandKind.WELCOME, "start")),
    ("/start PTU-2026-000123", ClientCommand(CommandKind.WELCOME, "start", "PTU-2026-000123")),
    ("/greet{\"lang\": \"id\"}", ClientCommand(CommandKind.WELCOME, "greet")),
    ("/get_started", ClientCommand(CommandKind.WELCOME, "get_started")),
    ("/mulai lapor", ClientCommand(CommandKind.WELCOME, "mulai", "lapor")),
    ("/Bantuan", ClientCommand(CommandKind.HELP, "bantuan")),
    ("/help", ClientCommand(CommandKind.HELP, "help")),
    ("/ulang", ClientCommand(CommandKind.RESTART, "ulang")),
    ("/reset", ClientCommand(CommandKind.RESTART, "reset")),
    ("/start " + "a" * 70, ClientCommand(CommandKind.WELCOME, "start", "a" * 64)),
    ("/start\nlapor  ", ClientCommand(CommandKind.WELCOME, "start", "lapor")),
    ("/complaint", None), ("/confirm", None), ("start", None), ("", None), (None, None),
    ("/start@", None), ("/ start", None),
])
def test_parse_command(text: str | None, command: ClientCommand | None) -> None:
    assert parse_command(text) == command


@pytest.mark.parametrize(("argument", "number"), [
    ("PTU-2026-000123", "PTU-2026-000123"),
    ("ptu_2026_123", "PTU-2026-000123"),
    (" PTU2026123 ", "PTU-2026-000123"),
    ("PTU-2026-1234567", None),
    ("XYZ-2026-1", None),
    ("lapor", None),
    ("", None),
])
def test_deep_link_ticket_numbers(argument: str, number: str | None) -> None:
    assert ClientCommand(CommandKind.WELCOME, "start", argument).ticket_number() == number


def test_deep_link_ticket_number_with_another_prefix() -> None:
    command = ClientCommand(CommandKind.WELCOME, "start", "lpr-2025-77")
    assert command.ticket_number("LPR") == "LPR-2025-000077"
    assert command.ticket_number() is None


@pytest.mark.parametrize(("argument", "entry"), [
    ("lapor", "report"), ("PENGADUAN", "report"), (" cek ", "status"), ("informasi", "info"),
    ("petugas", "agent"), ("agent", "agent"), ("tiket", None), ("", None),
])
def test_deep_link_menu_entries(argument: str, entry: str | None) -> None:
    assert ClientCommand(CommandKind.WELCOME, "start", argument).menu_entry == entry
