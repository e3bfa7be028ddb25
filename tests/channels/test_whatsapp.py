"""WhatsApp adapter: payload walking, signatures, rendering limits, sending to a fake Graph API."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from channels.base import (
    Attachment,
    Button,
    ChannelAdapter,
    DeliveryError,
    DeliveryStatus,
    ListOption,
    Location,
    OutboundMessage,
    PayloadError,
    WebhookAuthError,
)
from channels.whatsapp import WhatsAppAdapter, parse_whatsapp_payload, render_whatsapp
from tests.channels.fakes import FakeGraphAPI, free_port

PNID = "106540352242922"
PHONE = "6281234567890"
BSUID = "ID.13491208655302741918"


def _payload(
    messages: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6221500123", "phone_number_id": PNID},
    }
    if contacts is not None:
        value["contacts"] = contacts
    if messages is not None:
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def _msg(mtype: str, content: Any, **extra: Any) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "from": PHONE,
        "id": "wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA=",
        "timestamp": "1767225600",
        "type": mtype,
        mtype: content,
    }
    msg.update(extra)
    return msg


CONTACT = {"profile": {"name": "Siti Aminah"}, "wa_id": PHONE}


def _one(mtype: str, content: Any, **extra: Any) -> Any:
    parsed = parse_whatsapp_payload(_payload([_msg(mtype, content, **extra)], [CONTACT]))
    assert parsed.unparsed == (), parsed.unparsed
    (m,) = parsed.messages
    return m


# ---------------------------------------------------------------- parsing


def test_text_message() -> None:
    m = _one("text", {"body": "Lampu jalan mati di RT 03"})
    assert m.channel == "whatsapp"
    assert m.text == "Lampu jalan mati di RT 03"
    assert m.provider_message_id == "wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA="
    assert m.sender_id == PHONE and m.address == PHONE
    assert m.display_name == "Siti Aminah"
    assert m.timestamp == datetime(2026, 1, 1, tzinfo=UTC)
    assert m.metadata["phone_number_id"] == PNID
    assert m.metadata["wa_id"] == PHONE


def test_business_scoped_user_id_keys_the_citizen() -> None:
    contact = {"profile": {"name": "Siti", "username": "siti.a"}, "wa_id": PHONE, "user_id": BSUID}
    msg = _msg("text", {"body": "halo"}, from_user_id=BSUID)
    (m,) = parse_whatsapp_payload(_payload([msg], [contact])).messages
    assert m.sender_id == BSUID
    assert m.address == PHONE  # replies still go to the phone number when known
    assert m.metadata["user_id"] == BSUID and m.metadata["wa_id"] == PHONE
    assert m.metadata["username"] == "siti.a"


def test_no_wa_id_only_user_id() -> None:
    msg = _msg("text", {"body": "halo"}, from_user_id=BSUID)
    del msg["from"]
    contact = {"profile": {"name": "Anon"}, "user_id": BSUID}
    (m,) = parse_whatsapp_payload(_payload([msg], [contact])).messages
    assert m.sender_id == BSUID and m.address == BSUID
    assert "wa_id" not in m.metadata
    assert m.display_name == "Anon"


def test_user_id_only_in_contacts() -> None:
    contact = {"profile": {"name": "Siti"}, "wa_id": PHONE, "user_id": BSUID}
    (m,) = parse_whatsapp_payload(_payload([_msg("text", {"body": "x"})], [contact])).messages
    assert m.sender_id == BSUID and m.address == PHONE


def test_no_contacts_at_all() -> None:
    (m,) = parse_whatsapp_payload(_payload([_msg("text", {"body": "x"})])).messages
    assert m.sender_id == PHONE and m.display_name is None


def test_contacts_matched_to_messages_by_id() -> None:
    other = {"profile": {"name": "Budi"}, "wa_id": "6289999"}
    msgs = [_msg("text", {"body": "a"}), {**_msg("text", {"body": "b"}), "from": "6289999"}]
    parsed = parse_whatsapp_payload(_payload(msgs, [other, CONTACT]))
    assert [(m.text, m.display_name) for m in parsed.messages] == [
        ("a", "Siti Aminah"),
        ("b", "Budi"),
    ]


def test_message_without_any_sender_is_unparsed() -> None:
    msg = _msg("text", {"body": "x"})
    del msg["from"]
    parsed = parse_whatsapp_payload(_payload([msg]))
    assert parsed.messages == () and len(parsed.unparsed) == 1


def test_interactive_button_and_list_replies() -> None:
    b = _one("interactive", {"type": "button_reply", "button_reply": {"id": "yes", "title": "Ya"}})
    assert (b.payload, b.text) == ("yes", "Ya")
    assert b.metadata["interactive_type"] == "button_reply"
    reply = {"id": "infra", "title": "Infrastruktur", "description": "Jalan, jembatan"}
    li = _one(
        "interactive",
        {"type": "list_reply", "list_reply": reply},
        context={"from": "6221500123", "id": "wamid.OUT1"},
    )
    assert (li.payload, li.text) == ("infra", "Infrastruktur")
    assert li.metadata["context_id"] == "wamid.OUT1"


def test_template_quick_reply_button() -> None:
    m = _one("button", {"payload": "SURVEY_YES", "text": "Ya, bersedia"})
    assert (m.payload, m.text) == ("SURVEY_YES", "Ya, bersedia")


def test_location() -> None:
    loc = {"latitude": -6.2, "longitude": 106.8, "name": "Pasar Baru", "address": "Jl. Pasar"}
    m = _one("location", loc)
    assert m.location == Location(-6.2, 106.8, name="Pasar Baru", address="Jl. Pasar")


def test_image_and_document_keep_media_ids() -> None:
    img = _one("image", {"id": "1479537139650973", "mime_type": "image/jpeg", "caption": "Banjir"})
    assert img.text == "Banjir"
    assert img.attachments == (
        Attachment(
            kind="image", media_id="1479537139650973", mime_type="image/jpeg", caption="Banjir"
        ),
    )
    doc = _one("document", {"id": "55", "mime_type": "application/pdf", "filename": "kk.pdf"})
    assert doc.attachments[0].kind == "document"
    assert doc.attachments[0].filename == "kk.pdf"
    audio = _one("audio", {"id": "77", "mime_type": "audio/ogg; codecs=opus", "voice": True})
    assert audio.attachments[0].kind == "audio" and audio.text == ""


def test_shared_contact() -> None:
    card = {
        "name": {"formatted_name": "Pak RT"},
        "phones": [{"phone": "+62 811 111", "wa_id": "62811111"}],
    }
    msg = {k: v for k, v in _msg("contacts", None).items() if k != "contacts"}
    msg["contacts"] = [card]
    (m,) = parse_whatsapp_payload(_payload([msg], [CONTACT])).messages
    assert m.contact_phone == "+62 811 111"
    assert m.metadata["contact_name"] == "Pak RT"


def test_reaction_is_ignored_politely() -> None:
    msg = _msg("reaction", {"message_id": "wamid.OUT1", "emoji": "👍"})
    parsed = parse_whatsapp_payload(_payload([msg], [CONTACT]))
    assert parsed.messages == () and parsed.unparsed == ()
    assert len(parsed.ignored) == 1 and "👍" in parsed.ignored[0]


def test_unsupported_and_unknown_types_are_unparsed() -> None:
    unsupported = _msg(
        "unsupported",
        {},
        errors=[
            {"code": 131051, "title": "Message type unknown", "message": "Message type unknown"}
        ],
    )
    unknown = _msg("hologram", {"x": 1})
    parsed = parse_whatsapp_payload(_payload([unsupported, unknown], [CONTACT]))
    assert parsed.messages == ()
    assert len(parsed.unparsed) == 2
    assert "131051" in parsed.unparsed[0]


def test_statuses_update_delivery() -> None:
    statuses = [
        {
            "id": "wamid.OUT1",
            "status": "delivered",
            "timestamp": "1767225660",
            "recipient_id": PHONE,
        },
        {
            "id": "wamid.OUT2",
            "status": "read",
            "timestamp": "1767225670",
            "recipient_user_id": BSUID,
        },
        {
            "id": "wamid.OUT3",
            "status": "failed",
            "timestamp": "1767225680",
            "recipient_id": PHONE,
            "errors": [
                {
                    "code": 131047,
                    "title": "Re-engagement message",
                    "error_data": {
                        "details": "Message failed to send because more than 24 hours have passed"
                    },
                }
            ],
        },
        {"id": "wamid.OUT4", "status": "deleted", "timestamp": "1767225690"},
    ]
    parsed = parse_whatsapp_payload(_payload(statuses=statuses))
    assert parsed.statuses[0] == DeliveryStatus(
        channel="whatsapp",
        provider_message_id="wamid.OUT1",
        status="delivered",
        recipient_id=PHONE,
        timestamp=datetime(2026, 1, 1, 0, 1, tzinfo=UTC),
    )
    assert parsed.statuses[1].recipient_id == BSUID
    failed = parsed.statuses[2]
    assert failed.status == "failed"
    assert failed.error is not None and "131047" in failed.error and "24 hours" in failed.error
    assert len(parsed.statuses) == 3 and len(parsed.unparsed) == 1


def test_walks_every_entry_and_change() -> None:
    first = _payload([_msg("text", {"body": "satu"})], [CONTACT])
    second = _payload([{**_msg("text", {"body": "dua"}), "id": "wamid.2"}], [CONTACT])
    status = _payload(statuses=[{"id": "wamid.OUT1", "status": "sent", "recipient_id": PHONE}])
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            first["entry"][0],
            {
                "id": "x",
                "changes": [
                    second["entry"][0]["changes"][0],
                    status["entry"][0]["changes"][0],
                    {"field": "message_template_status_update", "value": {"event": "APPROVED"}},
                ],
            },
        ],
    }
    parsed = parse_whatsapp_payload(payload)
    assert [m.text for m in parsed.messages] == ["satu", "dua"]
    assert [s.status for s in parsed.statuses] == ["sent"]
    assert len(parsed.unparsed) == 1 and "message_template_status_update" in parsed.unparsed[0]


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "page", "entry": []},
        {"object": "whatsapp_business_account"},
        {"entry": [{"changes": "nope"}]},
        {"entry": [{"changes": [{"field": "messages", "value": []}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": {"metadata": {}}}]}]},
        {"hello": "world"},
    ],
)
def test_odd_but_json_payloads_are_unparsed(payload: dict[str, Any]) -> None:
    parsed = parse_whatsapp_payload(payload)
    assert parsed.messages == () and parsed.statuses == ()
    assert len(parsed.unparsed) >= 1


def test_adapter_parse_refuses_non_objects() -> None:
    adapter = WhatsAppAdapter(token="t", app_secret="s", phone_number_id=PNID)
    with pytest.raises(PayloadError):
        adapter.parse(b"<xml/>")
    with pytest.raises(PayloadError):
        adapter.parse(b'"just a string"')
    (m,) = adapter.parse(json.dumps(_payload([_msg("text", {"body": "ok"})])).encode()).messages
    assert m.text == "ok"


def test_adapter_satisfies_the_channel_port() -> None:
    assert isinstance(WhatsAppAdapter(token="t"), ChannelAdapter)


# ---------------------------------------------------------------- verification


def _signed(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_signature_verification() -> None:
    adapter = WhatsAppAdapter(token="t", app_secret="app-secret")
    body = json.dumps(_payload([_msg("text", {"body": "x"})])).encode()
    adapter.verify({"X-Hub-Signature-256": _signed("app-secret", body)}, body)
    adapter.verify({"x-hub-signature-256": _signed("app-secret", body)}, body)
    with pytest.raises(WebhookAuthError, match="missing"):
        adapter.verify({}, body)
    with pytest.raises(WebhookAuthError, match="wrong"):
        adapter.verify({"X-Hub-Signature-256": _signed("other", body)}, body)
    with pytest.raises(WebhookAuthError, match="wrong"):
        adapter.verify({"X-Hub-Signature-256": _signed("app-secret", body)}, body + b" ")
    with pytest.raises(WebhookAuthError):
        adapter.verify({"X-Hub-Signature-256": _signed("app-secret", body)[7:]}, body)


def test_signature_without_app_secret_is_refused() -> None:
    body = b"{}"
    with pytest.raises(WebhookAuthError, match="not configured"):
        WhatsAppAdapter(token="t").verify({"X-Hub-Signature-256": _signed("", body)}, body)


def test_subscription_check() -> None:
    adapter = WhatsAppAdapter(token="t", verify_token="verify-me")
    assert adapter.verify_subscription("subscribe", "verify-me", "1158201444") == "1158201444"
    with pytest.raises(WebhookAuthError):
        adapter.verify_subscription("subscribe", "guess", "1")
    with pytest.raises(WebhookAuthError):
        adapter.verify_subscription("unsubscribe", "verify-me", "1")
    with pytest.raises(WebhookAuthError):
        adapter.verify_subscription("subscribe", None, "1")
    with pytest.raises(PayloadError):
        adapter.verify_subscription("subscribe", "verify-me", None)
    with pytest.raises(WebhookAuthError, match="not configured"):
        WhatsAppAdapter(token="t").verify_subscription("subscribe", "", "1")


# ---------------------------------------------------------------- rendering

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BASE = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": PHONE}


def _out(text: str = "Pilih layanan:", **kwargs: Any) -> OutboundMessage:
    return OutboundMessage(channel="whatsapp", recipient_id=PHONE, text=text, **kwargs)


def test_render_text() -> None:
    assert render_whatsapp(_out("Halo"), NOW) == [
        {**BASE, "type": "text", "text": {"preview_url": False, "body": "Halo"}}
    ]


def test_render_recipient_forms() -> None:
    (plus,) = render_whatsapp(OutboundMessage("whatsapp", "+" + PHONE, "x"), NOW)
    assert plus["to"] == PHONE and "recipient" not in plus
    (scoped,) = render_whatsapp(OutboundMessage("whatsapp", BSUID, "x"), NOW)
    assert scoped["recipient"] == BSUID and "to" not in scoped


def test_render_reply_buttons() -> None:
    buttons = (Button("Ya", "yes"), Button("Tidak", "no"), Button("Dua puluh karakter!!", "x"))
    (body,) = render_whatsapp(_out("Laporan sudah benar?", buttons=buttons), NOW)
    assert body == {
        **BASE,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Laporan sudah benar?"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "yes", "title": "Ya"}},
                    {"type": "reply", "reply": {"id": "no", "title": "Tidak"}},
                    {"type": "reply", "reply": {"id": "x", "title": "Dua puluh karakter!!"}},
                ]
            },
        },
    }


def test_render_four_buttons_become_a_list() -> None:
    buttons = tuple(Button(f"Pilihan {i}", f"p{i}") for i in range(4))
    (body,) = render_whatsapp(_out(buttons=buttons), NOW)
    interactive = body["interactive"]
    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == "Pilih"
    (section,) = interactive["action"]["sections"]
    assert section["rows"] == [{"id": f"p{i}", "title": f"Pilihan {i}"} for i in range(4)]


def test_render_button_title_over_20_becomes_a_list() -> None:
    buttons = (Button("Dua puluh satu karakt", "a"), Button("B", "b"))  # 21 chars
    (body,) = render_whatsapp(_out(buttons=buttons), NOW)
    assert body["interactive"]["type"] == "list"


def test_render_list_with_descriptions_and_label() -> None:
    options = (
        ListOption("Infrastruktur", "infra", "Jalan, jembatan, drainase"),
        ListOption("Kesehatan", "health", "x" * 100),
    )
    (body,) = render_whatsapp(_out(list_options=options, list_button="Lihat kategori"), NOW)
    action = body["interactive"]["action"]
    assert action["button"] == "Lihat kategori"
    rows = action["sections"][0]["rows"]
    assert rows[0] == {
        "id": "infra",
        "title": "Infrastruktur",
        "description": "Jalan, jembatan, drainase",
    }
    assert len(rows[1]["description"]) == 72 and rows[1]["description"].endswith("…")
    (default,) = render_whatsapp(_out(list_options=options, list_button="x" * 21), NOW)
    assert default["interactive"]["action"]["button"] == "Pilih"


@pytest.mark.parametrize(
    "message",
    [
        _out(list_options=tuple(ListOption(f"Opsi {i}", f"o{i}") for i in range(11))),
        _out(list_options=(ListOption("Dua puluh lima karakter!!", "a"), ListOption("B", "b"))),
        _out("x" * 1025, buttons=(Button("Ya", "yes"),)),
        _out(buttons=(Button("Ya", "same"), Button("Iya", "same"))),
    ],
    ids=["11-rows", "row-title-25", "body-1025", "duplicate-ids"],
)
def test_render_degrades_to_numbered_text(message: OutboundMessage) -> None:
    bodies = render_whatsapp(message, NOW)
    assert all(b["type"] == "text" for b in bodies)
    text = "\n".join(b["text"]["body"] for b in bodies)
    assert "\n1. " in text and text.endswith("Balas dengan angka pilihan.")


def test_render_numbered_hint_from_metadata() -> None:
    options = tuple(ListOption(f"Opsi {i}", f"o{i}") for i in range(11))
    (body,) = render_whatsapp(
        _out("Pilih:", list_options=options, metadata={"numbered_hint": "Ketik nomornya."}), NOW
    )
    assert body["text"]["body"].startswith("Pilih:\n\n1. Opsi 0\n")
    assert body["text"]["body"].endswith("11. Opsi 10\n\nKetik nomornya.")


def test_render_splits_long_text() -> None:
    text = ("kata " * 1000).strip()
    bodies = render_whatsapp(_out(text), NOW)
    assert len(bodies) == 2
    assert all(len(b["text"]["body"]) <= 4096 for b in bodies)
    assert " ".join(b["text"]["body"] for b in bodies) == text


def test_render_location_and_media() -> None:
    bodies = render_whatsapp(
        _out(
            "Lokasi kantor:",
            location=Location(-6.2, 106.8, name="Kantor Kelurahan"),
            attachments=(
                Attachment(kind="image", url="https://example.org/peta.png", caption="Peta"),
                Attachment(kind="document", media_id="9876", filename="formulir.pdf"),
                Attachment(kind="audio", media_id="5555", caption="ignored for audio"),
            ),
        ),
        NOW,
    )
    assert [b["type"] for b in bodies] == ["text", "location", "image", "document", "audio"]
    assert bodies[1]["location"] == {
        "latitude": -6.2,
        "longitude": 106.8,
        "name": "Kantor Kelurahan",
    }
    assert bodies[2]["image"] == {"link": "https://example.org/peta.png", "caption": "Peta"}
    assert bodies[3]["document"] == {"id": "9876", "filename": "formulir.pdf"}
    assert bodies[4]["audio"] == {"id": "5555"}


def test_render_inside_window_is_free_form() -> None:
    recent = (NOW - timedelta(hours=23)).isoformat()
    (body,) = render_whatsapp(_out("Halo", metadata={"last_inbound_at": recent}), NOW)
    assert body["type"] == "text"


def test_render_outside_window_needs_a_template() -> None:
    old = (NOW - timedelta(hours=25)).isoformat()
    with pytest.raises(DeliveryError, match="24-hour customer service window") as err:
        render_whatsapp(_out("Halo", metadata={"last_inbound_at": old}), NOW)
    assert err.value.retryable is False
    naive = (NOW - timedelta(hours=25)).replace(tzinfo=None).isoformat()
    with pytest.raises(DeliveryError):
        render_whatsapp(_out("Halo", metadata={"last_inbound_at": naive}), NOW)


def test_render_outside_window_sends_the_template() -> None:
    old = (NOW - timedelta(days=3)).isoformat()
    meta = {
        "last_inbound_at": old,
        "template": "status_laporan",
        "template_params": json.dumps(["LPR-2026-0001", "selesai"]),
    }
    assert render_whatsapp(_out("Laporan Anda selesai", metadata=meta), NOW) == [
        {
            **BASE,
            "type": "template",
            "template": {
                "name": "status_laporan",
                "language": {"code": "id"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": "LPR-2026-0001"},
                            {"type": "text", "text": "selesai"},
                        ],
                    }
                ],
            },
        }
    ]


# ---------------------------------------------------------------- sending over HTTP


def _adapter(fake: FakeGraphAPI, **kwargs: Any) -> WhatsAppAdapter:
    options: dict[str, Any] = {
        "token": fake.token,
        "app_secret": "app-secret",
        "verify_token": "verify-me",
        "api_url": fake.api_url,
        "phone_number_id": PNID,
    }
    options.update(kwargs)
    return WhatsAppAdapter(**options)


async def test_send_buttons_reaches_graph_api(graph_api: FakeGraphAPI) -> None:
    adapter = _adapter(graph_api)
    message = _out("Laporan sudah benar?", buttons=(Button("Ya", "yes"), Button("Ubah", "edit")))
    try:
        result = await adapter.send(message)
    finally:
        await adapter.close()
    (rec,) = graph_api.requests
    assert rec.http_method == "POST"
    assert rec.path == f"/v23.0/{PNID}/messages"
    assert rec.headers["authorization"] == f"Bearer {graph_api.token}"
    assert rec.headers["content-type"] == "application/json"
    assert rec.json == render_whatsapp(message)[0]
    assert result.provider_message_id == "wamid.TEST1"


async def test_send_multiple_parts_returns_first_id(graph_api: FakeGraphAPI) -> None:
    adapter = _adapter(graph_api)
    try:
        result = await adapter.send(_out("Lokasi:", location=Location(-6.2, 106.8)))
    finally:
        await adapter.close()
    assert [r.json["type"] for r in graph_api.requests] == ["text", "location"]
    assert result.provider_message_id == "wamid.TEST1"


async def test_send_from_the_receiving_number_and_to_a_scoped_id(graph_api: FakeGraphAPI) -> None:
    adapter = _adapter(graph_api, api_url=graph_api.api_url + "/")
    message = OutboundMessage("whatsapp", BSUID, "halo", metadata={"phone_number_id": "999"})
    try:
        await adapter.send(message)
    finally:
        await adapter.close()
    (rec,) = graph_api.requests
    assert rec.path == "/v23.0/999/messages"
    assert rec.json["recipient"] == BSUID and "to" not in rec.json


async def test_rate_limited_with_retry_after(graph_api: FakeGraphAPI) -> None:
    graph_api.fail(429, "Too many requests", 80007, headers={"Retry-After": "12"})
    adapter = _adapter(graph_api)
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo"))
    finally:
        await adapter.close()
    assert err.value.retryable is True and err.value.retry_after == 12.0


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (500, 1, True),
        (503, 2, True),
        (400, 130429, True),  # throughput limit reached: later
        (400, 131047, False),  # re-engagement message: only a template helps
        (400, 100, False),  # invalid parameter
        (401, 190, False),  # expired token
    ],
)
async def test_error_statuses(
    graph_api: FakeGraphAPI, status: int, code: int, retryable: bool
) -> None:
    graph_api.fail(status, "Some failure", code, details="details here")
    adapter = _adapter(graph_api)
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo"))
    finally:
        await adapter.close()
    assert err.value.retryable is retryable
    assert str(code) in str(err.value) and "details here" in str(err.value)


async def test_wrong_token_is_not_retryable(graph_api: FakeGraphAPI) -> None:
    adapter = _adapter(graph_api, token="stale")
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo"))
    finally:
        await adapter.close()
    assert err.value.retryable is False and "190" in str(err.value)


async def test_unreachable_api_is_retryable() -> None:
    adapter = WhatsAppAdapter(
        token="t", api_url=f"http://127.0.0.1:{free_port()}/v23.0", phone_number_id=PNID
    )
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo"))
    finally:
        await adapter.close()
    assert err.value.retryable is True


async def test_outside_window_sends_nothing(graph_api: FakeGraphAPI) -> None:
    adapter = _adapter(graph_api)
    old = (datetime.now(UTC) - timedelta(hours=30)).isoformat()
    try:
        with pytest.raises(DeliveryError) as err:
            await adapter.send(_out("halo", metadata={"last_inbound_at": old}))
    finally:
        await adapter.close()
    assert err.value.retryable is False
    assert graph_api.requests == []


async def test_no_phone_number_id_is_not_retryable(graph_api: FakeGraphAPI) -> None:
    adapter = _adapter(graph_api, phone_number_id=None)
    with pytest.raises(DeliveryError) as err:
        await adapter.send(_out("halo"))
    assert err.value.retryable is False
    assert graph_api.requests == []


async def test_mark_read(graph_api: FakeGraphAPI) -> None:
    adapter = _adapter(graph_api)
    try:
        await adapter.mark_read("wamid.IN1")
    finally:
        await adapter.close()
    (rec,) = graph_api.requests
    assert rec.path == f"/v23.0/{PNID}/messages"
    assert rec.json == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.IN1",
    }
