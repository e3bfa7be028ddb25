"""``pintu nlu import`` of a real-shaped Rasa project (a data directory and a domain file,
as ``rasa train`` takes them), trained, parsed and exported back equal (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu.rasa_project import read_rasa_files
from nlu.taxonomy import INTENTS
from tests.nlu import test_nlu_cli
from tests.nlu.test_nlu_cli import run

PROJECT = Path(__file__).parent / "data" / "rasa_project"
config = test_nlu_cli.config  # the CLI's config fixture: its own model dir and database


def test_a_rasa_project_is_imported_trained_parsed_and_exported_back(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--config", str(config), "nlu", "import", "--json",
                         str(PROJECT / "data"), str(PROJECT / "domain.yml"))
    assert code == 0, err
    report = json.loads(out)
    assert report["files"] == 5 and report["in_file"] == 26 and report["added"] == 26
    assert report["intents_added"] == ["jam_buka_mpp", "jadwal_posyandu",
                                       "syarat_samsat_keliling", "affirm"]
    assert report["needs_review"] == ["syarat_samsat_keliling", "affirm"]
    assert report["used"] == {"synonyms": 1, "regexes": 1, "lookup tables": 2,
                              "annotated entities": 7, "responses (as answers)": 2}
    assert report["unused"] == {"other responses": 1, "stories": 1, "rules": 1,
                                "metadata": 2, "domain sections": 4}
    assert len(report["warnings"]) == 1 and "mpp buka sampai jam berapa" in report["warnings"][0]

    code, out, _ = run(capsys, "--config", str(config), "nlu", "train", "--json")
    assert code == 0
    info = json.loads(out)
    intents = info["labels"]["intents"]
    assert intents[:8] == list(INTENTS)  # the eight built-in intents keep their place
    # Answered intents are learnt; the two kept for review are not (yet).
    assert intents[8:] == ["jadwal_posyandu", "jam_buka_mpp"]

    code, out, _ = run(capsys, "--config", str(config), "nlu", "parse", "--json",
                       "kapan jadwal posyandu di Sisir bulan depan?")
    parsed = json.loads(out)
    assert parsed["intent"]["name"] == "jadwal_posyandu"
    kelurahan = [e for e in parsed["entities"] if e["entity"] == "kelurahan"]
    assert [(e["value"], e["extractor"]) for e in kelurahan] == [
        ("Sisir", "RegexEntityExtractor")]
    code, out, _ = run(capsys, "--config", str(config), "nlu", "parse", "--json",
                       "MPP kota batu buka jam berapa hari sabtu")
    assert json.loads(out)["intent"]["name"] == "jam_buka_mpp"

    exported = tmp_path / "export.yml"
    code, out, _ = run(capsys, "--config", str(config), "nlu", "export", "--imported-only",
                       str(exported))
    assert code == 0
    files = [(str(p), p.read_text(encoding="utf-8")) for p in
             (*sorted((PROJECT / "data").rglob("*.yml")), PROJECT / "domain.yml")]
    given = read_rasa_files(files).comparable()
    back = read_rasa_files([("export.yml", exported.read_text(encoding="utf-8"))]).comparable()
    assert back == given
