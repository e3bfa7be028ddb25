"""``pintu nlu ...`` through bot.cli.main.main with a temporary config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli.main import main
from nlu.embedded import EmbeddedClassifier
from nlu.model_store import ModelStore
from nlu.rasa_yaml import read_nlu_yaml
from nlu.training import load_shipped_examples

EXTRA_YAML = """\
version: "3.1"
nlu:
- intent: complaint+other
  examples: |
    - kucing tetangga masuk dapur setiap malam dan mencuri lauk
    - burung merpati warga bersarang di atap balai desa
- intent: greet
  examples: |
    - salam jumpa lagi admin
"""


@pytest.fixture()
def config(tmp_path: Path, model: EmbeddedClassifier) -> Path:
    """A config whose model dir already holds the session's model."""
    model_dir = tmp_path / "models"
    ModelStore(model_dir).save(model)
    cfg = tmp_path / "config.yml"
    # A database path of its own: a ./pintu.db in the working directory must not leak in.
    db = tmp_path / "cli.db"
    cfg.write_text(f"nlu:\n  model_dir: {model_dir}\n"
                   f"database:\n  url: sqlite+aiosqlite:///{db}\n", encoding="utf-8")
    return cfg


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_json_is_rasa_shaped(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--config", str(config), "nlu", "parse", "--json",
                       "Lampu jalan di Kota Bandung mati semua, tolong min")
    assert code == 0
    payload = json.loads(out)
    assert payload["text"].startswith("Lampu jalan")
    assert payload["intent"]["name"] == "complaint"
    assert {"name", "confidence"} <= set(payload["intent_ranking"][0])
    assert payload["category"]["name"] == "infrastructure"
    region = [e for e in payload["entities"] if e["entity"] == "region"]
    assert region[0]["value"] == "Kota Bandung"
    assert {"start", "end", "confidence_entity", "extractor"} <= set(region[0])
    assert payload["region"]["name"] == "Kota Bandung"


def test_parse_text_output(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--config", str(config), "nlu", "parse", "Terima kasih min")
    assert code == 0
    assert out.splitlines()[0].startswith("intent:   thanks")


def test_evaluate_json_only_json(config: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "bench.jsonl"
    data.write_text(
        '{"text": "Halo admin", "intent": "greet", "region": null}\n'
        '{"text": "Air PDAM mati di Sidoarjo", "intent": "complaint", '
        '"category": "water_supply", "region": "Kabupaten Sidoarjo"}\n', encoding="utf-8")
    code, out, _ = run(capsys, "--config", str(config), "nlu", "evaluate", str(data), "--json")
    assert code == 0
    report = json.loads(out)  # nothing but JSON on stdout
    assert report["n"] == 2
    assert set(report) == {"intent", "category", "region", "n"}
    assert report["region"]["accuracy"] == 1.0
    code, out, _ = run(capsys, "--config", str(config), "nlu", "evaluate", str(data))
    assert code == 0 and "macro-F1" in out


def test_evaluate_bad_file(config: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\nnot json\n', encoding="utf-8")
    code, out, err = run(capsys, "--config", str(config), "nlu", "evaluate", str(bad), "--json")
    assert code == 2 and out == ""
    assert "bad.jsonl:2" in err


def test_import_train_export(config: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "extra.yml"
    extra.write_text(EXTRA_YAML, encoding="utf-8")
    code, out, _ = run(capsys, "--config", str(config), "nlu", "import", str(extra))
    assert code == 0 and "imported 3 new examples" in out
    code, out, _ = run(capsys, "--config", str(config), "nlu", "import", str(extra))
    assert "imported 0 new examples" in out  # idempotent

    before = {i.version for i in ModelStore(tmp_path / "models").list_versions()}
    code, out, _ = run(capsys, "--config", str(config), "nlu", "train", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["version"] not in before
    assert info["n_examples"] == len(load_shipped_examples()) + 3
    assert Path(info["path"]).exists()

    exported = tmp_path / "all.yml"
    code, out, _ = run(capsys, "--config", str(config), "nlu", "export", str(exported))
    assert code == 0
    data = read_nlu_yaml(exported.read_text(encoding="utf-8"))
    texts = {e.text for e in data.examples}
    assert "salam jumpa lagi admin" in texts
    assert len(data.examples) == info["n_examples"]
    assert data.lookups["region"]  # shipped lookup tables travel along
    only = tmp_path / "only.yml"
    run(capsys, "--config", str(config), "nlu", "export", "--imported-only", str(only))
    assert len(read_nlu_yaml(only.read_text(encoding="utf-8")).examples) == 3


def test_import_rejects_bad_yaml(config: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text('version: "3.1"\nnlu:\n- intent: shout\n  examples: [unclosed\n')
    code, _, err = run(capsys, "--config", str(config), "nlu", "import", str(bad))
    assert code == 2
    assert "bad.yml: line 5: not valid YAML" in err
    assert not (tmp_path / "cli.db").exists()  # nothing changed, not even a database made
    code, _, err = run(capsys, "--config", str(config), "nlu", "import", str(tmp_path / "nope"))
    assert code == 2 and "no such file or directory" in err


def test_parse_shows_the_catalog_service(config: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--config", str(config), "nlu", "parse",
                       "lampu jalan mati di jl. Riau kota bandung")
    assert code == 0
    service = [line for line in out.splitlines() if line.startswith("service:")]
    assert len(service) == 1 and service[0].startswith("service:  penerangan-jalan 0.")
    assert "below threshold" not in service[0]
    code, out, _ = run(capsys, "--config", str(config), "nlu", "parse", "--json",
                       "bayar pajak motor di samsat antre seharian")
    payload = json.loads(out)
    assert payload["service"]["code"] == "pajak-kendaraan"
    assert payload["service"]["confident"] is True
    assert payload["service"]["evidence"] in ("pajak motor", "samsat")
    code, out, _ = run(capsys, "--config", str(config), "nlu", "parse", "halo selamat pagi")
    line = next(x for x in out.splitlines() if x.startswith("service:"))
    assert line.endswith("(below threshold: category owner)")
