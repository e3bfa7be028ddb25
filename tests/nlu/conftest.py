"""NLU test fixtures: the session's trained model (trained once, in ``tests/conftest.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.embedded import EmbeddedClassifier
from nlu.model_store import ModelStore


@pytest.fixture(scope="session")
def model(nlu_model_dir: Path) -> EmbeddedClassifier:
    """The embedded classifier trained on the shipped data."""
    return ModelStore(nlu_model_dir).load()
