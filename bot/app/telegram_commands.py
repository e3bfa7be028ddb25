"""``pintu telegram``: register or remove the webhook, or poll for updates in development.

``set-webhook`` and ``delete-webhook`` talk to the Bot API with the configured
token (``PINTU_TELEGRAM__TOKEN``) and secret (``PINTU_TELEGRAM__SECRET``).
``poll`` is for machines Telegram cannot reach: it removes the webhook, then
long-polls getUpdates and feeds every raw update through the same path as the
webhook route (kept raw, parsed, de-duplicated on ``update_id``, answered
through the outbox), with the outbox worker in the same process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
from typing import TYPE_CHECKING, Any

from bot.app.build import telegram_adapter
from bot.app.settings import Settings, load_settings
from channels.base import HoldsConnections

if TYPE_CHECKING:
    from bot.conversation.service import ConversationService
    from bot.core.runtime import Runtime
    from channels.telegram import TelegramAdapter

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
# Pause after a failed getUpdates or a failed update before trying again.
RETRY_SECONDS = 3.0


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu telegram set-webhook|delete-webhook|poll``."""
    p = sub.add_parser("telegram", help="Telegram webhook set-up and development polling")
    tsub = p.add_subparsers(dest="telegram_command", required=True)

    s = tsub.add_parser("set-webhook", help="register this server's webhook with Telegram")
    s.add_argument(
        "url", nargs="?", help=f"webhook URL (default: server.public_url + {WEBHOOK_PATH})"
    )
    s.set_defaults(func=run_set_webhook)

    d = tsub.add_parser("delete-webhook", help="remove the webhook (e.g. before polling)")
    d.add_argument(
        "--drop-pending", action="store_true", help="also discard updates Telegram is still holding"
    )
    d.set_defaults(func=run_delete_webhook)

    poll = tsub.add_parser("poll", help="development mode: poll getUpdates instead of a webhook")
    poll.add_argument(
        "--once",
        action="store_true",
        help="process one batch of updates, deliver the replies and exit",
    )
    poll.add_argument(
        "--timeout",
        type=int,
        default=30,
        help="long-poll seconds per getUpdates call (default: 30)",
    )
    poll.set_defaults(func=run_poll)


def _adapter(settings: Settings) -> TelegramAdapter:
    tg = settings.telegram
    if not tg.token:
        raise CommandError(
            "no Telegram bot token: set PINTU_TELEGRAM__TOKEN (the token @BotFather gave you)"
        )
    return telegram_adapter(settings)


def _fail(exc: Exception) -> int:
    print(f"pintu telegram: {exc}", file=sys.stderr)
    return 1


def run_set_webhook(args: argparse.Namespace) -> int:
    """Register the webhook URL with the configured secret token; print the outcome."""
    settings = load_settings(args.config)
    try:
        adapter = _adapter(settings)
        url = args.url or _default_url(settings)
        if not settings.telegram.secret:
            raise CommandError(
                "no webhook secret: set PINTU_TELEGRAM__SECRET, so the server "
                "can tell Telegram's requests from forged ones"
            )
        ok = asyncio.run(_set_webhook(adapter, url))
    except Exception as exc:
        return _fail(exc)
    if not ok:
        return _fail(CommandError("Telegram did not accept the webhook"))
    print(f"Webhook set: {url}")
    return 0


def _default_url(settings: Settings) -> str:
    public = settings.server.public_url
    if not public:
        raise CommandError(
            "give the webhook URL, or set server.public_url (PINTU_SERVER__PUBLIC_URL)"
        )
    return public.rstrip("/") + WEBHOOK_PATH


async def _set_webhook(adapter: TelegramAdapter, url: str) -> bool:
    try:
        return await adapter.set_webhook(url)
    finally:
        await adapter.close()


def run_delete_webhook(args: argparse.Namespace) -> int:
    """Remove the webhook; print the outcome."""
    settings = load_settings(args.config)
    try:
        ok = asyncio.run(_delete_webhook(_adapter(settings), args.drop_pending))
    except Exception as exc:
        return _fail(exc)
    if not ok:
        return _fail(CommandError("Telegram did not remove the webhook"))
    print("Webhook deleted" + (" (pending updates dropped)" if args.drop_pending else ""))
    return 0


async def _delete_webhook(adapter: TelegramAdapter, drop_pending: bool) -> bool:
    try:
        return await adapter.delete_webhook(drop_pending_updates=drop_pending)
    finally:
        await adapter.close()


def run_poll(args: argparse.Namespace) -> int:
    """Poll until Ctrl-C (or one batch with ``--once``)."""
    settings = load_settings(args.config)
    if not settings.telegram.token:
        return _fail(CommandError("no Telegram bot token: set PINTU_TELEGRAM__TOKEN"))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return asyncio.run(poll(settings, once=args.once, timeout=args.timeout))
    except KeyboardInterrupt:
        print("Stopped.")
        return 0
    except CommandError as exc:
        return _fail(exc)


async def poll(settings: Settings, *, once: bool = False, timeout: int = 30) -> int:  # noqa: ASYNC109
    """Delete the webhook, then feed getUpdates batches through the webhook pipeline.

    Each update is confirmed (``offset`` moves past it) only once it has been
    handled; one that failed is fetched again after a pause, and the
    ``update_id`` de-duplication keeps that safe. Replies go out through an
    outbox worker running in this process. ``timeout`` is the long-poll time
    (``--once`` uses 0: answer with what is waiting now).
    """
    from bot.app.build import build_runtime
    from bot.conversation.service import ConversationService
    from bot.delivery.worker import OutboxWorker
    from bot.web.webhooks import finish_background
    from channels.base import DeliveryError

    rt = await build_runtime(settings)
    adapter = rt.adapters.get("telegram")
    worker = OutboxWorker(rt)
    try:
        if adapter is None:
            raise CommandError("the Telegram channel is not configured")
        tg: TelegramAdapter = adapter  # type: ignore[assignment]
        service = ConversationService(rt)
        try:
            await tg.delete_webhook()
        except DeliveryError as exc:
            raise CommandError(f"could not remove the webhook: {exc}") from exc
        print(f"Polling Telegram as @{tg.bot_username or '?'}; Ctrl-C to stop.")
        if not once:
            worker.start()
        offset: int | None = None
        failed = False
        while True:
            try:
                updates = await tg.get_updates(offset=offset, timeout=0 if once else timeout)
            except DeliveryError as exc:
                if not exc.retryable:
                    raise CommandError(f"getUpdates failed: {exc}") from exc
                log.warning("getUpdates failed, retrying: %s", exc)
                await asyncio.sleep(exc.retry_after or RETRY_SECONDS)
                continue
            handled, failed = await _handle_batch(rt, service, tg, updates)
            if handled is not None:
                offset = handled + 1
            if once:
                break
            if failed:
                await asyncio.sleep(RETRY_SECONDS)  # not a hot loop on a failing update
            elif not updates and timeout <= 0:
                await asyncio.sleep(1.0)  # no long poll: don't hammer the Bot API
        if once:
            await finish_background()
            # Deliver what this batch produced (one message per chat per pass).
            while await worker.run_once():
                pass
            if offset is not None:
                # Confirm the batch, so the next run does not see it again.
                await tg.get_updates(offset=offset, timeout=0, limit=1)
        return 1 if failed else 0
    finally:
        await worker.stop()
        await finish_background()
        for channel in rt.adapters.values():
            if isinstance(channel, HoldsConnections):
                with contextlib.suppress(Exception):
                    await channel.close()
        await rt.engine.dispose()


async def _handle_batch(
    rt: Runtime, service: ConversationService, tg: TelegramAdapter, updates: list[dict[str, Any]]
) -> tuple[int | None, bool]:
    """Handle updates in order, stopping at one that failed.

    Returns the last ``update_id`` handled (None if none was) and whether an
    update failed (it is then fetched again with the rest of the batch).
    """
    from bot.web.webhooks import ingest

    last: int | None = None
    for update in updates:
        update_id = update.get("update_id")
        body = json.dumps(update, ensure_ascii=False).encode("utf-8")
        answer = await ingest(rt, service, tg, {"content-type": "application/json"}, body)
        if answer.status_code >= 500:
            log.warning("update %s failed; it will be fetched again", update_id)
            return last, True
        if isinstance(update_id, int):
            last = update_id
    return last, False
