"""The web application: webhooks, web chat, consoles and APIs on one port.

:func:`create_app` builds a FastAPI app from settings and the feature list
(:data:`bot.app.features.FEATURES`); the runtime (database, catalog, NLU,
channel adapters, background workers) is built in its lifespan by
:func:`bot.app.build.build_runtime`, never at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from bot.app.build import build_runtime
from bot.app.fanout import RedisFanout
from bot.app.features import FEATURES
from bot.app.redoc import install_redoc
from bot.app.settings import Settings, load_settings
from bot.conversation.service import ConversationService
from bot.core.feature import Feature
from bot.core.runtime import Runtime
from bot.delivery.worker import OutboxWorker
from channels.base import HoldsConnections


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None,
               workers: bool | None = None,
               features: Sequence[Feature] = FEATURES) -> FastAPI:
    """The Pintu web application.

    ``runtime`` lets tests share one prepared runtime; ``workers`` overrides
    ``server.workers`` (the outbox worker and the features' background tasks).
    """
    if settings is None:
        settings = cast(Settings, runtime.settings) if runtime else load_settings()
    run_workers = settings.server.workers if workers is None else workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or await build_runtime(settings)
        app.state.runtime = rt
        app.state.service = ConversationService(rt)
        for feature in features:
            if feature.setup is not None:
                feature.setup(app, rt)
        for feature in features:
            # After every feature is wired, before the first request.
            if feature.startup is not None:
                await feature.startup(rt)
        fanout: RedisFanout | None = None
        if rt.settings.redis.url:
            fanout = RedisFanout(rt, rt.settings.redis.url,
                                 f"{rt.settings.redis.channel_prefix}-live")
            await fanout.start()
        worker: OutboxWorker | None = None
        tasks: list[asyncio.Task[None]] = []
        if run_workers:
            worker = OutboxWorker(rt)
            worker.start()
            tasks = [asyncio.create_task(task(rt), name=f"pintu-{feature.name}")
                     for feature in features for task in feature.background]
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            if fanout is not None:
                await fanout.stop()
            for task in [*tasks, *rt.shutdown_tasks]:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            for feature in features:
                if feature.shutdown is not None:
                    with contextlib.suppress(Exception):
                        await feature.shutdown(rt)
            for adapter in rt.adapters.values():
                if isinstance(adapter, HoldsConnections):
                    with contextlib.suppress(Exception):
                        await adapter.close()
            if runtime is None:
                await rt.engine.dispose()

    # /docs and /redoc with Swagger UI and ReDoc from the fastapi-offline package: no CDN.
    app = FastAPIOffline(title="Pintu", version="0.1.0", lifespan=lifespan, redoc_url=None,
                         description="Citizen chatbot and omnichannel intake for public services.")
    install_redoc(app)  # ReDoc's bundle without its one CDN request
    app.state.settings = settings

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": ".".join(str(p) for p in e["loc"]), "error": e["msg"]}
                    for e in exc.errors()]
        return JSONResponse({"detail": "invalid request", "problems": problems}, status_code=422)

    for feature in features:
        if feature.mount is not None:
            feature.mount(app)
        for router in feature.routers:
            app.include_router(router)
    return app
