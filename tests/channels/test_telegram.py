"""Telegram adapter: lenient parsing, verification, rendering, and sending to a fake Bot API."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from channels.base import (
    Attachment,
    Button,
    ChannelAdapter,
    DeliveryError,
    ListOption,
    Location,
    OutboundMessage,
    PayloadError,
    WebhookAuthError,
)
from channels.telegram import (
    TelegramAdapter,
    parse_telegram_update,
    parse_telegram_updates,
    render_telegram,
)
from tests.channels.fakes import FakeBotAPI, free_port

# PTB itself reads RetryAfter.retry_after while building the error, which warns
# about the coming timedelta type; the adapter accepts both types.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

BOT = "pintu_bot"

# Modelled on real updates: note the missing is_bot / file_unique_id fields.
PRIVATE_USER = {"id": 555001, "first_name": "Siti", "last_name": "Aminah", "language_code": "id"}
PRIVATE_CHAT = {"id": 555001, "first_name": "Siti", "type": "private"}
GROUP_CHAT = {"id": -100777, "title": "Warga RW 05", "type": "supergroup"}


def _message(update_id: int = 9001, **fields: Any) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "message_id": 17,
        "from": PRIVATE_USER,
        "chat": PRIVATE_CHAT,
        "date": 1767225600,
    }
    msg.update(fields)
    return {"update_id": update_id, "message": msg}


def _group(text: str, **fields: Any) -> dict[str, Any]:
    return _message(chat=GROUP_CHAT, text=text, **fields)


def _adapter(fake: FakeBotAPI, **kwargs: Any) -> TelegramAdapter:
    options: dict[str, Any] = {
        "token": fake.token,
        "secret": "s3cret-token",
        "api_url": fake.url,
        "bot_username": BOT,
        "per_chat_interval": 0.0,
        "group_interval": 0.0,
        "global_rate": 1000.0,
    }
    options.update(kwargs)
    return TelegramAdapter(**options)


# ---------------------------------------------------------------- parsing


def test_private_text_message() -> None:
    parsed = parse_telegram_update(_message(text="Jalan rusak di depan pasar"), BOT)
    assert parsed.unparsed == () and parsed.acks == ()
    (m,) = parsed.messages
    assert m.channel == "telegram"
    assert m.text == "Jalan rusak di depan pasar"
    assert m.provider_message_id == "9001"
    assert m.sender_id == "555001" and m.address == "555001"
    assert m.display_name == "Siti Aminah"
    assert m.language_hint == "id"
    assert m.timestamp == datetime(2026, 1, 1, tzinfo=UTC)
    assert m.edited is False
    assert m.metadata["chat_type"] == "private"
    assert m.metadata["message_id"] == "17"


def test_lenient_update_missing_fields_telegram_calls_required() -> None:
    update = {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "from": {"id": 42, "username": "warga42"},  # no is_bot, no first_name
            "chat": {"id": 42},  # no type
            "text": "halo",
        },  # no date
    }
    (m,) = parse_telegram_update(update).messages
    assert m.sender_id == "42"
    assert m.display_name == "warga42"
    assert m.timestamp is None
    assert m.metadata["username"] == "warga42"


def test_sender_falls_back_to_chat_id_without_from() -> None:
    update = {"update_id": 6, "message": {"message_id": 2, "chat": PRIVATE_CHAT, "text": "x"}}
    (m,) = parse_telegram_update(update).messages
    assert m.sender_id == "555001"


def test_photo_with_caption_keeps_largest_photo() -> None:
    photos = [
        {"file_id": "small", "width": 90, "height": 90},
        {"file_id": "large", "width": 1280, "height": 960},
        {"file_id": "medium", "width": 320, "height": 240},
    ]
    (m,) = parse_telegram_update(_message(photo=photos, caption="Sampah menumpuk")).messages
    assert m.text == "Sampah menumpuk"
    assert m.attachments == (Attachment(kind="image", media_id="large", caption="Sampah menumpuk"),)


def test_photo_without_sizes_takes_last() -> None:
    photos = [{"file_id": "a"}, {"file_id": "b"}]
    (m,) = parse_telegram_update(_message(photo=photos)).messages
    assert m.text == ""
    assert m.attachments[0].media_id == "b"


def test_document_and_voice() -> None:
    doc = {"file_id": "doc1", "file_name": "ktp.pdf", "mime_type": "application/pdf"}
    (m,) = parse_telegram_update(_message(document=doc)).messages
    assert m.attachments == (
        Attachment(
            kind="document", media_id="doc1", mime_type="application/pdf", filename="ktp.pdf"
        ),
    )
    voice = {"file_id": "v1", "duration": 3, "mime_type": "audio/ogg"}
    (v,) = parse_telegram_update(_message(voice=voice)).messages
    assert v.attachments[0].kind == "audio" and v.attachments[0].media_id == "v1"


def test_location_and_venue() -> None:
    loc = {"latitude": -6.2, "longitude": 106.8}
    (m,) = parse_telegram_update(_message(location=loc)).messages
    assert m.location == Location(latitude=-6.2, longitude=106.8)
    venue = {"location": loc, "title": "Kantor Kelurahan", "address": "Jl. Melati 1"}
    (v,) = parse_telegram_update(_message(location=loc, venue=venue)).messages
    assert v.location == Location(-6.2, 106.8, name="Kantor Kelurahan", address="Jl. Melati 1")


def test_contact_shared_by_the_sender() -> None:
    contact = {"phone_number": "+6281234567890", "first_name": "Siti", "user_id": 555001}
    (m,) = parse_telegram_update(_message(contact=contact)).messages
    assert m.contact_phone == "+6281234567890"
    assert m.metadata["contact_is_sender"] == "true"
    assert m.metadata["contact_name"] == "Siti"


def test_edited_message_keeps_update_id_and_uses_edit_date() -> None:
    update = {
        "update_id": 9100,
        "edited_message": {
            "message_id": 17,
            "from": PRIVATE_USER,
            "chat": PRIVATE_CHAT,
            "date": 1767225600,
            "edit_date": 1767225660,
            "text": "Jalan rusak parah",
        },
    }
    (m,) = parse_telegram_update(update).messages
    assert m.edited is True
    assert m.provider_message_id == "9100"
    assert m.text == "Jalan rusak parah"
    assert m.timestamp == datetime(2026, 1, 1, 0, 1, tzinfo=UTC)


def test_callback_query_becomes_payload_and_ack() -> None:
    update = {
        "update_id": 9200,
        "callback_query": {
            "id": "4382bfdwdsb323b2d9",
            "from": {"id": 555001, "first_name": "Siti", "language_code": "id"},
            "message": {"message_id": 40, "chat": PRIVATE_CHAT, "date": 1767225600},
            "data": "kategori:jalan",
            # no chat_instance, although the Bot API calls it required
        },
    }
    parsed = parse_telegram_update(update, BOT)
    assert parsed.acks == ("4382bfdwdsb323b2d9",)
    (m,) = parsed.messages
    assert m.payload == "kategori:jalan" and m.text == "kategori:jalan"
    assert m.provider_message_id == "9200"
    assert m.sender_id == "555001" and m.address == "555001"
    assert m.metadata["callback_query_id"] == "4382bfdwdsb323b2d9"
    assert m.metadata["message_id"] == "40"


def test_callback_query_from_group_replies_to_group() -> None:
    update = {
        "update_id": 1,
        "callback_query": {
            "id": "q1",
            "from": {"id": 7, "first_name": "Budi"},
            "message": {"message_id": 3, "chat": GROUP_CHAT},
            "data": "ya",
        },
    }
    (m,) = parse_telegram_update(update, BOT).messages
    assert m.sender_id == "7" and m.address == "-100777"


def test_callback_query_without_data_is_acked_but_unparsed() -> None:
    update = {
        "update_id": 2,
        "callback_query": {"id": "q2", "from": {"id": 7}, "game_short_name": "g"},
    }
    parsed = parse_telegram_update(update, BOT)
    assert parsed.messages == ()
    assert parsed.acks == ("q2",)
    assert len(parsed.unparsed) == 1


def test_group_message_not_addressed_is_ignored() -> None:
    parsed = parse_telegram_update(_group("ada yang tahu jadwal posyandu?"), BOT)
    assert parsed.messages == () and parsed.unparsed == ()
    assert len(parsed.ignored) == 1


def test_group_mention_is_addressed_and_stripped() -> None:
    (m,) = parse_telegram_update(_group("@Pintu_Bot lampu jalan mati"), BOT).messages
    assert m.text == "lampu jalan mati"
    assert m.sender_id == "555001" and m.address == "-100777"
    assert m.metadata["chat_type"] == "supergroup"


def test_group_command_for_this_bot() -> None:
    (m,) = parse_telegram_update(_group("/lapor@pintu_bot jalan rusak"), BOT).messages
    assert m.text == "/lapor jalan rusak"
    assert parse_telegram_update(_group("/lapor@other_bot x"), BOT).messages == ()
    assert parse_telegram_update(_group("/lapor x"), BOT).messages == ()


def test_group_reply_to_the_bot_is_addressed() -> None:
    reply = {"message_id": 5, "from": {"id": 4242, "username": BOT}, "chat": GROUP_CHAT}
    (m,) = parse_telegram_update(_group("RW 05", reply_to_message=reply), BOT).messages
    assert m.text == "RW 05"
    assert m.metadata["reply_to_message_id"] == "5"


def test_group_lookalike_username_and_unknown_bot_name_are_ignored() -> None:
    assert parse_telegram_update(_group("@pintu_bot_palsu halo"), BOT).messages == ()
    assert parse_telegram_update(_group("@pintu_bot halo"), None).messages == ()


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1, "my_chat_member": {"chat": PRIVATE_CHAT}},
        {"update_id": 2, "channel_post": {"message_id": 1, "chat": {"id": -1, "type": "channel"}}},
        {"update_id": 3},
        {"update_id": 4, "message": "not an object"},
        {"update_id": 5, "message": {"message_id": 1, "text": "no chat"}},
        _message(dice={"emoji": "🎲", "value": 3}),
    ],
)
def test_unhandled_updates_are_unparsed_not_errors(update: dict[str, Any]) -> None:
    parsed = parse_telegram_update(update, BOT)
    assert parsed.messages == ()
    assert len(parsed.unparsed) == 1
    assert parsed.unparsed[0].startswith("telegram update ")


def test_parse_updates_batch() -> None:
    parsed = parse_telegram_updates(
        [_message(1, text="a"), {"update_id": 2, "poll": {}}, _group("x")], BOT
    )
    assert [m.text for m in parsed.messages] == ["a"]
    assert len(parsed.unparsed) == 1 and len(parsed.ignored) == 1


def test_adapter_parse_refuses_non_json_and_non_objects() -> None:
    adapter = TelegramAdapter(token="1:x", secret="s", bot_username=BOT)
    with pytest.raises(PayloadError):
        adapter.parse(b"not json")
    with pytest.raises(PayloadError):
        adapter.parse(b"[1, 2]")
    with pytest.raises(PayloadError):
        adapter.parse(b"\xff\xfe")
    parsed = adapter.parse(b'{"something": "new"}')
    assert parsed.messages == () and len(parsed.unparsed) == 1
    (m,) = adapter.parse(json.dumps(_message(text="hai")).encode()).messages
    assert m.text == "hai"


def test_adapter_satisfies_the_channel_port() -> None:
    assert isinstance(TelegramAdapter(token="1:x", secret="s"), ChannelAdapter)


# ---------------------------------------------------------------- verification


def test_verify_secret_token() -> None:
    adapter = TelegramAdapter(token="1:x", secret="s3cret")
    adapter.verify({"X-Telegram-Bot-Api-Secret-Token": "s3cret"}, b"{}")
    adapter.verify({"x-telegram-bot-api-secret-token": "s3cret"}, b"{}")
    with pytest.raises(WebhookAuthError, match="missing"):
        adapter.verify({}, b"{}")
    with pytest.raises(WebhookAuthError, match="wrong"):
        adapter.verify({"X-Telegram-Bot-Api-Secret-Token": "guess"}, b"{}")


def test_verify_without_configured_secret_refuses_unless_allowed() -> None:
    with pytest.raises(WebhookAuthError, match="not configured"):
        TelegramAdapter(token="1:x").verify({"X-Telegram-Bot-Api-Secret-Token": "x"}, b"{}")
    TelegramAdapter(token="1:x", allow_unsigned=True).verify({}, b"{}")


def test_token_is_required() -> None:
    with pytest.raises(ValueError):
        TelegramAdapter(token="")


# ---------------------------------------------------------------- rendering


def _out(text: str = "Pilih layanan:", **kwargs: Any) -> OutboundMessage:
    return OutboundMessage(channel="telegram", recipient_id="555001", text=text, **kwargs)


def test_render_plain_text() -> None:
    assert render_telegram(_out("Halo")) == [
        {"method": "sendMessage", "params": {"chat_id": 555001, "text": "Halo"}}
    ]


def test_render_short_buttons_two_per_row() -> None:
    buttons = (Button("Ya", "yes"), Button("Tidak", "no"), Button("Batal", "cancel"))
    (call,) = render_telegram(_out(buttons=buttons))
    assert call["params"]["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Ya", "callback_data": "yes"}, {"text": "Tidak", "callback_data": "no"}],
            [{"text": "Batal", "callback_data": "cancel"}],
        ]
    }


def test_render_long_titles_one_per_row_and_list_descriptions_in_text() -> None:
    options = (
        ListOption("Pengaduan infrastruktur", "infra", "Jalan, jembatan, drainase"),
        ListOption("Administrasi kependudukan", "adminduk"),
    )
    (call,) = render_telegram(_out(list_options=options))
    rows = call["params"]["reply_markup"]["inline_keyboard"]
    assert [len(r) for r in rows] == [1, 1]
    assert rows[1][0] == {"text": "Administrasi kependudukan", "callback_data": "adminduk"}
    assert "• Pengaduan infrastruktur: Jalan, jembatan, drainase" in call["params"]["text"]


def test_render_degrades_to_numbered_text_when_callback_data_too_long() -> None:
    buttons = (Button("Satu", "é" * 33), Button("Dua", "b"))  # 66 bytes > 64
    (call,) = render_telegram(_out("Pilih:", buttons=buttons))
    assert "reply_markup" not in call["params"]
    assert call["params"]["text"] == "Pilih:\n\n1. Satu\n2. Dua\n\nBalas dengan angka pilihan."
    (custom,) = render_telegram(
        _out("Pilih:", buttons=buttons, metadata={"numbered_hint": "Ketik nomornya."})
    )
    assert custom["params"]["text"].endswith("Ketik nomornya.")


def test_render_splits_long_text_keyboard_on_last_part() -> None:
    text = ("kata " * 1000).strip()  # 4999 characters
    calls = render_telegram(_out(text, buttons=(Button("OK", "ok"),)))
    assert [c["method"] for c in calls] == ["sendMessage", "sendMessage"]
    assert all(len(c["params"]["text"]) <= 4096 for c in calls)
    assert "reply_markup" not in calls[0]["params"] and "reply_markup" in calls[1]["params"]
    assert " ".join(c["params"]["text"] for c in calls) == text


def test_render_location_venue_and_media() -> None:
    calls = render_telegram(
        OutboundMessage(
            channel="telegram",
            recipient_id="555001",
            text="",
            location=Location(-6.2, 106.8, name="Kantor", address="Jl. Melati 1"),
            attachments=(
                Attachment(kind="image", url="https://example.org/peta.png", caption="Peta"),
                Attachment(kind="document", media_id="BQAC-doc"),
            ),
        )
    )
    assert calls == [
        {
            "method": "sendVenue",
            "params": {
                "chat_id": 555001,
                "latitude": -6.2,
                "longitude": 106.8,
                "title": "Kantor",
                "address": "Jl. Melati 1",
            },
        },
        {
            "method": "sendPhoto",
            "params": {
                "chat_id": 555001,
                "photo": "https://example.org/peta.png",
                "caption": "Peta",
            },
        },
        {"method": "sendDocument", "params": {"chat_id": 555001, "document": "BQAC-doc"}},
    ]
    (plain,) = render_telegram(_out("", location=Location(1.0, 2.0)))
    assert plain["method"] == "sendLocation"


def test_render_attachment_without_source_is_refused() -> None:
    with pytest.raises(DeliveryError) as err:
        render_telegram(_out("x", attachments=(Attachment(kind="image"),)))
    assert err.value.retryable is False


# ---------------------------------------------------------------- sending over HTTP


async def test_send_buttons_reaches_bot_api(bot_api: FakeBotAPI) -> None:
    adapter = _adapter(bot_api, bot_username=None, api_url=bot_api.url + "/")
    try:
        result = await adapter.send(
            _out(
                "Apakah laporan sudah benar?", buttons=(Button("Ya", "yes"), Button("Ubah", "edit"))
            )
        )
    finally:
        await adapter.close()
    assert adapter.bot_username == "pintu_bot"  # learned from getMe
    assert [r.path.rsplit("/", 1)[-1] for r in bot_api.requests] == ["getMe", "sendMessage"]
    (rec,) = bot_api.calls("sendMessage")
    assert rec.path == f"/bot{bot_api.token}/sendMessage"
    assert rec.http_method == "POST"
    params = bot_api.params(rec)
    assert params["chat_id"] == "555001"
    assert params["text"] == "Apakah laporan sudah benar?"
    assert json.loads(params["reply_markup"]) == {
        "inline_keyboard": [
            [{"text": "Ya", "callback_data": "yes"}, {"text": "Ubah", "callback_data": "edit"}]
        ]
    }
    assert result.provider_message_id == "101"


async def test_send_location_and_photo(bot_api: FakeBotAPI) -> None:
    adapter = _adapter(bot_api)
    try:
        await adapter.send(
            _out(
                "",
                location=Location(-6.2, 106.8),
                attachments=(Attachment(kind="image", media_id="AgAC-photo", caption="Bukti"),),
            )
        )
    finally:
        await adapter.close()
    (loc,) = bot_api.calls("sendLocation")
    assert bot_api.params(loc) == {"chat_id": "555001", "latitude": "-6.2", "longitude": "106.8"}
    (photo,) = bot_api.calls("sendPhoto")
    assert bot_api.params(photo) == {"chat_id": "555001", "photo": "AgAC-photo", "caption": "Bukti"}


async def test_flood_control_maps_to_retry_after(bot_api: FakeBotAPI) -> None:
    bot_api.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    adapter = _adapter(bot_api)
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo"))
    finally:
        await adapter.close()
    assert err.value.retryable is True
    assert err.value.retry_after == 7.0


async def test_flood_control_holds_back_the_chat(bot_api: FakeBotAPI) -> None:
    bot_api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    adapter = _adapter(bot_api)
    try:
        with pytest.raises(DeliveryError):
            await adapter.send(_out("satu"))
        failed_at = bot_api.calls("sendMessage")[0].at
        await adapter.send(_out("dua"))
    finally:
        await adapter.close()
    assert bot_api.calls("sendMessage")[1].at - failed_at >= 0.9


@pytest.mark.parametrize(
    ("status", "description", "retryable"),
    [
        (500, "Internal Server Error", True),
        (502, "Bad Gateway", True),
        (400, "Bad Request: chat not found", False),
        (403, "Forbidden: bot was blocked by the user", False),
    ],
)
async def test_error_statuses(
    bot_api: FakeBotAPI, status: int, description: str, retryable: bool
) -> None:
    bot_api.fail("sendMessage", status, description)
    adapter = _adapter(bot_api)
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo"))
    finally:
        await adapter.close()
    assert err.value.retryable is retryable
    # PTB drops the "Bad Request: " style prefix; the reason itself must survive.
    assert description.split(": ")[-1].casefold() in str(err.value).casefold()


async def test_bad_token_is_not_retryable_and_not_leaked(bot_api: FakeBotAPI) -> None:
    adapter = _adapter(bot_api, token="999:WRONG-secret-token")
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo"))
    finally:
        await adapter.close()
    assert err.value.retryable is False
    assert "WRONG-secret-token" not in str(err.value)


async def test_unreachable_server_is_retryable() -> None:
    adapter = TelegramAdapter(
        token="1:x", secret="s", api_url=f"http://127.0.0.1:{free_port()}", timeout=2.0
    )
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo"))
    finally:
        await adapter.close()
    assert err.value.retryable is True


async def test_pacing_spaces_messages_to_the_same_chat(bot_api: FakeBotAPI) -> None:
    adapter = _adapter(bot_api, per_chat_interval=0.2)
    try:
        await adapter.initialize()
        await asyncio.gather(
            adapter.send(_out("satu")),
            adapter.send(_out("dua")),
            adapter.send(OutboundMessage(channel="telegram", recipient_id="777", text="lain")),
        )
        await adapter.send(_out("tiga"))
    finally:
        await adapter.close()
    sends = bot_api.calls("sendMessage")
    same = [r.at for r in sends if bot_api.params(r)["chat_id"] == "555001"]
    other = next(r.at for r in sends if bot_api.params(r)["chat_id"] == "777")
    assert len(same) == 3
    # Arrival times at the fake server: the pacer spaces the sends' starts exactly
    # (test_pacer_reserves_slots_per_chat_and_overall), a loaded machine adds jitter to
    # each request's way there.
    assert same[2] - same[0] >= 0.38
    assert same[1] - same[0] >= 0.1 and same[2] - same[1] >= 0.1
    assert other - same[0] < 0.15  # another chat is not held back


async def test_pacer_reserves_slots_per_chat_and_overall(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a fake clock: each chat gets one slot per interval, all chats one per global interval."""
    from channels import telegram

    clock = [100.0]
    started: list[tuple[str, float]] = []

    async def fake_sleep(seconds: float) -> None:
        clock[0] += seconds

    monkeypatch.setattr(telegram.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(telegram.asyncio, "sleep", fake_sleep)
    pacer = telegram._Pacer(global_interval=0.05)
    for key in ("a", "a", "b", "a"):
        await pacer.wait(key, 1.0)
        started.append((key, round(clock[0], 3)))
    # "a" every second; "b" waits only for the global slot after the second "a".
    assert started == [("a", 100.0), ("a", 101.0), ("b", 101.05), ("a", 102.0)]
    pacer.defer("b", 30.0)
    await pacer.wait("b", 1.0)
    assert round(clock[0], 3) == 132.0


async def test_answer_callback(bot_api: FakeBotAPI) -> None:
    adapter = _adapter(bot_api)
    try:
        await adapter.answer_callback("4382bfdwdsb323b2d9", text="Tercatat")
    finally:
        await adapter.close()
    (rec,) = bot_api.calls("answerCallbackQuery")
    assert bot_api.params(rec) == {"callback_query_id": "4382bfdwdsb323b2d9", "text": "Tercatat"}


async def test_set_and_delete_webhook(bot_api: FakeBotAPI) -> None:
    adapter = _adapter(bot_api)
    try:
        assert await adapter.set_webhook("https://pintu.example.go.id/webhooks/telegram") is True
        assert await adapter.delete_webhook() is True
    finally:
        await adapter.close()
    params = bot_api.params(bot_api.calls("setWebhook")[0])
    assert params["url"] == "https://pintu.example.go.id/webhooks/telegram"
    assert params["secret_token"] == "s3cret-token"
    assert json.loads(params["allowed_updates"]) == ["message", "edited_message", "callback_query"]
    assert bot_api.calls("deleteWebhook")


async def test_set_webhook_needs_a_secret(bot_api: FakeBotAPI) -> None:
    adapter = _adapter(bot_api, secret=None)
    with pytest.raises(ValueError):
        await adapter.set_webhook("https://pintu.example.go.id/webhooks/telegram")
    assert bot_api.requests == []


async def test_get_updates_returns_raw_lenient_updates(bot_api: FakeBotAPI) -> None:
    private = {"from": {"id": 5}, "chat": {"id": 5, "type": "private"}}  # no is_bot
    bot_api.updates = [
        {"update_id": 10, "message": {"message_id": 1, "text": "lama", **private}},
        {"update_id": 11, "message": {"message_id": 2, "text": "baru", **private}},
    ]
    adapter = _adapter(bot_api)
    try:
        updates = await adapter.get_updates(offset=11, timeout=0)
    finally:
        await adapter.close()
    assert updates == [bot_api.updates[1]]
    (m,) = parse_telegram_updates(updates, adapter.bot_username).messages
    assert m.text == "baru" and m.provider_message_id == "11"
    params = bot_api.params(bot_api.calls("getUpdates")[0])
    assert params["offset"] == "11" and params["timeout"] == "0"


async def test_adapter_can_be_reused_after_close(bot_api: FakeBotAPI) -> None:
    adapter = _adapter(bot_api)
    await adapter.send(_out("satu"))
    await adapter.close()
    await adapter.send(_out("dua"))
    await adapter.close()
    assert [bot_api.params(r)["text"] for r in bot_api.calls("sendMessage")] == ["satu", "dua"]
