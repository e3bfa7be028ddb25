"""The channel-neutral helpers of channels.base and the defensive readers of
channels._payload: whole results for each, including the error messages."""

from __future__ import annotations

import math

import pytest

from channels import _payload
from channels.base import (
    MAX_JSON_DEPTH,
    Attachment,
    Button,
    DeliveryError,
    InboundMessage,
    ListOption,
    Location,
    MediaTooLarge,
    OutboundMessage,
    PayloadError,
    clean_text,
    has_lone_surrogate,
    json_object,
    load_json,
    numbered_text,
    resolve_numbered_reply,
    split_text,
)

FULL = OutboundMessage(
    channel="telegram",
    recipient_id="555",
    text="Pilih:",
    buttons=(Button("Lapor", "/report"),),
    list_options=(ListOption("Status", "/status", "cek tiket"), ListOption("Info", "/info")),
    list_button="Menu",
    location=Location(-7.87, 112.52, "Alun-alun", "Jl. Sudirman"),
    attachments=(Attachment("image", media_id="m1", url="https://x.test/a.jpg",
                            mime_type="image/jpeg", caption="foto", filename="a.jpg"),),
    metadata={"thread_id": "7"},
)

FULL_DICT = {
    "channel": "telegram",
    "recipient_id": "555",
    "text": "Pilih:",
    "buttons": [{"title": "Lapor", "payload": "/report"}],
    "list_options": [
        {"title": "Status", "payload": "/status", "description": "cek tiket"},
        {"title": "Info", "payload": "/info", "description": ""},
    ],
    "list_button": "Menu",
    "location": {"latitude": -7.87, "longitude": 112.52, "name": "Alun-alun",
                 "address": "Jl. Sudirman"},
    "attachments": [{"kind": "image", "media_id": "m1", "url": "https://x.test/a.jpg",
                     "mime_type": "image/jpeg", "caption": "foto", "filename": "a.jpg"}],
    "metadata": {"thread_id": "7"},
}


def test_outbound_message_to_dict_and_back() -> None:
    assert FULL.to_dict() == FULL_DICT
    assert OutboundMessage.from_dict(FULL_DICT) == FULL


def test_outbound_message_from_a_sparse_dict() -> None:
    sparse = {"channel": "rest", "recipient_id": 42, "text": None, "buttons": None,
              "list_options": [{"title": "A", "payload": "a", "description": None}],
              "location": None, "metadata": {"n": 1}}
    assert OutboundMessage.from_dict(sparse) == OutboundMessage(
        channel="rest", recipient_id="42", text="", list_options=(ListOption("A", "a"),),
        metadata={"n": "1"})
    assert OutboundMessage(channel="rest", recipient_id="1", text="x").to_dict() == {
        "channel": "rest", "recipient_id": "1", "text": "x", "buttons": [],
        "list_options": [], "list_button": None, "location": None, "attachments": [],
        "metadata": {}}


def test_addresses_of_an_inbound_message() -> None:
    plain = InboundMessage(channel="telegram", sender_id="1")
    assert (plain.address, plain.lasting_address) == ("1", "1")
    group = InboundMessage(channel="telegram", sender_id="1", reply_address="-100",
                           private_address="1")
    assert (group.address, group.lasting_address) == ("-100", "1")
    replied = InboundMessage(channel="whatsapp", sender_id="u", reply_address="628")
    assert (replied.address, replied.lasting_address) == ("628", "628")


def test_numbered_text_lists_every_choice_under_the_text() -> None:
    assert numbered_text(FULL, "Balas dengan nomornya.") == (
        "Pilih:\n\n1. Lapor\n2. Status\n3. Info\n\nBalas dengan nomornya.")
    assert numbered_text(FULL) == "Pilih:\n\n1. Lapor\n2. Status\n3. Info"
    no_text = OutboundMessage(channel="sms", recipient_id="1", text="",
                              buttons=(Button("Ya", "y"), Button("Tidak", "n")))
    assert numbered_text(no_text, "") == "1. Ya\n2. Tidak"
    bare = OutboundMessage(channel="sms", recipient_id="1", text="Halo")
    assert numbered_text(bare, "hint") == "Halo"


@pytest.mark.parametrize(("reply", "payload"), [
    ("1", "/report"), (" 3. ", "/info"), ("2.", "/status"), ("0", None), ("5", None),
    ("STATUS", "/status"), ("info.", "/info"), ("Menu", None), ("", None),
    ("TAX", "/tax"),
])
def test_numbered_replies_map_back_to_payloads(reply: str, payload: str | None) -> None:
    assert resolve_numbered_reply(reply, (*FULL.choices(), Button("TAX", "/tax"))) == payload


def test_clean_text_keeps_text_storable() -> None:
    assert clean_text("a\x00b\ud800c") == "ab\ufffdc"
    assert clean_text("biasa") == "biasa"
    assert clean_text("\x00") == ""
    assert has_lone_surrogate("x\udfffy")
    assert not has_lone_surrogate("emoji 🙏 ok")


def test_load_json_cleans_every_string_keys_too() -> None:
    body = b'{"a\\u0000": ["x\\ud800", {"k": "v\\u0000"}], "n": 1.5, "t": true}'
    assert load_json(body) == {"a": ["x\ufffd", {"k": "v"}], "n": 1.5, "t": True}
    assert load_json(body, clean=False) == {
        "a\x00": ["x\ud800", {"k": "v\x00"}], "n": 1.5, "t": True}


@pytest.mark.parametrize(("body", "message"), [
    (b"{", "update is not valid JSON: Expecting property name enclosed in double quotes: "
           "line 1 column 2 (char 1)"),
    (b'{"a": NaN}', "update is not valid JSON: NaN is not a JSON value"),
    (b"[Infinity]", "update is not valid JSON: Infinity is not a JSON value"),
    (b"\xff", "update is not valid JSON: 'utf-8' codec can't decode byte 0xff in position 0: "
              "invalid start byte"),
])
def test_load_json_refuses_what_is_not_json(body: bytes, message: str) -> None:
    with pytest.raises(PayloadError) as err:
        load_json(body, "update")
    assert str(err.value) == message


def _nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


@pytest.mark.parametrize("clean", [True, False])
def test_nesting_is_limited(clean: bool) -> None:
    assert load_json(_nested(MAX_JSON_DEPTH), clean=clean) is not None
    assert load_json(b'{"a":' * MAX_JSON_DEPTH + b"1" + b"}" * MAX_JSON_DEPTH,
                     clean=clean) is not None
    with pytest.raises(PayloadError) as err:
        load_json(_nested(MAX_JSON_DEPTH + 1), clean=clean)
    assert str(err.value) == "JSON nested deeper than 64 levels"
    with pytest.raises(PayloadError) as deep:
        load_json(b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1),
                  clean=clean)
    assert str(deep.value) == "JSON nested deeper than 64 levels"


def test_recursion_is_reported_not_raised() -> None:
    with pytest.raises(PayloadError) as err:
        load_json(_nested(100_000), "webhook body")
    assert str(err.value) == "webhook body is nested too deeply"


def test_json_object_wants_an_object() -> None:
    assert json_object(b'{"ok": "ya\\u0000"}') == {"ok": "ya"}
    with pytest.raises(PayloadError) as err:
        json_object(b"[1]")
    assert str(err.value) == "webhook body must be a JSON object, got list"
    with pytest.raises(PayloadError) as named:
        json_object(b'"x"', "event")
    assert str(named.value) == "event must be a JSON object, got str"
    with pytest.raises(PayloadError) as broken:
        json_object(b"", "event")
    assert str(broken.value) == (
        "event is not valid JSON: Expecting value: line 1 column 1 (char 0)")
    with pytest.raises(PayloadError) as default:
        load_json(b"")
    assert str(default.value) == (
        "webhook body is not valid JSON: Expecting value: line 1 column 1 (char 0)")


@pytest.mark.parametrize(("text", "limit", "parts"), [
    ("", 5, [""]),
    ("halo", 4, ["halo"]),
    ("satu dua tiga", 8, ["satu dua", "tiga"]),
    ("satu\ndua tiga", 9, ["satu", "dua tiga"]),
    ("aa bb\n\ncc dd\nee", 12, ["aa bb", "cc dd\nee"]),
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    (" abcdef", 3, [" ab", "cde", "f"]),  # no cut at 0: a hard cut
    ("ab  \n\n  cd", 4, ["ab", "cd"]),
    ("ab", 1, ["a", "b"]),
    ("ab c", 4, ["ab c"]),  # exactly the limit: one piece
    ("satu dua tiga", 10, ["satu dua", "tiga"]),  # at the space, not a hard cut
    ("abcd e", 3, ["abc", "d e"]),  # a space just past the limit is no cut
    ("\n\nab cd", 4, ["ab", "cd"]),  # a break at the very start is no cut
    ("a bcdef", 3, ["a", "bcd", "ef"]),  # a cut after one character is a cut
])
def test_split_text_prefers_paragraphs_then_lines_then_spaces(
    text: str, limit: int, parts: list[str],
) -> None:
    assert split_text(text, limit) == parts


def test_split_text_needs_a_positive_limit() -> None:
    with pytest.raises(ValueError) as err:
        split_text("x", 0)
    assert str(err.value) == "limit must be positive"


# ---------------------------------------------------------------- channels._payload


def test_header_is_case_insensitive() -> None:
    headers = {"X-Hub-Signature-256": "sha256=ab", "content-type": "application/json"}
    assert _payload.header(headers, "X-Hub-Signature-256") == "sha256=ab"
    assert _payload.header(headers, "x-hub-signature-256") == "sha256=ab"
    assert _payload.header(headers, "Content-Type") == "application/json"
    assert _payload.header(headers, "X-Missing") is None
    assert _payload.header({"A": ""}, "a") == ""


def test_obj_text_and_ident_are_lenient() -> None:
    assert _payload.obj({"a": 1}) == {"a": 1}
    assert _payload.obj([1]) == {}
    assert _payload.text("x") == "x"
    assert [_payload.text(v) for v in ("", None, 5)] == [None, None, None]
    assert _payload.ident(123) == "123"
    assert _payload.ident(-5) == "-5"
    assert _payload.ident(" ab ") == " ab "
    assert [_payload.ident(v) for v in (True, "  ", "", None, 1.5)] == [None] * 5
    longest = "9" * _payload.MAX_ID
    assert _payload.ident(longest) == longest
    assert _payload.ident(int(longest)) == longest
    assert _payload.ident(longest + "9") is None
    assert _payload.ident(10**_payload.MAX_ID) is None
    assert _payload.ident(-(10**(_payload.MAX_ID - 1))) is None  # 129 characters with "-"
    assert _payload.ident(10**5000) is None  # too long to print, not an error


@pytest.mark.parametrize(("lat", "lon", "point"), [
    (-7.87, 112.52, (-7.87, 112.52)),
    ("-7.5", "110", (-7.5, 110.0)),
    (90, -180, (90.0, -180.0)),
    (-90, 180, (-90.0, 180.0)),
    (90.0001, 0, None),
    (-90.0001, 0, None),
    (0, 180.0001, None),
    (0, -180.0001, None),
    (True, 1, None),
    (1, False, None),
    (math.nan, 1, None),
    (1, math.inf, None),
    ("x", 1, None),
    (None, 1, None),
    (10**400, 1, None),
])
def test_coordinates_on_earth_only(lat: object, lon: object,
                                   point: tuple[float, float] | None) -> None:
    assert _payload.coordinates(lat, lon) == point


def test_delivery_errors_carry_what_the_sender_needs() -> None:
    err = DeliveryError("503 from provider")
    assert (str(err), err.retryable, err.retry_after) == ("503 from provider", True, None)
    slow = DeliveryError("429", retryable=True, retry_after=2.5)
    assert (slow.retryable, slow.retry_after) == (True, 2.5)
    final = DeliveryError("400", retryable=False)
    assert (final.retryable, final.retry_after) == (False, None)
    big = MediaTooLarge(30_000_000, 20_000_000)
    assert (str(big), big.retryable, big.retry_after, big.size, big.limit) == (
        "media of 30000000 bytes is over the 20000000-byte limit", False, None,
        30_000_000, 20_000_000)
    assert isinstance(big, DeliveryError)
