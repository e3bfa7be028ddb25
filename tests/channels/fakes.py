"""Fake Telegram Bot API and WhatsApp Graph API servers, served over real HTTP.

Each fake is a FastAPI app that records every request it gets and answers
like the provider (documented success shapes; failures queued per test).
:func:`serve` runs an app with uvicorn on 127.0.0.1 on a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


@dataclass
class Recorded:
    """One request as the fake provider saw it."""

    http_method: str
    path: str
    headers: dict[str, str]
    query: dict[str, str]
    form: dict[str, str]
    json: Any
    at: float = field(default_factory=time.monotonic)


@contextlib.asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 (free port) for the block; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if not server.started:
            raise RuntimeError("fake provider server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def free_port() -> int:
    """A port nothing listens on (for connection-refused tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _record(request: Request) -> Recorded:
    body = await request.body()
    form: dict[str, str] = {}
    parsed_json: Any = None
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/x-www-form-urlencoded") and body:
        form = {k: str(v) for k, v in (await request.form()).items()}
    elif ctype.startswith("application/json") and body:
        parsed_json = await request.json()
    return Recorded(
        http_method=request.method,
        path=request.url.path,
        headers={k.lower(): v for k, v in request.headers.items()},
        query=dict(request.query_params),
        form=form,
        json=parsed_json,
    )


class FakeBotAPI:
    """Telegram Bot API: ``/bot{token}/{method}``, parameters as form or query."""

    def __init__(self, token: str = "123456:TEST-token", username: str = "pintu_bot") -> None:
        self.token = token
        self.username = username
        self.url = ""
        self.requests: list[Recorded] = []
        self.updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._next_message_id = 100
        self.app = FastAPI()
        self.app.add_api_route("/bot{token}/{method}", self._handle, methods=["GET", "POST"])

    def fail(self, method: str, status: int, description: str, **parameters: Any) -> None:
        """Answer the next call of ``method`` with a Bot API error."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self._failures.setdefault(method, []).append((status, body))

    def answer_raw(self, method: str, body: Any, status: int = 200) -> None:
        """Answer the next call of ``method`` with ``body`` as it is (a malformed answer)."""
        self._failures.setdefault(method, []).append((status, body))

    def calls(self, method: str) -> list[Recorded]:
        """Recorded requests to one Bot API method."""
        return [r for r in self.requests if r.path.rsplit("/", 1)[-1] == method]

    def params(self, rec: Recorded) -> dict[str, str]:
        """A request's parameters, whether sent as form or query string."""
        return {**rec.query, **rec.form}

    async def _handle(self, token: str, method: str, request: Request) -> JSONResponse:
        rec = await _record(request)
        self.requests.append(rec)
        if token != self.token:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401
            )
        queued = self._failures.get(method)
        if queued:
            status, body = queued.pop(0)
            return JSONResponse(body, status_code=status)
        params = self.params(rec)
        result = self._result(method, params)
        if result is None:
            return JSONResponse(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404
            )
        return JSONResponse({"ok": True, "result": result})

    def _result(self, method: str, params: dict[str, str]) -> Any:
        if method == "getMe":
            return {"id": 4242, "is_bot": True, "first_name": "Pintu", "username": self.username}
        if method in ("setWebhook", "deleteWebhook", "answerCallbackQuery"):
            return True
        if method == "getUpdates":
            offset = int(params.get("offset", "0"))
            return [u for u in self.updates if u["update_id"] >= offset]
        if method.startswith("send"):
            self._next_message_id += 1
            chat_id = params.get("chat_id", "0")
            message: dict[str, Any] = {
                "message_id": self._next_message_id,
                "date": int(time.time()),
                "chat": {
                    "id": int(chat_id),
                    "type": "group" if chat_id.startswith("-") else "private",
                },
            }
            if method == "sendMessage":
                message["text"] = params.get("text", "")
            return message
        return None


class FakeGraphAPI:
    """WhatsApp Cloud API: ``POST /{version}/{phone_number_id}/messages`` with JSON."""

    def __init__(self, token: str = "EAAG-test-token", version: str = "v23.0") -> None:
        self.token = token
        self.version = version
        self.url = ""
        self.requests: list[Recorded] = []
        self._failures: list[tuple[int, dict[str, Any], dict[str, str]]] = []
        self._next = 0
        self.app = FastAPI()
        self.app.add_api_route(
            "/{version}/{phone_number_id}/messages", self._handle, methods=["POST"]
        )

    @property
    def api_url(self) -> str:
        """The Graph API root (with version) to configure the adapter with."""
        return f"{self.url}/{self.version}"

    def fail(
        self,
        status: int,
        message: str,
        code: int,
        headers: dict[str, str] | None = None,
        details: str | None = None,
    ) -> None:
        """Answer the next request with a Graph API error."""
        error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
        if details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": details}
        self._failures.append((status, {"error": error}, headers or {}))

    async def _handle(self, version: str, phone_number_id: str, request: Request) -> JSONResponse:
        rec = await _record(request)
        self.requests.append(rec)
        if rec.headers.get("authorization") != f"Bearer {self.token}":
            return JSONResponse(
                {"error": {"message": "Invalid OAuth access token", "code": 190}},
                status_code=401,
            )
        if self._failures:
            status, body, headers = self._failures.pop(0)
            return JSONResponse(body, status_code=status, headers=headers)
        payload = rec.json if isinstance(rec.json, dict) else {}
        if payload.get("status") == "read":
            return JSONResponse({"success": True})
        self._next += 1
        target = payload.get("to") or payload.get("recipient")
        contact = {"input": target, ("wa_id" if "to" in payload else "user_id"): target}
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [contact],
                "messages": [{"id": f"wamid.TEST{self._next}"}],
            }
        )
