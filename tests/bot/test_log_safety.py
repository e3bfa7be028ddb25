"""Logs carry no secret, token or personal data (issue 15, item 3).

Each case was a leak: httpx logged every Bot API URL (with the bot token) at
INFO; the access log kept query strings (``hub.verify_token``, REST
``sender``, staff search terms); database errors logged their SQL parameters.
This module's own logs are scanned too (``tests.log_scan``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select, text

from bot.app import create_app
from bot.core.logsafe import MASK, protect_logs, redact
from bot.core.runtime import Runtime
from bot.delivery.worker import OutboxWorker
from storage.models import OutboxMessage
from tests.bot.test_hostile_input import TG_SECRET, edge_on, tg_update
from tests.log_scan import Capture, leaks, scanned_logs, watch  # noqa: F401
from tests.servers import free_port

NIK = "3573012345670001"
SECRET_TEXT = "rumah saya di Jl. Mawar 7, NIK " + NIK


@pytest.fixture
def capture() -> Any:
    root = logging.getLogger()
    handler = Capture()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)


def test_redact_masks_tokens_secrets_and_personal_data() -> None:
    protect_logs("s3cret-value-xyz")
    line = ("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/"
            "sendMessage s3cret-value-xyz sari@example.go.id 081234567890 +62 812-3456-7890 "
            f"{NIK} ticket PTU-2026-000123 https://x.test/a?hub.verify_token=abc")
    out = redact(line)
    for needle in ("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "s3cret-value-xyz", "sari@example",
                   "081234567890", "812-3456-7890", NIK, "verify_token=abc"):
        assert needle not in out, (needle, out)
    assert "PTU-2026-000123" in out and out.count(MASK) >= 7


async def test_bot_api_calls_do_not_log_the_token(make_runtime: Any, sqlite_url: str,
                                                  capture: Capture) -> None:
    async with edge_on(make_runtime, sqlite_url) as edge:
        resp = await edge.telegram(tg_update(text="halo"))
        assert resp.status_code == 200
        worker = OutboxWorker(edge.rt)
        for _ in range(5):
            if not await worker.run_once():
                break
        async with edge.rt.sessions() as session:
            sent = list(await session.scalars(select(OutboxMessage.status)))
    assert sent and set(sent) == {"sent"}, sent  # the Bot API was really called
    token = edge.rt.settings.telegram.token  # type: ignore[attr-defined]
    assert token is not None
    assert not [line for line in capture.lines if token.get_secret_value() in line]
    assert not [line for line in capture.lines if TG_SECRET in line]
    assert not leaks(capture.lines)


async def test_access_log_has_no_query_strings(make_runtime: Any, sqlite_url: str,
                                               capture: Capture) -> None:
    rt: Runtime = await make_runtime(sqlite_url)
    app = create_app(runtime=rt, workers=False)
    port = free_port()
    # log_config=None: uvicorn's access logger propagates to the root (our capture).
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           log_level="info", access_log=True))
    # A fake server's dictConfig (uvicorn's default) may have stopped propagation.
    loggers = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.access")]
    was = [lg.propagate for lg in loggers]
    for lg in loggers:
        lg.propagate = True
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.02)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await client.get("/webhooks/whatsapp",
                             params={"hub.mode": "subscribe", "hub.verify_token": "vt-leak-0042",
                                     "hub.challenge": "1"})
            await client.get("/webhooks/rest/messages", params={"sender": "warga-leak-0042"})
            await client.get("/api/tickets", params={"q": "Budi Santoso 081234567890"})
    finally:
        server.should_exit = True
        await task
        for lg, before in zip(loggers, was, strict=True):
            lg.propagate = before
    access = [line for line in capture.lines if "uvicorn.access" in line]
    assert len(access) == 3, capture.lines
    assert all("vt-leak-0042" not in line and "warga-leak-0042" not in line
               and "Budi" not in line for line in access), access
    assert any("/webhooks/whatsapp?" + MASK in line for line in access), access


async def test_database_errors_do_not_log_sql_parameters(make_runtime: Any, db_url: str,
                                                         capture: Capture) -> None:
    watch(SECRET_TEXT)
    rt: Runtime = await make_runtime(db_url)
    log = logging.getLogger("pintu.test")
    with pytest.raises(Exception) as caught:
        async with rt.sessions() as session, session.begin():
            await session.execute(text("INSERT INTO messages (id, text) VALUES (:id, :text)"),
                                  {"id": "not-an-int", "text": SECRET_TEXT})
    log.error("insert failed", exc_info=caught.value)
    assert "insert failed" in "\n".join(capture.lines)
    assert SECRET_TEXT not in str(caught.value)
    assert not [line for line in capture.lines if SECRET_TEXT in line or NIK in line]
