"""One instrumented Pintu server process for the pipeline benchmark (not for production).

It serves the same application as ``pintu serve`` (:func:`bot.app.factory.create_app`
with the settings from the environment), on a listening socket it inherits from the
harness (several processes share it, as uvicorn's or gunicorn's workers do), and adds:

- a count of SQL statements, transactions and pool checkouts, through SQLAlchemy's
  engine events, attributed to the route that ran them (a context variable set per
  request) or to ``background`` (the outbox worker, sweeps);
- a private port of its own (any path) answering those counts, this process's CPU time
  and peak memory as JSON, so the harness can ask each process, not whichever the
  kernel hands the connection to.

It imports only what every Pintu version has (``create_app``, ``load_settings``), so the
harness can drive an older checkout of the code with it (``--server-tree``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import os
import resource
import socket
import sys
import time
from collections import Counter
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

# The route (or "background") whose work a statement is part of.
_ROUTE: contextvars.ContextVar[str] = contextvars.ContextVar("bench_route", default="background")
STATEMENTS: Counter[str] = Counter()
KINDS: Counter[str] = Counter()
TRANSACTIONS: Counter[str] = Counter()
CHECKOUTS: Counter[str] = Counter()
CONNECTS: Counter[str] = Counter()
REQUESTS: Counter[str] = Counter()


def _install_counters() -> None:
    @event.listens_for(Engine, "before_cursor_execute")
    def _statement(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        route = _ROUTE.get()
        STATEMENTS[route] += 1
        KINDS[statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"] += 1

    @event.listens_for(Engine, "commit")
    def _commit(conn: Any) -> None:
        TRANSACTIONS[_ROUTE.get()] += 1

    @event.listens_for(Pool, "checkout")
    def _checkout(*args: Any) -> None:
        CHECKOUTS[_ROUTE.get()] += 1

    @event.listens_for(Pool, "connect")
    def _connect(*args: Any) -> None:
        CONNECTS[_ROUTE.get()] += 1


def route_key(path: str) -> str:
    """The bucket a request path is counted in."""
    if path.startswith("/webhooks/"):
        return path.split("/")[2]  # rest, whatsapp, telegram
    if path == "/healthz":
        return "healthz"
    return "other"


def stats() -> dict[str, Any]:
    """This process's counters, CPU time and peak memory."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "pid": os.getpid(),
        "time": time.time(),
        "cpu_user": usage.ru_utime,
        "cpu_system": usage.ru_stime,
        "max_rss_kb": usage.ru_maxrss,
        "statements": dict(STATEMENTS),
        "statement_kinds": dict(KINDS),
        "transactions": dict(TRANSACTIONS),
        "pool_checkouts": dict(CHECKOUTS),
        "connections_opened": dict(CONNECTS),
        "requests": dict(REQUESTS),
    }


class Instrumented:
    """ASGI middleware: counts requests per route and scopes the statement counter."""

    def __init__(self, app: Any, stats_port: int) -> None:
        self.app = app
        self.stats_port = stats_port

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        server = scope.get("server") or ("", 0)
        if server[1] == self.stats_port:
            await _send_stats(send)
            return
        key = route_key(scope["path"])
        REQUESTS[key] += 1
        token = _ROUTE.set(key)
        try:
            await self.app(scope, receive, send)
        finally:
            _ROUTE.reset(token)


async def _send_stats(send: Any) -> None:
    body = json.dumps(stats()).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


async def serve(fd: int) -> None:
    """Serve the app on the inherited socket, and the stats on a private port of this process."""
    import uvicorn

    from bot.app.factory import create_app
    from bot.app.settings import load_settings

    _install_counters()
    shared = socket.socket(fileno=fd)
    private = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    private.bind(("127.0.0.1", 0))
    stats_port = private.getsockname()[1]
    app = Instrumented(create_app(load_settings()), stats_port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           timeout_graceful_shutdown=5))
    task = asyncio.create_task(server.serve(sockets=[shared, private]))
    while not server.started:
        if task.done():
            await task
            raise SystemExit("server did not start")
        await asyncio.sleep(0.05)
    print(f"READY {os.getpid()} {stats_port}", flush=True)
    await task


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m bench.pipeline.server --fd N``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fd", type=int, required=True, help="inherited listening socket")
    parser.add_argument("--cpus", help="comma-separated CPUs to pin this process to")
    args = parser.parse_args(argv)
    if args.cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(c) for c in args.cpus.split(",")})
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop is in uvicorn[standard]
        pass
    asyncio.run(serve(args.fd))
    return 0


if __name__ == "__main__":
    sys.exit(main())
