"""Scoring a classifier on a JSONL benchmark file (format: ``shared/eval/README.md``).

Fields scored per line: ``intent`` and ``category`` when present and not null;
``region`` whenever the key is present, as an exact match of the canonical name
where null means "no place" (so null vs null is correct). Per field the report
has accuracy, macro-F1 (over labels seen in truth or prediction), per-label
precision/recall/F1/support and the most frequent confusion pairs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from nlu.types import IntentClassifier, NluResult

FIELDS = ("intent", "category", "region")
NULL_LABEL = "null"


class EvalFileError(ValueError):
    """A benchmark file line is not valid; the message names the file and line."""


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a JSONL benchmark file; :class:`EvalFileError` for a bad line."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise EvalFileError(f"{p}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise EvalFileError(f"{p}: not UTF-8 text") from exc
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{p}:{number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise EvalFileError(f"{p}:{number}: each line must be a JSON object")
        if not isinstance(row.get("text"), str):
            raise EvalFileError(f"{p}:{number}: 'text' (a string) is required")
        for field in FIELDS:
            if field in row and row[field] is not None and not isinstance(row[field], str):
                raise EvalFileError(f"{p}:{number}: '{field}' must be a string or null")
        rows.append(row)
    return rows


def _predicted(result: NluResult, field: str) -> str:
    if field == "intent":
        return result.intent.label
    if field == "category":
        return result.category.label if result.category else NULL_LABEL
    return result.region.canonical_name if result.region else NULL_LABEL


def score(pairs: Sequence[tuple[str, str]], top_confusions: int = 10) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label metrics and top confusions of (expected, predicted)."""
    n = len(pairs)
    labels = sorted({e for e, _ in pairs} | {p for _, p in pairs})
    per_label: dict[str, dict[str, float | int]] = {}
    f1s: list[float] = []
    for label in labels:
        tp = sum(1 for e, p in pairs if e == label and p == label)
        fp = sum(1 for e, p in pairs if e != label and p == label)
        fn = sum(1 for e, p in pairs if e == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": round(precision, 4), "recall": round(recall, 4),
                            "f1": round(f1, 4), "support": tp + fn}
        f1s.append(f1)
    confusions = Counter((e, p) for e, p in pairs if e != p)
    return {
        "accuracy": round(sum(1 for e, p in pairs if e == p) / n, 4) if n else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "n": n,
        "per_label": per_label,
        "confusions": [{"expected": e, "predicted": p, "count": c}
                       for (e, p), c in confusions.most_common(top_confusions)],
    }


def evaluate(classifier: IntentClassifier, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Parse every row's text and score the fields it carries (see the module docstring)."""
    rows = list(rows)
    pairs: dict[str, list[tuple[str, str]]] = {f: [] for f in FIELDS}
    for row in rows:
        result = classifier.parse(str(row.get("text", "")))
        for field in FIELDS:
            if field == "region":
                if "region" not in row:
                    continue
                expected = row["region"] if row["region"] is not None else NULL_LABEL
            else:
                if row.get(field) is None:
                    continue
                expected = row[field]
            pairs[field].append((str(expected), _predicted(result, field)))
    report: dict[str, Any] = {f: score(p) for f, p in pairs.items() if p}
    report["n"] = len(rows)
    return report


def format_report(report: dict[str, Any]) -> str:
    """A plain-text report: a summary line per field, then per-label tables and confusions."""
    lines = [f"{report.get('n', 0)} messages"]
    for field in FIELDS:
        if field not in report:
            continue
        r = report[field]
        lines.append("")
        lines.append(f"{field}: accuracy {r['accuracy']:.3f}  macro-F1 {r['macro_f1']:.3f}  "
                     f"(n={r['n']})")
        width = max([len(label) for label in r["per_label"]] + [5])
        lines.append(f"  {'label':<{width}}  precision  recall     f1  support")
        for label, m in sorted(r["per_label"].items(), key=lambda kv: -int(kv[1]["support"])):
            if field == "region" and m["support"] == 0 and m["precision"] == 0:
                continue  # wrong guesses show up under confusions
            lines.append(f"  {label:<{width}}  {m['precision']:>9.3f}  {m['recall']:>6.3f}  "
                         f"{m['f1']:>5.3f}  {m['support']:>7}")
        if r["confusions"]:
            lines.append("  most frequent confusions (expected -> predicted):")
            for c in r["confusions"]:
                lines.append(f"    {c['expected']} -> {c['predicted']}: {c['count']}")
    return "\n".join(lines)
