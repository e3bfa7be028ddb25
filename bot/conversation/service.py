"""The conversation service: one citizen message in, one transaction, replies out.

It owns the unit of work: drop re-deliveries, identify the citizen, store the
message, run the NLU and the pure dialogue step, carry out the actions
(tickets, look-ups, handover) and queue the replies, then commit once.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any, assert_never

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import dialogue as dlg
from bot.conversation.custom_answers import custom_answer
from bot.conversation.outside import outside_note
from bot.core.i18n import ME_TOO, chat_text, lang_of, status_label, t, tc
from bot.core.runtime import Runtime
from bot.delivery.queue import outbound_for, store_and_queue_many
from bot.privacy.consent import consent_gate
from bot.privacy.flood import CitizenFlood, flood_gate
from bot.surveys.skm import SURVEY_RESUME
from bot.tickets.check_code import codes_in, matches
from bot.tickets.lifecycle import Actor, TicketError, create_ticket, reopen_ticket
from bot.tickets.me_too import find_offer, join_ticket, joined_text
from bot.tickets.status import DONE, TicketStatus
from channels.base import (
    Button,
    InboundMessage,
    OutboundMessage,
    attachment_to_dict,
    location_to_dict,
)
from nlu.entities import mask_personal_data, normalize_phone
from nlu.rasa_payload import parse_intent_payload
from nlu.taxonomy import INTENTS
from nlu.types import NluResult
from routing.catalog import find_service_standards
from routing.service_picking import with_service
from storage.locks import process_lock
from storage.models import (
    ChannelIdentity,
    Citizen,
    Conversation,
    Message,
    NluReviewItem,
    utcnow,
)
from storage.ports import (
    CitizenRepositoryPort,
    ConversationRepositoryPort,
    Repositories,
    TurnRepositoryPort,
)
from storage.repositories.citizens import conversation_is_idle
from storage.repositories.tickets import format_ticket_number
from storage.sqlite_driver import inline_statements
from storage.types import as_utc

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RawBody:
    """A webhook or REST body as received, kept in the turn's own transaction."""

    channel: str
    body: str
    headers: dict[str, str]


@dataclass(frozen=True)
class TurnResult:
    """What handling one inbound message produced."""

    replies: tuple[OutboundMessage, ...]
    duplicate: bool = False
    message_id: int | None = None
    citizen_id: int | None = None


def nlu_summary(result: NluResult | None) -> dict[str, Any] | None:
    """The parse as stored with the message (for review and analytics)."""
    if result is None:
        return None
    return {
        "intent": result.intent.label,
        "intent_confidence": round(result.intent.confidence, 4),
        "intent_confident": result.intent.confident,
        "category": result.category.label if result.category else None,
        "category_confidence": round(result.category.confidence, 4) if result.category else None,
        "secondary_categories": [p.label for p in result.secondary_categories],
        "region_code": result.region.code if result.region else None,
        "region": result.region.canonical_name if result.region else None,
        "lang": result.lang,
        "model_version": result.model_version,
        "entities": [
            {"entity": e.entity, "value": e.value, "start": e.start, "end": e.end}
            for e in result.entities
        ],
    }


def content_of(msg: InboundMessage) -> dict[str, Any]:
    """What to keep of an inbound message besides its text."""
    data: dict[str, Any] = {}
    if msg.payload:
        data["payload"] = msg.payload
    if msg.attachments:
        data["attachments"] = [attachment_to_dict(a) for a in msg.attachments]
    if msg.location:
        data["location"] = location_to_dict(msg.location)
    if msg.contact_phone:
        data["contact_phone"] = msg.contact_phone
    if msg.edited:
        data["edited"] = True
    return data


class ConversationService:
    """Handles citizen messages from every channel the same way."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.flood = CitizenFlood(rt.settings.limits.citizen_per_minute)
        self.config = dlg.DialogueConfig(
            ticket_example=format_ticket_number(rt.settings.tickets.prefix, utcnow().year, 123),
            home_region=rt.catalog.default_region,
        )

    async def classify(self, text: str) -> NluResult:
        """Run the live NLU; remote backends run in a thread so the loop stays free."""
        classifier = self.rt.nlu.classifier
        if self.rt.settings.nlu.backend == "embedded":
            result = classifier.parse(text)
        else:
            result = await asyncio.to_thread(classifier.parse, text)
        # The service below the category, from the live catalog (a separate small model).
        return with_service(result, self.rt.catalog, self.rt.settings.nlu.service_threshold)

    async def parse(self, text: str) -> NluResult | None:
        """The parse of a citizen message, or None when it has no words.

        A Rasa intent payload (``/intent{"slot": "value"}``) naming an intent the live
        model knows is taken as that intent, as Rasa does, without classifying.
        """
        if not text.strip():
            return None
        known = (*INTENTS, *getattr(self.rt.nlu.classifier, "intents", ()))
        payload = parse_intent_payload(text, known)
        if payload is not None:
            return replace(payload, model_version=self.rt.nlu.version)
        return await self.classify(text)

    async def handle(self, inbound: InboundMessage, *, inline: bool = False,
                     payload_id: int | None = None, raw: RawBody | None = None) -> TurnResult:
        """Process one citizen message.

        ``inline`` means the caller hands the replies over itself (REST
        response, web chat, terminal); otherwise they are delivered by the
        outbox worker. A re-delivered message (same provider id) is stored
        once and answered once: the original replies are returned again.
        ``payload_id``, the raw body the message came in, is marked processed
        (or duplicate) in the turn's own transaction; or ``raw``, the body itself, is
        stored in it as processed (or duplicate): one transaction per message, the body
        kept exactly when the message is. Should the turn fail, the caller keeps the
        body as failed; should the process die, the sender never got an answer and
        sends again.
        """
        inbound = sanitize(inbound)
        # Over the per-citizen limit: stored, answered politely once, no NLU or dialogue.
        flooded = self.flood.check(inbound.channel, inbound.sender_id)
        nlu = None if flooded is not None else await self.parse(inbound.text)
        # The turn's statements are short and indexed: on SQLite they run in the loop.
        with inline_statements():
            result = await self._locked_turn(inbound, nlu, inline, payload_id, flooded, raw)
        if result.replies and not inline:
            self.rt.outbox_wakeup.set()
        if not result.duplicate:
            self.rt.notify("message", {"citizen_id": result.citizen_id})
        return result

    async def _locked_turn(self, inbound: InboundMessage, nlu: NluResult | None, inline: bool,
                           payload_id: int | None, flooded: bool | None,
                           raw: RawBody | None) -> TurnResult:
        """The turn in its transaction, under the sender's lock; a re-delivery answered again."""
        # One turn of a sender at a time in this process (other processes: the turn lock).
        async with process_lock(f"turn:{inbound.channel}:{inbound.sender_id}"):
            try:
                async with self.rt.sessions() as session, session.begin():
                    result = await self._turn(session, inbound, nlu, inline, payload_id,
                                               flooded, raw)
            except IntegrityError:
                # A re-delivery: the message is stored already (unique provider id).
                if inbound.provider_message_id is None:
                    raise
                async with self.rt.sessions() as session, session.begin():
                    dup = await self._duplicate(session, inbound)
                    if dup is not None and payload_id is not None:
                        await self.rt.repositories(session).turns.mark_payload(
                            payload_id, "duplicate")
                    elif dup is not None and raw is not None:
                        await self.rt.repositories(session).payloads.add_id(
                            raw.channel, raw.body, raw.headers, status="duplicate")
                if dup is None:
                    raise
                return dup
        return result

    async def _duplicate(self, session: AsyncSession, inbound: InboundMessage) -> TurnResult | None:
        assert inbound.provider_message_id is not None
        messages = self.rt.repositories(session).messages
        existing = await messages.by_provider_id(inbound.channel, "in", inbound.provider_message_id)
        if existing is None:
            return None
        replies = tuple(
            _stored_to_outbound(m, inbound.address) for m in await messages.replies_to(existing.id)
        )
        return TurnResult(
            replies=replies, duplicate=True, message_id=existing.id, citizen_id=existing.citizen_id
        )

    async def _turn(
        self, session: AsyncSession, inbound: InboundMessage, nlu: NluResult | None, inline: bool,
        payload_id: int | None = None,
        flooded: bool | None = None,
        raw: RawBody | None = None,
    ) -> TurnResult:
        """Identify, store, step the dialogue, carry out its actions and queue the replies.

        A re-delivered message is not looked up first: storing it again fails on the
        unique provider id, and :meth:`handle` then answers from the original.
        """
        repos = self.rt.repositories(session)
        conversations = repos.conversations
        citizen, identity, conv = await self._load(repos, inbound)
        state = dlg.DialogueState.from_dict(conv.state)
        fields: dict[str, Any] = {
            "conversation_id": conv.id, "citizen_id": citizen.id, "ticket_id": None,
            "direction": "in", "channel": inbound.channel,
            "provider_message_id": inbound.provider_message_id, "sender_type": "citizen",
            "staff_user_id": None, "text": inbound.text, "content": content_of(inbound),
            "nlu": nlu_summary(nlu), "reply_to_id": None,
            "created_at": inbound.timestamp or utcnow()}
        # One Core INSERT (a duplicate provider id fails it: see handle); the hooks and
        # the actions get the row as an object outside the session, so no flush writes it
        # again: a ticket it comes to belong to is written at the end of the turn.
        stored = Message(id=await repos.messages.insert(fields), **fields)
        for hook in self.rt.hooks.on_citizen_message:
            await hook(repos, stored, nlu)  # e.g. "bukan itu maksud saya" -> review queue
        # The privacy notice and consent, or the flood limit's polite answer (bot.privacy).
        gate = (flood_gate(flooded, state.lang) if flooded is not None else
                consent_gate(self.rt.settings, citizen, identity, inbound, state.lang, utcnow()))
        new_state, actions = ((state, []) if gate.stop
                              else dlg.step(state, inbound, nlu, self.config))
        citizen.language = new_state.lang
        _remember_message(new_state, actions, stored.id)
        turn = _Turn(session, self.rt, repos, citizen, identity, conv, stored, inbound, nlu,
                     new_state, self.config)
        for text, buttons in gate.replies:
            turn.say(text, buttons)
        for action in actions:
            await turn.run(action)
        closed = any(isinstance(a, dlg.CloseConversation) for a in actions)
        await conversations.save_state(
            conv, turn.state.to_dict(), channel=inbound.channel, closed=closed
        )
        if closed:
            for closed_hook in self.rt.hooks.on_conversation_closed:
                turn.replies.extend(await closed_hook(session, citizen, conv, identity))
        await store_and_queue_many(
            session,
            self.rt,
            turn.replies,
            citizen_id=citizen.id,
            conversation_id=conv.id,
            ticket_id=turn.ticket_id,
            reply_to_id=stored.id,
            delivered_inline=inline,
        )
        if stored.ticket_id is not None and stored.ticket_id != turn.attached_ticket_id:
            await repos.messages.set_ticket(stored.id, stored.ticket_id)
        if payload_id is not None:
            await repos.turns.mark_payload(payload_id, "processed")
        elif raw is not None:
            await repos.payloads.add_id(raw.channel, raw.body, raw.headers, status="processed")
        return TurnResult(replies=tuple(turn.replies), message_id=stored.id, citizen_id=citizen.id)

    async def _load(
        self, repos: Repositories, inbound: InboundMessage
    ) -> tuple[Citizen, ChannelIdentity, Conversation]:
        """Take the citizen's turn lock, then load identity, citizen and conversation.

        A known sender without aliases takes one query; a new sender, or one an
        adapter gives aliases for, is identified the long way.
        """
        turns = repos.turns
        locked = await turns.lock_sender(inbound.channel, inbound.sender_id)
        loaded = None if inbound.aliases else await turns.load(inbound.channel, inbound.sender_id)
        if loaded is not None and locked is not None and loaded.citizen.id != locked:
            # Merged into another citizen since the lock was taken: lock that one, read again.
            await turns.lock_citizen(loaded.citizen.id)
            loaded = await turns.load(inbound.channel, inbound.sender_id)
        if loaded is None and inbound.aliases:
            citizen, identity = await _identify(repos.citizens, inbound, turns)
            return citizen, identity, await self._conversation(
                repos.conversations, citizen, inbound)
        if loaded is None:  # first contact
            lang_hint = "en" if lang_of(inbound.language_hint) == "en" else None
            created = await turns.create(
                inbound.channel, inbound.sender_id, reply_address=lasting_reply_address(inbound),
                display_name=inbound.display_name, language=lang_hint,
                extra=_identity_extra(inbound), seen_at=utcnow())
            citizen = await _apply_verified_phone(repos.citizens, created.citizen, inbound, turns)
            return citizen, created.identity, await self._conversation(
                repos.conversations, citizen, inbound,
                loaded=None if citizen is created.citizen else False)
        citizen, identity = loaded.citizen, loaded.identity
        await turns.touch_identity(
            identity, citizen, reply_address=lasting_reply_address(inbound),
            display_name=inbound.display_name, extra=_identity_extra(inbound), seen_at=utcnow())
        citizen = await _apply_verified_phone(repos.citizens, citizen, inbound, turns)
        if citizen.id != loaded.citizen.id:  # merged: the other citizen's conversation goes on
            return citizen, identity, await self._conversation(
                repos.conversations, citizen, inbound)
        return citizen, identity, await self._conversation(
            repos.conversations, citizen, inbound, loaded=loaded.conversation)

    async def _conversation(
        self, conversations: ConversationRepositoryPort, citizen: Citizen,
        inbound: InboundMessage, *, loaded: Conversation | bool | None = False,
    ) -> Conversation:
        """The citizen's open conversation; one idle too long is closed and a new one started.

        ``loaded`` is the open conversation (or None) when the caller read it already.
        """
        conv = (await conversations.current(citizen.id) if loaded is False
                else loaded if isinstance(loaded, Conversation) else None)
        idle_hours = self.rt.settings.dialogue.idle_reset_hours
        # An officer's handover stays open however long the citizen waits.
        if (
            conv is not None
            and conversation_is_idle(conv, idle_hours)
            and dlg.DialogueState.from_dict(conv.state).mode != dlg.Mode.HANDOVER
        ):
            await conversations.save_state(conv, conv.state, channel=conv.channel, closed=True)
            conv = None
        if conv is None:
            conv = await conversations.start(
                citizen.id, inbound.channel, dlg.DialogueState(lang=citizen.language).to_dict()
            )
        return conv


def _identity_extra(inbound: InboundMessage) -> dict[str, Any]:
    """What an identity keeps of the adapter's metadata (the business number written to)."""
    return {k: v for k, v in inbound.metadata.items() if k == "phone_number_id"}


async def _apply_verified_phone(
    citizens: CitizenRepositoryPort, citizen: Citizen, inbound: InboundMessage,
    turns: TurnRepositoryPort | None = None,
) -> Citizen:
    """The citizen, merged into the one a verified phone already names (if another)."""
    phone = verified_phone(inbound)
    if phone and citizen.phone != phone:
        other = await citizens.by_phone(phone)
        if other is not None and other.id != citizen.id:
            if turns is not None:
                await turns.lock_citizen(other.id)  # its turns wait for this one
            # Same person, another channel: one citizen, so replies follow them.
            await citizens.merge(citizen.id, other.id)
            return other
        citizen.phone = phone
    return citizen


async def _identify(
    citizens: CitizenRepositoryPort, inbound: InboundMessage,
    turns: TurnRepositoryPort | None = None,
) -> tuple[Citizen, ChannelIdentity]:
    """The citizen behind the sender, merged with the one a verified phone already names."""
    extra = _identity_extra(inbound)
    # Only an English hint is worth recording; Indonesian is the default anyway.
    lang_hint = "en" if lang_of(inbound.language_hint) == "en" else None
    citizen, identity = await citizens.identify(
        inbound.channel,
        await _known_sender_id(citizens, inbound),
        reply_address=lasting_reply_address(inbound),
        display_name=inbound.display_name,
        language=lang_hint,
        extra=extra,
        seen_at=utcnow(),
    )
    return await _apply_verified_phone(citizens, citizen, inbound, turns), identity


def _remember_message(state: dlg.DialogueState, actions: list[dlg.Action], message_id: int) -> None:
    """Remember which messages make up a report, so the ticket gets exactly those."""
    for action in actions:
        if isinstance(action, dlg.CreateTicket | dlg.JoinTicket):
            action.draft.message_ids.append(message_id)
    if state.draft is not None:
        state.draft.message_ids.append(message_id)


def local_date(value: datetime | None, tz: tzinfo) -> str:
    """A date as the citizen reads it: in local time (WIB for Kota Batu), not UTC."""
    if value is None:
        return "-"
    # Stored times are aware already; a caller may still hand in a naive UTC time.
    value = as_utc(value)
    return value.astimezone(tz).strftime("%d-%m-%Y")


def lasting_reply_address(inbound: InboundMessage) -> str:
    """Where later messages (an officer's reply, a survey) go for this sender.

    The adapter sets ``private_address`` when that differs from this turn's
    address: a group message is answered in the group, but what comes later
    goes to the person's private chat, never to the group.
    """
    return inbound.lasting_address


def sanitize(inbound: InboundMessage) -> InboundMessage:
    """Drop NUL bytes (PostgreSQL text cannot hold them) and over-long names."""
    text = inbound.text.replace("\x00", "")
    name = inbound.display_name.replace("\x00", "")[:200] if inbound.display_name else None
    if text == inbound.text and name == inbound.display_name:
        return inbound
    return replace(inbound, text=text, display_name=name)


def verified_phone(inbound: InboundMessage) -> str | None:
    """A phone number the provider vouches belongs to the sender, normalised, if any.

    Adapters set ``InboundMessage.verified_phone`` only for what the provider
    vouches for (the sender's own number, or a contact the user shared of
    themselves); a contact card of someone else never counts.
    """
    raw = inbound.verified_phone
    if not raw or not 8 <= len(re.sub(r"\D", "", raw)) <= 15:
        return None
    return normalize_phone(raw)


async def _known_sender_id(citizens: CitizenRepositoryPort, inbound: InboundMessage) -> str:
    """The id the sender is already known under on this channel.

    ``sender_id`` when known or when the adapter gives no aliases; else the
    first alias already known (a citizen first seen by phone number who now
    arrives with a business-scoped id stays the same citizen, with the same
    conversation and tickets).
    """
    if not inbound.aliases:
        return inbound.sender_id
    if await citizens.identity(inbound.channel, inbound.sender_id) is not None:
        return inbound.sender_id
    for alias in inbound.aliases:
        if await citizens.identity(inbound.channel, alias) is not None:
            return alias
    return inbound.sender_id


def _stored_to_outbound(m: Message, recipient: str) -> OutboundMessage:
    content = m.content or {}
    data = {
        "channel": m.channel,
        "recipient_id": recipient,
        "text": m.text,
        "buttons": content.get("buttons") or [],
        "list_options": content.get("list_options") or [],
    }
    return OutboundMessage.from_dict(data)


class _Turn:
    """Carries out one step's actions inside the service's transaction."""

    def __init__(
        self,
        session: AsyncSession,
        rt: Runtime,
        repos: Repositories,
        citizen: Citizen,
        identity: ChannelIdentity,
        conv: Conversation,
        stored: Message,
        inbound: InboundMessage,
        nlu: NluResult | None,
        state: dlg.DialogueState,
        config: dlg.DialogueConfig,
    ) -> None:
        self.config = config
        self.session, self.rt, self.citizen, self.identity = session, rt, citizen, identity
        self.repos = repos
        self.conv, self.stored, self.inbound, self.nlu, self.state = (
            conv,
            stored,
            inbound,
            nlu,
            state,
        )
        self.replies: list[OutboundMessage] = []
        self.ticket_id: int | None = None
        # The ticket the inbound message was tied to by attach_to_ticket (already written).
        self.attached_ticket_id: int | None = None
        self.tickets = repos.tickets

    @property
    def lang(self) -> str:
        return self.state.lang

    def local_date(self, value: datetime | None) -> str:
        """A date in the catalog's local time."""
        return local_date(value, self.rt.catalog.tzinfo)

    def say(self, text: str, buttons: tuple[Button, ...] = ()) -> None:
        # This turn's answers go where the message came from (a group chat too), in the
        # same forum topic, quoting the asker's message in a group.
        self.replies.append(
            threaded(outbound_for(self.identity, text, self.lang, buttons=buttons,
                                  recipient=self.inbound.address), self.inbound)
        )

    async def run(self, action: dlg.Action) -> None:
        """Carry out one action; mypy checks that every kind of action is handled."""
        match action:
            case dlg.Reply():
                await self._reply(action)
            case dlg.CreateTicket():
                await self._create_ticket(action)
            case dlg.JoinTicket():
                await self._join_ticket(action)
            case dlg.ReportStatus():
                await self._report_status(action)
            case dlg.ListMyTickets():
                await self._list_my_tickets(action)
            case dlg.AnswerInfo():
                await self._answer_info(action)
            case dlg.Handover():
                await self._handover(action)
            case dlg.RelayToOfficer():
                await self._relay_to_officer(action)
            case dlg.ReopenTicket():
                await self._reopen_ticket(action)
            case dlg.CloseConversation():
                await self._close_conversation(action)
            case dlg.SurveyInput():
                await self._survey_input(action)
            case dlg.FlagForReview():
                await self._flag_for_review(action)
            case dlg.AnswerCustomIntent():
                await self._answer_custom_intent(action)
            case _:
                assert_never(action)

    async def _reply(self, a: dlg.Reply) -> None:
        self.say(a.text, a.buttons)

    async def _create_ticket(self, a: dlg.CreateTicket) -> None:
        d = a.draft
        # "Saya juga": an open ticket about the same problem nearby is offered first.
        offer = await find_offer(self.session, self.rt, self.citizen.id, d, self.lang)
        if offer is not None:
            dlg.offer_me_too(self.state, d, offer.number)
            self.say(offer.text, dlg.me_too_buttons(self.lang))
            return
        ticket, decision = await create_ticket(
            self.session,
            self.rt,
            citizen=self.citizen,
            kind=d.kind,
            description=d.description,
            category=d.category,
            confidence=d.category_confidence,
            region_code=d.region_code,
            region_name=d.region_name,
            channel=self.inbound.channel,
            conversation_id=self.conv.id,
            location_text=d.location_text,
            latitude=d.latitude,
            longitude=d.longitude,
            confidential=d.confidential,
            service_code=d.service_code,
            service_confidence=d.service_confidence,
        )
        self.ticket_id = ticket.id
        self.stored.ticket_id = ticket.id
        # The report's own messages (and the bot's answers to them) belong to the ticket,
        # attachments included; nothing else said in the conversation does.
        await self.repos.messages.attach_to_ticket(d.message_ids, ticket.id)
        if self.stored.id in d.message_ids:
            self.attached_ticket_id = ticket.id
        due = self.local_date(ticket.due_at)
        self.say(
            t(
                "ticket_created",
                self.lang,
                number=ticket.number,
                unit=decision.unit.name,
                days=decision.response_days,
                due=due,
            )
            + (t("confidential_note", self.lang) if ticket.confidential else "")
            + (chat_text("check_code", self.lang, code=ticket.check_code)
               if ticket.check_code else "")
            + outside_note(self.rt.catalog, decision, ticket.region_code, self.lang)
        )
        self.state.last_ticket = ticket.number
        self.rt.notify("ticket", {"number": ticket.number, "unit_id": ticket.unit_id})

    async def _join_ticket(self, a: dlg.JoinTicket) -> None:
        """"Saya juga": join the ticket offered (the report is filed if it closed since)."""
        ticket = await join_ticket(self.session, self.rt, a.number, self.citizen, a.draft,
                                   channel=self.inbound.channel, conversation_id=self.conv.id)
        if ticket is None:
            self.say(ME_TOO.text("gone", self.lang, number=a.number))
            a.draft.me_too_declined.append(a.number)
            await self._create_ticket(dlg.CreateTicket(a.draft))
            return
        self.ticket_id = ticket.id
        self.stored.ticket_id = ticket.id
        # What the citizen said belongs to the ticket they joined (officers see it there).
        await self.repos.messages.attach_to_ticket(a.draft.message_ids, ticket.id)
        self.say(joined_text(self.rt, ticket, self.lang))
        self.state.last_ticket = ticket.number
        self.rt.notify("ticket_updated", {"number": ticket.number, "unit_id": ticket.unit_id,
                                          "action": "joined"})

    async def _report_status(self, a: dlg.ReportStatus) -> None:
        ticket = await self.tickets.by_number(a.number)
        example = format_ticket_number(self.rt.settings.tickets.prefix, utcnow().year, 123)
        owner = ticket is not None and ticket.citizen_id == self.citizen.id
        if ticket is None or not (owner or any(
                matches(code, ticket.check_code) for code in codes_in(self.inbound.text))
                or await self.repos.joiners.find(ticket.id, self.citizen.id) is not None):
            # Numbers are sequential: a stranger learns nothing, not even that it exists.
            self.say(chat_text("status_private", self.lang, number=a.number, example=example))
            return
        last = ""
        self.state.last_ticket = ticket.number  # for "kapan diperbaiki?"
        # Others never see which unit handles a confidential ticket.
        unit = (chat_text("status_hidden_unit", self.lang) if ticket.confidential and not owner
                else self.rt.unit_name(ticket.unit_id))
        if owner:
            # The question and answer belong to the citizen's own ticket (and so are seen
            # only by officers who may see that ticket).
            self.ticket_id = ticket.id
            self.stored.ticket_id = ticket.id
            # Officers' answers are shown only to the person who filed the ticket.
            replies = [e for e in await self.tickets.events(ticket.id) if e.kind == "replied"]
            if replies and replies[-1].note:
                last = t("last_update", self.lang, text=replies[-1].note)
        self.say(
            t(
                "ticket_status",
                self.lang,
                number=ticket.number,
                status=status_label(ticket.status, self.lang),
                unit=unit,
                created=self.local_date(ticket.created_at),
                due=self.local_date(ticket.due_at),
                overdue=t("overdue_note", self.lang) if ticket.escalated else "",
                last=last,
            )
        )

    async def _list_my_tickets(self, a: dlg.ListMyTickets) -> None:
        # The tickets they joined too: they follow those, and may ask their status.
        recent = await self.tickets.recent_for_citizen(self.citizen.id, limit=5, joined=True)
        if recent:
            buttons = tuple(Button(tk.number, f"{dlg.P_STATUS} {tk.number}") for tk in recent)
            self.say(t("your_tickets", self.lang), buttons)
            # So "1" picks the first, as with the dialogue's own buttons.
            self.state.choices = [[b.title, b.payload] for b in buttons]

    async def _answer_info(self, a: dlg.AnswerInfo) -> None:
        catalog = self.rt.catalog
        if a.standard_id:
            found = [s for s in catalog.standards if s.id == a.standard_id]
        else:
            found = find_service_standards(catalog, a.query, a.category, limit=4)
        if not found:
            self.say(
                t("info_not_found", self.lang), (Button(t("menu_agent", self.lang), dlg.P_AGENT),)
            )
            return
        std = found[0]
        self.state.last_standard = std.id  # for follow-ups ("berapa biayanya?")
        unit = catalog.unit(std.unit_id)
        en = self.lang == "en"
        self.say(
            t(
                "standard",
                self.lang,
                name=(std.name_en or std.name) if en else std.name,
                unit=unit.name,
                requirements=_bullets(std.requirements),
                procedure=_numbered(std.procedure),
                time=std.completion_time,
                cost=std.cost,
                product=std.product,
                legal=std.legal_basis,
            )
        )
        if len(found) > 1:
            self.say(
                t("standard_more", self.lang),
                tuple(Button(s.name[:60], f"/std {s.id}") for s in found[1:]),
            )
        for hook in self.rt.hooks.on_info_answered:
            self.replies.extend(
                await hook(self.session, self.citizen, self.conv, self.identity, std, self.state)
            )

    async def _handover(self, a: dlg.Handover) -> None:
        recent = await self.tickets.recent_for_citizen(self.citizen.id, limit=1)
        ticket = recent[0] if recent and recent[0].status not in DONE else None
        if ticket is None:
            ticket, _ = await create_ticket(
                self.session,
                self.rt,
                citizen=self.citizen,
                kind="request",
                description=a.reason if a.reason != "button" else t("menu_agent", self.lang),
                category=None,
                confidence=None,
                region_code=None,
                region_name=None,
                channel=self.inbound.channel,
                conversation_id=self.conv.id,
            )
        await self.tickets.add_event(
            ticket,
            "handover",
            actor_type="citizen",
            actor_id=str(self.citizen.id),
            note=self.inbound.text or None,
        )
        self.ticket_id = ticket.id
        self.stored.ticket_id = ticket.id
        self.state.handover_ticket = ticket.number
        self.state.handover_acked = False
        catalog = self.rt.catalog
        hours = (
            catalog.unit(ticket.unit_id).contact_hours if catalog.has_unit(ticket.unit_id) else ""
        )
        self.say(
            t(
                "handover",
                self.lang,
                unit=self.rt.unit_name(ticket.unit_id),
                ticket=t("handover_ticket", self.lang, number=ticket.number),
                hours=hours or "-",
            )
        )
        self.rt.notify("handover", {"number": ticket.number, "unit_id": ticket.unit_id})

    async def _relay_to_officer(self, a: dlg.RelayToOfficer) -> None:
        ticket = await self.tickets.by_number(a.ticket_number) if a.ticket_number else None
        if ticket is None or ticket.status in DONE:
            # The officer is done: the bot takes this message as a fresh request.
            self.state.mode, self.state.handover_ticket = dlg.Mode.IDLE, None
            fresh, actions = dlg.step(self.state, self.inbound, self.nlu, self.config)
            self.state = fresh
            _remember_message(fresh, actions, self.stored.id)
            for action in actions:
                await self.run(action)
            return
        self.ticket_id = ticket.id
        self.stored.ticket_id = ticket.id
        await self.tickets.add_event(
            ticket,
            "citizen_message",
            actor_type="citizen",
            actor_id=str(self.citizen.id),
            note=self.inbound.text or None,
        )
        if ticket.status == TicketStatus.WAITING_CITIZEN:
            from bot.tickets.lifecycle import change_status

            await change_status(
                self.session, self.rt, ticket, TicketStatus.IN_PROGRESS,
                Actor("citizen", str(self.citizen.id)),
            )
        if not self.state.handover_acked:
            # Once, so the citizen knows a person will read this; then the bot stays quiet.
            self.state.handover_acked = True
            self.say(t("handover_ack", self.lang))
        self.rt.notify("message", {"number": ticket.number, "unit_id": ticket.unit_id})

    async def _reopen_ticket(self, a: dlg.ReopenTicket) -> None:
        ticket = await self.tickets.by_number(a.number)
        example = format_ticket_number(self.rt.settings.tickets.prefix, utcnow().year, 123)
        if ticket is None or ticket.citizen_id != self.citizen.id:
            self.say(t("ticket_not_found", self.lang, number=a.number, example=example))
            return
        try:
            await reopen_ticket(
                self.session,
                self.rt,
                ticket,
                Actor("citizen", str(self.citizen.id)),
                reason=self.inbound.text,
            )
        except TicketError:
            self.say(t("reopen_too_late", self.lang, number=ticket.number))
            return
        self.ticket_id = ticket.id
        self.stored.ticket_id = ticket.id
        self.say(
            t(
                "ticket_reopened",
                self.lang,
                number=ticket.number,
                unit=self.rt.unit_name(ticket.unit_id),
            )
        )

    async def _close_conversation(self, a: dlg.CloseConversation) -> None:
        return None  # the service closes the conversation after the step

    async def _survey_input(self, a: dlg.SurveyInput) -> None:
        survey = await self.repos.surveys.get(a.survey_id)
        if survey is not None and survey.ticket_id is not None:
            # Answers about a ticket belong to it, like the rest of its conversation.
            self.ticket_id = survey.ticket_id
            self.stored.ticket_id = survey.ticket_id
        handler = self.rt.hooks.survey_input
        if handler is None:
            self.state.mode, self.state.survey_id = dlg.Mode.IDLE, None
            return
        # After a question answered aside, the survey shows its current question again.
        inbound = (replace(self.inbound, text="", payload=SURVEY_RESUME) if a.resume
                   else self.inbound)
        self.replies.extend(
            await handler(self.session, self.citizen, self.conv, self.identity, inbound,
                          self.state)
        )

    async def _answer_custom_intent(self, a: dlg.AnswerCustomIntent) -> None:
        intent = await self.repos.custom_intents.by_name(a.intent)
        if intent is not None and intent.kind == "human_agent":
            self.state.mode, self.state.draft = dlg.Mode.HANDOVER, None
            await self._handover(dlg.Handover(reason=self.inbound.text))
            return
        answer = custom_answer(intent, self.lang) if intent is not None else None
        if answer is None:
            # Trained but not answered yet (or deleted since): the admins must look at it.
            await self._flag_for_review(dlg.FlagForReview("custom_intent_unanswered"))
            self.say(tc("custom_missing", self.lang), dlg.menu_buttons(self.lang))
            return
        self.say(answer.text, answer.buttons)

    async def _flag_for_review(self, a: dlg.FlagForReview) -> None:
        nlu = self.nlu
        if nlu is None or not self.inbound.text.strip():
            return
        await self.repos.reviews.add(
            NluReviewItem(
                message_id=self.stored.id,
                text=mask_personal_data(self.inbound.text),
                reason=a.reason,
                predicted_intent=nlu.intent.label,
                intent_confidence=nlu.intent.confidence,
                predicted_category=nlu.category.label if nlu.category else None,
                category_confidence=nlu.category.confidence if nlu.category else None,
                model_version=nlu.model_version,
            )
        )


def threaded(message: OutboundMessage, inbound: InboundMessage) -> OutboundMessage:
    """A reply to ``inbound`` in its thread (a forum topic) and, in a group, quoting it."""
    extra = {k: v for k, v in (("thread_id", inbound.thread_id),
                               ("reply_to_message_id", inbound.quote_id)) if v}
    if not extra or message.recipient_id != inbound.address:
        return message
    return replace(message, metadata={**message.metadata, **extra})


def _bullets(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {i}" for i in items) or "-"


def _numbered(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"{n}. {i}" for n, i in enumerate(items, start=1)) or "-"


__all__ = ["ConversationService", "RawBody", "TurnResult", "nlu_summary"]
