"""The default NLU backend: scikit-learn logistic regression over char and word n-grams.

Pipeline for one message: structured entities and the place are found on the raw
text; the text is normalised (:mod:`nlu.normalize`) with entities as
placeholders; features are word unigrams/bigrams and character 2-5-grams inside
words, TF-IDF weighted (sublinear tf), each block L2-normalised. Two
multinomial logistic regressions share the features: intent (all examples,
strongly regularised) and category (complaints/aspirations, weaker).
Probabilities are temperature-scaled with a temperature fitted on held-out
seed groups (whole generator scenarios the held-out model never saw, see
:func:`grouped_holdout`), so "0.8" means about 80% right on unseen messages
rather than on near-copies of the training data.

Training uses scikit-learn; prediction does not: the fitted weights are copied
into one dense matrix and a message is scored with a dict look-up per feature
and one small matrix product, which keeps a parse well under a millisecond.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from numpy.typing import NDArray

from nlu.agencies import named_units
from nlu.entities import DEFAULT_TICKET_PREFIX, structured_entities
from nlu.examples import TrainingExample
from nlu.lang import detect_lang
from nlu.normalize import normalize, normalize_with_entities
from nlu.places import extract_region
from nlu.rasa_extractors import RasaExtras
from nlu.taxonomy import CATEGORIES, CATEGORY_INTENTS, INTENTS
from nlu.training import example_groups, example_weights
from nlu.types import Entity, NluResult, Prediction, Region

log = logging.getLogger(__name__)

MODEL_FORMAT = 1
MAX_CHARS = 20_000  # longer messages are classified on their first 20k characters
_CHAR_MIN, _CHAR_MAX = 2, 5
_CACHE_LIMIT = 200_000
_WORD_WEIGHT = 1.0
_CHAR_WEIGHT = 1.0
# Unit cues (nlu.agencies): a unit the citizen asks to act, and any unit named.
_CUE_WEIGHT = {"a": 1.0, "m": 0.5}
# Regularisation, chosen on held-out seed scenarios (not on the dev set): the intent
# model wants strong regularisation (8 classes, repetitive generated data), the topic
# model weaker (17 classes, vocabulary-driven).
INTENT_C = 1.0
CATEGORY_C = 20.0
SVM_C = 0.1
LONG_TEXT = 300  # characters: a written report rather than a chat message
LONG_INTENT_WEIGHT = 0.3
SECONDARY_TEXT = LONG_TEXT  # characters: a chat message raises one problem (and stays fast)
SECONDARY_MIN = 0.6  # a sentence's own topic must be this clear to be listed as secondary
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _char_grams(token: str) -> list[str]:
    if token.startswith("<"):
        return []
    padded = f" {token} "
    n = len(padded)
    return [
        "c" + padded[i:i + k]
        for k in range(_CHAR_MIN, _CHAR_MAX + 1)
        for i in range(n - k + 1)
    ]


def _word_grams(tokens: Sequence[str]) -> list[str]:
    grams = ["w" + t for t in tokens]
    grams.extend(f"b{a} {b}" for a, b in pairwise(tokens))
    return grams


@dataclass(frozen=True)
class Analysis:
    """What the pipeline finds before classification (shared by train and parse)."""

    normalized: str
    entities: tuple[Entity, ...]
    region: Region | None
    # features beyond the words: "a<category>" for a unit asked to act, "m<category>"
    # for a unit named anywhere (nlu.agencies)
    cues: tuple[str, ...] = ()


def unit_cues(text: str) -> tuple[str, ...]:
    """The unit features of a text: categories of the units it asks to act ("a...") and of
    every unit it names ("m...")."""
    units = named_units(text)
    if not units:
        return ()
    return (*dict.fromkeys("a" + c for c, asked in units if asked),
            *dict.fromkeys("m" + c for c, _asked in units))


def analyse(text: str, *, ticket_prefix: str = DEFAULT_TICKET_PREFIX) -> Analysis:
    """Entities, place, unit cues and normalised text of one message."""
    raw = text[:MAX_CHARS]
    structured = structured_entities(raw, ticket_prefix=ticket_prefix)
    region, places = extract_region(raw, taken=[(e.start, e.end) for e in structured])
    entities = sorted([*structured, *places], key=lambda e: e.start)
    return Analysis(normalize_with_entities(raw, entities), tuple(entities), region,
                    unit_cues(raw))


def _softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: NDArray[np.float64] = e / e.sum(axis=-1, keepdims=True)
    return out


class EmbeddedClassifier:
    """Intent + category classifier that runs in-process (see the module docstring)."""

    def __init__(self, state: dict[str, Any]) -> None:
        if state.get("format") != MODEL_FORMAT:
            raise ValueError(f"unsupported model format {state.get('format')!r}")
        self._state = state
        self.version: str = state["version"]
        self.intents: tuple[str, ...] = tuple(state["intents"])
        self.categories: tuple[str, ...] = tuple(state["categories"])
        self.intent_threshold: float = float(state["intent_threshold"])
        self.category_threshold: float = float(state["category_threshold"])
        self.ticket_prefix: str = state.get("ticket_prefix", DEFAULT_TICKET_PREFIX)
        self._vocab: dict[str, int] = state["vocab"]
        self._idf: NDArray[np.float32] = state["idf"]
        self._n_word: int = int(state["n_word"])
        # features from n_text on are unit cues (older models have none)
        self._n_text: int = int(state.get("n_text", len(self._vocab)))
        self._weights: NDArray[np.float32] = state["weights"]
        self._bias: NDArray[np.float32] = state["bias"]
        self._t_intent: float = float(state["temperature"][0])
        self._t_category: float = float(state["temperature"][1])
        self._token_cache: dict[str, list[int]] = {}
        # A Rasa project's synonyms, regexes, lookups and annotated entities (issue 17).
        self.extras = RasaExtras.from_state(state.get("rasa"))

    # ------------------------------------------------------------------ features
    def _token_ids(self, token: str) -> list[int]:
        """Feature ids of one token (its word unigram and char n-grams), cached."""
        cached = self._token_cache.get(token)
        if cached is None:
            vocab = self._vocab
            grams = ["w" + token, *_char_grams(token)]
            cached = [i for g in grams if (i := vocab.get(g, -1)) >= 0]
            if len(self._token_cache) >= _CACHE_LIMIT:
                self._token_cache.clear()
            self._token_cache[token] = cached
        return cached

    def _features(self, normalized: str, cues: Sequence[str] = ()
                  ) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        idx, vals = self._text_features(normalized)
        cue_ids = [(i, _CUE_WEIGHT[c[0]]) for c in cues if (i := self._vocab.get(c, -1)) >= 0]
        if not cue_ids:
            return idx, vals
        return (np.concatenate([idx, np.array([i for i, _ in cue_ids], dtype=np.int64)]),
                np.concatenate([vals, np.array([w for _, w in cue_ids], dtype=np.float32)]))

    def _text_features(self, normalized: str) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        tokens = normalized.split()
        ids: list[int] = []
        for t in tokens:
            ids.extend(self._token_ids(t))
        vocab = self._vocab
        for a, b in pairwise(tokens):
            i = vocab.get(f"b{a} {b}", -1)
            if i >= 0:
                ids.append(i)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        counts = Counter(ids)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        vals = ((1.0 + np.log(tf)) * self._idf[idx]).astype(np.float32)
        word = idx < self._n_word
        for mask, weight in ((word, _WORD_WEIGHT), (~word, _CHAR_WEIGHT)):
            norm = float(np.sqrt(np.sum(vals[mask] ** 2)))
            if norm > 0:
                vals[mask] *= weight / norm
        return idx, vals

    def _scores(self, normalized: str, cues: Sequence[str] = ()) -> NDArray[np.float64]:
        idx, vals = self._features(normalized, cues)
        raw = self._bias.astype(np.float64).copy()
        if len(idx):
            raw += vals.astype(np.float64) @ self._weights[idx].astype(np.float64)
        return raw

    def _probabilities(self, normalized: str, cues: Sequence[str] = ()
                       ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        raw = self._scores(normalized, cues)
        n_i = len(self.intents)
        return _softmax(raw[:n_i] / self._t_intent), _softmax(raw[n_i:] / self._t_category)

    # ------------------------------------------------------------------ API
    def parse(self, text: str) -> NluResult:
        """Understand one message. Never raises on any string."""
        try:
            return self._parse(text if isinstance(text, str) else str(text))
        except Exception:  # pragma: no cover - the contract is "never raises"
            log.exception("NLU parse failed; answering out_of_scope")
            return NluResult(
                text=text if isinstance(text, str) else "",
                intent=Prediction("out_of_scope", 0.0, (("out_of_scope", 0.0),), False),
                category=Prediction("other", 0.0, (("other", 0.0),), False),
                model_version=self.version,
            )

    def parse_many(self, texts: Iterable[str]) -> list[NluResult]:
        """:meth:`parse` for several messages."""
        return [self.parse(t) for t in texts]

    def _parse(self, text: str) -> NluResult:
        analysis = analyse(text, ticket_prefix=self.ticket_prefix)
        p_int, p_cat = self._probabilities(self.extras.normalise(analysis.normalized),
                                           analysis.cues)
        category = self._prediction(self.categories, p_cat, self.category_threshold)
        entities = analysis.entities
        if not self.extras.empty:
            more = self.extras.entities(text[:MAX_CHARS], [(e.start, e.end) for e in entities])
            entities = tuple(sorted([*entities, *more], key=lambda e: e.start))
        return NluResult(
            text=text,
            intent=self._prediction(self.intents, p_int, self.intent_threshold),
            category=category,
            secondary_categories=self._secondary(text, category.label),
            entities=entities,
            region=analysis.region,
            lang=detect_lang(text[:MAX_CHARS]),
            model_version=self.version,
        )

    def _secondary(self, text: str, main: str) -> tuple[Prediction, ...]:
        """Topics of single sentences of a long report that differ from ``main`` and are
        clear on their own (confidence >= SECONDARY_MIN), best first, at most three."""
        if len(text) < SECONDARY_TEXT:
            return ()
        n_i = len(self.intents)
        found: dict[str, float] = {}
        for sentence in _SENTENCE_END.split(text[:MAX_CHARS]):
            if len(sentence) < 20:
                continue
            raw = self._scores(normalize(sentence), unit_cues(sentence))
            probs = _softmax(raw[n_i:] / self._t_category)
            best = int(np.argmax(probs))
            label, conf = self.categories[best], float(probs[best])
            if label not in (main, "other") and conf >= SECONDARY_MIN:
                found[label] = max(conf, found.get(label, 0.0))
        ranked = sorted(found.items(), key=lambda kv: -kv[1])[:3]
        return tuple(Prediction(label, round(conf, 4), (), True) for label, conf in ranked)

    @staticmethod
    def _prediction(labels: Sequence[str], probs: NDArray[np.float64], threshold: float
                    ) -> Prediction:
        order = np.argsort(-probs).tolist()
        rounded = np.round(probs, 4).tolist()
        ranking = tuple((labels[i], rounded[i]) for i in order)
        best, conf = ranking[0]
        return Prediction(best, conf, ranking, conf >= threshold)

    def save(self, path: str | Path) -> Path:
        """Write the model to one file (joblib); returns the path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self._state, target, compress=0)
        return target

    @classmethod
    def load(cls, path: str | Path) -> EmbeddedClassifier:
        """Read a model written by :meth:`save`."""
        state = joblib.load(Path(path))
        if not isinstance(state, dict):
            raise ValueError(f"{path}: not a Pintu NLU model")
        return cls(state)

    def with_version(self, version: str) -> EmbeddedClassifier:
        """The same model under another version name."""
        return EmbeddedClassifier({**self._state, "version": version})

    @property
    def info(self) -> dict[str, Any]:
        """Metadata stored with the model (version, created_at, counts, timings)."""
        return {k: self._state[k] for k in (
            "version", "created_at", "n_examples", "training_seconds", "intents", "categories",
            "intent_threshold", "category_threshold", "temperature") if k in self._state}

    # ------------------------------------------------------------------ training
    @classmethod
    def train(
        cls,
        examples: Sequence[TrainingExample],
        *,
        intent_threshold: float = 0.45,
        category_threshold: float = 0.40,
        version: str | None = None,
        ticket_prefix: str = DEFAULT_TICKET_PREFIX,
        calibrate: bool = True,
        groups: Sequence[str] | None = None,
        custom_intents: Sequence[str] = (),
        extras: RasaExtras | None = None,
    ) -> EmbeddedClassifier:
        """Fit on ``examples``; labels outside the taxonomy are refused (ValueError).

        ``groups`` names the seed scenario of each example; whole groups are held
        out to fit the confidence temperature. Default: the generator's groups for
        shipped texts (:func:`nlu.training.example_groups`), one group per text
        otherwise. Runs on one core (BLAS threads limited to one), a few seconds
        for the shipped data. ``custom_intents`` are admins' own intents, learnt after
        the taxonomy's; ``extras`` the Rasa synonyms, regexes, lookups and annotated
        entities the model uses (:mod:`nlu.rasa_extractors`).
        """
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return cls._train(examples, intent_threshold=intent_threshold,
                              category_threshold=category_threshold, version=version,
                              ticket_prefix=ticket_prefix, calibrate=calibrate,
                              groups=groups, custom_intents=tuple(custom_intents),
                              extras=extras or RasaExtras())

    @classmethod
    def _train(cls, examples: Sequence[TrainingExample], *, intent_threshold: float,
               category_threshold: float, version: str | None, ticket_prefix: str,
               calibrate: bool, groups: Sequence[str] | None,
               custom_intents: tuple[str, ...] = (), extras: RasaExtras | None = None
               ) -> EmbeddedClassifier:
        started = time.perf_counter()
        if not examples:
            raise ValueError("no training examples")
        for ex in examples:
            if ex.intent not in INTENTS and ex.intent not in custom_intents:
                raise ValueError(f"unknown intent {ex.intent!r} in {ex.text[:40]!r}")
            if ex.category is not None and ex.category not in CATEGORIES:
                raise ValueError(f"unknown category {ex.category!r} in {ex.text[:40]!r}")
        extras = extras or RasaExtras()
        analyses = [analyse(ex.text, ticket_prefix=ticket_prefix) for ex in examples]
        normalized = [extras.normalise(a.normalized) for a in analyses]
        intents = [ex.intent for ex in examples]
        cat_rows = [i for i, ex in enumerate(examples)
                    if ex.category is not None and ex.intent in CATEGORY_INTENTS]
        if len(set(intents)) < 2:
            raise ValueError("training needs at least two different intents")
        if len({examples[i].category for i in cat_rows}) < 2:
            raise ValueError("training needs complaints/aspirations in at least two categories")

        vocab, idf, n_word = _build_vocab(normalized)
        n_text = len(vocab)
        for cue in sorted({c for a in analyses for c in a.cues}):
            vocab[cue] = len(vocab)
        idf = np.concatenate([idf, np.ones(len(vocab) - n_text, np.float32)])
        featurizer = cls({**_EMPTY_STATE, "vocab": vocab, "idf": idf, "n_word": n_word,
                          "n_text": n_text})
        x = _matrix(featurizer, normalized, [a.cues for a in analyses])
        intent_labels = tuple(label for label in (*INTENTS, *custom_intents)
                              if label in set(intents))
        cat_set = {examples[i].category for i in cat_rows}
        cat_labels = tuple(label for label in CATEGORIES if label in cat_set)
        y_int = np.array([intent_labels.index(i) for i in intents])
        y_cat = np.array([cat_labels.index(str(examples[i].category)) for i in cat_rows])
        x_cat = x[cat_rows]

        groups = list(groups) if groups is not None else example_groups(examples)
        if len(groups) != len(examples):
            raise ValueError("groups and examples differ in length")
        # Unit cues say which unit, not what the citizen wants: the intent model ignores them.
        mix = np.array(example_weights(examples))
        w_int, b_int, t_int = _fit_calibrated(x[:, :n_text], y_int, groups, len(intent_labels),
                                              INTENT_C, calibrate, mix * _intent_weights(examples))
        w_int = np.vstack([w_int, np.zeros((len(vocab) - n_text, w_int.shape[1]))])
        w_cat, b_cat, t_cat = _fit_calibrated(x_cat, y_cat, [groups[i] for i in cat_rows],
                                              len(cat_labels), CATEGORY_C, calibrate, mix[cat_rows])
        temps = (t_int, t_cat)
        weights = np.hstack([w_int, w_cat]).astype(np.float32)
        bias = np.concatenate([b_int, b_cat]).astype(np.float32)
        now = datetime.now(UTC)
        digest = hashlib.sha1(
            "\n".join(f"{e.intent}|{e.category}|{e.text}" for e in examples).encode()
        ).hexdigest()[:6]
        state: dict[str, Any] = {
            "format": MODEL_FORMAT,
            "version": version or f"nlu-{now:%Y%m%d-%H%M%S}-{digest}",
            "created_at": now.isoformat(timespec="seconds"),
            "n_examples": len(examples),
            "intents": list(intent_labels),
            "categories": list(cat_labels),
            "intent_threshold": intent_threshold,
            "category_threshold": category_threshold,
            "ticket_prefix": ticket_prefix,
            "vocab": vocab,
            "idf": idf,
            "n_word": n_word,
            "n_text": n_text,
            "weights": weights,
            "bias": bias,
            "temperature": temps,
            "rasa": extras.to_state(),
        }
        state["training_seconds"] = round(time.perf_counter() - started, 3)
        return cls(state)


def _intent_weights(examples: Sequence[TrainingExample]) -> NDArray[np.float64]:
    """Sample weights of the intent model: the shipped long reports count little. They are
    generated to teach topics on long texts; for the intent they would teach that length,
    greetings or background sentences mean "complaint" (measured on the chat dev set).
    Imported and admin examples keep their full weight."""
    return np.array([LONG_INTENT_WEIGHT if len(ex.text) > LONG_TEXT and ex.source == "shipped"
                     else 1.0 for ex in examples])


def _build_vocab(texts: Sequence[str], min_df: int = 2
                 ) -> tuple[dict[str, int], NDArray[np.float32], int]:
    """Word features first (indices < n_word), then char features; smooth idf."""
    df_word: Counter[str] = Counter()
    df_char: Counter[str] = Counter()
    token_grams: dict[str, list[str]] = {}
    for text in texts:
        tokens = text.split()
        df_word.update(set(_word_grams(tokens)))
        chars: set[str] = set()
        for t in set(tokens):
            grams = token_grams.get(t)
            if grams is None:
                grams = token_grams[t] = _char_grams(t)
            chars.update(grams)
        df_char.update(chars)
    words_kept = sorted(g for g, d in df_word.items() if d >= min_df)
    chars_kept = sorted(g for g, d in df_char.items() if d >= min_df)
    vocab = {g: i for i, g in enumerate(words_kept + chars_kept)}
    n = len(texts)
    df = np.array([df_word[g] for g in words_kept] + [df_char[g] for g in chars_kept],
                  dtype=np.float64)
    idf = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)
    return vocab, idf, len(words_kept)


def _matrix(model: EmbeddedClassifier, texts: Sequence[str],
            cues: Sequence[Sequence[str]] | None = None) -> Any:
    """The TF-IDF matrix of ``texts`` (and their unit cues) with the same code path as
    prediction."""
    from scipy import sparse

    rows = [model._features(t, cues[i] if cues is not None else ())
            for i, t in enumerate(texts)]
    indptr = np.cumsum([0] + [len(idx) for idx, _ in rows])
    indices = np.concatenate([idx for idx, _ in rows]) if rows else np.zeros(0, np.int64)
    data = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, np.float32)
    return sparse.csr_matrix((data.astype(np.float64), indices, indptr),
                             shape=(len(texts), len(model._vocab)))


_EMPTY_STATE: dict[str, Any] = {
    "format": MODEL_FORMAT, "version": "featurizer", "intents": [], "categories": [],
    "intent_threshold": 0.0, "category_threshold": 0.0, "weights": np.zeros((0, 0), np.float32),
    "bias": np.zeros(0, np.float32), "temperature": (1.0, 1.0), "n_word": 0,
}


def _fit(x: Any, y: NDArray[np.int64], n_classes: int, kind: str, c: float = INTENT_C,
         weights: NDArray[np.float64] | None = None
         ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A linear model; returns (n_features x n_classes) weights and bias (logits).

    ``kind`` "logreg": multinomial logistic regression with inverse regularisation
    ``c``; "svm": one-vs-rest linear SVM (kept as an option for experiments). The
    logits are calibrated later by a temperature.
    """
    from sklearn.svm import LinearSVC

    model: Any = (LinearSVC(C=SVM_C, class_weight="balanced", tol=1e-3) if kind == "svm"
                  else _logreg(c))
    model.fit(x, y, sample_weight=weights)
    return _weights(model, x.shape[1], n_classes)


def _logreg(c: float) -> Any:
    """The logistic regression both the held-out and the final model use."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=300, class_weight="balanced", tol=1e-3)


def _weights(model: Any, n_features: int, n_classes: int
             ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A fitted sklearn linear classifier as (n_features x n_classes) weights and bias."""
    coef = np.zeros((n_features, n_classes))
    bias = np.zeros(n_classes)
    classes = [int(k) for k in model.classes_]
    if len(classes) == 2 and model.coef_.shape[0] == 1:
        # binary: sklearn keeps one row; rewrite as two symmetric logits
        coef[:, classes[1]] = model.coef_[0] / 2
        coef[:, classes[0]] = -model.coef_[0] / 2
        bias[classes[1]] = model.intercept_[0] / 2
        bias[classes[0]] = -model.intercept_[0] / 2
    else:
        for row, k in enumerate(classes):
            coef[:, k] = model.coef_[row]
            bias[k] = model.intercept_[row]
        for k in set(range(n_classes)) - set(classes):
            bias[k] = -1e3  # a class with no examples is never predicted
    return coef, bias


def grouped_holdout(groups: Sequence[str], y: NDArray[np.int64], share: float = 0.25
                    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(train rows, held-out rows): about ``share`` of the *groups* held out, whole.

    A group is one seed scenario of the generator (every variant of one seed
    sentence), so the held-out rows are messages built around seeds the model
    never saw, not near-copies of its training rows. The choice is a hash of
    the group name (stable across runs and data edits). Groups are drawn per
    label so every label keeps training rows when it has more than one group.
    """
    held: set[str] = set()
    by_label: dict[int, list[str]] = {}
    for g, label in zip(groups, y.tolist(), strict=True):
        by_label.setdefault(int(label), []).append(g)
    for names in by_label.values():
        distinct = sorted(set(names), key=lambda g: hashlib.sha1(g.encode()).hexdigest())
        if len(distinct) < 2:
            continue
        n_hold = min(len(distinct) - 1, max(1, round(len(distinct) * share)))
        held.update(distinct[:n_hold])
    mask = np.array([g in held for g in groups], dtype=bool)
    rows = np.arange(len(y))
    return rows[~mask], rows[mask]


def _fit_calibrated(
    x: Any, y: NDArray[np.int64], groups: Sequence[str], n_classes: int, c: float,
    calibrate: bool, weights: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Weights, bias and the softmax temperature minimising log-loss on held-out groups.

    A model with exactly the final settings is fitted on the rows outside the
    held-out seed groups (:func:`grouped_holdout`); its logits on the held-out
    groups fix the temperature, so the temperature reflects how sure the model
    should be on messages unlike its training data (a random split would hold
    out near-copies of training rows and make the probabilities extreme). The
    same settings matter: the solver stops early, so a looser tolerance gives
    logits of another scale. The final model is then fitted on all rows.
    """
    temperature = 1.0
    train, test = grouped_holdout(groups, y)
    if (calibrate and len(test) and len(set(y.tolist())) > 2
            and len(set(y[train].tolist())) == len(set(y.tolist()))):
        held = _logreg(c)
        held.fit(x[train], y[train],
                 sample_weight=None if weights is None else weights[train])
        logits = np.asarray(held.decision_function(x[test]))
        temperature = _best_temperature(logits, np.searchsorted(held.classes_, y[test]))
    return (*_fit(x, y, n_classes, "logreg", c, weights), temperature)


def _best_temperature(logits: NDArray[np.float64], y: NDArray[np.int64]) -> float:
    best_t, best_loss = 1.0, math.inf
    for t in np.exp(np.linspace(np.log(0.02), np.log(20.0), 100)):
        p = _softmax(logits / t)
        loss = -float(np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t
