"""Citizens, their channel identities and conversations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import (
    ChannelIdentity,
    Citizen,
    Conversation,
    Message,
    OutboxMessage,
    Survey,
    SurveyResponse,
    Ticket,
    utcnow,
)
from storage.repositories.turns import persistent


class CitizenRepository:
    """Citizens and how to reach them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, citizen_id: int) -> Citizen | None:
        """A citizen by id."""
        return await self.session.get(Citizen, citizen_id)

    async def identify(
        self,
        channel: str,
        external_id: str,
        *,
        reply_address: str,
        display_name: str | None = None,
        language: str | None = None,
        extra: dict[str, Any] | None = None,
        seen_at: datetime | None = None,
    ) -> tuple[Citizen, ChannelIdentity]:
        """The citizen behind a channel identity, created on first contact.

        Updates the reply address and last-seen time, so replies go where the
        citizen last wrote from.
        """
        stmt = select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
        )
        identity = (await self.session.execute(stmt)).scalar_one_or_none()
        if identity is None:
            citizen = Citizen(display_name=display_name, language=language or "id")
            self.session.add(citizen)
            await self.session.flush()
            identity = ChannelIdentity(
                citizen_id=citizen.id,
                channel=channel,
                external_id=external_id,
                reply_address=reply_address,
                display_name=display_name,
                extra=extra or {},
            )
            try:
                async with self.session.begin_nested():
                    self.session.add(identity)
                    await self.session.flush()
            except IntegrityError:
                # Another request created it first; use theirs.
                identity = (await self.session.execute(stmt)).scalar_one()
                await self.session.delete(citizen)
        citizen_obj = await self.session.get(Citizen, identity.citizen_id)
        assert citizen_obj is not None
        identity.reply_address = reply_address or identity.reply_address
        if display_name:
            identity.display_name = display_name
            citizen_obj.display_name = citizen_obj.display_name or display_name
        if extra:
            identity.extra = {**(identity.extra or {}), **extra}
        identity.last_inbound_at = seen_at or utcnow()
        await self.session.flush()
        return citizen_obj, identity

    async def last_identity(self, citizen_id: int) -> ChannelIdentity | None:
        """The identity the citizen most recently wrote from (where replies go)."""
        stmt = (
            select(ChannelIdentity)
            .where(ChannelIdentity.citizen_id == citizen_id)
            .order_by(
                ChannelIdentity.last_inbound_at.desc().nulls_last(), ChannelIdentity.id.desc()
            )
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def identity_on(self, citizen_id: int, channel: str) -> ChannelIdentity | None:
        """The citizen's identity on one channel (the latest used, if several)."""
        stmt = (
            select(ChannelIdentity)
            .where(ChannelIdentity.citizen_id == citizen_id, ChannelIdentity.channel == channel)
            .order_by(
                ChannelIdentity.last_inbound_at.desc().nulls_last(), ChannelIdentity.id.desc()
            )
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_phone(self, phone: str) -> Citizen | None:
        """The (oldest) citizen with this verified phone number."""
        stmt = select(Citizen).where(Citizen.phone == phone).order_by(Citizen.id).limit(1)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def merge(self, source_id: int, target_id: int) -> None:
        """Make ``source`` part of ``target``: identities, tickets, messages and surveys move.

        Used when one person turns out to write from two channels (the same
        verified phone number), so replies reach them wherever they last wrote.
        """
        if source_id == target_id:
            return
        for model in (ChannelIdentity, Ticket, Message, Survey, SurveyResponse, OutboxMessage):
            await self.session.execute(
                update(model).where(model.citizen_id == source_id).values(citizen_id=target_id)
            )
        # The source's open dialogue ends; the target's own goes on.
        await self.session.execute(
            update(Conversation)
            .where(Conversation.citizen_id == source_id, Conversation.status == "open")
            .values(status="closed", closed_at=utcnow())
        )
        await self.session.execute(
            update(Conversation)
            .where(Conversation.citizen_id == source_id)
            .values(citizen_id=target_id)
        )

    async def channels(self, citizen_id: int) -> list[str]:
        """The channels the citizen has written from, each once, sorted."""
        stmt = select(ChannelIdentity.channel).where(ChannelIdentity.citizen_id == citizen_id)
        return sorted(set((await self.session.execute(stmt)).scalars().all()))

    async def identity(self, channel: str, external_id: str) -> ChannelIdentity | None:
        """A channel identity, if known."""
        stmt = select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()


def conversation_is_idle(conv: Conversation, hours: float, now: datetime | None = None) -> bool:
    """Whether nobody touched the conversation for ``hours`` (it then starts afresh)."""
    # updated_at is aware UTC as read (storage.types.UtcDateTime), on SQLite too.
    return ((now or utcnow()) - conv.updated_at).total_seconds() > hours * 3600


# Every turn opens or saves a conversation: Core statements on the table, built once
# (an ORM flush per turn cost more CPU than the statement itself).
_CONVERSATIONS = cast(Table, Conversation.__table__)
_INSERT_CONVERSATION = insert(_CONVERSATIONS).returning(*_CONVERSATIONS.c)
_SAVE_STATE = (update(_CONVERSATIONS).where(_CONVERSATIONS.c.id == bindparam("conv_id"))
               .values(state=bindparam("new_state"), channel=bindparam("new_channel"),
                       updated_at=bindparam("now")))
_SAVE_STATE_CLOSED = _SAVE_STATE.values(status="closed", closed_at=bindparam("now"))


class ConversationRepository:
    """The citizen's current dialogue."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, conversation_id: int) -> Conversation | None:
        """A conversation by id."""
        return await self.session.get(Conversation, conversation_id)

    async def current(self, citizen_id: int) -> Conversation | None:
        """The citizen's open conversation, if any."""
        stmt = (
            select(Conversation)
            .where(Conversation.citizen_id == citizen_id, Conversation.status == "open")
            .order_by(Conversation.id.desc())
            .limit(1)
            # Two messages of one citizen at once take turns (PostgreSQL; SQLite has one writer).
            .with_for_update()
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def open_untouched(self, since: datetime, until: datetime,
                             limit: int = 500) -> Sequence[Conversation]:
        """Open conversations last touched in ``[since, until]``, oldest first (quiet sweep)."""
        stmt = (
            select(Conversation)
            .where(Conversation.status == "open", Conversation.updated_at >= since,
                   Conversation.updated_at <= until)
            .order_by(Conversation.updated_at)
            .limit(limit)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def start(self, citizen_id: int, channel: str, state: dict[str, Any]) -> Conversation:
        """Open a new conversation."""
        row = (await self.session.execute(_INSERT_CONVERSATION, {
            "citizen_id": citizen_id, "channel": channel, "state": state})).one()
        # In the session as if loaded: later ORM code reads and changes it as usual.
        conv: Conversation = persistent(self.session, Conversation, dict(row._mapping))
        return conv

    async def save_state(
        self, conv: Conversation, state: dict[str, Any], *, channel: str, closed: bool = False
    ) -> None:
        """Store the dialogue state after a turn."""
        now = utcnow()
        if conv.id is None:  # not written yet: the ORM writes it whole
            conv.state, conv.channel, conv.updated_at = state, channel, now
            if closed:
                conv.status, conv.closed_at = "closed", now
            await self.session.flush()
            return
        await self.session.execute(_SAVE_STATE_CLOSED if closed else _SAVE_STATE, {
            "conv_id": conv.id, "new_state": state, "new_channel": channel, "now": now})
        # The object reads as written, with nothing left for a flush to write again.
        for key, value in (("state", state), ("channel", channel), ("updated_at", now)):
            set_committed_value(conv, key, value)
        if closed:
            set_committed_value(conv, "status", "closed")
            set_committed_value(conv, "closed_at", now)
