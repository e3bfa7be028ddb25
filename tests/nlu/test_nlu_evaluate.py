from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nlu.embedded import EmbeddedClassifier
from nlu.evaluate import EvalFileError, evaluate, format_report, read_jsonl, score

ROWS: list[dict[str, Any]] = [
    {"text": "Halo min, selamat pagi", "intent": "greet", "category": None, "region": None},
    {"text": "Air PDAM di Bandung mati tiga hari", "intent": "complaint",
     "category": "water_supply", "region": "Kota Bandung"},
    {"text": "Usul ada bus malam di Jaksel", "intent": "aspiration", "category": "transport",
     "region": "Kota Administrasi Jakarta Selatan"},
    {"text": "Terima kasih banyak", "intent": "thanks"},
    {"text": "Lampu jalan mati", "category": "infrastructure"},
]


def test_report_shape(model: EmbeddedClassifier) -> None:
    report = evaluate(model, ROWS)
    assert report["n"] == 5
    assert report["intent"]["n"] == 4  # the last row has no intent
    assert report["category"]["n"] == 3  # null and missing categories are not scored
    assert report["region"]["n"] == 3  # missing region key is not scored; null is
    for field in ("intent", "category", "region"):
        block = report[field]
        assert 0.0 <= block["accuracy"] <= 1.0 and 0.0 <= block["macro_f1"] <= 1.0
        for metrics in block["per_label"].values():
            assert set(metrics) == {"precision", "recall", "f1", "support"}
        assert isinstance(block["confusions"], list)
    assert report["region"]["per_label"]["null"]["support"] == 1
    text = format_report(report)
    assert "intent: accuracy" in text and "region" in text


def test_score_metrics() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "b")]
    r = score(pairs)
    assert r["accuracy"] == 0.5
    assert r["per_label"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert r["per_label"]["b"]["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert r["per_label"]["c"]["f1"] == 0.0
    assert r["macro_f1"] == pytest.approx((0.6667 + 0.5 + 0.0) / 3, abs=1e-3)
    assert r["confusions"][0]["count"] == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("{bad json\n", ":1: not valid JSON"), ('[1, 2]\n', "must be a JSON object"),
     ('{"intent": "greet"}\n', "'text'"), ('{"text": "x", "intent": 3}\n', "'intent' must be"),
     ('{"text": "ok"}\n\n{"text": 1}\n', ":3:")],
)
def test_bad_lines(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalFileError, match=fragment):
        read_jsonl(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvalFileError, match="not found"):
        read_jsonl(tmp_path / "none.jsonl")
