"""The web chat adapter: rasa-webchat events to neutral messages and back."""

from __future__ import annotations

import json
from typing import Any

import pytest

from channels.base import Button, ChannelAdapter, ListOption, OutboundMessage, PayloadError
from channels.webchat import (
    MAX_TEXT,
    WebchatAdapter,
    parse_user_uttered,
    render_bot_uttered,
    session_id_from,
    valid_session_id,
)

SID = "3f2a9c0e1b7d4e5f8a6b2c1d0e9f8a7b"


def test_plain_text_message() -> None:
    msg = parse_user_uttered(SID, {"message": "  jalan rusak di Kota Batu ", "session_id": SID})
    assert msg.channel == "webchat"
    assert msg.sender_id == SID and msg.address == SID
    assert msg.text == "jalan rusak di Kota Batu"
    assert msg.payload is None and msg.provider_message_id is None


def test_quick_reply_click_is_a_payload() -> None:
    msg = parse_user_uttered(SID, {"message": "/confirm"})
    assert msg.payload == "/confirm" and msg.text == "/confirm"


def test_client_message_id_is_scoped_to_the_session() -> None:
    a = parse_user_uttered(SID, {"message": "halo", "message_id": "m-1"})
    b = parse_user_uttered("other-session-01", {"message": "halo", "message_id": "m-1"})
    assert a.provider_message_id == f"{SID}:m-1"
    assert a.provider_message_id != b.provider_message_id
    assert parse_user_uttered(SID, {"message": "x", "message_id": 7}).provider_message_id == (
        f"{SID}:7")


@pytest.mark.parametrize("key", ["customData", "metadata"])
def test_language_and_name_from_custom_data(key: str) -> None:
    msg = parse_user_uttered(SID, {"message": "hello", key: {"language": "en-GB", "name": "Ana"}})
    assert msg.language_hint == "en-GB" and msg.display_name == "Ana"


@pytest.mark.parametrize("data", [
    "halo", ["halo"], None, {"message": 5}, {"message": ["x"]}, {"message": ""},
    {"message": "   "}, {"message": "x" * (MAX_TEXT + 1)}, {"message": "x", "message_id": True},
    {"message": "x", "message_id": ""}, {"message": "x", "message_id": "m" * 101},
    {"message": "x", "message_id": {"id": 1}}, {"message": "x", "customData": "en"},
])
def test_malformed_events_are_refused(data: Any) -> None:
    with pytest.raises(PayloadError):
        parse_user_uttered(SID, data)


def test_invalid_session_is_refused() -> None:
    with pytest.raises(PayloadError):
        parse_user_uttered("../x", {"message": "halo"})


def test_longest_message_is_accepted() -> None:
    assert len(parse_user_uttered(SID, {"message": "x" * MAX_TEXT}).text) == MAX_TEXT


def test_session_ids() -> None:
    assert session_id_from({"session_id": SID}) == SID
    assert session_id_from(SID) == SID  # some clients send the bare id
    fresh = {session_id_from(v) for v in (None, {}, {"session_id": None}, {"session_id": 5},
                                          {"session_id": "a b c d e f g h"}, "short", [SID])}
    assert len(fresh) == 7 and all(valid_session_id(s) for s in fresh)
    assert SID not in fresh


def test_render_text_only() -> None:
    out = render_bot_uttered(OutboundMessage("webchat", SID, "Halo!\nAda yang bisa dibantu?"))
    # A single line break is a markdown hard break, so rasa-webchat keeps the two lines.
    assert out == {"text": "Halo!  \nAda yang bisa dibantu?"}


def test_render_buttons_and_list_options_as_quick_replies() -> None:
    msg = OutboundMessage("webchat", SID, "Kirim laporan ini?",
                          buttons=(Button("Ya, kirim", "/confirm"), Button("Batal", "/cancel")),
                          list_options=(ListOption("Ubah", "/edit", "tulis ulang"),))
    out = render_bot_uttered(msg)
    assert out["quick_replies"] == [
        {"content_type": "text", "title": "Ya, kirim", "payload": "/confirm"},
        {"content_type": "text", "title": "Batal", "payload": "/cancel"},
        {"content_type": "text", "title": "Ubah", "payload": "/edit"},
    ]
    # rasa-webchat shows a message only when its keys are exactly these.
    assert set(out) == {"text", "quick_replies"}
    json.dumps(out)  # what goes on the wire is plain JSON


class FakeEmit:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], str]] = []

    async def __call__(self, event: str, data: dict[str, Any], room: str) -> None:
        self.calls.append((event, data, room))


async def test_adapter_sends_bot_uttered_to_the_session_room() -> None:
    emit = FakeEmit()
    adapter = WebchatAdapter(emit)
    assert isinstance(adapter, ChannelAdapter)
    result = await adapter.send(OutboundMessage("webchat", SID, "Balasan petugas",
                                                buttons=(Button("Menu", "/menu"),)))
    assert result.provider_message_id is None
    (event, data, room), = emit.calls
    assert event == "bot_uttered" and room == SID
    assert data["text"] == "Balasan petugas" and data["quick_replies"][0]["payload"] == "/menu"


def test_adapter_parse_and_verify() -> None:
    adapter = WebchatAdapter(FakeEmit())
    adapter.verify({}, b"")
    parsed = adapter.parse(json.dumps({"session_id": SID, "message": "halo",
                                       "message_id": "1"}).encode())
    (msg,) = parsed.messages
    assert msg.sender_id == SID and msg.provider_message_id == f"{SID}:1"
    for body in (b"nope", b"[]", b'{"message": "halo"}'):
        with pytest.raises(PayloadError):
            adapter.parse(body)
