"""Satisfaction surveys in the chat: when they are offered, how they look, how answers are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.conversation.dialogue import DialogueState
from bot.core.runtime import Runtime
from bot.core.settings import SurveySettings
from bot.surveys.offering import (
    TRIGGER_CLOSE,
    TRIGGER_INFO,
    TRIGGER_TICKET,
    OfferContext,
    expire_surveys,
    question_message,
    should_offer,
    skip_reason,
)
from bot.surveys.skm import element, is_skip, is_survey_reply
from bot.tickets.lifecycle import SYSTEM, create_ticket, reopen_ticket, resolve_ticket
from channels.telegram import render_telegram
from channels.terminal import render_terminal
from channels.whatsapp import render_whatsapp
from storage.models import (
    ChannelIdentity,
    Citizen,
    Conversation,
    OutboxMessage,
    Survey,
    SurveyResponse,
    Ticket,
    utcnow,
)
from storage.repositories.citizens import CitizenRepository
from tests.bot.test_pipeline import file_complaint
from tests.conftest import AppClient, talk

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
CFG = SurveySettings()  # enabled, short form, 30 days cool-down, 24 h expiry, comment asked


def ctx(**fields: Any) -> OfferContext:
    base: dict[str, Any] = {"trigger": TRIGGER_TICKET, "channel": "telegram", "now": NOW,
                            "last_inbound_at": NOW - timedelta(days=3)}
    return OfferContext(**{**base, **fields})


# ---- offer rules (pure) --------------------------------------------------------------


def test_a_plain_interaction_gets_a_survey() -> None:
    for trigger in (TRIGGER_TICKET, TRIGGER_INFO, TRIGGER_CLOSE):
        assert should_offer(ctx(trigger=trigger), CFG)


def test_disabled_surveys_are_never_offered() -> None:
    assert skip_reason(ctx(), SurveySettings(enabled=False)) == "disabled"


def test_cooldown_after_an_answered_survey() -> None:
    assert skip_reason(ctx(last_answered_at=NOW - timedelta(days=10)), CFG) == "cooldown"
    assert skip_reason(ctx(last_answered_at=NOW - timedelta(days=29, hours=23)), CFG) == "cooldown"
    assert should_offer(ctx(last_answered_at=NOW - timedelta(days=30)), CFG)
    assert should_offer(ctx(last_answered_at=NOW - timedelta(days=10)),
                        SurveySettings(cooldown_days=7))
    # SQLite hands back naive UTC times: they count the same.
    naive = (NOW - timedelta(days=1)).replace(tzinfo=None)
    assert skip_reason(ctx(last_answered_at=naive), CFG) == "cooldown"


def test_never_in_the_middle_of_a_report() -> None:
    for mode in ("awaiting_what", "awaiting_where", "confirming"):
        assert skip_reason(ctx(dialogue_mode=mode), CFG) == "mid_report"
    for mode in ("idle", "awaiting_ticket_number", "awaiting_info_query"):
        assert should_offer(ctx(dialogue_mode=mode), CFG)


def test_handover_only_for_the_ticket_being_resolved() -> None:
    other = ctx(dialogue_mode="handover", handover_ticket="PTU-2026-000002",
                ticket_number="PTU-2026-000001")
    assert skip_reason(other, CFG) == "handover"
    same = ctx(dialogue_mode="handover", handover_ticket="PTU-2026-000001",
               ticket_number="PTU-2026-000001")
    assert should_offer(same, CFG)
    assert skip_reason(ctx(trigger=TRIGGER_INFO, dialogue_mode="handover"), CFG) == "handover"


def test_whatsapp_only_inside_the_24_hour_window() -> None:
    inside = ctx(channel="whatsapp", last_inbound_at=NOW - timedelta(hours=23, minutes=59))
    assert should_offer(inside, CFG)
    edge = ctx(channel="whatsapp", last_inbound_at=NOW - timedelta(hours=24))
    assert skip_reason(edge, CFG) == "reply_window"
    assert skip_reason(ctx(channel="whatsapp", last_inbound_at=None), CFG) == "reply_window"
    # Other channels have no such window.
    assert should_offer(ctx(channel="telegram", last_inbound_at=NOW - timedelta(days=9)), CFG)


def test_once_per_interaction_and_one_at_a_time() -> None:
    assert skip_reason(ctx(already_surveyed=True), CFG) == "already_surveyed"
    assert skip_reason(ctx(has_pending_survey=True), CFG) == "survey_pending"
    assert skip_reason(ctx(dialogue_mode="survey"), CFG) == "survey_pending"
    # A conversation whose ticket is still open is surveyed at resolution, not at goodbye.
    assert skip_reason(ctx(trigger=TRIGGER_CLOSE, open_ticket=True), CFG) == "ticket_open"
    with pytest.raises(ValueError, match="trigger"):
        skip_reason(ctx(trigger="whenever"), CFG)


def test_survey_replies_are_told_from_new_requests() -> None:
    offered = [["Tidak cepat", "skm:completion_time:1"], ["Kurang cepat", "skm:completion_time:2"],
               ["Cepat", "skm:completion_time:3"], ["Sangat cepat", "skm:completion_time:4"]]
    for reply in ("tidak puas", "kurang cepat", "4", "Sangat cepat!", "lewati", "nanti saja"):
        assert is_survey_reply(reply, offered), reply
    for other in ("jalan rusak di depan rumah saya sejak seminggu", "status PTU-2026-000001"):
        assert not is_survey_reply(other, offered), other
    # No survey question offered: nothing is a survey reply.
    assert not is_survey_reply("tidak puas", [])
    assert is_skip("Lewati.") and is_skip("skm:skip") and not is_skip("lewat jalan mana?")


# ---- how a question looks on each channel ----------------------------------------------


def identity(channel: str, address: str = "12345") -> ChannelIdentity:
    return ChannelIdentity(channel=channel, external_id=address, reply_address=address,
                           extra={}, last_inbound_at=utcnow())


def test_question_has_four_buttons_scored_in_order() -> None:
    msg = question_message(identity("rest"), "id", element("completion_time"), 1, 3)
    assert msg.text.startswith("(1/3) Bagaimana pendapat Saudara tentang kecepatan waktu")
    assert [(b.title, b.payload) for b in msg.buttons] == [
        ("Tidak cepat", "skm:completion_time:1"), ("Kurang cepat", "skm:completion_time:2"),
        ("Cepat", "skm:completion_time:3"), ("Sangat cepat", "skm:completion_time:4")]


def test_terminal_gets_numbered_text_with_the_1_to_4_hint() -> None:
    msg = question_message(identity("terminal"), "id", element("conduct"), 2, 3)
    text = render_terminal(msg)
    assert "1. Tidak sopan & ramah" in text
    assert "4. Sangat sopan & ramah" in text
    assert text.endswith("Balas 1-4.")
    english = render_terminal(question_message(identity("terminal"), "en",
                                               element("conduct"), 2, 3))
    assert english.endswith("Reply 1-4.") and "How polite" in english


def test_whatsapp_shows_four_answers_as_a_list_and_telegram_as_a_keyboard() -> None:
    msg = question_message(identity("whatsapp", "6281234567890"), "id",
                           element("completion_time"), 1, 3)
    (body,) = render_whatsapp(msg)
    interactive = body["interactive"]
    # More than three reply buttons are not allowed: a list it is.
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [f"skm:completion_time:{n}" for n in (1, 2, 3, 4)]
    (call,) = render_telegram(question_message(identity("telegram"), "id",
                                               element("completion_time"), 1, 3))
    keyboard = call["params"]["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in keyboard for b in row] == [
        f"skm:completion_time:{n}" for n in (1, 2, 3, 4)]


# ---- the flow over the REST channel ----------------------------------------------------


async def resolve(rt: Runtime, number: str) -> Ticket:
    async with rt.sessions() as s, s.begin():
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
        await resolve_ticket(s, rt, ticket, SYSTEM, note="Jalan sudah ditambal.")
    return ticket


async def later_messages(client: AppClient, sender: str) -> list[dict[str, Any]]:
    resp = await client.get("/webhooks/rest/messages", params={"sender": sender})
    assert resp.status_code == 200
    data: list[dict[str, Any]] = resp.json()
    return data


async def surveys(rt: Runtime) -> list[Survey]:
    async with rt.sessions() as s:
        return list((await s.execute(select(Survey).order_by(Survey.id))).scalars())


async def responses(rt: Runtime) -> list[SurveyResponse]:
    async with rt.sessions() as s:
        return list((await s.execute(select(SurveyResponse).order_by(SurveyResponse.id)))
                    .scalars())


async def test_resolved_ticket_brings_the_survey_and_answers_are_stored(
        client: AppClient) -> None:
    rt = client.runtime
    number = await file_complaint(client, "warga-s1")
    ticket = await resolve(rt, number)

    resolved_msg, question = await later_messages(client, "warga-s1")
    assert number in resolved_msg["text"]
    assert "(1/3)" in question["text"] and "kecepatan waktu" in question["text"]
    assert [b["payload"] for b in question["buttons"]] == [
        f"skm:completion_time:{n}" for n in (1, 2, 3, 4)]

    # A tapped button ...
    second = await talk(client, "warga-s1", "skm:completion_time:4")
    assert "(2/3)" in second[0]["text"] and len(second[0]["buttons"]) == 4
    assert second[0]["buttons"][0]["payload"] == "skm:conduct:1"
    # ... typed words ...
    third = await talk(client, "warga-s1", "puas")
    assert "(3/3)" in third[0]["text"]
    # ... and a typed number (3: a 1 or 2 on complaint handling would ask whether the
    # problem is really solved instead, see tests/bot/test_low_rating.py).
    comment = await talk(client, "warga-s1", "3")
    assert "komentar" in comment[0]["text"]
    assert [b["title"] for b in comment[0]["buttons"]] == ["Lewati"]
    thanks = await talk(client, "warga-s1", "Petugasnya cepat, terima kasih")
    assert "Terima kasih atas penilaian" in thanks[0]["text"]

    (survey,) = await surveys(rt)
    assert survey.status == "answered" and survey.completed_at is not None
    assert survey.trigger == "ticket_resolved"
    assert survey.comment == "Petugasnya cepat, terima kasih"
    stored = await responses(rt)
    assert [(r.element, r.score) for r in stored] == [
        ("completion_time", 4), ("conduct", 3), ("complaint_handling", 3)]
    assert {(r.unit_id, r.ticket_id, r.channel) for r in stored} == {
        (ticket.unit_id, ticket.id, "rest")}
    assert all(r.created_at is not None for r in stored)
    # Back to normal: the next message is not taken as a survey answer.
    after = await talk(client, "warga-s1", "halo")
    assert "Pintu" in after[0]["text"]


async def test_one_survey_per_ticket_even_when_resolved_again(client: AppClient) -> None:
    rt = client.runtime
    number = await file_complaint(client, "warga-s2")
    ticket = await resolve(rt, number)
    async with rt.sessions() as s, s.begin():
        (first,) = (await s.execute(select(Survey))).scalars().all()
        first.status = "expired"  # not pending any more: only "once per ticket" remains
        t = await s.get(Ticket, ticket.id)
        assert t is not None
        await reopen_ticket(s, rt, t, SYSTEM, reason="masih berlubang")
    await resolve(rt, number)
    assert len(await surveys(rt)) == 1


async def test_no_survey_in_the_middle_of_a_new_complaint(client: AppClient) -> None:
    rt = client.runtime
    number = await file_complaint(client, "warga-s3")
    started = await talk(client, "warga-s3", "lampu penerangan jalan mati total di jalan "
                                             "Diponegoro sejak seminggu")
    assert started
    await resolve(rt, number)
    assert await surveys(rt) == []
    (only,) = await later_messages(client, "warga-s3")
    assert number in only["text"]


async def citizen_with(rt: Runtime, channel: str, last_seen: datetime) -> tuple[int, Ticket]:
    async with rt.sessions() as s, s.begin():
        citizen, _ = await CitizenRepository(s).identify(
            channel, f"{channel}-{last_seen.timestamp()}", reply_address="6281111111111",
            seen_at=last_seen)
        ticket, _ = await create_ticket(
            s, rt, citizen=citizen, kind="complaint", description="Jalan berlubang di Batu",
            category="infrastructure", confidence=0.9, region_code=None, region_name=None,
            channel=channel)
        return citizen.id, ticket


async def test_whatsapp_survey_only_inside_the_window(runtime: Runtime) -> None:
    from bot.surveys.offering import install

    install(runtime)
    now = utcnow()
    _, stale = await citizen_with(runtime, "whatsapp", now - timedelta(hours=25))
    fresh_citizen, fresh = await citizen_with(runtime, "whatsapp", now - timedelta(hours=2))
    await resolve(runtime, stale.number)
    await resolve(runtime, fresh.number)
    (survey,) = await surveys(runtime)
    assert survey.citizen_id == fresh_citizen and survey.channel == "whatsapp"
    assert survey.ticket_id == fresh.id and survey.unit_id == fresh.unit_id
    async with runtime.sessions() as s:
        queued = (await s.execute(select(OutboxMessage).where(
            OutboxMessage.citizen_id == fresh_citizen).order_by(OutboxMessage.id))).scalars().all()
    assert [b["payload"] for b in queued[-1].payload["buttons"]][-1] == "skm:completion_time:4"


async def test_cooldown_after_an_answered_survey_skips_the_next(runtime: Runtime) -> None:
    from bot.surveys.offering import install

    install(runtime)
    citizen_id, first = await citizen_with(runtime, "telegram", utcnow())
    async with runtime.sessions() as s, s.begin():
        citizen = await s.get(Citizen, citizen_id)
        assert citizen is not None
        second, _ = await create_ticket(
            s, runtime, citizen=citizen, kind="complaint", description="Sampah menumpuk",
            category="environment", confidence=0.9, region_code=None, region_name=None,
            channel="telegram")
        done = utcnow() - timedelta(days=5)
        s.add(Survey(citizen_id=citizen_id, channel="telegram", trigger="info_answered",
                     elements=["conduct"], status="answered", created_at=done,
                     expires_at=done + timedelta(hours=24), completed_at=done))
    await resolve(runtime, first.number)
    assert len(await surveys(runtime)) == 1  # only the old one
    async with runtime.sessions() as s, s.begin():
        old = (await s.execute(select(Survey))).scalar_one()
        old.completed_at = utcnow() - timedelta(days=31)
    await resolve(runtime, second.number)
    assert [x.ticket_id for x in await surveys(runtime)] == [None, second.id]


async def test_unanswered_survey_expires_quietly(client: AppClient) -> None:
    rt = client.runtime
    number = await file_complaint(client, "warga-s4")
    await resolve(rt, number)
    await talk(client, "warga-s4", "3")  # one answer, then silence
    async with rt.sessions() as s, s.begin():
        assert await expire_surveys(s, rt) == 0  # not yet due
        assert await expire_surveys(s, rt, utcnow() + timedelta(hours=25)) == 1
    (survey,) = await surveys(rt)
    assert survey.status == "expired"
    async with rt.sessions() as s:
        conv = (await s.execute(select(Conversation).where(
            Conversation.status == "open"))).scalar_one()
    state = DialogueState.from_dict(conv.state)
    assert (state.mode, state.survey_id) == ("idle", None)
    # The answer given still counts.
    assert [(r.element, r.score) for r in await responses(rt)] == [("completion_time", 3)]
    answer = await talk(client, "warga-s4", "halo")
    assert "Pintu" in answer[0]["text"]


async def test_comment_left_out_still_completes_the_survey(client: AppClient) -> None:
    rt = client.runtime
    number = await file_complaint(client, "warga-s5")
    await resolve(rt, number)
    for answer in ("4", "sangat baik", "1"):
        await talk(client, "warga-s5", answer)
    async with rt.sessions() as s, s.begin():
        assert await expire_surveys(s, rt, utcnow() + timedelta(hours=25)) == 1
    (survey,) = await surveys(rt)
    assert survey.status == "answered" and survey.comment is None


async def test_misunderstood_twice_drops_the_survey(client: AppClient) -> None:
    rt = client.runtime
    number = await file_complaint(client, "warga-s6")
    await resolve(rt, number)
    await later_messages(client, "warga-s6")
    first = await talk(client, "warga-s6", "hmm")
    assert first[0]["text"].startswith("Maaf, jawaban Anda belum saya pahami")
    assert "(1/3)" in first[0]["text"] and len(first[0]["buttons"]) == 4
    second = await talk(client, "warga-s6", "hmm")
    assert "survei saya tutup" in second[0]["text"]
    (survey,) = await surveys(rt)
    assert survey.status == "declined"
    assert await responses(rt) == []


async def test_skipping_declines_politely(client: AppClient) -> None:
    rt = client.runtime
    number = await file_complaint(client, "warga-s7")
    await resolve(rt, number)
    answer = await talk(client, "warga-s7", "skip")
    assert "survei dilewati" in answer[0]["text"]
    (survey,) = await surveys(rt)
    assert survey.status == "declined"


async def test_short_negative_answers_stay_in_the_survey(client: AppClient) -> None:
    rt = client.runtime
    number = await file_complaint(client, "warga-s9")
    await resolve(rt, number)
    second = await talk(client, "warga-s9", "tidak puas")
    assert "(2/3)" in second[0]["text"]
    assert [(r.element, r.score) for r in await responses(rt)] == [("completion_time", 1)]
    skipped = await talk(client, "warga-s9", "lewati")
    assert "survei dilewati" in skipped[0]["text"]


async def test_an_answered_information_request_is_surveyed_when_the_citizen_is_done(
        client: AppClient) -> None:
    rt = client.runtime
    answer = await talk(client, "warga-s8", "apa saja syarat membuat KTP elektronik?")
    assert "Persyaratan" in answer[0]["text"]
    # No survey right after the answer: a follow-up question is likely (#12).
    assert all("(1/3)" not in m["text"] for m in answer)
    assert await surveys(rt) == []
    follow_up = await talk(client, "warga-s8", "berapa biayanya?")
    assert "Biaya" in follow_up[0]["text"] and await surveys(rt) == []
    bye = await talk(client, "warga-s8", "terima kasih")
    question = bye[-1]
    assert "(1/3)" in question["text"] and len(question["buttons"]) == 4
    (survey,) = await surveys(rt)
    assert survey.trigger == "info_answered" and survey.ticket_id is None
    assert survey.unit_id == "disdukcapil-batu"
    # The conversation now waits for the answer: "4" is a score, not a menu choice.
    nxt = await talk(client, "warga-s8", "4")
    assert "(2/3)" in nxt[0]["text"]
    assert [(r.element, r.score, r.unit_id) for r in await responses(rt)] == [
        ("completion_time", 4, "disdukcapil-batu")]
    # A question during the survey is answered, then the survey goes on.
    aside = await talk(client, "warga-s8", "berapa lama jadinya?")
    assert "Waktu penyelesaian" in aside[0]["text"] and "(2/3)" in aside[-1]["text"]
    assert len(await surveys(rt)) == 1


async def test_goodbye_closes_the_conversation_with_a_survey(client: AppClient) -> None:
    rt = client.runtime
    await talk(client, "warga-s10", "halo")
    bye = await talk(client, "warga-s10", "terima kasih banyak")
    assert "(1/3)" in bye[-1]["text"] and len(bye[-1]["buttons"]) == 4
    (survey,) = await surveys(rt)
    assert survey.trigger == "conversation_closed"
    assert survey.unit_id == rt.catalog.triage_unit.id
    # The survey runs in a fresh conversation; the closed one stays closed.
    nxt = await talk(client, "warga-s10", "3")
    assert "(2/3)" in nxt[0]["text"]
    async with rt.sessions() as s:
        convs = (await s.execute(select(Conversation).order_by(Conversation.id))).scalars().all()
    assert [c.status for c in convs] == ["closed", "open"]
    assert survey.conversation_id == convs[1].id


async def test_goodbye_after_a_fresh_complaint_waits_for_the_resolution(
        client: AppClient) -> None:
    await file_complaint(client, "warga-s11")
    bye = await talk(client, "warga-s11", "terima kasih banyak")
    assert all("(1/3)" not in m["text"] for m in bye)
    assert await surveys(client.runtime) == []
