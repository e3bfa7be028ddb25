"""What one citizen turn reads and writes, in as few statements as its guarantees allow.

The conversation service's hot path: take the citizen's turn lock, load the channel
identity, the citizen and their open conversation in one query, store the inbound
message, save the dialogue state, and mark the raw webhook body done, all in the
service's one transaction.

Per-citizen ordering across processes (PostgreSQL): a transaction-scoped advisory lock
on the citizen (two-key form, class :data:`CITIZEN_LOCK_CLASS`), taken by the same
statement that finds the citizen behind the sender; a sender seen for the first time
is locked by a hash of channel and id (class :data:`SENDER_LOCK_CLASS`) until it has a
citizen. Two messages of one citizen are then never handled at once by two processes,
and the second one reads what the first one committed. SQLite has one writer at a time
and runs one server process, so it takes no lock here (the service also serialises a
sender's turns within the process).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.locks import is_postgres
from storage.models import ChannelIdentity, Citizen, Conversation, InboundPayload, utcnow

# Key classes of the two-key advisory locks (a key space apart from the one-key locks).
CITIZEN_LOCK_CLASS = 14
SENDER_LOCK_CLASS = 15

_LOCK_CITIZEN = text(
    "SELECT citizen_id, pg_advisory_xact_lock(:cls, citizen_id) FROM channel_identities "
    "WHERE channel = :channel AND external_id = :external_id"
).bindparams(bindparam("cls", value=CITIZEN_LOCK_CLASS))
_LOCK_SENDER = text(
    "SELECT pg_advisory_xact_lock(:cls, hashtext(:key))"
).bindparams(bindparam("cls", value=SENDER_LOCK_CLASS))
_LOCK_ONE_CITIZEN = text("SELECT pg_advisory_xact_lock(:cls, :citizen_id)").bindparams(
    bindparam("cls", value=CITIZEN_LOCK_CLASS))


@dataclass
class LoadedTurn:
    """The rows a turn starts from (all in the session, so changes are written on flush)."""

    identity: ChannelIdentity
    citizen: Citizen
    conversation: Conversation | None


class TurnRepository:
    """The conversation service's reads and writes for one turn."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_sender(self, channel: str, external_id: str) -> int | None:
        """On PostgreSQL, wait for and take the turn lock of the citizen behind the sender
        (or of the sender itself while it has no citizen) until the transaction ends;
        returns the citizen id locked, if any. Nothing on SQLite."""
        if not is_postgres(self.session):
            return None
        params = {"channel": channel, "external_id": external_id}
        found = (await self.session.execute(_LOCK_CITIZEN, params)).first()
        if found is not None:
            return int(found[0])
        await self.session.execute(_LOCK_SENDER, {"key": f"{channel}:{external_id}"})
        # Whoever held the sender's lock may have just created the citizen.
        found = (await self.session.execute(_LOCK_CITIZEN, params)).first()
        return int(found[0]) if found is not None else None

    async def lock_citizen(self, citizen_id: int) -> None:
        """On PostgreSQL, take one more citizen's turn lock (a merge); nothing on SQLite."""
        if is_postgres(self.session):
            await self.session.execute(_LOCK_ONE_CITIZEN, {"citizen_id": citizen_id})

    async def load(self, channel: str, external_id: str) -> LoadedTurn | None:
        """The identity, its citizen and the citizen's newest open conversation, in one query;
        None for a sender not seen before."""
        stmt = (
            select(ChannelIdentity, Citizen, Conversation)
            .join(Citizen, Citizen.id == ChannelIdentity.citizen_id)
            .outerjoin(Conversation, and_(Conversation.citizen_id == Citizen.id,
                                          Conversation.status == "open"))
            .where(ChannelIdentity.channel == channel,
                   ChannelIdentity.external_id == external_id)
            .order_by(Conversation.id.desc())
            .limit(1)
        )
        row = (await self.session.execute(stmt)).first()
        if row is None:
            return None
        return LoadedTurn(identity=row[0], citizen=row[1], conversation=row[2])

    async def create(self, channel: str, external_id: str, *, reply_address: str,
                     display_name: str | None, language: str | None,
                     extra: dict[str, Any] | None, seen_at: datetime) -> LoadedTurn:
        """A new citizen and their first channel identity (written with the next flush).

        Runs under the sender's turn lock, so no concurrent turn creates the same
        identity; should another writer have, the unique constraint fails the turn
        and the caller's retry finds the identity.
        """
        citizen = Citizen(display_name=display_name, language=language or "id")
        identity = ChannelIdentity(
            citizen=citizen, channel=channel, external_id=external_id,
            reply_address=reply_address, display_name=display_name, extra=extra or {},
            last_inbound_at=seen_at)
        self.session.add_all([citizen, identity])
        await self.session.flush()
        return LoadedTurn(identity=identity, citizen=citizen, conversation=None)

    async def mark_payload(self, payload_id: int, status: str, error: str | None = None) -> None:
        """Record what became of a raw webhook body, in one statement."""
        await self.session.execute(
            update(InboundPayload)
            .where(InboundPayload.id == payload_id)
            .values(status=status, error=error, processed_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def touch_identity(identity: ChannelIdentity, citizen: Citizen, *, reply_address: str,
                   display_name: str | None, extra: dict[str, Any] | None,
                   seen_at: datetime) -> None:
    """Where and when the citizen last wrote from (written with the turn's next flush)."""
    if reply_address and identity.reply_address != reply_address:
        identity.reply_address = reply_address
    if display_name:
        if identity.display_name != display_name:
            identity.display_name = display_name
        if not citizen.display_name:
            citizen.display_name = display_name
    if extra:
        merged = {**(identity.extra or {}), **extra}
        if merged != identity.extra:
            identity.extra = merged
    identity.last_inbound_at = seen_at
