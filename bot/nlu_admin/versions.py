"""Which model version is live, in every server process, without a restart.

The live version is the ``nlu_model_versions`` row with status "live".
Promotion is one transaction (the old live one is retired). The process that
promotes switches at once; every process also runs :func:`watch_live`, which
polls the live version every couple of seconds and, when it changed, loads
the model in a thread and swaps it in (:meth:`bot.core.runtime.NluHolder.swap`):
parses already running finish on the old model, so no message is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.core.runtime import Runtime
from bot.nlu_admin.data import NluAdminError
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from nlu.embedded import EmbeddedClassifier
from nlu.model_store import MODEL_SUFFIX, ModelStore, resolve_model_dir
from storage.locks import process_lock
from storage.models import NluModelVersion, utcnow
from storage.repositories.nlu import PROMOTABLE

log = logging.getLogger(__name__)

LIVE_LOCK = "nlu-live-version"


def watch_interval(rt: Runtime) -> float:
    """Seconds between two looks at the live version (``nlu.watch_interval_seconds`` when
    the settings have it; ``rt.nlu_live.watch_seconds`` overrides)."""
    configured = rt.nlu_live.watch_seconds
    if configured is None:
        configured = rt.settings.nlu.watch_interval_seconds
    return max(0.05, float(configured))


def embedded_backend(rt: Runtime) -> bool:
    """Whether this process parses with the embedded model (versions only apply to it)."""
    return rt.settings.nlu.backend == "embedded"


def _stored_path(rt: Runtime, version: str) -> str:
    path = resolve_model_dir(rt.settings.nlu.model_dir) / f"{version}{MODEL_SUFFIX}"
    return str(path) if path.exists() else ""


async def ensure_registered(rt: Runtime) -> None:
    """Record the running model as the live version when no version is live yet.

    Its file is saved into the model directory when it is not there (so it can be
    rolled back to later).
    """
    if not embedded_backend(rt) or not rt.nlu.version or rt.nlu_live.registered:
        return
    version = rt.nlu.version
    async with rt.sessions() as session:
        repo = rt.repositories(session).versions
        if await repo.live() is not None:
            rt.nlu_live.registered = True  # some version stays live from now on: ask once
            return
        known = await repo.get(version)
    classifier = rt.nlu.classifier
    path = known.path if known is not None else _stored_path(rt, version)
    info: dict[str, Any] = {}
    if isinstance(classifier, EmbeddedClassifier):
        info = classifier.info
        if not path:
            store = ModelStore(resolve_model_dir(rt.settings.nlu.model_dir))
            saved = await asyncio.to_thread(store.save, classifier)
            path = str(saved.path) if saved.version == version else ""
    try:
        # Under the lock promotions take, and looking again: of two processes (or tasks)
        # registering at once, only the first makes its version live.
        async with process_lock(LIVE_LOCK), rt.sessions() as session, session.begin():
            repo = rt.repositories(session).versions
            await repo.lock_live()
            if await repo.live() is not None:
                pass  # another process was quicker
            elif known is not None:
                if known.status in PROMOTABLE:
                    await repo.promote(version, None)
            else:
                await repo.add(NluModelVersion(
                    version=version, path=path, status="live",
                    n_examples=int(info.get("n_examples", 0)),
                    training_seconds=info.get("training_seconds"), metrics={}, created_by=None,
                    created_at=utcnow(), promoted_at=utcnow()))
    except IntegrityError:
        pass  # another process registered it first
    rt.nlu_live.registered = True


def _load_file(path: str) -> EmbeddedClassifier:
    if not path or not Path(path).exists():
        raise NluAdminError("the model file of this version is missing", 409)
    try:
        return EmbeddedClassifier.load(path)
    except Exception as exc:
        raise NluAdminError(f"the model file cannot be loaded: {exc}", 409) from exc


async def _load(path: str) -> EmbeddedClassifier:
    return await asyncio.to_thread(_load_file, path)


async def promote(rt: Runtime, ctx: StaffContext | None, version: str, *,
                  ip: str | None = None, action: str = "nlu_version_promoted"
                  ) -> NluModelVersion:
    """Make ``version`` live everywhere (this process at once; the others within the
    watch interval). :class:`NluAdminError`: unknown version (404), not promotable or
    its file unusable (409); nothing changes then."""
    if not embedded_backend(rt):
        raise NluAdminError("the NLU backend is rasa; only embedded models can be promoted",
                            409)
    await ensure_registered(rt)
    async with rt.sessions() as session:
        repo = rt.repositories(session).versions
        row = await repo.get(version)
        if row is None:
            raise NluAdminError("no such model version", 404)
        if row.status == "live":
            raise NluAdminError(f"{version} is already live", 409)
        if row.status not in PROMOTABLE:
            raise NluAdminError(f"{version} cannot be promoted ({row.status})", 409)
        current = await repo.live()
        path = row.path
    classifier = await _load(path)
    async with process_lock(LIVE_LOCK), rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        repo = repos.versions
        previous = current.version if current is not None else None
        if not await repo.promote(version, ctx.user_id if ctx else None):
            raise NluAdminError(f"{version} cannot be promoted any more", 409)
        await audit(repos, ctx, action, target_type="nlu_model_version", target_id=version,
                    data={"from": previous, "to": version}, ip=ip)
        promoted = await repo.get(version)
    rt.nlu.swap(classifier, version)
    assert promoted is not None
    return promoted


async def rollback(rt: Runtime, ctx: StaffContext | None, *,
                   ip: str | None = None) -> NluModelVersion:
    """Make the previously live version live again. NluAdminError 409 if there is none."""
    async with rt.sessions() as session:
        previous = await rt.repositories(session).versions.previous_live()
    if previous is None:
        raise NluAdminError("there is no earlier live version to roll back to", 409)
    return await promote(rt, ctx, previous.version, ip=ip, action="nlu_version_rolled_back")


async def sync_live(rt: Runtime) -> bool:
    """Switch this process to the recorded live version if it runs another; whether it
    switched. A model that cannot be loaded is logged and the current one kept."""
    if not embedded_backend(rt):
        return False
    async with rt.sessions() as session:
        pointer = await rt.repositories(session).versions.live_pointer()
    if pointer is None or pointer[0] == rt.nlu.version:
        return False
    version, path = pointer
    failed = rt.nlu_live.failed_loads
    if failed.get(version) == path:
        return False  # already tried; wait for another promotion rather than retry forever
    try:
        classifier = await _load(path)
    except NluAdminError as exc:
        failed[version] = path
        log.error("cannot switch to NLU version %s: %s", version, exc)
        return False
    rt.nlu.swap(classifier, version)
    log.info("switched to NLU version %s", version)
    return True


async def watch_live(rt: Runtime) -> None:
    """Background task: follow the live version (see the module docstring)."""
    while True:
        await asyncio.sleep(watch_interval(rt))
        try:
            await ensure_registered(rt)
            await sync_live(rt)
        except Exception:
            log.exception("checking the live NLU version failed")
