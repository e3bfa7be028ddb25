"""``pintu serve``: migrate the database and serve everything on one port."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.app.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu serve``."""
    p = sub.add_parser("serve", help="serve web chat, consoles, APIs and webhooks on one port")
    p.add_argument("--host", help="bind address (default: server.host)")
    p.add_argument("--port", type=int, help="port (default: server.port)")
    p.add_argument(
        "--workers", type=int, default=1, metavar="N",
        help="server processes sharing the port (N > 1 needs PostgreSQL; default 1)",
    )
    p.add_argument(
        "--no-workers",
        action="store_true",
        help="do not run the outbox worker and escalation sweep in this process",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Apply migrations, then run uvicorn (``--workers N``: N processes on one port)."""
    import uvicorn

    from bot.app import create_app
    from storage.db import is_sqlite, upgrade

    settings = load_settings(args.config)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.workers < 1:
        print("pintu serve: --workers must be 1 or more", file=sys.stderr)
        return 2
    if args.workers > 1 and is_sqlite(settings.database.url):
        print("pintu serve: --workers N > 1 needs PostgreSQL (database.url): SQLite takes "
              "one writer at a time, so more processes only wait for each other",
              file=sys.stderr)
        return 2
    upgrade(settings.database.url)
    host = args.host or settings.server.host
    port = args.port or settings.server.port
    if args.workers > 1:
        # Each process builds the app from the environment: pass the options on there.
        if args.config:
            os.environ["PINTU_CONFIG"] = str(args.config)
        if args.no_workers:
            os.environ["PINTU_SERVER__WORKERS"] = "false"
        uvicorn.run("bot.app.factory:create_app", factory=True, workers=args.workers,
                    host=host, port=port, log_level="info", proxy_headers=True,
                    timeout_graceful_shutdown=5)
        return 0
    app = create_app(settings, workers=False if args.no_workers else None)
    # Open console live-update streams must not hold Ctrl+C for long.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=True,
        timeout_graceful_shutdown=5,
    )
    return 0
