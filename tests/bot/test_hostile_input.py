"""Hostile input through the whole app (issue 15, item 1), on SQLite and PostgreSQL.

Each case was a 500, or a 200 "kept" whose message was never processed. The
rule now: a malformed body is refused 400 and changes nothing; a body that
parses is processed (its payload row is ``processed``), and nothing ends as
``failed``.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.core.runtime import Runtime
from storage.models import InboundPayload, Message
from tests.channels.fakes import FakeBotAPI, FakeGraphAPI, serve
from tests.log_scan import scanned_logs  # noqa: F401  (scans this module's logs)
from tests.staff_support import api_headers, light_argon2, make_staff  # noqa: F401

TG_SECRET = "hook-secret-7f3a"
WA_SECRET = "app-secret-51c2"
PNID = "106540352242922"
SURROGATE = "\\ud800"  # a JSON escape of a lone surrogate, as six characters


@dataclass
class Edge:
    """The app with every channel on fakes, over httpx."""

    client: httpx.AsyncClient
    rt: Runtime

    async def rest(self, raw: str | bytes) -> httpx.Response:
        body = raw.encode() if isinstance(raw, str) else raw
        return await self.client.post("/webhooks/rest/webhook", content=body,
                                      headers={"content-type": "application/json"})

    async def telegram(self, raw: str) -> httpx.Response:
        return await self.client.post(
            "/webhooks/telegram", content=raw.encode(),
            headers={"content-type": "application/json",
                     "X-Telegram-Bot-Api-Secret-Token": TG_SECRET})

    async def whatsapp(self, raw: str) -> httpx.Response:
        body = raw.encode()
        sig = "sha256=" + hmac.new(WA_SECRET.encode(), body, hashlib.sha256).hexdigest()
        return await self.client.post(
            "/webhooks/whatsapp", content=body,
            headers={"content-type": "application/json", "X-Hub-Signature-256": sig})

    async def payload_statuses(self) -> list[str]:
        async with self.rt.sessions() as session:
            rows = await session.scalars(select(InboundPayload.status)
                                         .order_by(InboundPayload.id))
            return list(rows)

    async def inbound_count(self) -> int:
        async with self.rt.sessions() as session:
            return int(await session.scalar(
                select(func.count()).select_from(Message).where(Message.direction == "in"))
                or 0)


@contextlib.asynccontextmanager
async def edge_on(make_runtime: Any, url: str) -> AsyncIterator[Edge]:
    """The app on ``url`` with Telegram and WhatsApp pointed at local fakes."""
    bot_api, graph = FakeBotAPI(), FakeGraphAPI()
    async with serve(bot_api.app) as tg_url, serve(graph.app) as wa_url:
        graph.url = wa_url
        rt: Runtime = await make_runtime(
            url,
            telegram={"token": bot_api.token, "secret": TG_SECRET, "api_url": tg_url,
                      "per_chat_interval_seconds": 0},
            whatsapp={"token": graph.token, "app_secret": WA_SECRET, "verify_token": "v",
                      "api_url": graph.api_url, "phone_number_id": PNID})
        app = create_app(runtime=rt, workers=False)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport,
                                         base_url="http://pintu.test") as client:
                yield Edge(client, rt)


@pytest.fixture
async def edge(make_runtime: Any, db_url: str) -> AsyncIterator[Edge]:
    """The app with every channel, on SQLite and PostgreSQL."""
    async with edge_on(make_runtime, db_url) as e:
        yield e


_ids = iter(range(900_000_001, 999_999_999))


def tg_update(chat: dict[str, Any] | None = None, sender: dict[str, Any] | None = None,
              **message: Any) -> str:
    """A Telegram text update as JSON text (so raw escapes can be spliced in)."""
    uid = next(_ids)
    msg: dict[str, Any] = {
        "message_id": uid % 100_000, "date": int(time.time()),
        "chat": chat or {"id": 4242, "type": "private", "first_name": "Sari"},
        "from": sender or {"id": 4242, "is_bot": False, "first_name": "Sari"},
        "text": "halo",
    }
    msg.update(message)
    return json.dumps({"update_id": uid, "message": msg})


def wa_envelope(messages: list[Any] | None = None, statuses: list[Any] | None = None,
                contacts: list[Any] | None = None) -> dict[str, Any]:
    """A WhatsApp Cloud API webhook with one change value."""
    value: dict[str, Any] = {"messaging_product": "whatsapp",
                             "metadata": {"display_phone_number": "6221", "phone_number_id": PNID}}
    for key, items in (("contacts", contacts), ("messages", messages), ("statuses", statuses)):
        if items is not None:
            value[key] = items
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"value": value, "field": "messages"}]}]}


def wa_message(mtype: str, content: dict[str, Any], wamid: str | None = None) -> dict[str, Any]:
    return {"from": "6281234567890", "id": wamid or f"wamid.H{next(_ids)}",
            "timestamp": str(int(time.time())), "type": mtype, mtype: content}


def _no_failures(statuses: list[str]) -> None:
    assert "failed" not in statuses, statuses
    assert "received" not in statuses, statuses


# ------------------------------------------------------------------------- REST

@pytest.mark.parametrize("field", ["message", "sender", "name", "message_id"])
async def test_rest_lone_surrogate_is_never_a_500(edge: Edge, field: str) -> None:
    body = {"sender": "warga-s", "message": "halo", "message_id": "m1",
            "metadata": {"name": "Sari"}}
    raw = json.dumps(body).replace('"Sari"' if field == "name" else
                                   {"message": '"halo"', "sender": '"warga-s"',
                                    "message_id": '"m1"'}.get(field, ""),
                                   f'"x{SURROGATE}y"', 1)
    assert SURROGATE in raw
    resp = await edge.rest(raw)
    if field in ("sender", "message_id"):
        # An id must be real text: refused with a clear error, nothing stored.
        assert resp.status_code == 400, resp.text
        assert "surrogate" in resp.json()["detail"]
        assert await edge.inbound_count() == 0
    else:
        # Text and name are the citizen's words: kept, the bad half-character replaced.
        assert resp.status_code == 200, resp.text
        assert resp.json() and resp.json()[0]["recipient_id"] == "warga-s"
        async with edge.rt.sessions() as session:
            texts = list(await session.scalars(select(Message.text)
                                               .where(Message.direction == "in")))
        assert texts == (["x\ufffdy"] if field == "message" else ["halo"])
    _no_failures(await edge.payload_statuses())


@pytest.mark.parametrize("raw", [
    "[" * 100_000,
    '{"sender": "a", "message": ' + "[" * 5_000 + "]" * 5_000 + "}",
    '{"sender": ' + "7" * 4_301 + ', "message": "halo"}',
    '{"sender": "a", "message": "halo", "message_id": ' + "9" * 4_301 + "}",
    '{"sender": "a", "message": NaN}',
    '{"sender": "a", "message": "halo", "metadata": {"x": Infinity}}',
], ids=["100k-brackets", "deep-nesting", "4301-digit-sender", "4301-digit-id", "NaN",
        "Infinity"])
async def test_rest_malformed_bodies_are_400(edge: Edge, raw: str) -> None:
    resp = await edge.rest(raw)
    assert resp.status_code == 400, resp.text
    assert resp.json()["detail"]
    assert await edge.inbound_count() == 0


# --------------------------------------------------------------------- Telegram

async def test_telegram_lone_surrogate_in_chat_type_and_name(edge: Edge) -> None:
    for raw in (
        tg_update().replace('"type": "private"', f'"type": "priv{SURROGATE}"'),
        tg_update().replace('"first_name": "Sari"}, "text"',
                            f'"first_name": "S{SURROGATE}ari"}}, "text"'),
        tg_update().replace('"text": "halo"', f'"text": "ha{SURROGATE}lo"'),
    ):
        assert SURROGATE in raw
        resp = await edge.telegram(raw)
        assert resp.status_code == 200, resp.text
    statuses = await edge.payload_statuses()
    _no_failures(statuses)
    # The odd chat type is not a private chat (unparsed); name and text are processed.
    assert statuses == ["unparsed", "processed", "processed"]
    assert await edge.inbound_count() == 2


async def test_telegram_overlong_ids_and_nan(edge: Edge) -> None:
    long_id = "1" * 129
    cases = [
        tg_update(chat={"id": long_id, "type": "private"}, sender={"id": long_id}),
        tg_update(chat={"id": int(long_id), "type": "private"}, sender={"id": int(long_id)}),
        tg_update(location={"latitude": 1.0, "longitude": 2.0}).replace(
            '"latitude": 1.0', '"latitude": NaN'),
        tg_update(text="x\x00y"),
    ]
    codes = [(await edge.telegram(raw)).status_code for raw in cases]
    # Over-long ids cannot be anybody's: unparsed with the reason. NaN is not JSON: 400.
    # A NUL is dropped from the text, the rest processed.
    assert codes == [200, 200, 400, 200]
    statuses = await edge.payload_statuses()
    # The refused body is kept as 'failed' with its reason (answered 400, never retried).
    assert statuses == ["unparsed", "unparsed", "failed", "processed"], statuses


# --------------------------------------------------------------------- WhatsApp

async def test_whatsapp_nul_status_id_nan_latitude_long_sender(edge: Edge) -> None:
    nul_status = json.dumps(wa_envelope(statuses=[{
        "id": "wamid.S\u0000X", "status": "delivered", "timestamp": str(int(time.time())),
        "recipient_id": "6281234567890"}]))
    assert "\\u0000" in nul_status
    nan_location = json.dumps(wa_envelope(
        messages=[wa_message("location", {"latitude": 1.5, "longitude": 2.5})],
        contacts=[{"wa_id": "6281234567890", "profile": {"name": "Sari"}}])
    ).replace("1.5", "NaN")
    long_sender = wa_envelope(
        messages=[wa_message("text", {"body": "halo"})],
        contacts=[{"wa_id": "6" * 129, "profile": {"name": "Sari"}}])
    long_sender["entry"][0]["changes"][0]["value"]["messages"][0]["from"] = "6" * 129
    surrogate_name = json.dumps(wa_envelope(
        messages=[wa_message("text", {"body": "halo"})],
        contacts=[{"wa_id": "6281234567890", "profile": {"name": "Sari"}}])
    ).replace('"Sari"', f'"Sa{SURROGATE}ri"')
    codes = [(await edge.whatsapp(raw)).status_code
             for raw in (nul_status, nan_location, json.dumps(long_sender), surrogate_name)]
    assert codes == [200, 400, 200, 200]
    statuses = await edge.payload_statuses()
    # The status (its id without the NUL) matches no outbox row: processed, no change.
    assert statuses == ["processed", "failed", "unparsed", "processed"], statuses


# ------------------------------------------------------------------- admin API

async def test_admin_routes_refuse_deep_yaml_and_huge_ids(edge: Edge) -> None:
    await make_staff(edge.rt, "admin", "admin", None)
    headers = await api_headers(edge.client, "admin")
    deep = "version: '3.1'\nnlu: " + "[" * 20_000 + "]" * 20_000 + "\n"
    resp = await edge.client.post("/api/nlu/examples/import", content=deep.encode(),
                                  headers={**headers, "content-type": "application/x-yaml"})
    assert resp.status_code == 400, resp.text
    assert "nested" in resp.text
    huge = 1180591620717411303424
    for method, path, body in (
        ("PUT", f"/api/nlu/examples/{huge}", {"text": "halo", "intent": "greet"}),
        ("DELETE", f"/api/nlu/examples/{huge}", None),
        ("POST", f"/api/nlu/review/{huge}/accept", None),
        ("POST", f"/api/nlu/review/{huge}/dismiss", None),
        ("GET", f"/api/tickets/{huge}", None),
    ):
        resp = await edge.client.request(method, path, json=body, headers=headers)
        assert resp.status_code in (404, 422), (path, resp.status_code, resp.text)
