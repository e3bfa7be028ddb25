"""Retraining in the background, with progress and an evaluation report.

A training job is an asyncio task of the process that started it; the heavy
work (fitting, scoring, drawing) runs in threads so the server keeps
answering. Progress is written to the version's row (``metrics.progress``)
so any process can show it. The report: accuracy, macro-F1 and per-label
precision/recall/F1 on a stratified held-out split of the examples (a model
fitted on the rest), the same on the held-out part of the imported SP4N-LAPOR!
reports alone, the same on every uploaded eval set (for the live model
too, side by side), and a confusion-matrix picture next to the model file.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import re
import secrets
import socket
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.core.runtime import Runtime
from bot.nlu_admin.custom_intents import trainable, training_extras
from bot.nlu_admin.data import NluAdminError, training_examples
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from nlu.embedded import EmbeddedClassifier
from nlu.evaluate import NULL_LABEL, EvalFileError, evaluate, read_jsonl
from nlu.examples import TrainingExample
from nlu.lapor import LAPOR_SOURCE
from nlu.model_store import MODEL_SUFFIX, ModelStore, resolve_model_dir
from nlu.rasa_extractors import RasaExtras
from nlu.taxonomy import CATEGORY_INTENTS
from nlu.types import IntentClassifier, NluResult
from storage.locks import locked_transaction
from storage.models import NluModelVersion, utcnow
from storage.ports import ModelVersionRepositoryPort

log = logging.getLogger(__name__)

HOLDOUT_FRACTION = 0.2
SPLIT_SEED = 7415
# Labels with fewer examples stay wholly in the training part (too few to measure).
MIN_PER_LABEL_FOR_HOLDOUT = 5
# A job still "training" after this long died with its process; another may start.
STALE_TRAINING = timedelta(hours=1)
EVALSET_DIR = "evalsets"
TRAIN_LOCK = "nlu-training"
INTERRUPTED = "interrupted by a restart"
# Versions this process is training right now (over every runtime of the process).
_RUNNING: set[str] = set()
MAX_EVALSET_BYTES = 20 * 1024 * 1024
_EVALSET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


# --------------------------------------------------------------------------- splitting, scoring

def stratified_split(examples: Sequence[TrainingExample], fraction: float = HOLDOUT_FRACTION,
                     seed: int = SPLIT_SEED
                     ) -> tuple[list[TrainingExample], list[TrainingExample]]:
    """(train, held out): ``fraction`` of every (intent, category) label held out, the
    same split for the same data (fixed seed)."""
    groups: dict[tuple[str, str | None], list[TrainingExample]] = defaultdict(list)
    for ex in examples:
        groups[(ex.intent, ex.category)].append(ex)
    rng = random.Random(seed)
    train: list[TrainingExample] = []
    test: list[TrainingExample] = []
    for key in sorted(groups, key=lambda k: (k[0], k[1] or "")):
        members = sorted(groups[key], key=lambda e: e.text)
        rng.shuffle(members)
        n_test = int(len(members) * fraction) if len(members) >= MIN_PER_LABEL_FOR_HOLDOUT else 0
        test.extend(members[:n_test])
        train.extend(members[n_test:])
    return train, test


def example_rows(examples: Sequence[TrainingExample]) -> list[dict[str, Any]]:
    """Examples as eval-format rows (category only where it means something)."""
    return [{"text": e.text, "intent": e.intent,
             "category": e.category if e.intent in CATEGORY_INTENTS else None}
            for e in examples]


class _Replay:
    """A classifier answering from parses already made (score once, report twice)."""

    def __init__(self, results: dict[str, NluResult]) -> None:
        self._results = results

    def parse(self, text: str) -> NluResult:
        return self._results[text]


def score_rows(classifier: IntentClassifier, rows: Sequence[dict[str, Any]]
               ) -> tuple[dict[str, Any], dict[str, list[tuple[str, str]]]]:
    """The evaluation report of ``rows`` and the (expected, predicted) pairs of intent and
    category (for the confusion matrices)."""
    results = {str(r.get("text", "")): classifier.parse(str(r.get("text", ""))) for r in rows}
    report = evaluate(_Replay(results), rows)
    pairs: dict[str, list[tuple[str, str]]] = {"intent": [], "category": []}
    for row in rows:
        result = results[str(row.get("text", ""))]
        if row.get("intent") is not None:
            pairs["intent"].append((str(row["intent"]), result.intent.label))
        if row.get("category") is not None:
            predicted = result.category.label if result.category else NULL_LABEL
            pairs["category"].append((str(row["category"]), predicted))
    return report, pairs


def confusion_png(pairs: dict[str, list[tuple[str, str]]], path: Path, title: str) -> Path:
    """Draw the intent and category confusion matrices (counts, colour by row share)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fields = [f for f in ("intent", "category") if pairs.get(f)]
    sizes = [len({e for e, _ in pairs[f]} | {p for _, p in pairs[f]}) for f in fields] or [1]
    side = max(4.0, 0.42 * max(sizes) + 2.5)
    fig, axes = plt.subplots(1, max(len(fields), 1), figsize=(side * max(len(fields), 1), side),
                             squeeze=False)
    for ax, field in zip(axes[0], fields, strict=False):
        labels = sorted({e for e, _ in pairs[field]} | {p for _, p in pairs[field]})
        index = {label: i for i, label in enumerate(labels)}
        matrix = np.zeros((len(labels), len(labels)), dtype=int)
        for expected, predicted in pairs[field]:
            matrix[index[expected], index[predicted]] += 1
        totals = matrix.sum(axis=1, keepdims=True)
        share = np.divide(matrix, totals, out=np.zeros(matrix.shape), where=totals > 0)
        ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
        ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("expected")
        ax.set_title(field)
        for i in range(len(labels)):
            for j in range(len(labels)):
                if matrix[i, j]:
                    ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7,
                            color="white" if share[i, j] > 0.5 else "black")
    if not fields:
        axes[0][0].text(0.5, 0.5, "no held-out examples", ha="center", va="center")
        axes[0][0].axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


# --------------------------------------------------------------------------- eval sets

def evalset_dir(rt: Runtime) -> Path:
    """Where uploaded eval files live."""
    return resolve_model_dir(rt.settings.nlu.model_dir) / EVALSET_DIR


def list_evalsets(rt: Runtime) -> list[str]:
    """Names of the uploaded eval files."""
    directory = evalset_dir(rt)
    return sorted(p.stem for p in directory.glob("*.jsonl")) if directory.is_dir() else []


def save_evalset(rt: Runtime, filename: str, content: bytes) -> tuple[str, int]:
    """Validate and store an eval file (the ``shared/eval`` JSONL format); its name and row
    count. :class:`NluAdminError` naming the line for a bad file; nothing is stored then."""
    stem = Path(filename or "").name.removesuffix(".jsonl")
    if not _EVALSET_NAME.match(stem):
        raise NluAdminError("the file name may use letters, digits, '.', '_' and '-' "
                            "and should end in .jsonl")
    if not content.strip():
        raise NluAdminError("the file is empty")
    if len(content) > MAX_EVALSET_BYTES:
        raise NluAdminError("the file is larger than 20 MB")
    directory = evalset_dir(rt)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".{stem}.{secrets.token_hex(4)}.part"
    partial.write_bytes(content)
    try:
        rows = read_jsonl(partial)
    except EvalFileError as exc:
        partial.unlink(missing_ok=True)
        raise NluAdminError(str(exc).replace(str(partial), f"{stem}.jsonl")) from exc
    if not rows:
        partial.unlink(missing_ok=True)
        raise NluAdminError("the file has no rows")
    partial.replace(directory / f"{stem}.jsonl")
    return stem, len(rows)


# --------------------------------------------------------------------------- jobs

def _train_kwargs(rt: Runtime) -> dict[str, Any]:
    s = rt.settings
    return {"intent_threshold": s.nlu.intent_threshold,
            "category_threshold": s.nlu.category_threshold,
            "ticket_prefix": s.tickets.prefix}


def _owner() -> dict[str, Any]:
    """This process, as recorded on the rows it trains (so a restart can tell its dead jobs)."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _tasks(rt: Runtime) -> set[asyncio.Task[None]]:
    # The app's shutdown cancels and awaits these (Runtime.shutdown_tasks).
    tasks = rt.shutdown_tasks
    return tasks


async def _new_version_name(rt: Runtime, repo: ModelVersionRepositoryPort) -> str:
    directory = resolve_model_dir(rt.settings.nlu.model_dir)
    for _ in range(20):
        name = f"nlu-{utcnow():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        if await repo.get(name) is None and not (directory / f"{name}{MODEL_SUFFIX}").exists():
            return name
    raise NluAdminError("could not pick a version name", 500)


async def start_training(rt: Runtime, ctx: StaffContext | None, *,
                         ip: str | None = None) -> NluModelVersion:
    """Record a new version (status "training") and train it in the background.

    :class:`NluAdminError` 409 while another training runs.
    """
    from bot.nlu_admin.versions import ensure_registered

    await ensure_registered(rt)  # the running model stays listed, for comparison and rollback
    # One job at a time: the check and the insert under one lock (of this process, and of
    # every process on PostgreSQL), so two admins pressing "train" at once start one job.
    async with locked_transaction(rt.sessions, TRAIN_LOCK) as session:
        repos = rt.repositories(session)
        repo = repos.versions
        running = await repo.training_since(utcnow() - STALE_TRAINING)
        if running is not None:
            raise NluAdminError(f"version {running.version} is still training", 409)
        custom, extras = await training_extras(repos)
        examples = trainable(await training_examples(repos), custom)
        name = await _new_version_name(rt, repo)
        row = await repo.add(NluModelVersion(
            version=name, path="", status="training", n_examples=len(examples),
            metrics={"progress": {"stage": "queued", "percent": 0}, "owner": _owner()},
            created_by=ctx.user_id if ctx else None, created_at=utcnow()))
        await audit(repos, ctx, "nlu_training_started", target_type="nlu_model_version",
                    target_id=name, data={"n_examples": len(examples)}, ip=ip)
        _RUNNING.add(name)  # before the row is visible: fail_interrupted must not take it
    task = asyncio.create_task(run_training(rt, name, examples, custom, extras),
                               name=f"pintu-train-{name}")
    tasks = _tasks(rt)
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    task.add_done_callback(lambda _t: _RUNNING.discard(name))
    return row


async def _progress(rt: Runtime, version: str, stage: str, percent: int) -> None:
    async with rt.sessions() as session, session.begin():
        row = await rt.repositories(session).versions.get(version)
        if row is not None:
            row.metrics = {**(row.metrics or {}), "progress": {"stage": stage, "percent": percent}}


async def run_training(rt: Runtime, version: str, examples: Sequence[TrainingExample],
                       custom_intents: Sequence[str] = (), extras: RasaExtras | None = None
                       ) -> None:
    """Measure on a held-out split, train the final model on everything, evaluate it on the
    eval sets (and the live model beside it), store the model, its picture and report.

    The row ends "trained" or "failed" (with the error); never raises, except that a
    cancellation (shutdown) is re-raised once the row is marked failed.
    """
    started = time.perf_counter()
    kwargs: dict[str, Any] = {**_train_kwargs(rt), "custom_intents": tuple(custom_intents),
                              "extras": extras}
    store = ModelStore(resolve_model_dir(rt.settings.nlu.model_dir))
    try:
        train_part, held_out = stratified_split(examples)
        await _progress(rt, version, "measuring", 10)
        # Calibration only rescales confidences; the held-out labels are the same without it.
        probe = await asyncio.to_thread(EmbeddedClassifier.train, train_part, calibrate=False,
                                        **kwargs)
        await _progress(rt, version, "evaluating", 35)
        heldout, pairs = await asyncio.to_thread(score_rows, probe, example_rows(held_out))
        # the agency's own reports, measured apart: the figure an import is for
        imported = [e for e in held_out if e.source == LAPOR_SOURCE]
        heldout_lapor = ((await asyncio.to_thread(score_rows, probe, example_rows(imported)))[0]
                         if imported else None)
        del probe
        await _progress(rt, version, "training", 45)
        final = await asyncio.to_thread(EmbeddedClassifier.train, examples, version=version,
                                        **kwargs)
        await _progress(rt, version, "evaluating", 80)
        info = await asyncio.to_thread(store.save, final)
        if info.version != version:
            raise RuntimeError(f"the model file for {version} already exists")
        picture = info.path.with_name(f"{version}.confusion.png")
        await asyncio.to_thread(confusion_png, pairs, picture,
                                f"{version}: held-out {len(held_out)} examples")
        evalsets: dict[str, Any] = {}
        live_sets: dict[str, Any] = {}
        live = rt.nlu.classifier
        for name in list_evalsets(rt):
            try:
                rows = await asyncio.to_thread(read_jsonl, evalset_dir(rt) / f"{name}.jsonl")
            except EvalFileError as exc:
                evalsets[name] = {"error": str(exc)}
                continue
            evalsets[name] = (await asyncio.to_thread(score_rows, final, rows))[0]
            try:
                live_sets[name] = (await asyncio.to_thread(score_rows, live, rows))[0]
            except Exception as exc:  # a remote live backend may be down; the report stands
                live_sets[name] = {"error": str(exc)}
        metrics = {
            "progress": {"stage": "done", "percent": 100},
            "split": {"train": len(train_part), "held_out": len(held_out),
                      "fraction": HOLDOUT_FRACTION, "seed": SPLIT_SEED},
            "heldout": heldout,
            "heldout_lapor": heldout_lapor,
            "evalsets": evalsets,
            "live_compare": {"version": rt.nlu.version, "evalsets": live_sets},
            "confusion": picture.name,
        }
        async with rt.sessions() as session, session.begin():
            row = await rt.repositories(session).versions.get(version)
            if row is not None:
                row.status, row.path, row.metrics = "trained", str(info.path), metrics
                row.training_seconds = round(time.perf_counter() - started, 2)
        log.info("trained NLU version %s in %.1fs", version, time.perf_counter() - started)
    except Exception as exc:
        log.exception("training NLU version %s failed", version)
        await _record_failure(rt, version, str(exc) or type(exc).__name__)
    except BaseException as exc:
        # Cancelled (the server stops) or the process exits: the row must not stay
        # "training" (that would block retraining); the cancellation goes on.
        if isinstance(exc, GeneratorExit):
            raise  # the coroutine is being closed: nothing may be awaited any more
        log.warning("training NLU version %s was interrupted", version)
        await asyncio.shield(_record_failure(rt, version, INTERRUPTED))
        raise


async def _record_failure(rt: Runtime, version: str, error: str) -> None:
    try:
        async with rt.sessions() as session, session.begin():
            row = await rt.repositories(session).versions.get(version)
            if row is not None and row.status == "training":
                row.status, row.error = "failed", error[:2000]
                row.metrics = {**(row.metrics or {}),
                               "progress": {"stage": "failed", "percent": 100}}
    except Exception:
        log.exception("could not record the failure of %s", version)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # not ours to signal (PermissionError): it exists
        return True
    return True


async def fail_interrupted(rt: Runtime) -> list[str]:
    """Mark the jobs left "training" by a process of this host that is gone (a restart,
    a crash) as failed; the versions marked. Jobs of other hosts are left alone (they end
    themselves, or become stale after :data:`STALE_TRAINING`)."""
    marked: list[str] = []
    me = _owner()
    async with locked_transaction(rt.sessions, TRAIN_LOCK) as session:
        for row in await rt.repositories(session).versions.in_training():
            owner = (row.metrics or {}).get("owner")
            if isinstance(owner, dict):
                if owner.get("host") != me["host"]:
                    continue
                pid = owner.get("pid")
                ours = pid == me["pid"]
                if (ours and row.version in _RUNNING) or (
                        not ours and isinstance(pid, int) and _alive(pid)):
                    continue
            row.status, row.error = "failed", INTERRUPTED
            row.metrics = {**(row.metrics or {}), "progress": {"stage": "failed", "percent": 100}}
            marked.append(row.version)
    for version in marked:
        log.warning("NLU version %s was left training by a stopped process: marked failed",
                    version)
    return marked


async def wait_for_training(rt: Runtime) -> None:
    """Wait until this process's training jobs are done (tests, shutdown)."""
    tasks = list(_tasks(rt))
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
