"""``pintu telegram``: webhook set-up and development polling against a fake Bot API.

The commands run their own event loop, so they are called in a thread while
the fake server keeps serving in the test's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.cli.main import main
from storage.db import create_engine, session_factory
from storage.models import InboundPayload, Message
from tests.channels.fakes import FakeBotAPI, serve

SECRET = "hook-secret-7f3a"
CHAT = 555001


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Telegram Bot API on a local port."""
    fake = FakeBotAPI()
    async with serve(fake.app) as url:
        fake.url = url
        yield fake


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, bot_api: FakeBotAPI, sqlite_url: str, nlu_model_dir: Path
) -> pytest.MonkeyPatch:
    """Configuration through the environment, as an operator would give it."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # restored after the test
    for name, value in {
        "PINTU_TELEGRAM__TOKEN": bot_api.token,
        "PINTU_TELEGRAM__SECRET": SECRET,
        "PINTU_TELEGRAM__API_URL": bot_api.url,
        "PINTU_TELEGRAM__PER_CHAT_INTERVAL_SECONDS": "0",
        "PINTU_DATABASE__URL": sqlite_url,
        "PINTU_NLU__MODEL_DIR": str(nlu_model_dir),
        "PINTU_SERVER__PUBLIC_URL": "https://pintu.example.go.id/",
    }.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


async def pintu(*argv: str) -> int:
    """Run the ``pintu`` command line off the event loop."""
    return await asyncio.to_thread(main, list(argv))


def update(update_id: int, text: str) -> dict[str, Any]:
    """A private-chat text update."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Sari"},
            "text": text,
        },
    }


async def test_set_webhook_defaults_to_the_public_url_with_the_secret(
    env: pytest.MonkeyPatch, bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await pintu("telegram", "set-webhook") == 0
    (call,) = bot_api.calls("setWebhook")
    params = bot_api.params(call)
    assert params["url"] == "https://pintu.example.go.id/webhooks/telegram"
    assert params["secret_token"] == SECRET
    assert json.loads(params["allowed_updates"]) == ["message", "edited_message", "callback_query"]
    assert "Webhook set: https://pintu.example.go.id/webhooks/telegram" in capsys.readouterr().out


async def test_set_webhook_to_a_given_url(env: pytest.MonkeyPatch, bot_api: FakeBotAPI) -> None:
    assert await pintu("telegram", "set-webhook", "https://tunnel.example/webhooks/telegram") == 0
    (call,) = bot_api.calls("setWebhook")
    assert bot_api.params(call)["url"] == "https://tunnel.example/webhooks/telegram"


async def test_missing_token_secret_or_url_are_clear_errors(
    env: pytest.MonkeyPatch, bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    env.delenv("PINTU_SERVER__PUBLIC_URL")
    assert await pintu("telegram", "set-webhook") == 1
    assert "PINTU_SERVER__PUBLIC_URL" in capsys.readouterr().err
    env.delenv("PINTU_TELEGRAM__SECRET")
    assert await pintu("telegram", "set-webhook", "https://x.example/webhooks/telegram") == 1
    assert "PINTU_TELEGRAM__SECRET" in capsys.readouterr().err
    env.delenv("PINTU_TELEGRAM__TOKEN")
    for command in (["set-webhook", "https://x.example/h"], ["delete-webhook"], ["poll"]):
        assert await pintu("telegram", *command) == 1
        assert "PINTU_TELEGRAM__TOKEN" in capsys.readouterr().err
    assert bot_api.requests == []


async def test_a_refused_token_is_reported_without_leaking_it(
    env: pytest.MonkeyPatch, bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("PINTU_TELEGRAM__TOKEN", "999:WRONG-token")
    assert await pintu("telegram", "delete-webhook") == 1
    err = capsys.readouterr().err
    assert err.startswith("pintu telegram:") and "WRONG-token" not in err


async def test_delete_webhook(
    env: pytest.MonkeyPatch, bot_api: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await pintu("telegram", "delete-webhook", "--drop-pending") == 0
    (call,) = bot_api.calls("deleteWebhook")
    assert bot_api.params(call)["drop_pending_updates"] == "true"
    assert "Webhook deleted" in capsys.readouterr().out


async def _rows(url: str) -> tuple[int, int, list[str]]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as s:
            n_in = (
                await s.execute(
                    select(func.count()).select_from(Message).where(Message.direction == "in")
                )
            ).scalar_one()
            n_out = (
                await s.execute(
                    select(func.count()).select_from(Message).where(Message.direction == "out")
                )
            ).scalar_one()
            kinds = [
                p.status
                for p in (
                    await s.execute(select(InboundPayload).order_by(InboundPayload.id))
                ).scalars()
            ]
    finally:
        await engine.dispose()
    return n_in, n_out, kinds


async def test_poll_once_feeds_updates_through_the_webhook_pipeline(
    env: pytest.MonkeyPatch, bot_api: FakeBotAPI, sqlite_url: str
) -> None:
    bot_api.updates = [
        update(31, "halo"),
        {"update_id": 32, "my_chat_member": {"chat": {"id": CHAT}}},
    ]
    assert await pintu("telegram", "poll", "--once") == 0
    methods = [r.path.rsplit("/", 1)[-1] for r in bot_api.requests]
    # The webhook goes first (Telegram refuses getUpdates while one is set).
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    (reply,) = bot_api.calls("sendMessage")
    assert bot_api.params(reply)["chat_id"] == str(CHAT)
    assert "reply_markup" in bot_api.params(reply)
    # The batch is confirmed on the way out.
    assert bot_api.params(bot_api.calls("getUpdates")[-1])["offset"] == "33"
    assert await _rows(sqlite_url) == (1, 1, ["processed", "unparsed"])

    # Telegram hands the same updates out again (not confirmed in time):
    # they are recognised by update_id and not answered twice.
    assert await pintu("telegram", "poll", "--once") == 0
    assert len(bot_api.calls("sendMessage")) == 1
    n_in, n_out, kinds = await _rows(sqlite_url)
    assert (n_in, n_out) == (1, 1)
    assert kinds[2:] == ["duplicate", "unparsed"]


async def test_poll_keeps_running_with_its_own_outbox_worker_until_stopped(
    bot_api: FakeBotAPI, sqlite_url: str, tmp_path: Path, nlu_model_dir: Path
) -> None:
    from bot.app.telegram_commands import poll
    from tests.conftest import make_settings

    settings = make_settings(
        sqlite_url,
        tmp_path,
        nlu={"model_dir": str(nlu_model_dir)},
        telegram={"token": bot_api.token, "api_url": bot_api.url, "per_chat_interval_seconds": 0},
    )
    bot_api.updates = [update(41, "halo")]
    task = asyncio.create_task(poll(settings, timeout=0))
    try:
        for _ in range(300):
            if bot_api.calls("sendMessage") or task.done():
                break
            await asyncio.sleep(0.02)
        assert bot_api.calls("sendMessage"), "the background worker sent nothing"
        # Later polls confirm update 41 and do not hand it over again.
        for _ in range(300):
            offsets = [bot_api.params(r).get("offset") for r in bot_api.calls("getUpdates")]
            if "42" in offsets:
                break
            await asyncio.sleep(0.02)
        assert "42" in offsets
    finally:
        task.cancel()  # what Ctrl-C does to asyncio.run's main task
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert len(bot_api.calls("sendMessage")) == 1
    assert await _rows(sqlite_url) == (1, 1, ["processed"])
