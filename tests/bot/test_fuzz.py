"""Schema-driven fuzzing of the running app over real HTTP (issue 15).

- schemathesis generates requests from the app's own OpenAPI document for
  ``/api/*``, ``/model/parse`` and the REST channel (as an admin, so the staff
  routes are reached, not only their 401);
- hypothesis strategies build Telegram ``Update`` and WhatsApp webhook shapes
  (valid secret and signature; hostile strings, ids, numbers and nesting) and
  REST bodies.

The rule everywhere: no 500, no hang (each request has a timeout), and a
webhook answered 200 is never kept as 'failed' ("kept but never processed").
The suite runs a bounded number of cases per test (``PINTU_FUZZ_EXAMPLES``,
default 25); set it higher for a longer run, e.g. ``PINTU_FUZZ_EXAMPLES=2000``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from bot.app import create_app
from bot.app.settings import Settings
from tests.conftest import make_settings
from tests.log_scan import scanned_logs  # noqa: F401  (scans this module's logs)
from tests.servers import free_port

EXAMPLES = int(os.environ.get("PINTU_FUZZ_EXAMPLES", "25"))
TG_SECRET = "fuzz-hook-secret-91"
WA_SECRET = "fuzz-app-secret-77"
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                derandomize="PINTU_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=list(HealthCheck))


class Live:
    """The app served by uvicorn in a thread, on a fresh SQLite database."""

    def __init__(self, cfg: Settings, db: Path) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(
            create_app(cfg, workers=False), host="127.0.0.1", port=self.port,
            log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.http = httpx.Client(base_url=self.url, timeout=30)

    def start(self) -> None:
        self.thread.start()
        for _ in range(1500):
            if self.server.started:
                return
            time.sleep(0.02)
        raise RuntimeError("the app did not start")

    def stop(self) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(timeout=15)

    def payload_status(self, payload_id: int) -> str:
        with sqlite3.connect(self.db) as conn:
            row = conn.execute("SELECT status FROM inbound_payloads WHERE id = ?",
                               (payload_id,)).fetchone()
            return str(row[0]) if row else "missing"

    def last_payload_id(self) -> int:
        with sqlite3.connect(self.db) as conn:
            return int(conn.execute("SELECT coalesce(max(id), 0) FROM inbound_payloads")
                       .fetchone()[0])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, nlu_model_dir: Path) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("fuzz")
    db = tmp / "fuzz.db"
    cfg = make_settings(
        f"sqlite+aiosqlite:///{db}", tmp, nlu={"model_dir": str(nlu_model_dir)},
        telegram={"token": "987654:FUZZ-token", "secret": TG_SECRET,
                  "api_url": "http://127.0.0.1:9", "per_chat_interval_seconds": 0},
        whatsapp={"token": "EAAG-fuzz", "app_secret": WA_SECRET, "verify_token": "fuzz-verify",
                  "api_url": "http://127.0.0.1:9", "phone_number_id": "1111"},
        limits={"address_per_minute": 0, "citizen_per_minute": 0})
    app = Live(cfg, db)
    app.start()
    asyncio.run(_admin(cfg))
    yield app
    app.stop()


async def _admin(cfg: Settings) -> None:
    from bot.app import build_runtime
    from bot.core.runtime import NluHolder
    from bot.staff.accounts import create_staff_user

    rt = await build_runtime(cfg, migrate=False, nlu=NluHolder(None, None))  # type: ignore[arg-type]
    async with rt.sessions() as session, session.begin():
        await create_staff_user(rt.repositories(session), rt.catalog, username="fuzzadmin",
                                password="fuzz-admin-pass-123", role="admin", unit_id=None,
                                display_name="Fuzz", language="id")
    await rt.engine.dispose()


@pytest.fixture(scope="module")
def admin_headers(live: Live) -> dict[str, str]:
    resp = live.http.post("/api/auth/token", data={"username": "fuzzadmin",
                                                   "password": "fuzz-admin-pass-123"})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


# ---------------------------------------------------------------- schemathesis

@pytest.fixture(scope="module")
def api_schema(live: Live) -> Any:
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    return schema.include(path_regex=r"^/(api/|model/parse|webhooks/rest/)") \
        .exclude(path_regex=r"^/api/(auth/logout|nlu/(train|rollback|versions/.*/promote))")


schema = schemathesis.pytest.from_fixture("api_schema")
# Requests made per family, printed at the end of the module (docs/security.md's figures).
SENT: dict[str, int] = {"openapi": 0, "telegram": 0, "whatsapp": 0, "rest": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    print(f"\nfuzz requests sent: {SENT} (PINTU_FUZZ_EXAMPLES={EXAMPLES})")


@schema.parametrize()
@FUZZ
def test_openapi_operations_never_500(case: Any, admin_headers: dict[str, str],
                                      live: Live) -> None:
    response = case.call(base_url=live.url, headers=admin_headers, timeout=30)
    SENT["openapi"] += 1
    case.validate_response(response, checks=[not_a_server_error])


# ---------------------------------------------------------------- strategies

HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["\ud800", "a\udfffb", "\x00", "x\x00y", "\u202e\u200b", "𝕏" * 5,
                     "'; DROP TABLE tickets; --", "<script>alert(1)</script>", " " * 3,
                     "9" * 300, "/start", "/confirm"]),
)
IDS = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), HOSTILE_TEXT,
                st.sampled_from([10**200, "1" * 129, "", None, 4242]))
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(),
                    st.sampled_from(["NaN", "1e999", "-7.9", None]))
JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, HOSTILE_TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(HOSTILE_TEXT, inner, max_size=3)),
    max_leaves=8)


def _person() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"id": IDS}, optional={
        "first_name": HOSTILE_TEXT, "last_name": HOSTILE_TEXT, "username": HOSTILE_TEXT,
        "is_bot": st.booleans(), "language_code": HOSTILE_TEXT})


def _tg_message(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, Any] = {
        "text": HOSTILE_TEXT, "caption": HOSTILE_TEXT, "date": NUMBERS, "from": _person(),
        "location": st.fixed_dictionaries({"latitude": NUMBERS, "longitude": NUMBERS}),
        "contact": st.fixed_dictionaries({"phone_number": HOSTILE_TEXT}, optional={
            "user_id": IDS, "first_name": HOSTILE_TEXT}),
        "photo": st.lists(st.fixed_dictionaries({"file_id": HOSTILE_TEXT}, optional={
            "width": NUMBERS, "height": NUMBERS}), max_size=3),
        "document": st.fixed_dictionaries({"file_id": HOSTILE_TEXT}, optional={
            "file_name": HOSTILE_TEXT, "mime_type": HOSTILE_TEXT}),
        "extra": JSONISH,
    }
    if depth:
        optional["reply_to_message"] = _tg_message(depth - 1)
    return st.fixed_dictionaries({
        "message_id": IDS,
        "chat": st.fixed_dictionaries({"id": IDS, "type": st.one_of(
            st.sampled_from(["private", "group", "supergroup", "channel"]), HOSTILE_TEXT)}),
    }, optional=optional)


TG_UPDATES = st.fixed_dictionaries({"update_id": IDS}, optional={
    "message": _tg_message(2), "edited_message": _tg_message(1),
    "callback_query": st.fixed_dictionaries({"id": IDS, "from": _person()}, optional={
        "data": HOSTILE_TEXT, "message": _tg_message(0)}),
    "channel_post": JSONISH,
})

WA_TYPES = st.sampled_from(["text", "interactive", "button", "location", "image", "document",
                            "reaction", "contacts", "unsupported", "sticker"])


@st.composite
def wa_payloads(draw: st.DrawFn) -> dict[str, Any]:
    mtype = draw(st.one_of(WA_TYPES, HOSTILE_TEXT))
    content = draw(st.one_of(
        st.fixed_dictionaries({}, optional={
            "body": HOSTILE_TEXT, "latitude": NUMBERS, "longitude": NUMBERS, "id": IDS,
            "caption": HOSTILE_TEXT, "emoji": HOSTILE_TEXT, "text": HOSTILE_TEXT,
            "button_reply": st.fixed_dictionaries({"id": IDS, "title": HOSTILE_TEXT}),
            "list_reply": st.fixed_dictionaries({"id": IDS, "title": HOSTILE_TEXT})}),
        JSONISH))
    message = draw(st.fixed_dictionaries({"id": IDS, "type": st.just(mtype),
                                          mtype: st.just(content)},
                                         optional={"from": IDS, "timestamp": NUMBERS,
                                                   "from_user_id": IDS,
                                                   "context": JSONISH}))
    value = draw(st.fixed_dictionaries({"messaging_product": st.just("whatsapp")}, optional={
        "messages": st.lists(st.just(message), max_size=2),
        "contacts": st.lists(st.fixed_dictionaries({}, optional={
            "wa_id": IDS, "user_id": IDS,
            "profile": st.fixed_dictionaries({}, optional={"name": HOSTILE_TEXT})}), max_size=2),
        "statuses": st.lists(st.fixed_dictionaries({"id": IDS, "status": st.one_of(
            st.sampled_from(["sent", "delivered", "read", "failed"]), HOSTILE_TEXT)}, optional={
            "recipient_id": IDS, "timestamp": NUMBERS, "errors": JSONISH}), max_size=2),
        "metadata": JSONISH}))
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}]}


REST_BODIES = st.one_of(
    st.fixed_dictionaries({"sender": IDS}, optional={
        "message": st.one_of(HOSTILE_TEXT, JSONISH), "message_id": IDS,
        "metadata": st.one_of(st.fixed_dictionaries({}, optional={
            "name": HOSTILE_TEXT, "language": HOSTILE_TEXT}), JSONISH)}),
    JSONISH)


def _encode(payload: Any) -> bytes:
    # allow_nan: NaN/Infinity go out as they would from a broken client (must be a 400).
    return json.dumps(payload, allow_nan=True).encode("utf-8", "surrogatepass")


def _check(live: Live, resp: httpx.Response, what: str) -> None:
    SENT[what] += 1
    assert resp.status_code < 500, (what, resp.status_code, resp.text[:300])
    if resp.status_code == 200 and what != "rest":
        status = live.payload_status(live.last_payload_id())
        assert status in ("processed", "duplicate", "unparsed"), (what, status)


# ---------------------------------------------------------------- webhook fuzz

@FUZZ
@given(update=TG_UPDATES)
def test_telegram_updates_never_500_nor_kept_unprocessed(live: Live, update: Any) -> None:
    resp = live.http.post("/webhooks/telegram", content=_encode(update), headers={
        "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
    _check(live, resp, "telegram")


@FUZZ
@given(payload=wa_payloads())
def test_whatsapp_webhooks_never_500_nor_kept_unprocessed(live: Live, payload: Any) -> None:
    body = _encode(payload)
    signature = "sha256=" + hmac.new(WA_SECRET.encode(), body, hashlib.sha256).hexdigest()
    resp = live.http.post("/webhooks/whatsapp", content=body, headers={
        "content-type": "application/json", "X-Hub-Signature-256": signature})
    _check(live, resp, "whatsapp")


@FUZZ
@given(body=REST_BODIES)
def test_rest_bodies_never_500(live: Live, body: Any) -> None:
    resp = live.http.post("/webhooks/rest/webhook", content=_encode(body),
                          headers={"content-type": "application/json"})
    _check(live, resp, "rest")
    assert resp.status_code in (200, 400), (resp.status_code, resp.text[:300])
