"""One person on several channels: linked by a verified phone number, replies follow them."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.conversation.service import ConversationService, verified_phone
from bot.core.runtime import Runtime
from bot.tickets.lifecycle import SYSTEM, reply_to_citizen
from channels.base import InboundMessage
from storage.models import ChannelIdentity, OutboxMessage, Ticket


def wa(text: str, mid: str, payload: str | None = None) -> InboundMessage:
    return InboundMessage(
        channel="whatsapp",
        sender_id="6281234567890",
        text=text,
        provider_message_id=mid,
        payload=payload,
        metadata={"wa_id": "6281234567890", "phone_number_id": "PNID"},
        verified_phone="6281234567890",
    )


def tg(text: str = "", mid: str = "1", **kw: object) -> InboundMessage:
    return InboundMessage(
        channel="telegram",
        sender_id="777",
        reply_address="777",
        text=text,
        provider_message_id=mid,
        **kw,
    )  # type: ignore[arg-type]


def test_verified_phone_rules() -> None:
    assert verified_phone(wa("x", "m")) == "+6281234567890"
    own = tg(contact_phone="+6281234567890", metadata={"contact_is_sender": "true"},
        verified_phone="+6281234567890")
    other = tg(contact_phone="+6281111111111", metadata={"contact_is_sender": "false"})
    assert verified_phone(own) == "+6281234567890"
    same_local = tg(contact_phone="0812-3456-7890", metadata={"contact_is_sender": "true"},
        verified_phone="0812-3456-7890")
    assert verified_phone(same_local) == "+6281234567890"
    short = tg(contact_phone="12", metadata={"contact_is_sender": "true"},
        verified_phone="12")
    assert verified_phone(short) is None
    assert verified_phone(other) is None
    assert (
        verified_phone(InboundMessage(channel="rest", sender_id="a", contact_phone="08123456789"))
        is None
    )


async def test_same_phone_on_telegram_joins_the_whatsapp_citizen(runtime: Runtime) -> None:
    service = ConversationService(runtime)
    await service.handle(wa("air pdam mati sudah tiga hari di Kelurahan Sisir Kota Batu", "w1"))
    result = await service.handle(wa("", "w2", payload="/confirm"))
    number = re.search(r"PTU-\d{4}-\d{6}", result.replies[0].text)
    assert number, result.replies
    # Later the same person writes on Telegram and shares their own number.
    await service.handle(tg("halo", "t1"))
    await service.handle(
        tg(mid="t2", contact_phone="+6281234567890", metadata={"contact_is_sender": "true"},
        verified_phone="+6281234567890")
    )
    async with runtime.sessions() as s, s.begin():
        ticket = (
            await s.execute(select(Ticket).where(Ticket.number == number.group(0)))
        ).scalar_one()
        owners = {
            i.channel: i.citizen_id for i in (await s.execute(select(ChannelIdentity))).scalars()
        }
        assert owners["telegram"] == owners["whatsapp"] == ticket.citizen_id
        await reply_to_citizen(s, runtime, ticket, "Petugas PDAM sedang menuju lokasi.", SYSTEM)
    async with runtime.sessions() as s:
        last = (
            (await s.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc())))
            .scalars()
            .first()
        )
    assert last is not None
    assert last.channel == "telegram" and last.recipient_id == "777"
    assert "menuju lokasi" in last.payload["text"]


async def test_someone_elses_contact_card_links_nothing(runtime: Runtime) -> None:
    service = ConversationService(runtime)
    await service.handle(wa("halo", "w1"))
    await service.handle(
        tg(mid="t1", contact_phone="+6281234567890", metadata={"contact_is_sender": "false"})
    )
    async with runtime.sessions() as s:
        owners = {
            i.channel: i.citizen_id for i in (await s.execute(select(ChannelIdentity))).scalars()
        }
    assert owners["telegram"] != owners["whatsapp"]
