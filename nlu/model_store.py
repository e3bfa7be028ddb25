"""Versioned model files: train, list, load the latest.

Each trained model is ``<dir>/<version>.joblib`` plus ``<dir>/<version>.json``
with its metadata (version, created_at, n_examples, training_seconds, labels).
Versions sort by time: ``nlu-YYYYMMDD-HHMMSS-<data hash>``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlu.embedded import EmbeddedClassifier
from nlu.examples import TrainingExample
from nlu.training import load_shipped_examples

log = logging.getLogger(__name__)

MODEL_SUFFIX = ".joblib"
DEFAULT_MODEL_DIR = Path("models")


def resolve_model_dir(configured: str | None) -> Path:
    """The model directory for the configured ``nlu.model_dir``: that path, or
    ``./models`` relative to the working directory when it is unset or empty.

    The one place this default lives, so the app, the CLI and the admin API agree.
    """
    return Path(configured) if configured else DEFAULT_MODEL_DIR


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Metadata of one stored model version."""

    version: str
    path: Path
    created_at: str
    n_examples: int
    training_seconds: float
    intents: tuple[str, ...]
    categories: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready metadata (the content of the ``.json`` file)."""
        return {
            "version": self.version,
            "path": str(self.path),
            "created_at": self.created_at,
            "n_examples": self.n_examples,
            "training_seconds": self.training_seconds,
            "labels": {"intents": list(self.intents), "categories": list(self.categories)},
        }


class ModelStore:
    """A directory of trained model versions."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def train(self, examples: Sequence[TrainingExample], **kwargs: Any) -> ModelInfo:
        """Train on ``examples`` (kwargs go to :meth:`EmbeddedClassifier.train`) and store it."""
        model = EmbeddedClassifier.train(examples, **kwargs)
        return self.save(model)

    def save(self, model: EmbeddedClassifier) -> ModelInfo:
        """Write ``model`` and its metadata; a version already present gets a suffix."""
        self.directory.mkdir(parents=True, exist_ok=True)
        version = model.version
        n = 2
        while (self.directory / f"{version}{MODEL_SUFFIX}").exists():
            version = f"{model.version}-{n}"
            n += 1
        if version != model.version:
            model = model.with_version(version)
        path = model.save(self.directory / f"{version}{MODEL_SUFFIX}")
        info = _info(model.info, path)
        (self.directory / f"{version}.json").write_text(
            json.dumps(info.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return info

    def list_versions(self) -> list[ModelInfo]:
        """All stored versions, oldest first (files without readable metadata are skipped)."""
        if not self.directory.is_dir():
            return []
        infos: list[ModelInfo] = []
        for meta in self.directory.glob("*.json"):
            path = meta.with_suffix(MODEL_SUFFIX)
            if not path.exists():
                continue
            try:
                data = json.loads(meta.read_text(encoding="utf-8"))
                infos.append(_info(data, path))
            except (ValueError, KeyError, TypeError):
                continue
        return sorted(infos, key=lambda i: (i.created_at, i.version))

    def latest(self) -> ModelInfo | None:
        """The newest stored version, or None."""
        versions = self.list_versions()
        return versions[-1] if versions else None

    def load(self, version: str | None = None) -> EmbeddedClassifier:
        """Load one version (default: the latest). FileNotFoundError if there is none."""
        if version is None:
            latest = self.latest()
            if latest is None:
                raise FileNotFoundError(f"no trained NLU model in {self.directory}")
            version = latest.version
        path = self.directory / f"{version}{MODEL_SUFFIX}"
        if not path.exists():
            raise FileNotFoundError(f"no NLU model version {version!r} in {self.directory}")
        return EmbeddedClassifier.load(path)


def _info(data: dict[str, Any], path: Path) -> ModelInfo:
    labels = data.get("labels") or {}
    return ModelInfo(
        version=str(data["version"]),
        path=path,
        created_at=str(data["created_at"]),
        n_examples=int(data["n_examples"]),
        training_seconds=float(data.get("training_seconds", 0.0)),
        intents=tuple(labels.get("intents", data.get("intents", ()))),
        categories=tuple(labels.get("categories", data.get("categories", ()))),
    )


def load_or_train_default(
    directory: str | Path,
    examples_provider: Callable[[], Sequence[TrainingExample]] | None = None,
    **train_kwargs: Any,
) -> EmbeddedClassifier:
    """The latest model in ``directory``; trains and stores one first if there is none
    (from ``examples_provider()``, default the shipped examples)."""
    store = ModelStore(directory)
    if store.latest() is not None:
        return store.load()
    examples = examples_provider() if examples_provider else load_shipped_examples()
    # The first start trains for a while (about half a minute): say so, never silently.
    log.warning("no trained NLU model in %s: training one from %d shipped examples "
                "(once; this takes a while)...", directory, len(examples))
    started = time.monotonic()
    info = store.train(examples, **train_kwargs)
    log.warning("NLU model %s trained in %.1f s", info.version, time.monotonic() - started)
    return store.load(info.version)
