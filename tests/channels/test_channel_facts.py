"""Provider facts cross into the bot as typed fields and capability Protocols.

The bot reads ``verified_phone``, ``private_address``, ``aliases`` and the
``HoldsMessages`` / ``AnswersCallbacks`` Protocols, never provider metadata
keys, so each test pins the whole parsed message (or the whole fact tuple).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest

from channels.base import (
    AnswersCallbacks,
    ChannelAdapter,
    HoldsConnections,
    HoldsMessages,
    InboundMessage,
    ParsedWebhook,
)
from channels.rest import RestAdapter
from channels.telegram import TelegramAdapter, parse_telegram_update
from channels.terminal import TerminalAdapter
from channels.webchat import WebchatAdapter
from channels.whatsapp import WhatsAppAdapter, parse_whatsapp_payload

PNID = "106540352242922"
PHONE = "6281234567890"
BSUID = "ID.13491208655302741918"
WAMID = "wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA="
JAN_1 = datetime(2026, 1, 1, tzinfo=UTC)

BOT = "pintu_bot"
USER = {"id": 555001, "first_name": "Siti", "last_name": "Aminah", "language_code": "id"}
PRIVATE_CHAT = {"id": 555001, "first_name": "Siti", "type": "private"}
GROUP_CHAT = {"id": -100777, "title": "Warga RW 05", "type": "supergroup"}


def _facts(m: InboundMessage) -> tuple[str | None, str | None, tuple[str, ...], str]:
    """The typed facts the bot reads, plus where later messages end up."""
    return (m.verified_phone, m.private_address, m.aliases, m.lasting_address)


# ---------------------------------------------------------------- WhatsApp


def _wa(msg: dict[str, Any], contact: dict[str, Any]) -> ParsedWebhook:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6221500123", "phone_number_id": PNID},
        "contacts": [contact],
        "messages": [msg],
    }
    return parse_whatsapp_payload(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1022", "changes": [{"value": value, "field": "messages"}]}],
        }
    )


def _wa_text(**sender: str) -> dict[str, Any]:
    return {"id": WAMID, "timestamp": "1767225600", "type": "text", "text": {"body": "halo"},
            **sender}  # fmt: skip


def test_whatsapp_user_id_with_wa_id_vouches_the_phone_and_aliases_it() -> None:
    contact = {"profile": {"name": "Siti"}, "wa_id": PHONE, "user_id": BSUID}
    parsed = _wa(_wa_text(**{"from": PHONE, "from_user_id": BSUID}), contact)
    assert parsed == ParsedWebhook(
        messages=(
            InboundMessage(
                channel="whatsapp",
                sender_id=BSUID,
                text="halo",
                provider_message_id=WAMID,
                display_name="Siti",
                timestamp=JAN_1,
                reply_address=PHONE,
                metadata={"message_type": "text", "phone_number_id": PNID, "wa_id": PHONE,
                          "user_id": BSUID},
                verified_phone=PHONE,
                private_address=None,
                aliases=(PHONE,),
            ),
        )
    )


def test_whatsapp_only_wa_id_is_the_sender_and_no_alias() -> None:
    parsed = _wa(_wa_text(**{"from": PHONE}), {"profile": {"name": "Siti"}, "wa_id": PHONE})
    assert parsed == ParsedWebhook(
        messages=(
            InboundMessage(
                channel="whatsapp",
                sender_id=PHONE,
                text="halo",
                provider_message_id=WAMID,
                display_name="Siti",
                timestamp=JAN_1,
                reply_address=PHONE,
                metadata={"message_type": "text", "phone_number_id": PNID, "wa_id": PHONE},
                verified_phone=PHONE,
                private_address=None,
                aliases=(),
            ),
        )
    )


def test_whatsapp_only_user_id_vouches_no_phone() -> None:
    parsed = _wa(_wa_text(from_user_id=BSUID), {"profile": {"name": "Anon"}, "user_id": BSUID})
    (m,) = parsed.messages
    assert _facts(m) == (None, None, (), BSUID)


def test_whatsapp_shared_contact_card_is_not_the_senders_phone() -> None:
    card = {"name": {"formatted_name": "Budi"}, "phones": [{"phone": "+62 811-1111-1111"}]}
    msg = {"from": PHONE, "id": WAMID, "type": "contacts", "contacts": [card]}
    (m,) = _wa(msg, {"profile": {"name": "Siti"}, "wa_id": PHONE}).messages
    assert (m.contact_phone, *_facts(m)) == ("+62 811-1111-1111", PHONE, None, (), PHONE)


# ---------------------------------------------------------------- Telegram


def _tg(update_id: int = 9001, **fields: Any) -> dict[str, Any]:
    msg: dict[str, Any] = {"message_id": 17, "from": USER, "chat": PRIVATE_CHAT,
                           "date": 1767225600}  # fmt: skip
    msg.update(fields)
    return {"update_id": update_id, "message": msg}


def test_telegram_private_text_has_no_extra_facts() -> None:
    assert parse_telegram_update(_tg(text="Jalan rusak"), BOT) == ParsedWebhook(
        messages=(
            InboundMessage(
                channel="telegram",
                sender_id="555001",
                text="Jalan rusak",
                provider_message_id="9001",
                display_name="Siti Aminah",
                language_hint="id",
                timestamp=JAN_1,
                reply_address="555001",
                metadata={"chat_type": "private", "chat_id": "555001", "message_id": "17"},
                verified_phone=None,
                private_address=None,
                aliases=(),
            ),
        )
    )


def test_telegram_group_text_to_the_bot_sends_later_messages_privately() -> None:
    update = _tg(chat=GROUP_CHAT, text=f"@{BOT} lampu mati")
    assert parse_telegram_update(update, BOT) == ParsedWebhook(
        messages=(
            InboundMessage(
                channel="telegram",
                sender_id="555001",
                text="lampu mati",
                provider_message_id="9001",
                display_name="Siti Aminah",
                language_hint="id",
                timestamp=JAN_1,
                reply_address="-100777",
                metadata={"chat_type": "supergroup", "chat_id": "-100777", "message_id": "17"},
                verified_phone=None,
                private_address="555001",
                aliases=(),
                quote_id="17",  # the group reply quotes the asker's message (issue 17)
            ),
        )
    )


def test_telegram_group_button_press_sends_later_messages_privately() -> None:
    query = {"id": "q1", "from": {"id": 7, "first_name": "Budi"},
             "message": {"message_id": 3, "chat": GROUP_CHAT}, "data": "ya"}  # fmt: skip
    (m,) = parse_telegram_update({"update_id": 1, "callback_query": query}, BOT).messages
    assert (m.address, *_facts(m)) == ("-100777", None, "7", (), "7")


def test_telegram_private_button_press_has_no_private_address() -> None:
    query = {"id": "q2", "from": USER, "message": {"message_id": 3, "chat": PRIVATE_CHAT},
             "data": "ya"}  # fmt: skip
    (m,) = parse_telegram_update({"update_id": 2, "callback_query": query}, BOT).messages
    assert _facts(m) == (None, None, (), "555001")


@pytest.mark.parametrize(
    ("contact_user", "verified", "flag"),
    [
        (555001, "+6281234567890", "true"),  # "share my number"
        (999, None, "false"),  # someone else's card
        (None, None, "false"),  # a card of someone not on Telegram
    ],
)
def test_telegram_contact_counts_only_when_it_is_the_sender(
    contact_user: int | None, verified: str | None, flag: str
) -> None:
    contact: dict[str, Any] = {"phone_number": "+6281234567890", "first_name": "Siti"}
    if contact_user is not None:
        contact["user_id"] = contact_user
    (m,) = parse_telegram_update(_tg(contact=contact), BOT).messages
    # The legacy metadata flag stays for other readers and agrees with the field.
    got = (m.contact_phone, m.metadata["contact_is_sender"], *_facts(m))
    assert got == ("+6281234567890", flag, verified, None, (), "555001")


# ---------------------------------------------------------------- capabilities


async def _emit(event: str, data: dict[str, Any], room: str) -> None:
    return None


ADAPTERS: dict[str, ChannelAdapter] = {
    "rest-pull": RestAdapter(),
    "rest-callback": RestAdapter("http://127.0.0.1:9/cb"),
    "telegram": TelegramAdapter(token="123:abc", secret="s"),
    "whatsapp": WhatsAppAdapter(token="t", app_secret="s"),
    "webchat": WebchatAdapter(_emit),
    "terminal": TerminalAdapter(io.StringIO()),
}


def test_capabilities_of_every_adapter() -> None:
    got = {
        key: (
            isinstance(a, ChannelAdapter),
            isinstance(a, HoldsMessages),
            isinstance(a, HoldsMessages) and a.holds_messages,
            isinstance(a, AnswersCallbacks),
            isinstance(a, HoldsConnections),
        )
        for key, a in ADAPTERS.items()
    }
    # (is a channel, may hold, holds now, answers button presses, has connections to close)
    assert got == {
        "rest-pull": (True, True, True, False, False),
        "rest-callback": (True, True, False, False, False),
        "telegram": (True, False, False, True, True),
        "whatsapp": (True, False, False, False, True),
        "webchat": (True, False, False, False, False),
        "terminal": (True, False, False, False, False),
    }


def test_protocols_are_structural() -> None:
    class Puller:
        holds_messages = True

    class Answerer:
        async def answer_callback(self, callback_query_id: str, text: str | None = None) -> None:
            return None

    assert (isinstance(Puller(), HoldsMessages), isinstance(Puller(), AnswersCallbacks)) == (
        True,
        False,
    )
    assert (isinstance(Answerer(), HoldsMessages), isinstance(Answerer(), AnswersCallbacks)) == (
        False,
        True,
    )
    assert (isinstance(object(), HoldsMessages), isinstance(object(), AnswersCallbacks)) == (
        False,
        False,
    )
