"""Messages to citizens: stored, then queued in the outbox for their last-used channel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import t
from channels.base import Button, HoldsMessages, ListOption, OutboundMessage
from storage.models import ChannelIdentity, Message

if TYPE_CHECKING:
    from bot.core.runtime import Runtime


def outbound_for(
    identity: ChannelIdentity,
    text: str,
    lang: str,
    *,
    buttons: Sequence[Button] = (),
    list_options: Sequence[ListOption] = (),
    recipient: str | None = None,
) -> OutboundMessage:
    """A message to one channel identity, with what its adapter needs to send it.

    ``recipient`` overrides the identity's reply address (a reply in the group chat
    the citizen just wrote in).
    """
    meta = {"numbered_hint": t("numbered_hint", lang), "lang": lang}
    for key, value in (identity.extra or {}).items():
        meta[str(key)] = str(value)
    if identity.last_inbound_at is not None:
        meta["last_inbound_at"] = identity.last_inbound_at.isoformat()
    return OutboundMessage(
        channel=identity.channel,
        recipient_id=recipient or identity.reply_address,
        text=text,
        buttons=tuple(buttons),
        list_options=tuple(list_options),
        metadata=meta,
    )


def message_content(msg: OutboundMessage) -> dict[str, object]:
    """What to keep of an outbound message in the messages table."""
    return _content_of(msg.to_dict())


def _content_of(data: dict[str, Any]) -> dict[str, object]:
    return {
        "buttons": data["buttons"],
        "list_options": data["list_options"],
        "attachments": data["attachments"],
        "location": data["location"],
    }


async def store_and_queue(
    session: AsyncSession,
    rt: Runtime,
    msg: OutboundMessage,
    *,
    citizen_id: int,
    conversation_id: int | None = None,
    ticket_id: int | None = None,
    reply_to_id: int | None = None,
    sender_type: str = "bot",
    staff_user_id: int | None = None,
    delivered_inline: bool = False,
) -> Message:
    """Record an outbound message and put it in the outbox.

    ``delivered_inline`` marks replies already handed over in the request's own
    response (REST, web chat, terminal).
    """
    repos = rt.repositories(session)
    stored = await repos.messages.add(
        conversation_id=conversation_id,
        citizen_id=citizen_id,
        ticket_id=ticket_id,
        direction="out",
        channel=msg.channel,
        sender_type=sender_type,
        staff_user_id=staff_user_id,
        text=msg.text,
        content=message_content(msg),
        reply_to_id=reply_to_id,
    )
    adapter = rt.adapters.get(msg.channel)
    if delivered_inline:
        status = "sent"
    elif isinstance(adapter, HoldsMessages) and adapter.holds_messages:
        status = "held"
    else:
        status = "pending"
    await repos.outbox.enqueue(
        channel=msg.channel,
        recipient_id=msg.recipient_id,
        payload=msg.to_dict(),
        status=status,
        citizen_id=citizen_id,
        message_id=stored.id,
    )
    if status == "pending":
        rt.outbox_wakeup.set()
    return stored


def _status_for(rt: Runtime, msg: OutboundMessage, delivered_inline: bool) -> str:
    """'sent' when handed over inline, 'held' for a pull channel, else 'pending'."""
    adapter = rt.adapters.get(msg.channel)
    if delivered_inline:
        return "sent"
    if isinstance(adapter, HoldsMessages) and adapter.holds_messages:
        return "held"
    return "pending"


async def store_and_queue_many(
    session: AsyncSession,
    rt: Runtime,
    msgs: Sequence[OutboundMessage],
    *,
    citizen_id: int,
    conversation_id: int | None = None,
    ticket_id: int | None = None,
    reply_to_id: int | None = None,
    delivered_inline: bool = False,
) -> list[int]:
    """:func:`store_and_queue` for a turn's replies, in one statement per table; the ids
    of the stored messages.

    The bot's replies, in order: their ids follow their order, and so does delivery.
    """
    if not msgs:
        return []
    repos = rt.repositories(session)
    payloads = [msg.to_dict() for msg in msgs]  # once: the outbox row and the message's content
    ids = await repos.messages.insert_many([
        {"conversation_id": conversation_id, "citizen_id": citizen_id, "ticket_id": ticket_id,
         "direction": "out", "channel": msg.channel, "provider_message_id": None,
         "sender_type": "bot", "staff_user_id": None, "text": msg.text,
         "content": _content_of(data), "nlu": None, "reply_to_id": reply_to_id}
        for msg, data in zip(msgs, payloads, strict=True)])
    statuses = [_status_for(rt, msg, delivered_inline) for msg in msgs]
    await repos.outbox.enqueue_many([
        {"channel": msg.channel, "recipient_id": msg.recipient_id, "payload": data,
         "status": status, "citizen_id": citizen_id, "message_id": message_id}
        for msg, data, message_id, status in zip(msgs, payloads, ids, statuses, strict=True)])
    if "pending" in statuses:
        rt.outbox_wakeup.set()
    return ids


async def deliver_to_citizen(
    session: AsyncSession,
    rt: Runtime,
    citizen_id: int,
    text: str,
    *,
    buttons: Sequence[Button] = (),
    list_options: Sequence[ListOption] = (),
    ticket_id: int | None = None,
    sender_type: str = "system",
    staff_user_id: int | None = None,
) -> OutboundMessage | None:
    """Send something to a citizen on the channel they last used (None if unreachable)."""
    citizens = rt.repositories(session).citizens
    identity = await citizens.last_identity(citizen_id)
    if identity is None:
        return None
    citizen = await citizens.get(citizen_id)
    lang = citizen.language if citizen else "id"
    msg = outbound_for(identity, text, lang, buttons=buttons, list_options=list_options)
    await store_and_queue(
        session,
        rt,
        msg,
        citizen_id=citizen_id,
        ticket_id=ticket_id,
        sender_type=sender_type,
        staff_user_id=staff_user_id,
    )
    return msg
