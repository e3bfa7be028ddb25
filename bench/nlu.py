"""NLU benchmark (not a test): training time, parse throughput, load time, dev accuracy
and calibration.

    python bench/nlu.py [--json] [--dev PATH] [--reports PATH] [--seconds N]

Calibration is measured on the dev file, never fitted on it: the expected
calibration error (ECE, 10 bins) and the mean confidence of wrong answers for
intent and category, and, for the dev complaints, the share the router would
send to the triage desk at the configured ``nlu.category_threshold`` and the
category accuracy of the ones it would route straight to a unit.

Runs on one core: BLAS threads are limited to one and, where the OS allows,
the process is pinned to a single CPU. The dev file defaults to
``../shared/eval/dev.jsonl`` next to the repository, the file of long written
reports (scored too, its figures prefixed ``reports_``) to
``../shared/eval/dev_reports.jsonl``. Throughput is measured on chat-length
messages (the dev messages and shipped examples of up to 300 characters).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app.settings import load_settings  # noqa: E402
from nlu.calibration import calibration_report  # noqa: E402
from nlu.embedded import EmbeddedClassifier  # noqa: E402
from nlu.evaluate import evaluate, read_jsonl  # noqa: E402
from nlu.normalize import slang_map  # noqa: E402
from nlu.places import gazetteer  # noqa: E402
from nlu.training import load_shipped_examples  # noqa: E402

DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
DEFAULT_REPORTS = ROOT.parent / "shared" / "eval" / "dev_reports.jsonl"
TARGETS = {"intent_macro_f1": 0.97, "category_accuracy": 0.90, "region_accuracy": 0.92,
           "reports_intent_macro_f1": 0.95, "reports_category_accuracy": 0.95,
           "training_seconds": 10.0, "parses_per_second": 2000.0, "load_seconds": 1.0}


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[0]})
        return f"cpu {cpus[0]}"
    return "not pinned"


def _throughput(model: EmbeddedClassifier, texts: list[str], seconds: float) -> float:
    n = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for text in texts:
            model.parse(text)
        n += len(texts)
    return n / (time.perf_counter() - started)


def run(dev_path: Path, seconds: float, reports_path: Path = DEFAULT_REPORTS
        ) -> dict[str, Any]:
    """Measure everything; returns the result table as a dict."""
    pinned = _pin_one_core()
    examples = load_shipped_examples()
    gazetteer(), slang_map()  # lookup tables are shared by training and parsing; build once

    wall, cpu = time.perf_counter(), time.process_time()
    model = EmbeddedClassifier.train(examples)
    train_wall, train_cpu = time.perf_counter() - wall, time.process_time() - cpu

    with tempfile.TemporaryDirectory() as tmp:
        path = model.save(Path(tmp) / "model.joblib")
        size_mb = path.stat().st_size / 1e6
        gazetteer.cache_clear()
        slang_map.cache_clear()
        started = time.perf_counter()
        loaded = EmbeddedClassifier.load(path)
        load_s = time.perf_counter() - started
        loaded.parse("Jalan di depan rumah saya di Bandung berlubang")  # builds lookup tables
        cold_s = time.perf_counter() - started

    rows = read_jsonl(dev_path) if dev_path.exists() else []
    rng = random.Random(7)
    chat = [e for e in examples if len(e.text) <= 300]
    mix = [r["text"] for r in rows] + [e.text for e in rng.sample(chat, 400)]
    mix += ["halo", "makasih min", "🙏", "PTU-2026-000123 gimana?", "a" * 2000]
    rng.shuffle(mix)
    _throughput(loaded, mix[:50], 0.2)  # warm caches like a running server
    pps = _throughput(loaded, mix, seconds)

    result: dict[str, Any] = {
        "pinned": pinned,
        "n_training_examples": len(examples),
        "training_seconds": round(train_wall, 2),
        "training_cpu_seconds": round(train_cpu, 2),
        "model_file_mb": round(size_mb, 1),
        "load_seconds": round(load_s, 3),
        "load_and_first_parse_seconds": round(cold_s, 3),
        "parses_per_second": round(pps),
        "mean_message_chars": round(sum(map(len, mix)) / len(mix)),
        "dev_file": str(dev_path),
    }
    if rows:
        report = evaluate(loaded, rows)
        result.update({
            "dev_n": report["n"],
            "intent_accuracy": report["intent"]["accuracy"],
            "intent_macro_f1": report["intent"]["macro_f1"],
            "category_accuracy": report["category"]["accuracy"],
            "category_macro_f1": report["category"]["macro_f1"],
            "region_accuracy": report["region"]["accuracy"],
        })
        threshold = load_settings(env={}).nlu.category_threshold
        cal = calibration_report(loaded, rows, category_threshold=threshold)
        for field in ("intent", "category"):
            c = cal[field]
            result.update({
                f"{field}_ece": c["ece"],
                f"{field}_mean_confidence": c["mean_confidence"],
                f"{field}_mean_conf_right": c["mean_confidence_right"],
                f"{field}_mean_conf_wrong": c["mean_confidence_wrong"],
                f"{field}_wrong_above_0.99": f"{c['wrong_above_0_99']}/{c['n_wrong']}",
            })
        triage = cal["triage"]
        result.update({
            "category_threshold": threshold,
            "complaints_triaged_share": triage["triaged_share"],
            "complaints_routed_accuracy": triage["routed_accuracy"],
            "complaints_routed_wrong": f"{triage['routed_wrong']}/{triage['n_complaints']}",
        })
    if reports_path.exists():
        result.update(_reports(loaded, reports_path))
    return result


def _reports(model: EmbeddedClassifier, path: Path) -> dict[str, Any]:
    """Accuracy and calibration on long written reports, and their parse rate."""
    rows = read_jsonl(path)
    report = evaluate(model, rows)
    threshold = load_settings(env={}).nlu.category_threshold
    cal = calibration_report(model, rows, category_threshold=threshold)
    started = time.perf_counter()
    for row in rows:
        model.parse(row["text"])
    rate = len(rows) / (time.perf_counter() - started)
    return {
        "reports_file": str(path),
        "reports_n": report["n"],
        "reports_intent_macro_f1": report["intent"]["macro_f1"],
        "reports_category_accuracy": report["category"]["accuracy"],
        "reports_category_macro_f1": report["category"]["macro_f1"],
        "reports_region_accuracy": report["region"]["accuracy"],
        "reports_category_ece": cal["category"]["ece"],
        "reports_category_mean_conf_wrong": cal["category"]["mean_confidence_wrong"],
        "reports_complaints_triaged_share": cal["triage"]["triaged_share"],
        "reports_complaints_routed_accuracy": cal["triage"]["routed_accuracy"],
        "reports_parses_per_second": round(rate),
        "reports_mean_chars": round(sum(len(r["text"]) for r in rows) / len(rows)),
    }


def _table(result: dict[str, Any]) -> str:
    lines = [f"{'measure':<30} {'value':>14}  target"]
    for key, value in result.items():
        target = TARGETS.get(key)
        mark = ""
        if target is not None:
            ok = value <= target if key in ("training_seconds", "load_seconds") else value >= target
            mark = f"{'<=' if key in ('training_seconds', 'load_seconds') else '>='} {target}"
            mark += "  ok" if ok else "  MISSED"
        lines.append(f"{key:<30} {value!s:>14}  {mark}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="JSONL dev file")
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS,
                        help="JSONL file of long written reports")
    parser.add_argument("--seconds", type=float, default=5.0, help="throughput run length")
    args = parser.parse_args(argv)
    result = run(args.dev, args.seconds, args.reports)
    print(json.dumps(result) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
