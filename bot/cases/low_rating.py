"""A low rating reopens: a resolved ticket's survey answer of 1 or 2 on the resolution
question (``cases.resolution_element``, SKM U8 by default) asks the citizen whether the
problem is really solved; "not solved" (or what is still wrong, in their own words)
reopens the ticket to the same unit with the comment. Once per ticket.

It wraps the survey feature's input handler (``Runtime.hooks.survey_input``): when a
survey about a resolved ticket finishes with a low resolution score, the thanks is
followed by the question and the dialogue stays in survey mode for the answer, which
this module takes before the survey handler sees it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import dialogue as dlg
from bot.core.hooks import SurveyInputHandler
from bot.core.i18n import CASES_CITIZEN, lang_of
from bot.core.runtime import Runtime
from bot.delivery.queue import outbound_for
from bot.tickets.lifecycle import Actor, TicketError, reopen_ticket
from bot.tickets.status import TicketStatus
from channels.base import Button, InboundMessage, OutboundMessage, resolve_numbered_reply
from storage.models import (
    ChannelIdentity,
    Citizen,
    Conversation,
    LowRatingFollowUp,
    Survey,
    utcnow,
)

P_SOLVED = "skm:followup:solved"
P_NOT_SOLVED = "skm:followup:not_solved"
LOW_SCORES = (1, 2)
MAX_COMMENT_CHARS = 2000


_SOLVED_WORDS = frozenset({"sudah", "udah", "sdh", "solved", "selesai", "beres"})
_NOT_SOLVED_WORDS = frozenset({"belum", "blm", "blum", "not"})


def _read_answer(payload: str, text: str) -> str:
    """``solved``, ``not_solved`` (a bare no), ``comment`` (what is still wrong, in the
    citizen's words) or ``dropped`` (cancel, or nothing said)."""
    words = text.lower().split()
    short = 0 < len(words) <= 3
    if payload == P_SOLVED or dlg.is_yes(text) or (short and words[0] in _SOLVED_WORDS):
        return "solved"
    if payload == P_NOT_SOLVED or dlg.is_no(text) or (short and words[0] in _NOT_SOLVED_WORDS):
        return "not_solved"
    if not text or dlg.is_cancel(text):
        return "dropped"
    return "comment"


def _buttons(lang: str) -> list[Button]:
    return [Button(CASES_CITIZEN.text("btn_solved", lang), P_SOLVED),
            Button(CASES_CITIZEN.text("btn_not_solved", lang), P_NOT_SOLVED)]


async def _maybe_ask(session: AsyncSession, rt: Runtime, survey: Survey, citizen: Citizen,
                     identity: ChannelIdentity, state: dlg.DialogueState
                     ) -> OutboundMessage | None:
    """After the last rating of a survey (at its comment prompt, or once finished): the
    follow-up question when its resolution score is low."""
    cfg = rt.settings.cases
    if (not cfg.low_rating_reopen or survey.status not in ("pending", "answered")
            or survey.trigger != "ticket_resolved" or survey.ticket_id is None):
        return None
    repos = rt.repositories(session)
    responses = await repos.surveys.responses(survey.id)
    if {r.element for r in responses} < set(survey.elements):
        return None  # still rating
    score = next((r.score for r in responses if r.element == cfg.resolution_element), None)
    ticket = await repos.tickets.get(survey.ticket_id)
    if (score not in LOW_SCORES or score is None or ticket is None
            or ticket.status != TicketStatus.RESOLVED
            or await repos.cases.followup_for_ticket(ticket.id) is not None):
        return None
    await repos.cases.add_followup(LowRatingFollowUp(
        ticket_id=ticket.id, survey_id=survey.id, citizen_id=citizen.id,
        element=cfg.resolution_element, score=score, comment=survey.comment,
        created_at=utcnow()))
    lang = lang_of(state.lang)
    buttons = _buttons(lang)
    state.mode, state.survey_id = dlg.Mode.SURVEY, survey.id
    state.choices = [[b.title, b.payload] for b in buttons]
    return outbound_for(identity, CASES_CITIZEN.text("followup_question", lang,
                                                     number=ticket.number), lang,
                        buttons=buttons)


async def _answer(session: AsyncSession, rt: Runtime, followup: LowRatingFollowUp,
                  citizen: Citizen, identity: ChannelIdentity, inbound: InboundMessage,
                  state: dlg.DialogueState) -> OutboundMessage:
    """The citizen's answer to the follow-up question: solved, or reopen with the comment."""
    lang = lang_of(state.lang)
    text = (inbound.text or "").strip()
    # A typed "2" or button title answers the buttons offered (the dialogue keeps them).
    offered = tuple(Button(c[0], c[1]) for c in state.choices if len(c) > 1)
    payload = inbound.payload or resolve_numbered_reply(text, offered) or ""
    state.mode, state.survey_id, state.choices = dlg.Mode.IDLE, None, []
    followup.answered_at = now = utcnow()
    repos = rt.repositories(session)
    ticket = await repos.tickets.get(followup.ticket_id)
    number = ticket.number if ticket else "-"
    answer = _read_answer(payload, text)
    survey = await repos.surveys.get(followup.survey_id)
    if survey is not None and survey.status == "pending":
        # The question took the place of the survey's comment prompt: this answer ends it.
        survey.status, survey.completed_at = "answered", now
        if answer == "comment":
            survey.comment = text[:MAX_COMMENT_CHARS]
    if answer == "solved":
        followup.status = "solved"
        return outbound_for(identity, CASES_CITIZEN.text("followup_solved", lang,
                                                         number=number), lang)
    if answer == "dropped":
        followup.status = "dropped"
        return outbound_for(identity, CASES_CITIZEN.text("followup_dropped", lang), lang)
    # "Belum", or the citizen saying what is still wrong: that is the comment.
    said = text if answer == "comment" else ""
    comment = (said or followup.comment or CASES_CITIZEN.text(
        "followup_default_comment", lang, score=followup.score))[:MAX_COMMENT_CHARS]
    followup.comment = comment
    if ticket is None:
        followup.status = "dropped"
        return outbound_for(identity, CASES_CITIZEN.text("followup_dropped", lang), lang)
    try:
        await reopen_ticket(session, rt, ticket, Actor("citizen", str(citizen.id)),
                            reason=comment, now=now)
    except TicketError:
        followup.status = "dropped"
        return outbound_for(identity, CASES_CITIZEN.text("followup_cannot_reopen", lang,
                                                         number=number), lang)
    followup.status = "reopened"
    await rt.repositories(session).tickets.add_event(
        ticket, "low_rating_reopened", actor_type="citizen", actor_id=str(citizen.id),
        note=comment, data={"score": followup.score, "element": followup.element,
                            "survey_id": followup.survey_id}, created_at=now)
    rt.notify("ticket_updated", {"number": ticket.number, "unit_id": ticket.unit_id})
    return outbound_for(identity, CASES_CITIZEN.text(
        "followup_reopened", lang, number=number, unit=rt.unit_name(ticket.unit_id)), lang)


def with_low_rating_followup(rt: Runtime, inner: SurveyInputHandler) -> SurveyInputHandler:
    """The survey input handler, with the low-rating follow-up before and after it."""

    async def handler(session: AsyncSession, citizen: Citizen, conv: Conversation,
                      identity: ChannelIdentity, inbound: InboundMessage,
                      state: dlg.DialogueState) -> list[OutboundMessage]:
        repos = rt.repositories(session)
        survey_id = state.survey_id
        if survey_id is not None:
            followup = await repos.cases.asked_followup(survey_id)
            if followup is not None:
                return [await _answer(session, rt, followup, citizen, identity, inbound, state)]
        replies = await inner(session, citizen, conv, identity, inbound, state)
        survey = await repos.surveys.get(survey_id) if survey_id is not None else None
        if survey is None:
            return replies
        finished = state.survey_id is None
        if not finished and (state.survey_id != survey_id or survey.status != "pending"):
            return replies
        question = await _maybe_ask(session, rt, survey, citizen, identity, state)
        if question is None:
            return replies
        # Finished: after the thanks. At the comment prompt: instead of it (the answer
        # to the question is the comment).
        return [*replies, question] if finished else [question]

    return handler
