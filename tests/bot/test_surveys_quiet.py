"""The survey offered after the citizen goes quiet following an answer (issue 12, item 7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from bot.app import create_app
from bot.core.runtime import Runtime
from bot.delivery.worker import OutboxWorker
from bot.surveys.offering import feature, offer_to_quiet_conversations, quiet_offer_loop
from bot.surveys.quiet import QuietConversation, due_for_offer, quiet_row, worth_surveying
from storage.models import Conversation, OutboxMessage, Survey, utcnow
from tests.bot.test_outbox import FakeCallback
from tests.servers import serve

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def row(**fields: Any) -> QuietConversation:
    base: dict[str, Any] = {
        "conversation_id": 1, "citizen_id": 1, "channel": "rest", "mode": "idle",
        "last_standard": "ktp-el", "last_ticket": None,
        "last_touched_at": NOW - timedelta(minutes=11), "surveyed": False}
    return QuietConversation(**{**base, **fields})


# ---- the decision (pure) ------------------------------------------------------------


def test_an_information_answer_followed_by_quiet_is_due() -> None:
    r = row()
    assert due_for_offer([r], NOW, 10) == [r]


def test_not_before_the_quiet_time() -> None:
    assert due_for_offer([row(last_touched_at=NOW - timedelta(minutes=9, seconds=59))],
                         NOW, 10) == []
    exactly = row(last_touched_at=NOW - timedelta(minutes=10))
    assert due_for_offer([exactly], NOW, 10) == [exactly]


def test_a_status_answer_counts_too() -> None:
    r = row(last_standard=None, last_ticket="LPR-2026-000123")
    assert due_for_offer([r], NOW, 10) == [r]


def test_nothing_answered_is_not_surveyed() -> None:
    # A greeting and the menu: nothing to rate.
    assert due_for_offer([row(last_standard=None, last_ticket=None)], NOW, 10) == []


def test_never_twice_in_a_conversation() -> None:
    assert due_for_offer([row(surveyed=True)], NOW, 10) == []


def test_never_in_the_middle_of_something() -> None:
    for mode in ("survey", "handover", "describe", "confirm"):
        assert due_for_offer([row(mode=mode)], NOW, 10) == [], mode


def test_zero_minutes_turns_it_off() -> None:
    assert due_for_offer([row(last_touched_at=NOW - timedelta(days=1))], NOW, 0) == []


def test_only_the_newest_conversation_of_a_citizen() -> None:
    old, new = row(conversation_id=1), row(conversation_id=2)
    assert due_for_offer([new, old], NOW, 10) == [new]
    # Another citizen's conversation is independent.
    other = row(conversation_id=3, citizen_id=2)
    assert due_for_offer([old, new, other], NOW, 10) == [new, other]


def test_naive_utc_times_are_compared_as_utc() -> None:
    naive = row(last_touched_at=(NOW - timedelta(minutes=11)).replace(tzinfo=None))
    assert due_for_offer([naive], NOW, 10) == [naive]


def test_row_from_the_stored_state() -> None:
    r = quiet_row(7, 3, "telegram", {"mode": "idle", "last_ticket": "LPR-2026-000001"},
                  NOW, False)
    assert r == QuietConversation(7, 3, "telegram", "idle", None, "LPR-2026-000001", NOW, False)
    assert worth_surveying(r)
    assert not worth_surveying(quiet_row(7, 3, "rest", {}, NOW, False))


def test_the_sweep_is_a_background_task_of_the_surveys_feature() -> None:
    assert quiet_offer_loop in feature.background


# ---- over real HTTP, SQLite and PostgreSQL --------------------------------------------


async def _talk(http: httpx.AsyncClient, sender: str, text: str) -> list[dict[str, Any]]:
    resp = await http.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
    assert resp.status_code == 200, resp.text
    data: list[dict[str, Any]] = resp.json()
    return data


async def _rows(rt: Runtime, model: Any) -> list[Any]:
    async with rt.sessions() as s:
        return list((await s.execute(select(model).order_by(model.id))).scalars())


async def _deliver(rt: Runtime, fake: FakeCallback, count: int) -> None:
    worker = OutboxWorker(rt)
    for _ in range(20):
        await worker.run_once()
        if len(fake.received) >= count:
            return


async def test_survey_comes_after_the_quiet_time_not_before_and_once(
        make_runtime: Any, db_url: str) -> None:
    fake = FakeCallback()
    fake.down = False
    async with serve(fake.app) as hook_base:
        rt: Runtime = await make_runtime(db_url, rest={"callback_url": f"{hook_base}/callback"})
        app = create_app(runtime=rt, workers=False)
        async with app.router.lifespan_context(app), serve(app) as base, \
                httpx.AsyncClient(base_url=base) as http:
            answer = await _talk(http, "warga-q1", "apa saja syarat membuat KTP elektronik?")
            assert "Persyaratan" in answer[0]["text"]
            assert all("(1/3)" not in m["text"] for m in answer)
            start = utcnow()
            # The answer went back inline; only what comes later is queued for the callback.
            answered = len(await _rows(rt, OutboxMessage))
            # Nine minutes of quiet: too early.
            assert await offer_to_quiet_conversations(rt, start + timedelta(minutes=9)) == 0
            assert await _rows(rt, Survey) == []
            assert len(await _rows(rt, OutboxMessage)) == answered
            # Eleven minutes: the survey about the service's unit, once.
            assert await offer_to_quiet_conversations(rt, start + timedelta(minutes=11)) == 1
            assert await offer_to_quiet_conversations(rt, start + timedelta(minutes=30)) == 0
            (survey,) = await _rows(rt, Survey)
            assert (survey.trigger, survey.unit_id, survey.status, survey.channel) == (
                "info_answered", "disdukcapil-batu", "pending", "rest")
            (out,) = (await _rows(rt, OutboxMessage))[answered:]
            assert (out.channel, out.status) == ("rest", "pending")
            await _deliver(rt, fake, 1)
            (sent,) = fake.received
            assert sent["recipient_id"] == "warga-q1"
            assert "(1/3)" in sent["text"] and len(sent["buttons"]) == 4
            convs = await _rows(rt, Conversation)
            assert [c.status for c in convs] == ["closed", "open"]
            assert survey.conversation_id == convs[1].id
            # The citizen answers it like any survey; later sweeps stay silent.
            nxt = await _talk(http, "warga-q1", "4")
            assert "(2/3)" in nxt[0]["text"]
            later = utcnow() + timedelta(hours=2)
            assert await offer_to_quiet_conversations(rt, later) == 0
            assert len(await _rows(rt, Survey)) == 1


async def test_a_citizen_who_writes_again_is_not_interrupted(
        make_runtime: Any, db_url: str) -> None:
    rt: Runtime = await make_runtime(db_url)
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app), serve(app) as base, \
            httpx.AsyncClient(base_url=base) as http:
        await _talk(http, "warga-q2", "apa saja syarat membuat KTP elektronik?")
        start = utcnow()
        # A greeting and the menu only: not worth a survey, however long the quiet.
        await _talk(http, "warga-q3", "halo")
        # The citizen keeps asking: the quiet time counts from the last message.
        follow = await _talk(http, "warga-q2", "berapa biayanya?")
        assert "Biaya" in follow[0]["text"]
        assert await offer_to_quiet_conversations(rt, start + timedelta(minutes=9)) == 0
        assert await offer_to_quiet_conversations(rt, utcnow() + timedelta(minutes=11)) == 1
        (survey,) = await _rows(rt, Survey)
        assert survey.unit_id == "disdukcapil-batu"


async def test_zero_minutes_turns_the_offer_off(
        make_runtime: Any, db_url: str) -> None:
    rt: Runtime = await make_runtime(db_url, surveys={"offer_after_quiet_minutes": 0})
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app), serve(app) as base, \
            httpx.AsyncClient(base_url=base) as http:
        await _talk(http, "warga-q4", "apa saja syarat membuat KTP elektronik?")
        assert await offer_to_quiet_conversations(rt, utcnow() + timedelta(hours=1)) == 0
    assert await _rows(rt, Survey) == []
