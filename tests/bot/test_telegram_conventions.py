"""Telegram's conventions through the whole app over real HTTP (issue 17): /start in
private chats and groups, deep links, forum topics, threaded group replies, a shared
own contact, and a failing or malformed Bot API classified as a delivery failure."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.i18n import t, tc
from storage.models import Citizen, OutboxMessage
from tests.bot import test_webhooks_telegram as telegram_tests
from tests.bot.test_webhooks_telegram import (
    CHAT,
    Harness,
    file_complaint,
    keyboard,
    text_update,
)

# The Telegram harness's fixtures: a fake Bot API and the app pointed at it.
bot_api = telegram_tests.bot_api
tg = telegram_tests.tg

GROUP = -1001234567890
MENU = ["/complaint", "/status", "/info", "/agent"]


def group_update(text: str, *, user: int = 555002, topic: int | None = None,
                 message_id: int = 77) -> dict[str, Any]:
    """A supergroup (optionally forum-topic) message as the Bot API sends it."""
    msg: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": GROUP, "type": "supergroup", "title": "Warga RW 05",
                 "is_forum": topic is not None},
        "from": {"id": user, "is_bot": False, "first_name": "Budi", "language_code": "id"},
        "text": text,
    }
    if topic is not None:
        msg["message_thread_id"] = topic
        msg["is_topic_message"] = True
    return {"update_id": text_update("")["update_id"], "message": msg}


async def test_start_in_a_private_chat_opens_the_welcome(tg: Harness) -> None:
    reply = await tg.say(text_update("/start"))
    assert reply["text"] == t("greeting", "id", name=" Sari")
    assert [b["callback_data"] for b in keyboard(reply)] == MENU
    assert "message_thread_id" not in reply and "reply_parameters" not in reply


async def test_start_deep_link_opens_the_owners_ticket(tg: Harness) -> None:
    number = await file_complaint(tg)
    reply = await tg.say(text_update(f"/start {number}"))
    assert number in reply["text"] and "Status" in reply["text"]


async def test_start_at_bot_in_a_group_is_answered_in_the_group_quoting_the_asker(
    tg: Harness,
) -> None:
    reply = await tg.say(group_update("/start@pintu_bot", message_id=91))
    assert reply["chat_id"] == str(GROUP)
    assert reply["text"] == t("greeting", "id", name=" Budi")
    assert json.loads(reply["reply_parameters"]) == {
        "message_id": 91, "allow_sending_without_reply": True}
    assert "message_thread_id" not in reply
    # A bare /start in a group is for every bot, so for us too.
    bare = await tg.say(group_update("/start", message_id=92))
    assert bare["chat_id"] == str(GROUP) and bare["text"] == t("greeting", "id", name=" Budi")
    # /start meant for another bot is not ours.
    before = len(tg.sent())
    assert (await tg.post(group_update("/start@other_bot"))).status_code == 200
    await tg.deliver()
    assert len(tg.sent()) == before


async def test_a_forum_topic_is_answered_in_that_topic(tg: Harness) -> None:
    await tg.say(group_update("@pintu_bot jam buka kantor samsat?", topic=42, message_id=93))
    in_group = [p for p in tg.sent() if p["chat_id"] == str(GROUP)]
    assert in_group, tg.sent()
    assert all(p["message_thread_id"] == "42" for p in in_group)
    assert json.loads(in_group[0]["reply_parameters"])["message_id"] == 93
    # What comes later (a survey) goes to the asker's private chat, never into the topic.
    assert all("message_thread_id" not in p for p in tg.sent() if p["chat_id"] != str(GROUP))


async def test_sharing_ones_own_contact_is_thanked_and_links_the_phone(tg: Harness) -> None:
    contact = {"phone_number": "+62 812-3456-7890", "first_name": "Sari", "user_id": CHAT}
    update = text_update("", contact=contact)
    update["message"].pop("text")
    reply = await tg.say(update)
    assert reply["text"] == tc("contact_thanks", "id")
    async with tg.rt.sessions() as s:
        phones = [c.phone for c in (await s.execute(select(Citizen))).scalars()]
    assert phones == ["+6281234567890"]
    other = text_update("", contact={"phone_number": "+62811000111", "first_name": "Ani",
                                     "user_id": 999})
    other["message"].pop("text")
    assert (await tg.say(other))["text"] == tc("contact_other", "id")


async def test_a_failed_get_me_is_a_classified_delivery_failure(
    tg: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.web import webhooks

    # Each webhook may ask getMe again at once: the once-a-minute backoff is process
    # state, and an earlier test's failed getMe must not decide this one's path.
    monkeypatch.setattr(webhooks, "GET_ME_RETRY_SECONDS", 0.0)
    webhooks._get_me_not_before.clear()
    adapter = tg.rt.adapters["telegram"]
    await adapter.close()  # type: ignore[attr-defined]
    for _ in range(2):  # the webhook's own getMe (to learn the username), then the send's
        tg.fake.fail("getMe", 502, "Bad Gateway")
    with caplog.at_level(logging.WARNING):
        assert (await tg.post(text_update("halo"))).status_code == 200
        await tg.deliver()
    async with tg.rt.sessions() as s:
        row = (await s.execute(select(OutboxMessage))).scalars().one()
    assert row.status == "pending" and row.attempts == 1
    assert row.last_error is not None and row.last_error.startswith("Telegram unreachable")
    assert "unexpected error" not in caplog.text
    assert "Telegram getMe failed" in caplog.text
    assert "Traceback" not in caplog.text and all(r.exc_info is None for r in caplog.records)


async def test_a_failed_get_me_is_not_asked_again_by_every_webhook(
    tg: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.web import webhooks

    adapter = tg.rt.adapters["telegram"]
    await adapter.close()  # type: ignore[attr-defined]
    adapter.bot_username = None  # type: ignore[attr-defined]
    tg.fake.fail("getMe", 502, "Bad Gateway")
    assert (await tg.post(text_update("halo"))).status_code == 200
    assert (await tg.post(text_update("halo lagi"))).status_code == 200
    # The second webhook did not wait for the Bot API again.
    assert len(tg.fake.calls("getMe")) == 1
    monkeypatch.setattr(webhooks, "GET_ME_RETRY_SECONDS", 0.0)
    webhooks._get_me_not_before.clear()
    assert (await tg.post(text_update("halo sekali lagi"))).status_code == 200
    assert len(tg.fake.calls("getMe")) == 2
    assert adapter.bot_username is not None  # type: ignore[attr-defined]


async def test_a_malformed_bot_api_answer_is_a_classified_delivery_failure(
    tg: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.web import webhooks

    # Each webhook may ask getMe again at once: the once-a-minute backoff is process
    # state, and an earlier test's failed getMe must not decide this one's path.
    monkeypatch.setattr(webhooks, "GET_ME_RETRY_SECONDS", 0.0)
    webhooks._get_me_not_before.clear()
    adapter = tg.rt.adapters["telegram"]
    await adapter.close()  # type: ignore[attr-defined]
    for _ in range(2):
        tg.fake.answer_raw("getMe", {"ok": True, "result": {"id": "not-a-bot"}})
    with caplog.at_level(logging.WARNING):
        assert (await tg.post(text_update("halo"))).status_code == 200
        await tg.deliver()
    async with tg.rt.sessions() as s:
        row = (await s.execute(select(OutboxMessage))).scalars().one()
    assert row.status == "pending" and row.attempts == 1
    assert row.last_error is not None
    assert row.last_error.startswith("Telegram getMe: malformed answer from the Bot API")
    assert "unexpected error" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)
    tg.fake.answer_raw("sendMessage", {"ok": True, "result": {"no": "message"}})
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert (await tg.post(text_update("halo lagi"))).status_code == 200
        await tg.deliver()
    assert "sendMessage: malformed answer" in caplog.text
    assert "unexpected error" not in caplog.text
