"""Where citizens' media files are kept: one small port, :class:`MediaStore`, with a local
folder (:class:`FolderStore`, the default) and an S3-compatible bucket
(:class:`bot.cases.s3.S3Store`) behind it; :func:`bot.cases.media.media_store` makes the
one ``media.storage`` names.

Keys are relative paths (``2026/11/42-<sha256>.jpg``), the same in both, so a folder
can be copied into a bucket (under ``media.s3.key_prefix``) as it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

CHUNK = 64 * 1024


class MediaStoreError(Exception):
    """The store could not do what was asked; the message says why and what to check."""


@dataclass
class MediaBody:
    """A stored file being read: its size when known, its bytes in chunks, and how to
    release it (``close``: safe to call twice; reading to the end also releases it)."""

    size: int | None
    chunks: AsyncIterator[bytes]
    close: Callable[[], Awaitable[None]]


@runtime_checkable
class MediaStore(Protocol):
    """Keeps media files by key."""

    description: str  # where, for messages ("folder /srv/media", "bucket pintu at ...")

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key`` (a second put of the same key replaces it)."""
        ...

    async def open(self, key: str) -> MediaBody | None:
        """The file under ``key`` (None: no such file)."""
        ...

    async def delete(self, key: str) -> None:
        """Delete the file under ``key`` (no error when there is none)."""
        ...

    async def keys_older_than(self, cutoff: datetime) -> list[str]:
        """Every key written before ``cutoff`` (for the retention sweep)."""
        ...


async def read_all(store: MediaStore, key: str) -> bytes | None:
    """A whole file's bytes (None: no such file)."""
    body = await store.open(key)
    if body is None:
        return None
    try:
        return b"".join([chunk async for chunk in body.chunks])
    finally:
        await body.close()


class FolderStore:
    """Files in a local folder (``media.dir``)."""

    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()
        self.description = f"folder {self.root}"

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise MediaStoreError(f"key {key!r} is outside {self.description}")
        return path

    def _write(self, key: str, data: bytes) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(target.suffix + ".part")
            tmp.write_bytes(data)
            tmp.replace(target)
        except OSError as exc:
            raise MediaStoreError(f"cannot write to {self.description}: {exc}") from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the file (through a temporary name, so a reader never sees half)."""
        await asyncio.to_thread(self._write, key, data)

    async def open(self, key: str) -> MediaBody | None:
        """The file, read in chunks off the event loop."""
        path = self._path(key)
        try:
            fh = await asyncio.to_thread(path.open, "rb")
        except (FileNotFoundError, IsADirectoryError):
            return None
        except OSError as exc:
            raise MediaStoreError(f"cannot read from {self.description}: {exc}") from exc

        async def close() -> None:
            if not fh.closed:
                await asyncio.to_thread(fh.close)

        async def chunks() -> AsyncIterator[bytes]:
            try:
                while block := await asyncio.to_thread(fh.read, CHUNK):
                    yield block
            finally:  # also when the reader stops early (a client gone mid-download)
                await close()

        size = await asyncio.to_thread(lambda: path.stat().st_size)
        return MediaBody(size=size, chunks=chunks(), close=close)

    async def delete(self, key: str) -> None:
        """Remove the file."""
        await asyncio.to_thread(self._path(key).unlink, True)

    def _older(self, cutoff: datetime) -> list[str]:
        if not self.root.is_dir():
            return []
        limit = cutoff.astimezone(UTC).timestamp()
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*")
                      if p.is_file() and p.stat().st_mtime < limit)

    async def keys_older_than(self, cutoff: datetime) -> list[str]:
        """Files last written before ``cutoff``."""
        return await asyncio.to_thread(self._older, cutoff)
