"""Service picker benchmark (not a test): training time, pick latency, and agreement with
the category labels of the shared dev sets.

    python bench/services.py [--json] [--dev PATH ...]

The dev sets carry categories, not services, so the figures are proxies:
for complaints and aspirations with a gold category, ``coverage`` is the
share whose service clears the threshold, ``agreement`` the share of those
whose service belongs to the gold category (a confident service of another
category would send the report to the wrong unit); for gold ``civil_service``
lines the share taken as oversight (Inspektorat), and for all other lines the
share wrongly taken as oversight. The picker gets the shipped classifier's
category, as in the running bot (``--no-classifier``: the picker alone).
Runs on one BLAS thread.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DEV = [ROOT.parent / "shared" / "eval" / "dev.jsonl",
               ROOT.parent / "shared" / "eval" / "dev_reports.jsonl"]


def _rows(paths: list[Path]) -> list[dict[str, object]]:
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("intent") in ("complaint", "aspiration") and row.get("category"):
                    rows.append(row)
    return rows


def _categories(texts: list[str], use_classifier: bool) -> list[Any]:
    """The shipped classifier's category for each text (None each without it)."""
    if not use_classifier:
        return [None] * len(texts)
    from nlu.model_store import load_or_train_default

    with tempfile.TemporaryDirectory() as tmp:
        clf = load_or_train_default(Path(tmp))
        return [clf.parse(t).category for t in texts]


def measure(paths: list[Path], use_classifier: bool = True) -> dict[str, object]:
    """The figures for the demo catalog's services on the dev files."""
    from nlu.services import ServicePicker
    from routing.catalog import load_catalog
    from routing.service_picking import service_descriptions

    catalog = load_catalog()
    start = time.perf_counter()
    picker = ServicePicker(service_descriptions(catalog))
    train_s = time.perf_counter() - start
    rows = _rows(paths)
    categories = _categories([str(r["text"]) for r in rows], use_classifier)
    start = time.perf_counter()
    picks = [picker.pick(str(r["text"]), c) for r, c in zip(rows, categories, strict=True)]
    pick_ms = (time.perf_counter() - start) * 1000 / max(1, len(rows))
    confident = [(r, p) for r, p in zip(rows, picks, strict=True) if p and p.confident]
    agree = [1 for r, p in confident if p and p.category == r["category"]]
    civil = [(r, p) for r, p in zip(rows, picks, strict=True) if r["category"] == "civil_service"]
    other = [(r, p) for r, p in zip(rows, picks, strict=True) if r["category"] != "civil_service"]
    wrong = [(r["category"], p.code, str(r["text"])[:70]) for r, p in confident
             if p and p.category != r["category"]]
    return {
        "services": len(catalog.services), "lines": len(rows), "with_classifier": use_classifier,
        "train_seconds": round(train_s, 2),
        "pick_ms": round(pick_ms, 2),
        "coverage": round(len(confident) / max(1, len(rows)), 3),
        "agreement": round(len(agree) / max(1, len(confident)), 3),
        "civil_service_lines": len(civil),
        "oversight_recall": round(sum(1 for _, p in civil if p and p.oversight and p.confident)
                                  / max(1, len(civil)), 3),
        "oversight_false_alarm": round(sum(1 for _, p in other if p and p.oversight
                                           and p.confident) / max(1, len(other)), 3),
        "disagreements": wrong[:15],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dev", type=Path, action="append")
    parser.add_argument("--no-classifier", action="store_true",
                        help="pick without the classifier's category (the picker alone)")
    args = parser.parse_args()
    figures = measure(args.dev or DEFAULT_DEV, use_classifier=not args.no_classifier)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    for key, value in figures.items():
        if key != "disagreements":
            print(f"{key:24} {value}")
    print("disagreements (gold category, service, text):")
    for item in figures["disagreements"]:  # type: ignore[attr-defined]
        print("  ", *item)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
