"""Satisfaction surveys (SKM, issue #6) in the chat: when to offer one, asking it, storing answers.

A survey is offered after a ticket is resolved and when a conversation closes
(about the service last answered, if the citizen asked for information; never
right after the answer, when a follow-up question is likely), at most once per interaction
(one per ticket, one per conversation) and never twice at a time. It is
skipped in the middle of a report, during a live handover, within the
cool-down after an answered survey, and on a channel with a customer-service
window once it has closed (only approved templates get through after that).

While a survey is pending the conversation's dialogue state is in mode
``"survey"``; :func:`bot.conversation.dialogue.step` then hands each message to
:func:`survey_input` unless the citizen clearly moves on. Answers come as
buttons (``skm:<element>:<score>``), numbers or words (see
:func:`bot.surveys.skm.parse_answer`); each is stored as a :class:`SurveyResponse`
with the unit, ticket, channel and time. Unanswered surveys expire quietly
(:func:`expire_surveys`, run by a background task).

:func:`should_offer` / :func:`skip_reason` are pure; everything else works
inside the caller's transaction and never commits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import dialogue as dlg
from bot.core.feature import Feature
from bot.core.i18n import SURVEY, Lang, lang_of, t
from bot.core.runtime import Runtime
from bot.core.settings import SurveySettings
from bot.delivery.queue import outbound_for, store_and_queue, store_and_queue_many
from bot.surveys.quiet import QuietConversation, due_for_offer, quiet_row
from bot.surveys.skm import (
    PAYLOAD_PREFIX,
    SKIP_PAYLOAD,
    SURVEY_RESUME,
    SkmElement,
    answer_options,
    element,
    is_skip,
    numbered_hint,
    parse_answer,
    question_text,
    resolve_form,
)
from channels.base import Button, InboundMessage, OutboundMessage
from channels.windows import reply_window
from routing.catalog import ServiceStandard
from storage.models import (
    ChannelIdentity,
    Citizen,
    Conversation,
    Survey,
    SurveyResponse,
    Ticket,
    utcnow,
)
from storage.ports import Repositories
from storage.repositories.citizens import conversation_is_idle
from storage.types import as_utc

log = logging.getLogger(__name__)

TRIGGER_TICKET = "ticket_resolved"
TRIGGER_INFO = "info_answered"
TRIGGER_CLOSE = "conversation_closed"
TRIGGERS = (TRIGGER_TICKET, TRIGGER_INFO, TRIGGER_CLOSE)

#: Dialogue modes in which a report is being put together: never interrupt them.
REPORT_MODES = dlg.REPORT_MODES
#: Payload of the "skip" button (the optional comment) and of skipping the survey.
P_SKIP = SKIP_PAYLOAD
#: Misunderstood replies in a row after which the survey is dropped.
MAX_MISUNDERSTOOD = 2
#: How often the background task looks for expired surveys.
SWEEP_INTERVAL_SECONDS = 300.0
#: How often the background task looks for citizens who went quiet after an answer.
QUIET_SWEEP_SECONDS = 60.0
MAX_COMMENT_CHARS = 2000

def _text(key: str, lang: Lang, **params: object) -> str:
    # The survey's texts live with every other table in bot.core.i18n.survey.
    return SURVEY.text(key, lang, **params)


# ---- when to offer (pure) ------------------------------------------------------


@dataclass(frozen=True)
class OfferContext:
    """Everything the offer rules look at, gathered from the database by the caller.

    ``dialogue_mode``/``handover_ticket`` come from the citizen's current
    dialogue state; ``ticket_number`` is the resolved ticket (ticket trigger
    only); ``already_surveyed`` says whether this ticket (ticket trigger) or
    conversation (other triggers) already had a survey; ``open_ticket`` whether
    the closing conversation filed a ticket that is still open (its survey
    comes when it is resolved).
    """

    trigger: str
    channel: str
    now: datetime
    last_inbound_at: datetime | None = None
    dialogue_mode: str = dlg.Mode.IDLE
    handover_ticket: str | None = None
    ticket_number: str | None = None
    has_pending_survey: bool = False
    last_answered_at: datetime | None = None
    already_surveyed: bool = False
    open_ticket: bool = False


def skip_reason(ctx: OfferContext, cfg: SurveySettings) -> str | None:
    """Why no survey may be offered now, or None when one may.

    Reasons: ``disabled``, ``already_surveyed`` (once per ticket or
    conversation), ``survey_pending`` (one at a time), ``mid_report``,
    ``handover`` (an officer is talking with the citizen about something
    else), ``ticket_open`` (a close while the conversation's ticket is open),
    ``cooldown`` (answered one less than ``cooldown_days`` ago) and
    ``reply_window`` (a channel with a customer-service window, see
    ``channels.windows``, whose window has closed).
    """
    if ctx.trigger not in TRIGGERS:
        raise ValueError(f"unknown survey trigger {ctx.trigger!r}; expected one of {TRIGGERS}")
    if not cfg.enabled:
        return "disabled"
    if ctx.already_surveyed:
        return "already_surveyed"
    if ctx.has_pending_survey or ctx.dialogue_mode == dlg.Mode.SURVEY:
        return "survey_pending"
    if ctx.dialogue_mode in REPORT_MODES:
        return "mid_report"
    if ctx.dialogue_mode == dlg.Mode.HANDOVER and (
        ctx.ticket_number is None or ctx.handover_ticket != ctx.ticket_number
    ):
        return "handover"
    if ctx.trigger == TRIGGER_CLOSE and ctx.open_ticket:
        return "ticket_open"
    # The context is a plain value a caller may build with naive UTC times (stored times
    # are aware already): compare everything as aware UTC.
    now = as_utc(ctx.now)
    if ctx.last_answered_at is not None and now - as_utc(ctx.last_answered_at) < timedelta(
        days=cfg.cooldown_days
    ):
        return "cooldown"
    window = reply_window(ctx.channel)
    if window is not None and (
        ctx.last_inbound_at is None or now - as_utc(ctx.last_inbound_at) >= window
    ):
        return "reply_window"
    return None


def should_offer(ctx: OfferContext, cfg: SurveySettings) -> bool:
    """Whether a survey may be offered now (see :func:`skip_reason`)."""
    return skip_reason(ctx, cfg) is None


# ---- rendering ---------------------------------------------------------------------


def question_message(identity: ChannelIdentity, lang: Lang, item: SkmElement, index: int,
                     total: int, *, before: str = "") -> OutboundMessage:
    """One question with its four answers as buttons (score 1..4 in order).

    Channels without buttons, or whose limits the buttons exceed, render them
    as numbered lines ending in "Balas 1-4." (the message's numbered hint);
    a channel allowing only three reply buttons shows the four as a list.
    """
    text = question_text(item, lang, index, total)
    if before:
        text = f"{before}\n\n{text}"
    buttons = [Button(title, payload) for title, payload in answer_options(item, lang)]
    msg = outbound_for(identity, text, lang, buttons=buttons)
    # The numbers of the numbered fallback are the scores: say so.
    return replace(msg, metadata={**msg.metadata, "numbered_hint": numbered_hint(lang)})


def _choices(item: SkmElement, lang: Lang) -> list[list[str]]:
    return [[title, payload] for title, payload in answer_options(item, lang)]


def _unit_name(rt: Runtime, unit_id: str | None) -> str:
    if unit_id and rt.catalog.has_unit(unit_id):
        unit = rt.catalog.unit(unit_id)
        return unit.short_name or unit.name
    return rt.catalog.name


# ---- database look-ups --------------------------------------------------------------


async def _gather(repos: Repositories, *, trigger: str, citizen: Citizen,
                  identity: ChannelIdentity, state: dlg.DialogueState, now: datetime,
                  ticket: Ticket | None = None,
                  conversation_id: int | None = None) -> OfferContext:
    surveys = repos.surveys
    open_ticket = False
    if trigger == TRIGGER_CLOSE and conversation_id is not None:
        open_ticket = await repos.tickets.has_open_for_conversation(conversation_id)
    pending = await surveys.has_pending(citizen.id, now)
    # A conversation still pointing at a survey that is no longer live (expired, not yet
    # swept) is as good as idle.
    mode = dlg.Mode.IDLE if state.mode == dlg.Mode.SURVEY and not pending else state.mode
    return OfferContext(
        trigger=trigger, channel=identity.channel, now=now,
        last_inbound_at=identity.last_inbound_at, dialogue_mode=mode,
        handover_ticket=state.handover_ticket,
        ticket_number=ticket.number if ticket is not None else None,
        has_pending_survey=pending,
        # A survey answered or explicitly declined starts the cool-down; an ignored one does not.
        last_answered_at=await surveys.last_answered_at(citizen.id),
        already_surveyed=(await surveys.exists_for_ticket(ticket.id, citizen.id)
                          if ticket is not None
                          else await surveys.exists_for_conversation(conversation_id)),
        open_ticket=open_ticket,
    )


async def _create(session: AsyncSession, rt: Runtime, *, citizen: Citizen, channel: str,
                  trigger: str, unit_id: str | None, conversation_id: int,
                  ticket_id: int | None, now: datetime) -> tuple[Survey, tuple[SkmElement, ...]]:
    form = resolve_form(rt.settings.surveys.form)
    survey = Survey(citizen_id=citizen.id, conversation_id=conversation_id, ticket_id=ticket_id,
                    unit_id=unit_id if unit_id and rt.catalog.has_unit(unit_id) else None,
                    channel=channel, trigger=trigger, elements=[e.key for e in form],
                    status="pending", created_at=now,
                    expires_at=now + timedelta(hours=rt.settings.surveys.expire_hours))
    await rt.repositories(session).surveys.add(survey)
    return survey, form


def _first_question(rt: Runtime, identity: ChannelIdentity, lang: Lang, survey: Survey,
                    form: Sequence[SkmElement]) -> OutboundMessage:
    intro = _text("intro", lang, unit=_unit_name(rt, survey.unit_id), n=len(form))
    return question_message(identity, lang, form[0], 1, len(form), before=intro)


def _survey_state(state: dlg.DialogueState, survey: Survey, form: Sequence[SkmElement],
                  lang: Lang) -> dlg.DialogueState:
    return replace(state, mode=dlg.Mode.SURVEY, survey_id=survey.id, handover_ticket=None,
                   draft=None, choices=_choices(form[0], lang))


# ---- the hooks -------------------------------------------------------------------


async def on_ticket_resolved(session: AsyncSession, rt: Runtime, ticket: Ticket) -> None:
    """Offer a survey about a resolved ticket to its reporter and to every citizen who
    joined it ("saya juga"): each rates it once, and counts in the IKM as a respondent."""
    joiners = await rt.repositories(session).joiners.for_ticket(ticket.id)
    for citizen_id in (ticket.citizen_id, *(j.citizen_id for j in joiners)):
        await offer_ticket_survey(session, rt, ticket, citizen_id)


async def offer_ticket_survey(session: AsyncSession, rt: Runtime, ticket: Ticket,
                              citizen_id: int) -> None:
    """Offer one citizen a survey about a resolved ticket on their last-used channel.

    The survey goes into the citizen's open conversation (a new one when there
    is none) and is queued in the outbox with the ticket.
    """
    now = utcnow()
    repos = rt.repositories(session)
    citizens = repos.citizens
    citizen = await citizens.get(citizen_id)
    identity = await citizens.last_identity(citizen_id)
    if citizen is None or identity is None:
        return
    conversations = repos.conversations
    conv = await conversations.current(citizen.id)
    if conv is not None and conversation_is_idle(conv, rt.settings.dialogue.idle_reset_hours):
        # A report abandoned days ago must not block this survey: that dialogue is over.
        await conversations.save_state(conv, conv.state, channel=conv.channel, closed=True)
        conv = None
    state = dlg.DialogueState.from_dict(conv.state if conv is not None else None)
    if conv is None:
        state.lang = citizen.language
    ctx = await _gather(repos, trigger=TRIGGER_TICKET, citizen=citizen, identity=identity,
                        state=state, now=now, ticket=ticket)
    reason = skip_reason(ctx, rt.settings.surveys)
    if reason is not None:
        log.debug("no survey for ticket %s: %s", ticket.number, reason)
        return
    if conv is None:
        conv = await conversations.start(citizen.id, identity.channel, state.to_dict())
    lang = lang_of(state.lang)
    survey, form = await _create(session, rt, citizen=citizen, channel=identity.channel,
                                 trigger=TRIGGER_TICKET, unit_id=ticket.unit_id,
                                 conversation_id=conv.id, ticket_id=ticket.id, now=now)
    await conversations.save_state(conv, _survey_state(state, survey, form, lang).to_dict(),
                                   channel=identity.channel)
    msg = _first_question(rt, identity, lang, survey, form)
    await store_and_queue(session, rt, msg, citizen_id=citizen.id, conversation_id=conv.id,
                          ticket_id=ticket.id, sender_type="bot")


async def on_info_answered(session: AsyncSession, rt: Runtime, citizen: Citizen,
                           conv: Conversation, identity: ChannelIdentity,
                           standard: ServiceStandard,
                           state: dlg.DialogueState) -> list[OutboundMessage]:
    """Offer a survey about the unit whose service standard was just given.

    ``state`` is the turn's dialogue state: the survey mode is set on it, and
    the service saves it after the turn. Not called right after the answer any
    more (the citizen may have a follow-up question): :func:`on_conversation_closed`
    calls it when the citizen says thanks, about the service last answered.
    """
    now = utcnow()
    ctx = await _gather(rt.repositories(session), trigger=TRIGGER_INFO, citizen=citizen,
                        identity=identity, state=state, now=now, conversation_id=conv.id)
    reason = skip_reason(ctx, rt.settings.surveys)
    if reason is not None:
        log.debug("no survey after info for citizen %s: %s", citizen.id, reason)
        return []
    lang = lang_of(citizen.language)
    survey, form = await _create(session, rt, citizen=citizen, channel=identity.channel,
                                 trigger=TRIGGER_INFO, unit_id=standard.unit_id,
                                 conversation_id=conv.id, ticket_id=None, now=now)
    if state.mode not in REPORT_MODES and state.mode != dlg.Mode.HANDOVER:
        state.mode, state.survey_id = dlg.Mode.SURVEY, survey.id
        state.choices = _choices(form[0], lang)
    return [_first_question(rt, identity, lang, survey, form)]


async def on_conversation_closed(session: AsyncSession, rt: Runtime, citizen: Citizen,
                                 conv: Conversation,
                                 identity: ChannelIdentity) -> list[OutboundMessage]:
    """Offer a survey about the conversation that just closed.

    The survey runs in a fresh conversation (the closed one stays closed), for
    the triage desk that runs the intake. A conversation whose ticket is still
    open is surveyed when the ticket is resolved instead.
    """
    now = utcnow()
    state = dlg.DialogueState.from_dict(conv.state)
    repos = rt.repositories(session)
    ctx = await _gather(repos, trigger=TRIGGER_CLOSE, citizen=citizen, identity=identity,
                        state=state, now=now, conversation_id=conv.id)
    reason = skip_reason(ctx, rt.settings.surveys)
    if reason is not None:
        log.debug("no survey after close for citizen %s: %s", citizen.id, reason)
        return []
    lang = lang_of(state.lang or citizen.language)
    conversations = repos.conversations
    carrier = await conversations.start(citizen.id, identity.channel,
                                        dlg.DialogueState(lang=lang).to_dict())
    # A conversation that ended with a service's information is about that service's unit.
    standard = next((s for s in rt.catalog.standards if s.id == state.last_standard), None)
    trigger, unit_id = ((TRIGGER_INFO, standard.unit_id) if standard is not None
                        else (TRIGGER_CLOSE, rt.catalog.triage_unit.id))
    survey, form = await _create(session, rt, citizen=citizen, channel=identity.channel,
                                 trigger=trigger, unit_id=unit_id,
                                 conversation_id=carrier.id, ticket_id=None, now=now)
    # The service and ticket just discussed carry over, so a question about them is answered.
    fresh = _survey_state(dlg.DialogueState(lang=lang, last_standard=state.last_standard,
                                            last_ticket=state.last_ticket), survey, form, lang)
    await conversations.save_state(carrier, fresh.to_dict(), channel=identity.channel)
    return [_first_question(rt, identity, lang, survey, form)]


# ---- answers -------------------------------------------------------------------


async def _responses(repos: Repositories, survey_id: int) -> dict[str, SurveyResponse]:
    rows = await repos.surveys.responses(survey_id)
    return {r.element: r for r in rows}


async def _misses_in_a_row(repos: Repositories, citizen_id: int) -> int:
    """How many of the bot's latest messages in a row said "not understood"."""
    texts = await repos.messages.latest_bot_texts(citizen_id, MAX_MISUNDERSTOOD)
    prefixes = SURVEY.variants("not_understood")
    count = 0
    for text in texts:
        if not (text or "").startswith(prefixes):
            break
        count += 1
    return count


def _release(state: dlg.DialogueState) -> None:
    state.mode, state.survey_id, state.choices = dlg.Mode.IDLE, None, []


def _is_skip(text: str) -> bool:
    return is_skip(text) or dlg.is_cancel(text)


async def survey_input(session: AsyncSession, rt: Runtime, citizen: Citizen,
                       conv: Conversation, identity: ChannelIdentity, inbound: InboundMessage,
                       state: dlg.DialogueState) -> list[OutboundMessage]:
    """Handle a citizen message while their survey is pending.

    Stores the answer to the current element and asks the next one; after
    the last, asks for an optional comment (``surveys.ask_comment``) and
    thanks. "lewati"/"skip"/"batal" declines. A reply that is not understood
    repeats the question once; a second one in a row drops the survey.
    Updates ``state`` (the turn's dialogue state) and returns the replies.
    """
    now = utcnow()
    lang = lang_of(state.lang)
    text = (inbound.text or "").strip()
    raw = inbound.payload or text
    repos = rt.repositories(session)
    survey = await repos.surveys.get(state.survey_id) if state.survey_id else None
    if survey is None or survey.status != "pending" or survey.expires_at <= now:
        if survey is not None and survey.status == "pending":
            await _finish_expired(repos, survey)
        _release(state)
        return [outbound_for(identity, t("back_to_bot", lang), lang,
                             buttons=dlg.menu_buttons(lang))]

    form = [element(k) for k in survey.elements]
    answered = await _responses(repos, survey.id)
    current_index = next((i for i, e in enumerate(form) if e.key not in answered), None)

    if current_index is None:  # all answered: this is the optional comment
        if raw != P_SKIP and text and not _is_skip(text):
            survey.comment = text[:MAX_COMMENT_CHARS]
        _complete(survey, now)
        _release(state)
        return [outbound_for(identity, _text("thanks", lang), lang)]

    current = form[current_index]
    if raw == SURVEY_RESUME:
        # A question was answered aside: the survey goes on where it was.
        state.choices = _choices(current, lang)
        return [question_message(identity, lang, current, current_index + 1, len(form))]
    score = parse_answer(raw, current)
    if score is None and inbound.payload and inbound.payload != raw:
        score = parse_answer(text, current)
    if score is None:
        if raw == P_SKIP or _is_skip(text) or dlg.is_no(text):
            survey.status = "declined"
            _release(state)
            return [outbound_for(identity, _text("skipped", lang), lang,
                                 buttons=dlg.menu_buttons(lang))]
        if _stale_payload(raw, survey):
            # A button of an earlier question: just show the current one again.
            state.choices = _choices(current, lang)
            return [question_message(identity, lang, current, current_index + 1, len(form))]
        if await _misses_in_a_row(repos, citizen.id) + 1 >= MAX_MISUNDERSTOOD:
            # Don't trap the citizen in a survey they are not answering.
            survey.status = "declined"
            _release(state)
            return [outbound_for(identity, _text("dropped", lang), lang,
                                 buttons=dlg.menu_buttons(lang))]
        state.choices = _choices(current, lang)
        return [question_message(identity, lang, current, current_index + 1, len(form),
                                 before=_text("not_understood", lang))]

    await repos.surveys.add_response(SurveyResponse(
        survey_id=survey.id, citizen_id=citizen.id, unit_id=survey.unit_id,
        ticket_id=survey.ticket_id, channel=identity.channel, element=current.key, score=score,
        created_at=now))
    if current_index + 1 < len(form):
        nxt = form[current_index + 1]
        state.choices = _choices(nxt, lang)
        return [question_message(identity, lang, nxt, current_index + 2, len(form))]
    if rt.settings.surveys.ask_comment:
        # Keep the survey open for the comment; the sweep completes it if none comes.
        state.choices = []
        return [outbound_for(identity, _text("ask_comment", lang), lang,
                             buttons=[Button(_text("btn_skip", lang), P_SKIP)])]
    _complete(survey, now)
    _release(state)
    return [outbound_for(identity, _text("thanks", lang), lang)]


def _stale_payload(raw: str, survey: Survey) -> bool:
    parts = raw.split(":")
    return len(parts) == 3 and parts[0] == PAYLOAD_PREFIX and parts[1] in survey.elements


def _complete(survey: Survey, now: datetime) -> None:
    survey.status = "answered"
    survey.completed_at = now


async def _finish_expired(repos: Repositories, survey: Survey) -> None:
    """Close a pending survey past its time: answered if every element was, else expired."""
    answered = await _responses(repos, survey.id)
    if answered and all(k in answered for k in survey.elements):
        survey.status = "answered"
        survey.completed_at = max(r.created_at for r in answered.values())
    else:
        survey.status = "expired"


# ---- expiry ------------------------------------------------------------------------


async def expire_surveys(session: AsyncSession, rt: Runtime, now: datetime | None = None) -> int:
    """Close pending surveys past ``expires_at``; returns how many.

    A survey whose elements were all answered (only the comment missing)
    becomes ``answered``, any other ``expired``. A conversation still waiting
    for one of them goes back to idle, so the next message is handled
    normally.
    """
    now = now or utcnow()
    repos = rt.repositories(session)
    rows = await repos.surveys.expired_pending(now)
    conversations = repos.conversations
    for survey in rows:
        await _finish_expired(repos, survey)
        conv = (await conversations.get(survey.conversation_id)
                if survey.conversation_id is not None else None)
        state = dict(conv.state or {}) if conv is not None else {}
        if conv is not None and state.get("mode") == dlg.Mode.SURVEY and \
                state.get("survey_id") == survey.id:
            conv.state = {**state, "mode": dlg.Mode.IDLE.value, "survey_id": None, "choices": []}
    await session.flush()
    return len(rows)


async def expiry_loop(rt: Runtime) -> None:
    """Background task: expire surveys every :data:`SWEEP_INTERVAL_SECONDS`, forever."""
    while True:
        try:
            async with rt.sessions() as session, session.begin():
                n = await expire_surveys(session, rt)
            if n:
                log.info("closed %d expired surveys", n)
        except Exception:
            log.exception("survey expiry sweep failed")
        await asyncio.sleep(SWEEP_INTERVAL_SECONDS)


# ---- after the citizen went quiet ---------------------------------------------------


async def quiet_conversations_due(session: AsyncSession, rt: Runtime,
                                  now: datetime) -> list[QuietConversation]:
    """Open conversations that rested after an answer for ``offer_after_quiet_minutes``.

    Only conversations touched within ``dialogue.idle_reset_hours`` are looked at:
    an older one is over (the next message starts afresh) and is not surveyed late.
    """
    cfg = rt.settings.surveys
    if not cfg.enabled or cfg.offer_after_quiet_minutes <= 0:
        return []
    repos = rt.repositories(session)
    convs = await repos.conversations.open_untouched(
        now - timedelta(hours=rt.settings.dialogue.idle_reset_hours),
        now - timedelta(minutes=cfg.offer_after_quiet_minutes))
    surveyed = await repos.surveys.surveyed_conversations([c.id for c in convs])
    rows = [quiet_row(c.id, c.citizen_id, c.channel, c.state, c.updated_at, c.id in surveyed)
            for c in convs]
    return due_for_offer(rows, now, cfg.offer_after_quiet_minutes)


async def offer_after_quiet(session: AsyncSession, rt: Runtime, row: QuietConversation) -> bool:
    """Offer the survey in one quiet conversation, as if the citizen had said thanks.

    Takes the citizen's turn lock and gives up if the citizen wrote meanwhile.
    The offer rules apply (cool-down, one at a time, an open ticket, the reply
    window); when a survey is offered the conversation is closed (so it is never
    offered twice) and the first question is queued on the conversation's channel.
    """
    repos = rt.repositories(session)
    citizen = await repos.citizens.get(row.citizen_id)
    conv = await repos.conversations.current(row.citizen_id)
    if citizen is None or conv is None or conv.id != row.conversation_id or \
            as_utc(conv.updated_at) != as_utc(row.last_touched_at):
        return False
    identity = await repos.citizens.identity_on(citizen.id, conv.channel)
    if identity is None:
        return False
    msgs = await on_conversation_closed(session, rt, citizen, conv, identity)
    if not msgs:
        return False
    await repos.conversations.save_state(conv, conv.state, channel=conv.channel, closed=True)
    await store_and_queue_many(session, rt, msgs, citizen_id=citizen.id, conversation_id=conv.id)
    return True


async def offer_to_quiet_conversations(rt: Runtime, now: datetime | None = None) -> int:
    """One sweep: offer surveys where the citizen went quiet; returns how many were offered.

    Each offer is its own transaction, so one failing citizen does not hold up the rest.
    """
    now = now or utcnow()
    async with rt.sessions() as session:
        due = await quiet_conversations_due(session, rt, now)
    offered = 0
    for row in due:
        async with rt.sessions() as session, session.begin():
            offered += await offer_after_quiet(session, rt, row)
    return offered


async def quiet_offer_loop(rt: Runtime) -> None:
    """Background task: offer surveys after the quiet time, every :data:`QUIET_SWEEP_SECONDS`."""
    while True:
        try:
            n = await offer_to_quiet_conversations(rt)
            if n:
                log.info("offered %d surveys after the citizen went quiet", n)
        except Exception:
            log.exception("quiet survey sweep failed")
        await asyncio.sleep(QUIET_SWEEP_SECONDS)


# ---- wiring --------------------------------------------------------------------


def install(rt: Runtime) -> None:
    """Register the survey hooks and the expiry task on a runtime (idempotent)."""
    if not rt.hooks.claim("surveys"):
        return

    async def ticket_hook(session: AsyncSession, ticket: Ticket) -> None:
        await on_ticket_resolved(session, rt, ticket)

    async def close_hook(session: AsyncSession, citizen: Citizen, conv: Conversation,
                         identity: ChannelIdentity) -> list[OutboundMessage]:
        return await on_conversation_closed(session, rt, citizen, conv, identity)

    async def input_handler(session: AsyncSession, citizen: Citizen, conv: Conversation,
                            identity: ChannelIdentity, inbound: InboundMessage,
                            state: dlg.DialogueState) -> list[OutboundMessage]:
        return await survey_input(session, rt, citizen, conv, identity, inbound, state)

    rt.hooks.on_ticket_resolved.append(ticket_hook)
    # No survey right after an information answer (the citizen may ask a follow-up):
    # the service last answered is surveyed when the conversation closes.
    rt.hooks.on_conversation_closed.append(close_hook)
    rt.hooks.survey_input = input_handler


def setup(app: FastAPI, rt: Runtime) -> None:
    """Wire surveys into the runtime when the app starts."""
    install(rt)


feature = Feature("surveys", setup=setup, background=(expiry_loop, quiet_offer_loop))
