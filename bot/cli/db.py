"""``pintu db upgrade``: apply the database migrations; ``pintu db rebuild-ikm-totals``:
recompute the IKM daily totals from the stored survey answers."""

from __future__ import annotations

import argparse
import asyncio

from bot.app.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu db``."""
    p = sub.add_parser("db", help="database maintenance")
    dsub = p.add_subparsers(dest="db_command", required=True)
    up = dsub.add_parser("upgrade", help="apply migrations (pintu serve does this on start)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=upgrade)
    rb = dsub.add_parser("rebuild-ikm-totals",
                         help="recompute the IKM daily totals from the survey answers "
                              "(after answers were imported with SQL)")
    rb.set_defaults(func=rebuild_ikm_totals)


def upgrade(args: argparse.Namespace) -> int:
    """Apply migrations up to the given revision."""
    from storage.db import upgrade as do_upgrade

    settings = load_settings(args.config)
    do_upgrade(settings.database.url, args.revision)
    print(f"database at {settings.database.url.split('@')[-1]} is at revision {args.revision}")
    return 0


def rebuild_ikm_totals(args: argparse.Namespace) -> int:
    """Recompute ``survey_daily_totals`` and ``survey_daily_splits`` in one transaction."""
    settings = load_settings(args.config)
    rows = asyncio.run(_rebuild(settings.database.url))
    print(f"IKM daily totals rebuilt from the stored answers: {rows} daily rows")
    return 0


async def _rebuild(url: str) -> int:
    from storage.db import create_engine, session_factory
    from storage.repositories import sql_repositories

    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await sql_repositories(session).survey_report.rebuild_daily_totals()
    finally:
        await engine.dispose()
