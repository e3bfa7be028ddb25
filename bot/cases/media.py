"""Media reach the officer: photos, documents and voice notes citizens send are downloaded
through the provider's API (the adapter's :class:`~channels.base.FetchesMedia`) into the
media store (``media.storage``: a local folder, ``media.dir``, or an S3-compatible bucket,
``media.s3``; :mod:`bot.cases.media_store`), size- and type-checked, shown on the ticket
page, and deleted after ``media.retention_days``.

Every citizen message with a media id gets a ``pending`` :class:`MediaFile` in the
turn's own transaction (:func:`on_citizen_message`, so nothing a citizen sent is
missed); :func:`media_loop` downloads them. The type is read from the file's own first
bytes, not from what the sender or the provider claims, and must be in
``media.allowed_types``; a file over ``media.max_bytes`` is not downloaded past the
limit. The file's SHA-256 is kept with it. When the store refuses a file (wrong
credentials, full disk), the row keeps the provider's media id and the reason, is tried
again, and after :data:`MAX_ATTEMPTS` is marked ``failed``; ``pintu media retry`` puts
failed rows back in the queue once the store is fixed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from bot.cases.media_store import FolderStore, MediaStore, MediaStoreError, read_all
from bot.cases.s3 import S3Store
from bot.core.runtime import Runtime
from bot.core.settings import MediaSettings
from channels.base import DeliveryError, FetchesMedia, MediaTooLarge
from nlu.types import NluResult
from storage.models import MediaFile, Message, utcnow
from storage.ports import Repositories

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
              "image/gif": ".gif", "application/pdf": ".pdf", "audio/ogg": ".ogg",
              "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/amr": ".amr",
              "video/mp4": ".mp4"}


def sniff(data: bytes) -> str | None:
    """The media type the file's first bytes show (None: not one Pintu knows)."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head[4:8] == b"ftyp":
        return "audio/mp4" if head[8:11] == b"M4A" else "video/mp4"
    return None


async def on_citizen_message(repos: Repositories, message: Message,
                             nlu: NluResult | None) -> None:
    """A pending download for each media item of a stored citizen message."""
    for att in (message.content or {}).get("attachments") or []:
        media_id = att.get("media_id") if isinstance(att, dict) else None
        if not isinstance(media_id, str) or not media_id:
            continue
        await repos.cases.add_media(MediaFile(
            message_id=message.id, channel=message.channel, media_id=media_id[:300],
            kind=str(att.get("kind") or "document")[:16],
            filename=(att.get("filename") or None) and str(att["filename"])[:300],
            created_at=utcnow()))


def media_store(cfg: MediaSettings) -> MediaStore:
    """The store ``media.storage`` names (cheap to make: no connection is held)."""
    if cfg.storage == "s3":
        return S3Store(cfg.s3)
    return FolderStore(Path(cfg.dir))


def media_key(row_id: int, data: bytes, mime: str, now: datetime) -> tuple[str, str]:
    """The store key of a row's file, and the file's SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    # One file per row, so deleting one row's file at its expiry leaves the others.
    return f"{now:%Y}/{now:%m}/{row_id}-{digest[:32]}{EXTENSIONS.get(mime, '')}", digest


async def fetch_media_file(rt: Runtime, row: MediaFile, now: datetime | None = None,
                           store: MediaStore | None = None) -> None:
    """Download one pending media file and record the outcome on ``row`` (not committed)."""
    cfg = rt.settings.media
    store = store or media_store(cfg)
    now = now or utcnow()
    row.attempts += 1
    adapter = rt.adapters.get(row.channel)
    if not isinstance(adapter, FetchesMedia):
        row.status, row.error = "failed", f"the {row.channel} channel cannot download media"
        return
    try:
        fetched = await adapter.fetch_media(row.media_id, cfg.max_bytes)
    except MediaTooLarge as exc:
        row.status, row.error, row.size = "rejected", str(exc), exc.size
        return
    except DeliveryError as exc:
        row.error = str(exc)
        if not exc.retryable or row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
        return
    mime = sniff(fetched.data)
    row.size = len(fetched.data)
    if mime is None or mime not in cfg.allowed_types:
        row.status = "rejected"
        row.error = f"type {mime or 'unknown'} (sent as {fetched.mime_type or '?'}) not allowed"
        return
    key, digest = media_key(row.id, fetched.data, mime, now)
    try:
        await store.put(key, fetched.data, mime)
    except MediaStoreError as exc:
        # The provider's media id stays on the row: the file is fetched again next time.
        log.warning("media %s not stored (attempt %s): %s", row.id, row.attempts, exc)
        row.error = f"storage ({store.description}): {exc}"
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
        return
    row.path, row.sha256 = key, digest
    row.mime_type, row.status, row.stored_at, row.error = mime, "stored", now, None
    row.filename = row.filename or fetched.filename


async def fetch_pending_media(rt: Runtime) -> int:
    """Download what is pending (one batch). Returns how many rows were tried."""
    async with rt.sessions() as session, session.begin():
        rows = await rt.repositories(session).cases.pending_media()
        store = media_store(rt.settings.media) if rows else None
        for row in rows:
            await fetch_media_file(rt, row, store=store)
    return len(rows)


async def retry_failed_media(repos: Repositories) -> int:
    """Put every ``failed`` download back in the queue with fresh attempts, once the store
    or the provider token is fixed (not committed). Returns how many."""
    rows = await repos.cases.failed_media()
    for row in rows:
        row.status, row.attempts = "pending", 0
    return len(rows)


async def check_store(store: MediaStore) -> None:
    """Write, read back and delete a small file; MediaStoreError says what failed."""
    key = f"pintu-check-{secrets.token_hex(8)}.txt"
    data = b"Pintu media store check\n"
    await store.put(key, data, "text/plain")
    try:
        if await read_all(store, key) != data:
            raise MediaStoreError(f"{store.description} gave back other bytes than written")
    finally:
        await store.delete(key)


async def expire_media(rt: Runtime, now: datetime | None = None) -> int:
    """Delete stored files past ``media.retention_days``; their rows stay, ``expired``.
    Files the store holds past that age with no row (a write whose transaction was lost)
    go too. Returns how many rows expired."""
    cfg = rt.settings.media
    now = now or utcnow()
    cutoff = now - timedelta(days=cfg.retention_days)
    store = media_store(cfg)
    expired = 0
    async with rt.sessions() as session, session.begin():
        rows = await rt.repositories(session).cases.media_stored_before(cutoff)
        for row in rows:
            if row.path:
                try:
                    await store.delete(row.path)
                except MediaStoreError as exc:  # kept as stored: tried again next sweep
                    log.warning("media %s not deleted: %s", row.id, exc)
                    continue
            row.status, row.path = "expired", None
            expired += 1
    try:
        for key in await store.keys_older_than(cutoff):
            await store.delete(key)
    except MediaStoreError as exc:  # the rows are done; stray files wait for the next sweep
        log.warning("media retention sweep of %s incomplete: %s", store.description, exc)
    return expired


async def erase_citizens_media(rt: Runtime) -> int:
    """Delete the files of citizens erased since the last sweep (their right to erasure)
    and strip the rows of the provider's reference and the file name; a file the store
    cannot delete now stays listed for the next sweep. Returns how many rows were erased."""
    store = media_store(rt.settings.media)
    erased = 0
    async with rt.sessions() as session, session.begin():
        for row in await rt.repositories(session).cases.media_of_erased_citizens():
            if row.path:
                try:
                    await store.delete(row.path)
                except MediaStoreError as exc:
                    log.warning("media %s of an erased citizen not deleted yet: %s", row.id, exc)
                    continue
            row.status, row.path, row.media_id, row.filename = "erased", None, "erased", None
            row.sha256 = row.error = None
            erased += 1
    return erased


async def media_loop(rt: Runtime) -> None:
    """Background task: download pending media; hourly, delete expired files and erased
    citizens' files."""
    cfg = rt.settings.media
    if not cfg.enabled:
        return
    last_sweep: datetime | None = None
    while True:
        try:
            await fetch_pending_media(rt)
        except Exception:
            log.exception("media download sweep failed")
        if last_sweep is None or utcnow() - last_sweep > timedelta(hours=1):
            last_sweep = utcnow()  # hourly even when a sweep fails (no retry every poll)
            for sweep in (erase_citizens_media, expire_media):
                try:
                    await sweep(rt)
                except Exception:
                    log.exception("media %s failed", sweep.__name__)
        await asyncio.sleep(cfg.poll_interval_seconds)


async def stored_media(rt: Runtime, message_ids: list[int]) -> list[MediaFile]:
    """The media of these messages as the ticket page lists them (every status, so an
    officer sees what was refused and why)."""
    async with rt.sessions() as session:
        return list(await rt.repositories(session).cases.media_for_messages(message_ids))
