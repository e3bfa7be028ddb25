"""Two ``pintu serve`` processes on one PostgreSQL database and one Redis.

Not timed. One load of signed WhatsApp webhooks is spread over both processes, each
delivery also re-sent to the other process (as WhatsApp does when an answer is slow);
every message must be stored once and answered once, each citizen's turns one after
the other in the order they were sent, and each citizen's replies delivered once, in
order; two messages of one citizen sent at the same moment to the two processes are
handled one after the other. A web chat citizen connected to process A receives an
officer's reply sent through process B (delivered by B's outbox worker, across Redis).

Needs PostgreSQL (``PINTU_TEST_POSTGRES_URL``) and Redis (``PINTU_TEST_REDIS_URL``,
default ``redis://127.0.0.1:6379/1``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from storage.db import create_engine, session_factory, upgrade_async
from storage.models import Message, OutboxMessage
from tests.bot.webchat_live import ChatClient, file_complaint
from tests.channels.fakes import FakeGraphAPI, serve
from tests.conftest import PG_URL, _reset_postgres, require_postgres

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PINTU_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
APP_SECRET = "multi-app-secret"
PHONE_ID = "106540352242922"
PASSWORD = "rahasia-sekali-123"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def require_redis() -> None:
    """Skip (or, with ``PINTU_REQUIRE_REDIS=1`` as in CI, fail) when Redis does not answer."""
    from urllib.parse import urlparse

    parsed = urlparse(REDIS_URL)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 6379
    try:
        with socket.create_connection((host, port), timeout=2):
            return
    except OSError as exc:
        reason = f"Redis at {host}:{port} is unreachable ({exc}); set PINTU_TEST_REDIS_URL"
    if os.environ.get("PINTU_REQUIRE_REDIS") == "1":
        pytest.fail(f"PINTU_REQUIRE_REDIS=1 but {reason}")
    pytest.skip(reason)


class Server:
    """One ``pintu serve`` process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port)],
            env=env, cwd=str(ROOT), stdout=self._log, stderr=subprocess.STDOUT)

    async def ready(self) -> None:
        async with httpx.AsyncClient() as http:
            for _ in range(600):
                if self.proc.poll() is not None:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(self.url + "/healthz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise AssertionError(f"pintu serve did not start (see {self._log.name})")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._log.close()


@pytest.fixture
def pg_and_redis() -> Iterator[None]:
    require_postgres()
    require_redis()
    asyncio.run(_reset_postgres())
    yield


@contextlib.asynccontextmanager
async def two_servers(tmp_path: Path, nlu_model_dir: Path, graph: FakeGraphAPI,
                      a_extra: dict[str, str] | None = None) -> AsyncIterator[list[Server]]:
    await upgrade_async(PG_URL)  # once, before both processes start
    base = {k: v for k, v in os.environ.items() if not k.startswith("PINTU_")}
    base.update({
        "PYTHONPATH": str(ROOT), "PINTU_DATABASE__URL": PG_URL, "PINTU_REDIS__URL": REDIS_URL,
        "PINTU_REDIS__CHANNEL_PREFIX": f"pintu-test-{os.getpid()}",
        "PINTU_NLU__MODEL_DIR": str(nlu_model_dir),
        "PINTU_OUTBOX__POLL_INTERVAL_SECONDS": "0.2",
        "PINTU_WHATSAPP__TOKEN": graph.token, "PINTU_WHATSAPP__APP_SECRET": APP_SECRET,
        "PINTU_WHATSAPP__API_URL": graph.api_url, "PINTU_WHATSAPP__PHONE_NUMBER_ID": PHONE_ID,
        "PINTU_CONSOLE__SESSION_SECRET": "multi-process-session-secret-0123456789",
    })
    servers = [Server({**base, **(a_extra or {})}, tmp_path / "a.log"),
               Server(base, tmp_path / "b.log")]
    try:
        await asyncio.gather(*(s.ready() for s in servers))
        yield servers
    finally:
        for s in servers:
            s.stop()


def _webhook(wa_id: str, n: int, text: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{
        "id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "6281100000000", "phone_number_id": PHONE_ID},
            "contacts": [{"profile": {"name": f"Warga {wa_id[-3:]}"}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": f"wamid.multi{wa_id}{n}",
                          "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": text}}]}}]}]}).encode()
    sig = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, {"content-type": "application/json", "x-hub-signature-256": sig}


LINES = ("halo", "jalan di depan SDN 2 Sisir berlubang besar, sudah tiga motor jatuh",
         "Jl. Diponegoro, Kecamatan Batu, Kota Batu", "ya", "terima kasih")
# Then two different messages of the citizen at the same moment, one to each process:
# the turn lock must make one wait for the other.
AT_ONCE = ("status laporan saya gimana?", "halo lagi")


async def test_two_processes_store_once_answer_once_in_order(
    pg_and_redis: None, tmp_path: Path, nlu_model_dir: Path
) -> None:
    graph = FakeGraphAPI()
    async with serve(graph.app) as url:
        graph.url = url
        async with two_servers(tmp_path, nlu_model_dir, graph) as (a, b), \
                httpx.AsyncClient(timeout=60) as http:

            async def citizen(i: int) -> None:
                wa_id = f"62812{i:07d}"
                for n, text in enumerate(LINES):
                    body, headers = _webhook(wa_id, n, text)
                    first, second = (a, b) if (i + n) % 2 else (b, a)
                    # The delivery and WhatsApp's re-delivery of it, at once, one to each process.
                    answers = await asyncio.gather(
                        http.post(first.url + "/webhooks/whatsapp", content=body, headers=headers),
                        http.post(second.url + "/webhooks/whatsapp", content=body,
                                  headers=headers))
                    assert [r.status_code for r in answers] == [200, 200], answers[0].text
                pair = [_webhook(wa_id, len(LINES) + k, text) for k, text in enumerate(AT_ONCE)]
                answers = await asyncio.gather(*(
                    http.post(server.url + "/webhooks/whatsapp", content=body, headers=headers)
                    for server, (body, headers) in zip((a, b), pair, strict=True)))
                assert [r.status_code for r in answers] == [200, 200], answers[0].text

            await asyncio.gather(*(citizen(i) for i in range(12)))
            # Wait for both outbox workers to deliver everything.
            engine = create_engine(PG_URL)
            sessions = session_factory(engine)
            try:
                for _ in range(300):
                    async with sessions() as s:
                        rows = list((await s.execute(select(OutboxMessage))).scalars())
                    if rows and all(r.status == "sent" for r in rows):
                        break
                    await asyncio.sleep(0.2)
                async with sessions() as s:
                    messages = list((await s.execute(
                        select(Message).order_by(Message.id))).scalars())
                    rows = list((await s.execute(
                        select(OutboxMessage).order_by(OutboxMessage.id))).scalars())
            finally:
                await engine.dispose()
    assert rows and [r.status for r in rows] == ["sent"] * len(rows)
    inbound = [m for m in messages if m.direction == "in"]
    # Each delivery stored once, re-deliveries dropped.
    assert len(inbound) == 12 * (len(LINES) + len(AT_ONCE))
    by_citizen: dict[int, list[Message]] = defaultdict(list)
    for m in messages:
        by_citizen[m.citizen_id].append(m)
    assert len(by_citizen) == 12
    for msgs in by_citizen.values():
        texts = [m.text for m in msgs if m.direction == "in"]
        assert texts[:len(LINES)] == list(LINES)
        assert sorted(texts[len(LINES):]) == sorted(AT_ONCE)
        # Turns one after the other, also the two sent at once to two processes: each
        # message's replies come before the next message.
        current = None
        for m in msgs:
            if m.direction == "in":
                current = m.id
            else:
                assert m.reply_to_id == current, [(x.id, x.direction, x.reply_to_id)
                                                  for x in msgs]
        assert all(any(r.reply_to_id == m.id for r in msgs) for m in msgs
                   if m.direction == "in")  # every message answered
    # Each reply queued once and sent once, each citizen's in order.
    assert len({r.message_id for r in rows}) == len(rows)
    sent_to: dict[str, list[str]] = defaultdict(list)
    for rec in graph.requests:
        sent_to[rec.json["to"]].append(json.dumps(rec.json, sort_keys=True))
    queued_to: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        queued_to[r.recipient_id].append(r.payload["text"])
    assert sorted(sent_to) == sorted(queued_to)
    for wa_id, texts in queued_to.items():
        assert len(sent_to[wa_id]) == len(texts)  # none twice, none lost
        got = [json.loads(x) for x in sent_to[wa_id]]
        bodies = [g["text"]["body"] if "text" in g else g["interactive"]["body"]["text"]
                  for g in got]
        for text, body in zip(texts, bodies, strict=True):
            assert text[:40] in body  # same order as queued


async def test_web_chat_on_a_gets_the_officer_reply_sent_through_b(
    pg_and_redis: None, tmp_path: Path, nlu_model_dir: Path
) -> None:
    graph = FakeGraphAPI()
    async with serve(graph.app) as url:
        graph.url = url
        # A runs no outbox worker: the reply can only reach A's socket from B, via Redis.
        async with two_servers(tmp_path, nlu_model_dir, graph,
                               {"PINTU_SERVER__WORKERS": "false"}) as (a, b):
            created = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "bot.cli", "users", "create", "--username", "petugas",
                 "--role", "officer", "--unit", "dinas-pupr-batu", "--password-stdin"],
                input=PASSWORD + "\n", text=True, capture_output=True, cwd=str(ROOT),
                env={**{k: v for k, v in os.environ.items() if not k.startswith("PINTU_")},
                     "PYTHONPATH": str(ROOT), "PINTU_DATABASE__URL": PG_URL})
            assert created.returncode == 0, created.stderr + created.stdout
            chat = ChatClient()
            await chat.connect(a.url)
            try:
                await chat.open_session()
                number, _ = await file_complaint(chat)
                async with httpx.AsyncClient(base_url=b.url, timeout=30) as http:
                    token = await http.post("/api/auth/token", data={
                        "username": "petugas", "password": PASSWORD, "grant_type": "password"})
                    assert token.status_code == 200, token.text
                    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
                    answer = await http.post(f"/api/tickets/{number}/reply", headers=headers,
                                             json={"text": "Tim kami menambal jalan besok pagi."})
                    assert answer.status_code == 200, answer.text
                got: Any = await chat.next("bot_uttered", within=20)
                assert "Tim kami menambal jalan besok pagi." in got["text"]
            finally:
                await chat.close()
