"""A feature as the composition root wires it: routes, mounts, hooks, start and stop."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI

from bot.core.runtime import Runtime

BackgroundTask = Callable[[Runtime], Coroutine[Any, Any, None]]
# A CLI command group: adds its sub-commands to ``pintu``'s parser.
Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


@dataclass(frozen=True)
class Feature:
    """One feature's contribution to the app.

    ``mount`` adds sub-applications (static files, socket.io) before the
    ``routers`` are included; ``setup`` registers hooks and adapters on the
    runtime; ``startup`` runs once every feature is set up, before the first
    request; ``background`` tasks run while serving when workers are enabled;
    ``shutdown`` runs when the app stops.
    """

    name: str
    routers: tuple[APIRouter, ...] = ()
    mount: Callable[[FastAPI], None] | None = None
    setup: Callable[[FastAPI, Runtime], None] | None = None
    startup: Callable[[Runtime], Awaitable[None]] | None = None
    background: tuple[BackgroundTask, ...] = ()
    shutdown: Callable[[Runtime], Awaitable[None]] | None = None
