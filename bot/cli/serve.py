"""``pintu serve``: migrate the database and serve everything on one port."""

from __future__ import annotations

import argparse
import logging

from bot.app.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu serve``."""
    p = sub.add_parser("serve", help="serve web chat, consoles, APIs and webhooks on one port")
    p.add_argument("--host", help="bind address (default: server.host)")
    p.add_argument("--port", type=int, help="port (default: server.port)")
    p.add_argument(
        "--no-workers",
        action="store_true",
        help="do not run the outbox worker and escalation sweep in this process",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Apply migrations, then run uvicorn."""
    import uvicorn

    from bot.app import create_app
    from storage.db import upgrade

    settings = load_settings(args.config)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    upgrade(settings.database.url)
    app = create_app(settings, workers=False if args.no_workers else None)
    # Open console live-update streams must not hold Ctrl+C for long.
    uvicorn.run(
        app,
        host=args.host or settings.server.host,
        port=args.port or settings.server.port,
        log_level="info",
        proxy_headers=True,
        timeout_graceful_shutdown=5,
    )
    return 0
