"""``pintu db upgrade``: apply the database migrations."""

from __future__ import annotations

import argparse

from bot.app.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu db``."""
    p = sub.add_parser("db", help="database maintenance")
    dsub = p.add_subparsers(dest="db_command", required=True)
    up = dsub.add_parser("upgrade", help="apply migrations (pintu serve does this on start)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=upgrade)


def upgrade(args: argparse.Namespace) -> int:
    """Apply migrations up to the given revision."""
    from storage.db import upgrade as do_upgrade

    settings = load_settings(args.config)
    do_upgrade(settings.database.url, args.revision)
    print(f"database at {settings.database.url.split('@')[-1]} is at revision {args.revision}")
    return 0
