"""``pintu media check|retry``: the media store (a folder or an S3-compatible bucket)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

from bot.app.settings import Settings, load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu media``."""
    p = sub.add_parser("media", help="citizens' media files: check the store, retry downloads")
    msub = p.add_subparsers(dest="media_command", required=True)
    check = msub.add_parser("check", help="write, read back and delete a small file in the "
                                          "configured store (media.storage)")
    check.set_defaults(func=lambda a: check_command(load_settings(a.config), sys.stdout,
                                                    sys.stderr))
    retry = msub.add_parser("retry", help="put failed downloads back in the queue (after "
                                          "fixing the store's credentials or a token)")
    retry.set_defaults(func=lambda a: retry_command(load_settings(a.config), sys.stdout))


def check_command(settings: Settings, out: TextIO, err: TextIO) -> int:
    """Check the store; 0 when it works, 1 with the reason when not."""
    from bot.cases.media import check_store, media_store
    from bot.cases.media_store import MediaStoreError

    try:
        store = media_store(settings.media)
        asyncio.run(check_store(store))
    except MediaStoreError as exc:
        print(f"pintu: media store not usable: {exc}", file=err)
        return 1
    print(f"media store ok: {store.description} (write, read, delete)", file=out)
    return 0


def retry_command(settings: Settings, out: TextIO) -> int:
    """Queue the failed downloads again; the running server's media loop takes them."""
    count = asyncio.run(_retry(settings))
    print(f"{count} failed media download(s) queued again", file=out)
    return 0


async def _retry(settings: Settings) -> int:
    from bot.cases.media import retry_failed_media
    from storage.db import create_engine, session_factory, upgrade_async
    from storage.repositories import sql_repositories

    await upgrade_async(settings.database.url)
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await retry_failed_media(sql_repositories(session))
    finally:
        await engine.dispose()
