"""Everything a running Pintu process holds: settings, database, catalog, NLU, channels.

Built once by :func:`bot.app.factory.build_runtime` (or by tests), never at import time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.hooks import Hooks
from bot.core.settings import CoreSettings
from channels.base import ChannelAdapter
from nlu.types import IntentClassifier
from routing.catalog import Catalog
from storage.ports import Repositories
from storage.repositories import sql_repositories


class NluHolder:
    """The live NLU model, swappable while the server runs (admins promote new versions)."""

    def __init__(self, classifier: IntentClassifier, version: str | None = None) -> None:
        self._lock = threading.Lock()
        self._classifier = classifier
        self._version = version

    @property
    def classifier(self) -> IntentClassifier:
        """The model to parse with now."""
        return self._classifier

    @property
    def version(self) -> str | None:
        """The live version's name."""
        return self._version

    def swap(self, classifier: IntentClassifier, version: str | None) -> None:
        """Switch to another model; parses already running finish on the old one."""
        with self._lock:
            self._classifier = classifier
            self._version = version


@dataclass
class NluLiveState:
    """What this process knows about the live NLU version (kept by the NLU admin feature)."""

    # Seconds between checks for a newly promoted version; None means the settings' value.
    watch_seconds: float | None = None
    # Some version was recorded as live in the database (asked once per process).
    registered: bool = False
    # Versions that failed to load here, with the reason (not retried every check).
    failed_loads: dict[str, str] = field(default_factory=dict)


@dataclass
class Runtime:
    """The process's shared state."""

    settings: CoreSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    catalog: Catalog
    nlu: NluHolder
    adapters: dict[str, ChannelAdapter] = field(default_factory=dict)
    outbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    hooks: Hooks = field(default_factory=Hooks)
    # Notified after commit of new tickets/messages (console live updates).
    listeners: list[Callable[[str, dict[str, Any]], None]] = field(default_factory=list)
    # Tasks started while serving (training jobs) that shutdown cancels and awaits,
    # so they can record that they were interrupted.
    shutdown_tasks: set[asyncio.Task[None]] = field(default_factory=set)
    nlu_live: NluLiveState = field(default_factory=NluLiveState)
    # The repositories over one unit of work: features and the web edge reach storage
    # only through these ports (SQL by default; another engine plugs in here).
    repositories: Callable[[AsyncSession], Repositories] = sql_repositories

    def reload_catalog(self) -> Catalog:
        """Load the catalog file again and switch to it (raises CatalogError, keeping the old)."""
        from routing.catalog import load_catalog
        from routing.service_picking import service_picker

        catalog = load_catalog(
            self.settings.catalog.path, extra_holidays=self.settings.catalog.holidays,
            overrides=self.settings.catalog.overrides_file(),
        )
        # Train the new catalog's service picker before switching, so no message waits on it.
        service_picker(catalog, self.settings.nlu.service_threshold)
        self.catalog = catalog
        return self.catalog

    def unit_name(self, unit_id: str) -> str:
        """A unit's name, even for a unit a catalog reload removed."""
        if self.catalog.has_unit(unit_id):
            return self.catalog.unit(unit_id).name
        return unit_id

    def unit_short_name(self, unit_id: str) -> str:
        """A unit's short name (else its name), even after a reload removed it."""
        if self.catalog.has_unit(unit_id):
            unit = self.catalog.unit(unit_id)
            return unit.short_name or unit.name
        return unit_id

    def notify(self, event: str, data: dict[str, Any]) -> None:
        """Tell in-process listeners (console live inbox) that something changed."""
        for listener in list(self.listeners):
            try:
                listener(event, data)
            except Exception:  # a broken listener must not break intake
                continue
