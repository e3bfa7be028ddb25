"""The service picker: which catalog service a message is about, below its category.

A separate, small model beside the intent/category classifier: it learns from
the example sentences and keywords of the live catalog's services plus the
shipped sentences in ``nlu/data/services.yml``, so a government that adds its
own services in its catalog gets them picked without retraining the main
model. It is rebuilt when the catalog is (re)loaded (cheap: a few hundred
sentences).

Scoring: a logistic regression over character and word n-grams of the
normalised text gives each service a probability; a service keyword found in
the text ("lampu jalan", "samsat") is evidence that lifts it. When the
classifier is confident of the category, only that category's services are
candidates (a KK mentioned in a school-admission complaint is not the KK
service); a category with no service leaves the best guess below the
threshold, and a category whose services are all oversight (civil service
conduct) picks that service. A keyword of an oversight service (pungli, suap,
"minta uang") decides on its own: a complaint about an officer must never be
taken for the service the officer was delivering. Without a keyword the
score is damped, so a message that names no service rarely clears the
threshold and routing falls back to the category's owner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import yaml

from nlu.normalize import normalize
from nlu.types import Prediction, ServicePrediction

SHIPPED_EXAMPLES_PATH: Final = Path(__file__).resolve().parent / "data" / "services.yml"
DEFAULT_SERVICE_THRESHOLD: Final = 0.50
# With a keyword in the text: 0.5 + 0.5 * p. Without: p * 0.75 (rarely above 0.5).
_KEYWORD_FLOOR: Final = 0.5
_NO_KEYWORD_DAMPING: Final = 0.75
_OVERSIGHT_CONFIDENCE: Final = 0.9
_OTHER_CATEGORY_DAMPING: Final = 0.5
_RANKING_SIZE: Final = 5
# Oversight keywords that name misconduct whoever does it ("pungli", "suap"); other
# oversight keywords ("minta uang") count only next to a word for the apparatus, since
# a broker or a street gang asking for money is not a complaint about an officer.
_MISCONDUCT_WORDS: Final = frozenset({
    "pungli", "pungutan liar", "suap", "menyuap", "disuap", "sogok", "sogokan", "gratifikasi",
    "pemerasan", "uang pelicin", "bribe", "bribery", "extortion",
})
_APPARATUS_WORDS: Final = frozenset({
    "petugas", "pegawai", "oknum", "pejabat", "aparat", "aparatur", "asn", "pns", "staf",
    "lurah", "kades", "camat", "sekdes", "perangkat", "kelurahan", "kecamatan", "desa",
    "dinas", "kantor", "loket", "guru", "sekolah", "polisi", "satpol", "dishub", "samsat",
    "dukcapil", "disdukcapil", "puskesmas", "officer", "official", "clerk", "staff",
})


@dataclass(frozen=True)
class ServiceDescription:
    """What the picker needs to know of a catalog service."""

    code: str
    category: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    oversight: bool = False


@lru_cache(maxsize=1)
def shipped_examples() -> Mapping[str, tuple[str, ...]]:
    """The shipped training sentences by service code (``nlu/data/services.yml``)."""
    data = yaml.safe_load(SHIPPED_EXAMPLES_PATH.read_text(encoding="utf-8")) or {}
    return {str(code): tuple(str(t) for t in texts or ()) for code, texts in data.items()}


def _tokens(text: str) -> tuple[str, ...]:
    # Words only: placeholders (<money>) and the "?"/"!" tokens name no service.
    return tuple(t for t in normalize(text).split()
                 if not t.startswith("<") and any(ch.isalnum() for ch in t))


def _contains(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1))


class ServicePicker:
    """Picks a service for a message; built from the catalog's services (see module doc)."""

    def __init__(self, services: Sequence[ServiceDescription], *,
                 extra_examples: Mapping[str, Sequence[str]] | None = None,
                 threshold: float = DEFAULT_SERVICE_THRESHOLD) -> None:
        self.services = {s.code: s for s in services}
        self.threshold = threshold
        self._keywords = {s.code: [(_tokens(k), k) for k in s.keywords if _tokens(k)]
                          for s in services}
        extra = shipped_examples() if extra_examples is None else extra_examples
        texts: list[str] = []
        labels: list[str] = []
        for s in services:
            for text in (*s.examples, *s.keywords, *extra.get(s.code, ())):
                texts.append(normalize(text))
                labels.append(s.code)
        self._codes: list[str] = sorted(set(labels))
        self._model: Any = self._train(texts, labels) if len(self._codes) > 1 else None

    @staticmethod
    def _train(texts: list[str], labels: list[str]) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                            token_pattern=r"[^\s]+"),
        )
        from threadpoolctl import threadpool_limits

        model = make_pipeline(features, LogisticRegression(C=10.0, max_iter=300, tol=1e-3))
        # One BLAS thread: on a busy machine more threads make this small fit 10x slower.
        with threadpool_limits(limits=1):
            model.fit(texts, labels)
        return model

    def _probabilities(self, text: str) -> dict[str, float]:
        if self._model is None:
            return {code: 1.0 for code in self._codes}
        probs = self._model.predict_proba([normalize(text)])[0]
        classes = [str(c) for c in self._model.classes_]
        return {c: float(p) for c, p in zip(classes, np.asarray(probs), strict=True)}

    def _evidence(self, tokens: tuple[str, ...]) -> dict[str, str]:
        """The longest keyword of each service found in the text."""
        found: dict[str, str] = {}
        for code, phrases in self._keywords.items():
            hits = [(len(t), k) for t, k in phrases if _contains(tokens, t)]
            if hits:
                found[code] = max(hits)[1]
        return found

    def pick(self, text: str, category: Prediction | None = None) -> ServicePrediction | None:
        """The best service for ``text`` (None when the catalog has no services or no words)."""
        tokens = _tokens(text)
        if not self.services or not tokens:
            return None
        probs = self._probabilities(text)
        evidence = self._evidence(tokens)
        about_staff = any(t in _APPARATUS_WORDS for t in tokens)
        oversight = [c for c in evidence if self.services[c].oversight
                     and (about_staff or evidence[c] in _MISCONDUCT_WORDS)]
        if oversight:
            code = max(oversight, key=lambda c: probs.get(c, 0.0))
            score = max(_OVERSIGHT_CONFIDENCE, probs.get(code, 0.0))
            return self._prediction(code, score, probs, evidence)
        wanted = category.label if category is not None and category.confident else None
        candidates = [c for c in self.services
                      if wanted is None or self.services[c].category == wanted]
        if wanted is not None and candidates and all(
                self.services[c].oversight for c in candidates):
            # The category itself is about the apparatus (civil service conduct).
            code = max(candidates, key=lambda c: probs.get(c, 0.0))
            assert category is not None
            return self._prediction(code, max(category.confidence, probs.get(code, 0.0)),
                                    probs, evidence)
        if not candidates:
            # No service of the category the classifier is sure of: show the best guess,
            # but never confident enough to send the report to that service's unit.
            candidates = list(self.services)
            damping = _OTHER_CATEGORY_DAMPING
        else:
            damping = 1.0

        def weight(code: str) -> float:
            return probs.get(code, 0.0) * (2.0 if code in evidence else 1.0)

        code = max(candidates, key=weight)
        p = probs.get(code, 0.0)
        score = _KEYWORD_FLOOR + _KEYWORD_FLOOR * p if code in evidence else p * _NO_KEYWORD_DAMPING
        return self._prediction(code, score * damping, probs, evidence)

    def _prediction(self, code: str, score: float, probs: Mapping[str, float],
                    evidence: Mapping[str, str]) -> ServicePrediction:
        ranking = sorted(probs.items(), key=lambda kv: -kv[1])[:_RANKING_SIZE]
        service = self.services[code]
        return ServicePrediction(
            code=code, confidence=round(min(score, 1.0), 4), category=service.category,
            ranking=tuple((c, round(p, 4)) for c, p in ranking),
            confident=score >= self.threshold, oversight=service.oversight,
            evidence=evidence.get(code))
