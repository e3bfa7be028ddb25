"""The web application: webhooks, web chat, consoles and APIs on one port.

:func:`create_app` builds a FastAPI app from settings; the runtime (database,
catalog, NLU, channel adapters, background workers) is built in its lifespan
by :func:`build_runtime`, never at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bot.config import Settings, load_settings
from bot.runtime import NluHolder, Runtime
from channels.base import ChannelAdapter
from channels.rest import RestAdapter
from routing.catalog import load_catalog
from storage.db import create_engine, session_factory, upgrade_async
from storage.repositories.tickets import ServiceUnitRepository

log = logging.getLogger(__name__)

# Feature modules wire themselves in: ``include(app)`` adds routes when the app is created;
# in the lifespan, ``setup(app, rt)`` registers runtime hooks and ``async startup(rt)`` runs
# once everything is wired, before the first request.
FEATURE_MODULES: list[str] = [
    "bot.routes.health",
    "bot.routes.rest",
    "bot.routes.nlu",
    "bot.routes.webhooks",
    "bot.routes.catalog",
    "bot.routes.api",
    "bot.console.routes",
    "bot.webchat",
    "bot.surveys",
    "bot.routes.reports",
    "bot.nlu_admin",
]


def model_dir(settings: Settings) -> Path:
    """Where NLU model versions live."""
    if settings.nlu.model_dir:
        return Path(settings.nlu.model_dir)
    return Path("models")


def load_classifier(settings: Settings) -> NluHolder:
    """The configured NLU backend: the latest embedded model (trained on first use) or Rasa."""
    if settings.nlu.backend == "rasa":
        from nlu.rasa_backend import RasaClassifier

        return NluHolder(RasaClassifier(settings.nlu.rasa_url,
                                        timeout=settings.nlu.rasa_timeout_seconds), "rasa")
    from nlu.model_store import load_or_train_default

    clf = load_or_train_default(model_dir(settings))
    return NluHolder(clf, getattr(clf, "version", None))


def build_adapters(settings: Settings) -> dict[str, ChannelAdapter]:
    """The channel adapters the settings enable (REST and web chat always)."""
    adapters: dict[str, ChannelAdapter] = {"rest": RestAdapter(settings.rest.callback_url)}
    tg = settings.telegram
    if tg.token:
        from channels.telegram import TelegramAdapter

        adapters["telegram"] = TelegramAdapter(
            token=tg.token, secret=tg.secret, api_url=tg.api_url, bot_username=tg.bot_username,
            per_chat_interval=tg.per_chat_interval_seconds)
    wa = settings.whatsapp
    if wa.token:
        from channels.whatsapp import WhatsAppAdapter

        adapters["whatsapp"] = WhatsAppAdapter(
            token=wa.token, app_secret=wa.app_secret, verify_token=wa.verify_token,
            api_url=wa.api_url, phone_number_id=wa.phone_number_id)
    return adapters


async def build_runtime(settings: Settings, *, migrate: bool = True,
                        nlu: NluHolder | None = None) -> Runtime:
    """Connect the database (migrating it), load the catalog and NLU, make the adapters."""
    if migrate:
        await upgrade_async(settings.database.url)
    engine = create_engine(settings.database.url, echo=settings.database.echo)
    catalog = load_catalog(settings.catalog.path, extra_holidays=settings.catalog.holidays)
    holder = nlu if nlu is not None else await asyncio.to_thread(load_classifier, settings)
    rt = Runtime(settings=settings, engine=engine, sessions=session_factory(engine),
                 catalog=catalog, nlu=holder, adapters=build_adapters(settings))
    await sync_units(rt)
    return rt


async def sync_units(rt: Runtime) -> None:
    """Mirror the catalog's units into the database."""
    async with rt.sessions() as session, session.begin():
        await ServiceUnitRepository(session).sync(
            {"id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind,
             "parent_id": u.parent_id, "is_triage": u.is_triage} for u in rt.catalog.units)


BackgroundTask = Callable[[Runtime], Awaitable[None]]
# ``rt.extras[SHUTDOWN_TASKS]``: a set of tasks started while serving (training jobs) that the
# app's shutdown cancels and awaits, so they can record that they were interrupted.
SHUTDOWN_TASKS = "shutdown_tasks"


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None,
               workers: bool | None = None) -> FastAPI:
    """The Pintu web application.

    ``runtime`` lets tests share one prepared runtime; ``workers`` overrides
    ``server.workers`` (the outbox worker and the escalation sweep).
    """
    settings = settings or (runtime.settings if runtime else load_settings())
    import importlib

    modules = [importlib.import_module(name) for name in FEATURE_MODULES]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or await build_runtime(settings)
        app.state.runtime = rt
        from bot.service import ConversationService

        app.state.service = ConversationService(rt)
        for mod in modules:
            setup = getattr(mod, "setup", None)
            if setup is not None:
                setup(app, rt)
        for mod in modules:
            # After every module is wired, before the first request.
            startup = getattr(mod, "startup", None)
            if startup is not None:
                await startup(rt)
        run_workers = settings.server.workers if workers is None else workers
        tasks: list[asyncio.Task[None]] = []
        worker = None
        if run_workers:
            from bot.outbox import OutboxWorker

            worker = OutboxWorker(rt)
            worker.start()
            tasks.append(asyncio.create_task(_escalation_loop(rt), name="pintu-escalation"))
            for task_factory in rt.extras.get("background", []):
                tasks.append(asyncio.create_task(task_factory(rt)))
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            for task in [*tasks, *rt.extras.get(SHUTDOWN_TASKS, ())]:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            for adapter in rt.adapters.values():
                close = getattr(adapter, "close", None)
                if close is not None:
                    with contextlib.suppress(Exception):
                        await close()
            if runtime is None:
                await rt.engine.dispose()

    app = FastAPI(title="Pintu", version="0.1.0", lifespan=lifespan,
                  description="Citizen chatbot and omnichannel intake for public services.")
    app.state.settings = settings

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": ".".join(str(p) for p in e["loc"]), "error": e["msg"]}
                    for e in exc.errors()]
        return JSONResponse({"detail": "invalid request", "problems": problems}, status_code=422)

    for mod in modules:
        include = getattr(mod, "include", None)
        if include is not None:
            include(app)
    return app


async def _escalation_loop(rt: Runtime) -> None:
    from bot.tickets import close_expired_resolved, escalate_overdue

    interval = rt.settings.tickets.escalation_interval_seconds
    while True:
        try:
            async with rt.sessions() as session, session.begin():
                n = await escalate_overdue(session, rt)
                closed = await close_expired_resolved(session, rt)
            if n:
                log.info("escalated %d overdue tickets", n)
                rt.notify("escalated", {"count": n})
            if closed:
                log.info("closed %d resolved tickets past the reopen window", closed)
        except Exception:
            log.exception("escalation sweep failed")
        await asyncio.sleep(interval)


def runtime_of(request: Request) -> Runtime:
    """The runtime, for route handlers."""
    rt: Runtime = request.app.state.runtime
    return rt


def json_error(status: int, message: str, **extra: Any) -> JSONResponse:
    """A clear JSON error answer."""
    return JSONResponse({"detail": message, **extra}, status_code=status)
