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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import yaml
from numpy.typing import NDArray

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
    return _words(normalize(text))


def _words(normalized: str) -> tuple[str, ...]:
    # Words only: placeholders (<money>) and the "?"/"!" tokens name no service.
    return tuple(t for t in normalized.split()
                 if not t.startswith("<") and any(ch.isalnum() for ch in t))


class ServicePicker:
    """Picks a service for a message; built from the catalog's services (see module doc)."""

    def __init__(self, services: Sequence[ServiceDescription], *,
                 extra_examples: Mapping[str, Sequence[str]] | None = None,
                 threshold: float = DEFAULT_SERVICE_THRESHOLD) -> None:
        self.services = {s.code: s for s in services}
        self.threshold = threshold
        # Keyword phrases by their first word, so finding them is one pass over the text.
        self._phrases_by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for s in services:
            for k in s.keywords:
                phrase = _tokens(k)
                if phrase:
                    self._phrases_by_first.setdefault(phrase[0], []).append((phrase, k, s.code))
        extra = shipped_examples() if extra_examples is None else extra_examples
        texts: list[str] = []
        labels: list[str] = []
        for s in services:
            for text in (*s.examples, *s.keywords, *extra.get(s.code, ())):
                texts.append(normalize(text))
                labels.append(s.code)
        self._codes: list[str] = sorted(set(labels))
        self._model = self._train(texts, labels) if len(self._codes) > 1 else None

    @staticmethod
    def _train(texts: list[str], labels: list[str]) -> LinearScorer:
        return LinearScorer.from_pipeline(fit_pipeline(texts, labels))

    def _probabilities(self, normalized: str) -> dict[str, float]:
        if self._model is None:
            return {code: 1.0 for code in self._codes}
        return self._model.probabilities(normalized)

    def _evidence(self, tokens: tuple[str, ...]) -> dict[str, str]:
        """The longest keyword of each service found in the text."""
        best: dict[str, tuple[int, str]] = {}
        for i, token in enumerate(tokens):
            for phrase, keyword, code in self._phrases_by_first.get(token, ()):
                if tokens[i:i + len(phrase)] == phrase:
                    best[code] = max(best.get(code, (0, "")), (len(phrase), keyword))
        return {code: keyword for code, (_, keyword) in best.items()}

    def pick(self, text: str, category: Prediction | None = None) -> ServicePrediction | None:
        """The best service for ``text`` (None when the catalog has no services or no words)."""
        normalized = normalize(text)
        tokens = _words(normalized)
        if not self.services or not tokens:
            return None
        probs = self._probabilities(normalized)
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



def fit_pipeline(texts: list[str], labels: list[str]) -> Any:
    """The scikit-learn tf-idf + logistic-regression pipeline the picker is trained as."""
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


class LinearScorer:
    """The fitted tf-idf + logistic-regression pipeline, applied without scikit-learn.

    scikit-learn's per-call checks cost milliseconds for one sentence (a pick
    took ~3.7 ms of CPU, ten times the whole intent/category parse); the same
    arithmetic on the fitted vocabularies, idf weights and coefficients takes
    tens of microseconds. ``tests/nlu/test_services.py`` checks that both give
    the same probabilities.
    """

    def __init__(self, blocks: list[tuple[Callable[[str], list[str]], dict[str, int],
                                          NDArray[np.float64]]],
                 weights: NDArray[np.float64], bias: NDArray[np.float64],
                 classes: list[str]) -> None:
        self._blocks = blocks
        self._weights = weights  # (n_features, n_classes)
        self._bias = bias
        self.classes = classes

    @classmethod
    def from_pipeline(cls, model: Any) -> LinearScorer:
        """Take the analyzers, vocabularies, idf and coefficients of a fitted pipeline."""
        union, logreg = model.steps[0][1], model.steps[-1][1]
        blocks = []
        for _, vectorizer in union.transformer_list:
            vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
            blocks.append((vectorizer.build_analyzer(), vocabulary,
                           np.asarray(vectorizer.idf_, dtype=np.float64)))
        coef = np.asarray(logreg.coef_, dtype=np.float64)
        return cls(blocks, np.ascontiguousarray(coef.T),
                   np.asarray(logreg.intercept_, dtype=np.float64),
                   [str(c) for c in logreg.classes_])

    def decision(self, normalized: str) -> NDArray[np.float64]:
        """The linear scores of each class (as ``decision_function``)."""
        scores = self._bias.copy()
        offset = 0
        for analyze, vocabulary, idf in self._blocks:
            counts: dict[int, int] = {}
            for gram in analyze(normalized):
                index = vocabulary.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if counts:
                indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                values = (1.0 + np.log(tf)) * idf[indices]  # sublinear tf times idf
                values /= np.sqrt(values @ values)  # l2, per vectorizer as scikit-learn
                scores += values @ self._weights[offset + indices]
            offset += len(idf)
        return scores

    def probabilities(self, normalized: str) -> dict[str, float]:
        """Class probabilities (as ``predict_proba``: softmax, or a sigmoid for two)."""
        z = self.decision(normalized)
        if len(self.classes) == 2:
            p1 = float(1.0 / (1.0 + np.exp(-z[0])))
            return {self.classes[0]: 1.0 - p1, self.classes[1]: p1}
        e = np.exp(z - z.max())
        e /= e.sum()
        return {c: float(p) for c, p in zip(self.classes, e, strict=True)}
