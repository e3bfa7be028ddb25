"""storage.db helpers that need no database."""

from __future__ import annotations

from pathlib import Path

from storage.db import sqlite_file


def test_sqlite_file_names_only_an_sqlite_file() -> None:
    urls = ["sqlite+aiosqlite:////var/lib/pintu/pintu.db", "sqlite+aiosqlite:///pintu.db",
            "sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite://",
            "postgresql+asyncpg://postgres@127.0.0.1:5432/pintu"]
    assert [sqlite_file(u) for u in urls] == [Path("/var/lib/pintu/pintu.db"), Path("pintu.db"),
                                              None, None, None]
