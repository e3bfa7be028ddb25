"""Building a runtime: database (migrated), catalog, NLU backend, channel adapters.

This is where the provider channels are named: the settings decide which
adapters exist, and every feature sees them only as ``ChannelAdapter``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.app.settings import SECRET_KEYS, Settings
from bot.core.logsafe import protect_logs
from bot.core.runtime import NluHolder, Runtime
from bot.core.settings import secret_value
from bot.tickets.units import sync_units
from channels.base import ChannelAdapter
from channels.rest import RestAdapter
from nlu.model_store import resolve_model_dir
from routing.catalog import load_catalog
from routing.service_picking import service_picker
from storage.db import create_engine, session_factory, upgrade_async

if TYPE_CHECKING:
    from channels.telegram import TelegramAdapter


def model_dir(settings: Settings) -> Path:
    """Where NLU model versions live (``nlu.model_dir``, else ``./models``)."""
    return resolve_model_dir(settings.nlu.model_dir)


def load_classifier(settings: Settings) -> NluHolder:
    """The configured NLU backend: the latest embedded model (trained on first use) or Rasa."""
    if settings.nlu.backend == "rasa":
        from nlu.rasa_backend import RasaClassifier

        return NluHolder(RasaClassifier(settings.nlu.rasa_url,
                                        timeout=settings.nlu.rasa_timeout_seconds), "rasa")
    from nlu.model_store import load_or_train_default

    clf = load_or_train_default(model_dir(settings))
    return NluHolder(clf, clf.version)


def build_adapters(settings: Settings) -> dict[str, ChannelAdapter]:
    """The channel adapters the settings enable (REST always; web chat joins at set-up)."""
    adapters: dict[str, ChannelAdapter] = {"rest": RestAdapter(settings.rest.callback_url)}
    if settings.telegram.token:
        adapters["telegram"] = telegram_adapter(settings)
    wa = settings.whatsapp
    if wa.token:
        from channels.whatsapp import WhatsAppAdapter

        adapters["whatsapp"] = WhatsAppAdapter(
            token=wa.token.get_secret_value(), app_secret=secret_value(wa.app_secret),
            verify_token=secret_value(wa.verify_token),
            api_url=wa.api_url, phone_number_id=wa.phone_number_id)
    return adapters


def telegram_adapter(settings: Settings) -> TelegramAdapter:
    """The Telegram adapter for the configured bot token."""
    # python-telegram-bot 22 warns on every flood-control answer unless told to give
    # retry_after as a timedelta; the adapter reads both, and no other code reads PTB's
    # time periods (updates are parsed from plain JSON).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    from channels.telegram import TelegramAdapter

    tg = settings.telegram
    return TelegramAdapter(
        token=secret_value(tg.token) or "", secret=secret_value(tg.secret), api_url=tg.api_url,
        bot_username=tg.bot_username, per_chat_interval=tg.per_chat_interval_seconds)


def settings_secrets(settings: Settings) -> list[str]:
    """The plain values of every secret in ``settings`` (to keep them out of the logs)."""
    found: list[str] = []
    for path in SECRET_KEYS:
        value: object = settings
        for name in path:
            value = getattr(value, name, None)
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
    return found


async def build_runtime(settings: Settings, *, migrate: bool = True,
                        nlu: NluHolder | None = None) -> Runtime:
    """Connect the database (migrating it), load the catalog and NLU, make the adapters."""
    # python-telegram-bot logs each Bot API call with its parameters at DEBUG.
    protect_logs(*settings_secrets(settings), quiet=("telegram",))
    if migrate:
        await upgrade_async(settings.database.url)
    engine = create_engine(settings.database.url, echo=settings.database.echo)
    catalog = load_catalog(settings.catalog.path, extra_holidays=settings.catalog.holidays,
                           overrides=settings.catalog.overrides_file())
    holder = nlu if nlu is not None else await asyncio.to_thread(load_classifier, settings)
    # The catalog's service picker is trained now, off the event loop, not on a first message.
    await asyncio.to_thread(service_picker, catalog, settings.nlu.service_threshold)
    rt = Runtime(settings=settings, engine=engine, sessions=session_factory(engine),
                 catalog=catalog, nlu=holder, adapters=build_adapters(settings))
    await sync_units(rt)
    return rt
