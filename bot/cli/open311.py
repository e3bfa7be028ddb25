"""``pintu open311 keys create|list|revoke``: the api_keys of Open311 clients."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

from bot.app.settings import Settings, load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu open311``."""
    p = sub.add_parser("open311", help="Open311 GeoReport v2 clients")
    osub = p.add_subparsers(dest="open311_command", required=True)
    keys = osub.add_parser("keys", help="api_keys of the systems that file requests")
    ksub = keys.add_subparsers(dest="keys_command", required=True)
    create = ksub.add_parser("create", help="make a client and print its api_key (once)")
    create.add_argument("--name", required=True, help="the client's name (letters, digits, -_.)")
    create.set_defaults(func=lambda a: keys_command(load_settings(a.config), "create", a.name,
                                                    sys.stdout, sys.stderr))
    listing = ksub.add_parser("list", help="the clients and whether their key is live")
    listing.set_defaults(func=lambda a: keys_command(load_settings(a.config), "list", None,
                                                     sys.stdout, sys.stderr))
    revoke = ksub.add_parser("revoke", help="refuse a client's key from now on")
    revoke.add_argument("--name", required=True)
    revoke.set_defaults(func=lambda a: keys_command(load_settings(a.config), "revoke", a.name,
                                                    sys.stdout, sys.stderr))


def keys_command(settings: Settings, action: str, name: str | None, out: TextIO,
                 err: TextIO) -> int:
    """Run one ``keys`` action against the configured database."""
    try:
        message = asyncio.run(_run(settings, action, name))
    except ValueError as exc:
        print(f"pintu: {exc}", file=err)
        return 2
    print(message, file=out)
    return 0


async def _run(settings: Settings, action: str, name: str | None) -> str:
    from bot.cases.open311 import create_client
    from storage.db import create_engine, session_factory, upgrade_async
    from storage.models import utcnow
    from storage.repositories import sql_repositories

    await upgrade_async(settings.database.url)
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            repos = sql_repositories(session)
            if action == "create":
                assert name is not None
                return await create_client(repos, name)
            if action == "list":
                rows = await repos.cases.open311_clients()
                return "\n".join(f"{c.name}\t{'revoked' if c.revoked_at else 'live'}\t"
                                 f"{c.created_at:%Y-%m-%d}" for c in rows) or "-"
            client = await repos.cases.open311_client(name=name or "")
            if client is None:
                raise ValueError(f"no client named {name!r}")
            client.revoked_at = client.revoked_at or utcnow()
            return f"revoked {client.name}"
    finally:
        await engine.dispose()
