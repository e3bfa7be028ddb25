"""The web chat server's pure parts: CORS setting and the history it re-syncs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.web.webchat import cors_origins, history_items
from storage.models import Message

WHEN = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def _msg(i: int, direction: str, text: str, *, channel: str = "webchat",
         sender: str = "bot", pid: str | None = None, **content: Any) -> Message:
    return Message(id=i, citizen_id=1, direction=direction, channel=channel, text=text,
                   sender_type=sender, provider_message_id=pid, content=content,
                   created_at=WHEN)


def test_cors_setting() -> None:
    assert cors_origins("*") == "*"
    assert cors_origins(" https://a.go.id, https://b.go.id ,") == ["https://a.go.id",
                                                                   "https://b.go.id"]
    assert cors_origins("") == []


def test_history_shows_pressed_buttons_by_title_and_keeps_client_ids() -> None:
    confirm = [{"title": "Ya, kirim", "payload": "/confirm"},
               {"title": "Batal", "payload": "/cancel"}]
    items = history_items([
        _msg(1, "in", "jalan rusak", sender="citizen", pid="sess0001:c-1"),
        _msg(2, "out", "Kirim laporan ini?", buttons=confirm, list_options=[]),
        _msg(3, "in", "/confirm", sender="citizen", pid="sess0001:c-2", payload="/confirm"),
        _msg(4, "out", "Nomor tiket PTU-2025-000001"),
        _msg(5, "out", "Balasan petugas", sender="staff"),
    ])
    assert [i["text"] for i in items] == ["jalan rusak", "Kirim laporan ini?", "Ya, kirim",
                                          "Nomor tiket PTU-2025-000001", "Balasan petugas"]
    assert items[1]["buttons"] == confirm
    assert [i["client_id"] for i in items] == ["c-1", None, "c-2", None, None]
    assert items[4]["sender"] == "staff"
    assert items[0] == {"id": 1, "direction": "in", "sender": "citizen", "channel": "webchat",
                        "text": "jalan rusak", "buttons": [], "ts": WHEN.isoformat(),
                        "client_id": "c-1"}


def test_history_skips_empty_messages_and_foreign_ids() -> None:
    items = history_items([
        _msg(1, "in", "", channel="telegram", sender="citizen", pid="991"),
        _msg(2, "in", "halo dari telegram", channel="telegram", sender="citizen", pid="992"),
    ])
    assert [(i["text"], i["client_id"]) for i in items] == [("halo dari telegram", None)]


async def test_demo_page_example_ticket_uses_the_prefix_and_this_year(client: Any) -> None:
    from storage.models import utcnow

    page = (await client.get("/")).text
    assert f"PTU-{utcnow().year}-000123" in page
    assert "__EXAMPLE_TICKET__" not in page
