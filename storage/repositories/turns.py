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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.inspection import inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

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

# Writes of the hot path as Core statements on the tables, built once: an ORM flush
# (unit of work, identity map, attribute history) cost more CPU than the statement.
_CITIZENS = cast(Table, Citizen.__table__)
_IDENTITIES = cast(Table, ChannelIdentity.__table__)
_CONVERSATIONS = cast(Table, Conversation.__table__)
_PAYLOADS = cast(Table, InboundPayload.__table__)
_INSERT_CITIZEN = insert(_CITIZENS).returning(*_CITIZENS.c)
_INSERT_IDENTITY = insert(_IDENTITIES).returning(*_IDENTITIES.c)
_MARK_PAYLOAD = (update(_PAYLOADS).where(_PAYLOADS.c.id == bindparam("payload_id"))
                 .values(status=bindparam("new_status"), error=bindparam("new_error"),
                         processed_at=bindparam("now")))
_IDENTITY_KEYS = tuple(_IDENTITIES.c.keys())
_CITIZEN_KEYS = tuple(_CITIZENS.c.keys())
_CONVERSATION_KEYS = tuple(_CONVERSATIONS.c.keys())
# The turn's load: identity, citizen and newest open conversation, as plain columns (the
# ORM's loading machinery cost a third of a millisecond more per turn).
_LOAD = (
    select(_IDENTITIES, _CITIZENS, _CONVERSATIONS)
    .join(_CITIZENS, _CITIZENS.c.id == _IDENTITIES.c.citizen_id)
    .outerjoin(_CONVERSATIONS, and_(_CONVERSATIONS.c.citizen_id == _CITIZENS.c.id,
                                    _CONVERSATIONS.c.status == "open"))
    .where(_IDENTITIES.c.channel == bindparam("channel"),
           _IDENTITIES.c.external_id == bindparam("external_id"))
    .order_by(_CONVERSATIONS.c.id.desc())
    .limit(1)
)
_TOUCH_SEEN = (update(_IDENTITIES).where(_IDENTITIES.c.id == bindparam("identity_id"))
               .values(last_inbound_at=bindparam("seen_at")))


def persistent(session: AsyncSession, model: Any, values: Mapping[str, Any]) -> Any:
    """An ORM object for a row read or written by a Core statement, in the session as if
    loaded by the ORM (later ORM code reads and changes it as usual; nothing to flush now).
    An object of that row already in the session is brought up to date and returned."""
    key = inspect(model).identity_key_from_primary_key([values["id"]])
    existing = session.identity_map.get(key)
    if existing is not None:
        for name, value in values.items():
            set_committed_value(existing, name, value)
        return existing
    obj = model(**values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


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
        row = (await self.session.execute(
            _LOAD, {"channel": channel, "external_id": external_id})).first()
        if row is None:
            return None
        i, c = len(_IDENTITY_KEYS), len(_IDENTITY_KEYS) + len(_CITIZEN_KEYS)
        conversation = None
        if row[c] is not None:  # the conversation's id: there is an open one
            conversation = persistent(self.session, Conversation,
                                      dict(zip(_CONVERSATION_KEYS, row[c:], strict=True)))
        return LoadedTurn(
            identity=persistent(self.session, ChannelIdentity,
                                dict(zip(_IDENTITY_KEYS, row[:i], strict=True))),
            citizen=persistent(self.session, Citizen,
                               dict(zip(_CITIZEN_KEYS, row[i:c], strict=True))),
            conversation=conversation)

    async def create(self, channel: str, external_id: str, *, reply_address: str,
                     display_name: str | None, language: str | None,
                     extra: dict[str, Any] | None, seen_at: datetime) -> LoadedTurn:
        """A new citizen and their first channel identity (written with the next flush).

        Runs under the sender's turn lock, so no concurrent turn creates the same
        identity; should another writer have, the unique constraint fails the turn
        and the caller's retry finds the identity.
        """
        run = self.session.execute
        citizen_row = (await run(_INSERT_CITIZEN, {
            "display_name": display_name, "language": language or "id"})).one()
        identity_row = (await run(_INSERT_IDENTITY, {
            "citizen_id": citizen_row.id, "channel": channel, "external_id": external_id,
            "reply_address": reply_address, "display_name": display_name,
            "extra": extra or {}, "last_inbound_at": seen_at})).one()
        citizen = persistent(self.session, Citizen, dict(citizen_row._mapping))
        identity = persistent(self.session, ChannelIdentity, dict(identity_row._mapping))
        return LoadedTurn(identity=identity, citizen=citizen, conversation=None)

    async def touch_identity(self, identity: ChannelIdentity, citizen: Citizen, *,
                             reply_address: str, display_name: str | None,
                             extra: dict[str, Any] | None, seen_at: datetime) -> None:
        """Record where and when the citizen last wrote from, in one statement (usually
        only the time changes); the loaded objects are updated to match."""
        values: dict[str, Any] = {"last_inbound_at": seen_at}
        if reply_address and identity.reply_address != reply_address:
            values["reply_address"] = reply_address
        if display_name:
            if identity.display_name != display_name:
                values["display_name"] = display_name
            if not citizen.display_name:
                citizen.display_name = display_name  # rare: written with the turn's flush
        if extra:
            merged = {**(identity.extra or {}), **extra}
            if merged != identity.extra:
                values["extra"] = merged
        if len(values) == 1:
            await self.session.execute(_TOUCH_SEEN, {"identity_id": identity.id,
                                                     "seen_at": seen_at})
        else:
            await self.session.execute(
                update(_IDENTITIES).where(_IDENTITIES.c.id == identity.id).values(**values))
        for key, value in values.items():
            set_committed_value(identity, key, value)

    async def mark_payload(self, payload_id: int, status: str, error: str | None = None) -> None:
        """Record what became of a raw webhook body, in one statement."""
        await self.session.execute(_MARK_PAYLOAD, {
            "payload_id": payload_id, "new_status": status, "new_error": error,
            "now": utcnow()})

