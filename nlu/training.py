"""The project's shipped training data and its calibration groups.

The shipped data is Rasa NLU YAML in ``nlu/data/nlu.yml`` (see :mod:`nlu.rasa_yaml`
for how categories are encoded). It is generated from the project's own seed
sentences by the development tool ``tools/nlu_datagen`` (not part of the runtime
package); regenerate with ``python -m tools.nlu_datagen``.

The generator also writes ``nlu/data/nlu_groups.tsv``: for every generated
text, the seed scenario it was built from. The trainer holds out whole groups
when it fits its confidence calibration (:mod:`nlu.embedded`), so variants of
one seed are never on both sides. Texts are keyed by :func:`text_key`, so the
groups also apply when the shipped examples come back from the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from nlu.examples import TrainingExample
from nlu.rasa_yaml import read_nlu_yaml

# TrainingExample is defined in nlu.examples; it is re-exported here so older imports
# (``from nlu.training import TrainingExample``) keep working.
__all__ = [
    "SHIPPED_GROUPS_PATH",
    "SHIPPED_NLU_PATH",
    "TrainingExample",
    "example_groups",
    "example_weights",
    "load_shipped_examples",
    "shipped_groups",
    "text_key",
]

SHIPPED_NLU_PATH = Path(__file__).resolve().parent / "data" / "nlu.yml"
SHIPPED_GROUPS_PATH = SHIPPED_NLU_PATH.with_name("nlu_groups.tsv")


def load_shipped_examples(path: Path | None = None) -> list[TrainingExample]:
    """The project's shipped training examples (``nlu/data/nlu.yml``)."""
    target = path or SHIPPED_NLU_PATH
    data = read_nlu_yaml(target.read_text(encoding="utf-8"), source="shipped")
    return list(data.examples)


def text_key(text: str) -> str:
    """A short stable key of one example text (whitespace and case folded)."""
    return hashlib.sha1(" ".join(text.split()).lower().encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def shipped_groups(path: Path | None = None) -> dict[str, str]:
    """:func:`text_key` -> seed group of the shipped examples; empty when the file is absent."""
    target = path or SHIPPED_GROUPS_PATH
    if not target.exists():
        return {}
    groups: dict[str, str] = {}
    for line in target.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, group = line.partition("\t")
            if group:
                groups[key] = group
    return groups


def example_groups(examples: Sequence[TrainingExample]) -> list[str]:
    """The calibration group of each example: its shipped seed group when the text is a
    shipped one, else the example's own text (one group per distinct message)."""
    known = shipped_groups()
    out: list[str] = []
    for ex in examples:
        key = text_key(ex.text)
        out.append(known.get(key) or f"text/{key}")
    return out


# Examples an agency imported from its own history (nlu.lapor) rather than written for
# the project.
IMPORTED_SOURCES = frozenset({"lapor"})
MIN_SHARE = 0.5  # the smaller side weighs at least half of the larger one ...
MAX_WEIGHT = 8.0  # ... but no example counts more than this many times


def example_weights(examples: Sequence[TrainingExample]) -> list[float]:
    """Sample weights that mix imported and other examples so neither drowns the other.

    A few hundred reports imported beside thousands of shipped examples would barely
    move the model; fifty thousand would bury the shipped wording. The smaller side's
    examples weigh so that it counts for at least :data:`MIN_SHARE` of the larger one,
    each at most :data:`MAX_WEIGHT` times; the larger side weighs 1.
    """
    imported = [ex.source in IMPORTED_SOURCES for ex in examples]
    n_imported = sum(imported)
    n_other = len(examples) - n_imported
    if not n_imported or not n_other:
        return [1.0] * len(examples)
    small_is_imported = n_imported < n_other
    small, large = sorted((n_imported, n_other))
    weight = min(MAX_WEIGHT, max(1.0, MIN_SHARE * large / small))
    return [weight if flag == small_is_imported else 1.0 for flag in imported]
