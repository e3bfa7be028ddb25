"""How well an NLU's confidences match how often it is right (measurement only).

Used by ``bench/nlu.py`` and the tests: the expected calibration error (ECE) of
the top label, the mean confidence of right and wrong answers, and what the
complaint router would do with the category confidences (``routing.router``
sends a complaint to the triage desk when its category is ``other`` or its
confidence is below the category threshold).

Nothing here fits anything: the model's temperature is fitted at training time
on the training data only (:mod:`nlu.embedded`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from nlu.types import IntentClassifier

TRIAGE_CATEGORY = "other"


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool],
                               bins: int = 10) -> float:
    """Top-label ECE with ``bins`` equal-width confidence bins over [0, 1].

    The bin-size weighted mean of ``|accuracy - mean confidence|``; 0.0 for no data.
    """
    if len(confidences) != len(correct):
        raise ValueError("confidences and correct differ in length")
    n = len(confidences)
    if n == 0:
        return 0.0
    totals = [[0, 0.0, 0] for _ in range(bins)]  # count, sum of confidence, right
    for conf, ok in zip(confidences, correct, strict=True):
        b = min(bins - 1, max(0, int(conf * bins)))
        totals[b][0] += 1
        totals[b][1] += conf
        totals[b][2] += int(ok)
    return sum(abs(right / count - conf_sum / count) * count / n
               for count, conf_sum, right in totals if count)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _field_summary(confidences: list[float], correct: list[bool]) -> dict[str, Any]:
    wrong = [c for c, ok in zip(confidences, correct, strict=True) if not ok]
    right = [c for c, ok in zip(confidences, correct, strict=True) if ok]
    mean_wrong, mean_right = _mean(wrong), _mean(right)
    return {
        "n": len(confidences),
        "ece": round(expected_calibration_error(confidences, correct), 4),
        "mean_confidence": round(_mean(confidences) or 0.0, 4),
        "accuracy": round(sum(correct) / len(correct), 4) if correct else 0.0,
        "mean_confidence_right": None if mean_right is None else round(mean_right, 4),
        "mean_confidence_wrong": None if mean_wrong is None else round(mean_wrong, 4),
        "n_wrong": len(wrong),
        "wrong_above_0_99": sum(1 for c in wrong if c > 0.99),
    }


def calibration_report(classifier: IntentClassifier, rows: Iterable[dict[str, Any]], *,
                       category_threshold: float) -> dict[str, Any]:
    """Calibration of intent and category on labelled rows (the eval JSONL format).

    ``intent`` is scored on rows with an intent, ``category`` on rows with a
    category; ``triage`` covers rows labelled as complaints that carry a
    category: the share the router would send to the triage desk (predicted
    ``other`` or confidence below ``category_threshold``) and the accuracy of
    the category on the rest (the ones routed straight to a unit).
    """
    intent_conf: list[float] = []
    intent_ok: list[bool] = []
    cat_conf: list[float] = []
    cat_ok: list[bool] = []
    routed_ok: list[bool] = []
    n_complaints = n_triaged = 0
    for row in rows:
        result = classifier.parse(str(row.get("text", "")))
        if row.get("intent") is not None:
            intent_conf.append(result.intent.confidence)
            intent_ok.append(result.intent.label == row["intent"])
        if row.get("category") is None or result.category is None:
            continue
        cat = result.category
        cat_conf.append(cat.confidence)
        cat_ok.append(cat.label == row["category"])
        if row.get("intent") == "complaint":
            n_complaints += 1
            if cat.label == TRIAGE_CATEGORY or cat.confidence < category_threshold:
                n_triaged += 1
            else:
                routed_ok.append(cat.label == row["category"])
    return {
        "intent": _field_summary(intent_conf, intent_ok),
        "category": _field_summary(cat_conf, cat_ok),
        "triage": {
            "threshold": category_threshold,
            "n_complaints": n_complaints,
            "triaged_share": round(n_triaged / n_complaints, 4) if n_complaints else 0.0,
            "routed_accuracy": (round(sum(routed_ok) / len(routed_ok), 4)
                                if routed_ok else None),
            "routed_wrong": len(routed_ok) - sum(routed_ok),
        },
    }
