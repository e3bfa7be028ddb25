"""The conventions every chat client relies on (issue 17), over real HTTP on SQLite and
PostgreSQL: /start (with and without a deep-link payload), /greet, /get_started, /help,
/restart and Rasa intent payloads ``/intent{"slot": "value"}``."""

from __future__ import annotations

import re

from bot.core.i18n import chat_text, t, tc
from tests.bot.test_pipeline import file_complaint
from tests.conftest import AppClient, talk

MENU = ["/complaint", "/status", "/info", "/agent"]
NUMBER = re.compile(r"PTU-\d{4}-\d{6}")
OUT_OF_SCOPE = t("out_of_scope", "id")


def payloads(answer: dict[str, object]) -> list[str]:
    buttons = answer.get("buttons") or []
    assert isinstance(buttons, list)
    return [b["payload"] for b in buttons]


async def test_first_messages_of_every_client_open_the_welcome(client: AppClient) -> None:
    for i, first in enumerate(["/start", "/greet", "/get_started", "/start@pintu_bot",
                               "/greet{}", "  /start  "]):
        answer = await talk(client, f"new-{i}", first, metadata={"name": "Sari Dewi"})
        assert len(answer) == 1, (first, answer)
        assert answer[0]["text"] == t("greeting", "id", name=" Sari"), first
        assert payloads(answer[0]) == MENU, first
        assert OUT_OF_SCOPE not in answer[0]["text"]


async def test_help_lists_what_pintu_does_and_its_commands(client: AppClient) -> None:
    answer = await talk(client, "helper", "/help")
    assert answer[0]["text"] == tc("help", "id", example=f"PTU-{_year()}-000123")
    assert "/restart" in answer[0]["text"]
    assert payloads(answer[0]) == MENU
    english = await talk(client, "helper-en", "/help", metadata={"language": "en"})
    assert english[0]["text"].startswith("I'm Pintu")


def _year() -> int:
    from storage.models import utcnow

    return utcnow().year


async def test_restart_ends_the_report_in_progress(client: AppClient) -> None:
    sender = "restarter"
    await talk(client, sender, "/complaint")
    asked = await talk(client, sender, "lampu jalan di depan rumah saya mati sudah seminggu")
    assert "lokasi" in asked[-1]["text"].lower()
    answer = await talk(client, sender, "/restart")
    assert [a["text"] for a in answer] == [tc("restarted", "id"), t("greeting", "id", name="")]
    assert payloads(answer[-1]) == MENU
    # The half-told report is over: a place now is no answer to "where is it?".
    after = await talk(client, sender, "/status")
    assert "nomor" in after[0]["text"].lower()


async def test_start_with_a_ticket_number_opens_its_status_for_its_owner(
    client: AppClient,
) -> None:
    number = await file_complaint(client, "owner-1")
    for link in (f"/start {number}", f"/start {number.lower().replace('-', '_')}"):
        answer = await talk(client, "owner-1", link)
        assert len(answer) == 1, answer
        assert number in answer[0]["text"], link
        assert "Status" in answer[0]["text"]
    # A number that is not the citizen's gets the one neutral answer strangers get, which
    # does not even tell whether the ticket exists (no enumeration of sequential numbers).
    unknown = await talk(client, "owner-1", "/start PTU-2020-999999")
    assert chat_text("status_private", "id", number="PTU-2020-999999",
                     example=f"PTU-{_year()}-000123") == unknown[0]["text"]


async def test_start_with_a_menu_word_opens_that_entry(client: AppClient) -> None:
    answer = await talk(client, "linker", "/start lapor")
    assert answer[0]["text"] == t("ask_what", "id")
    other = await talk(client, "linker-2", "/start something-else")
    assert other[0]["text"] == t("greeting", "id", name="")


async def test_rasa_intent_payloads_are_taken_as_that_intent_with_its_slots(
    client: AppClient,
) -> None:
    number = await file_complaint(client, "payloader")
    answer = await talk(client, "payloader", f'/ticket_status{{"ticket_number": "{number}"}}')
    assert number in answer[0]["text"] and "Status" in answer[0]["text"]
    greet = await talk(client, "payloader-2", "/greet")
    assert payloads(greet[0]) == MENU
    agent = await talk(client, "payloader-3", "/human_agent")
    assert "petugas" in agent[0]["text"].lower()
    # /model/parse answers a payload as Rasa does: the intent at confidence 1, slots as entities.
    parsed = (await client.post("/model/parse", json={
        "text": '/ticket_status{"ticket_number": "PTU-2026-000001"}'})).json()
    assert parsed["intent"] == {"name": "ticket_status", "confidence": 1.0, "confident": True}
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [
        ("ticket_number", "PTU-2026-000001")]
