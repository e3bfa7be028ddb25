"""The labelled training example: the one shape every reader, writer and trainer shares.

It lives in a module of its own, below both :mod:`nlu.rasa_yaml` (which reads and
writes examples) and :mod:`nlu.training` (which loads the shipped ones through
the YAML reader), so neither has to import the other to name the type.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TrainingExample:
    """One labelled message. ``category`` is set for complaints and aspirations."""

    text: str
    intent: str
    category: str | None = None
    source: str = "shipped"
