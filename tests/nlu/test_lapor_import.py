"""``pintu nlu import-lapor`` end to end: counts, dry run, map, storage with masking, then
``pintu nlu train`` learns the agency's wording; and the measurement the import is for:
on the agency's newer reports, shipped + imported beats both the shipped model and a
model trained on the import alone."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.nlu_admin.lapor_import import plan_import
from nlu.embedded import EmbeddedClassifier
from nlu.model_store import ModelStore
from storage.db import create_engine, session_factory
from storage.repositories import sql_repositories
from tests.lapor_support import csv_bytes, make_rows, special_rows, xlsx_bytes

# The agency's older reports (2021-2023, mostly in its local wording) and its newer ones
# (2024: half local wording, half ordinary wording the older reports never use).
OLDER = make_rows(240, start=date(2021, 1, 1), days=900, local_share=0.8, seed=1) + \
    special_rows(date(2022, 5, 5))
NEWER = make_rows(84, start=date(2024, 1, 1), days=300, local_share=0.5, seed=2,
                  first_id=5000, newer=True)
LOCAL_TEXT = "Armada Si Kuning tidak lewat gang kami sudah dua minggu"


@pytest.fixture()
def config(tmp_path: Path, model: EmbeddedClassifier) -> Path:
    """A config with an SQLite database of its own and the session's model."""
    model_dir = tmp_path / "models"
    ModelStore(model_dir).save(model)
    cfg = tmp_path / "config.yml"
    cfg.write_text(f"nlu:\n  model_dir: {model_dir}\n"
                   f"database:\n  url: sqlite+aiosqlite:///{tmp_path / 'cli.db'}\n",
                   encoding="utf-8")
    return cfg


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stored(db: Path) -> list[tuple[str, str, str | None, str]]:
    async def read() -> list[tuple[str, str, str | None, str]]:
        engine = create_engine(f"sqlite+aiosqlite:///{db}")
        try:
            async with session_factory(engine)() as session:
                rows = await sql_repositories(session).examples.labelled_texts("lapor")
                return [(t, i, c, s) for _id, t, i, c, s in rows]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_import_counts_dry_run_and_storage(config: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "laporan.xlsx"
    export.write_bytes(xlsx_bytes(OLDER))
    expected = plan_import(export.read_bytes(), "laporan.xlsx").to_dict()

    code, out, _ = run(capsys, "--config", str(config), "nlu", "import-lapor", str(export),
                       "--dry-run", "--json")
    assert code == 0
    dry = json.loads(out)
    assert dry == {**expected, "dry_run": True}
    assert dry["read"] == 252 and dry["imported"] == 235
    assert dry["skipped"] == {"confidential": 2, "blocked": 1, "no_text": 1,
                              "mixed_unit_without_category": 2, "unmapped": 0,
                              "duplicate": 11}
    assert not (tmp_path / "cli.db").exists()  # a dry run creates nothing

    code, out, _ = run(capsys, "--config", str(config), "nlu", "import-lapor", str(export),
                       "--json")
    assert code == 0
    assert json.loads(out) == expected
    rows = stored(tmp_path / "cli.db")
    assert len(rows) == 235 and {s for *_x, s in rows} == {"lapor"}
    dewi = [t for t, *_x in rows if "PDAM keruh di Cigugur" in t]
    assert dewi == ["Saya Dewi Lestari (NIK [NIK], HP [TELEPON], [EMAIL]) melapor air PDAM "
                    "keruh di Cigugur. Tetangga saya Bapak [NAMA] juga mengalami hal yang "
                    "sama."]  # the XLSX has no reporter column: the honorific rule only
    assert not any("uang rokok" in t for t, *_x in rows)  # Rahasia stays out

    # the same file again: everything is a duplicate now
    code, out, _ = run(capsys, "--config", str(config), "nlu", "import-lapor", str(export),
                       "--json")
    again = json.loads(out)
    assert (again["imported"], again["skipped"]["duplicate"]) == (0, 246)
    assert len(stored(tmp_path / "cli.db")) == 235


def test_csv_with_map_and_confidential(config: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "laporan.csv"
    export.write_bytes(csv_bytes(special_rows(date(2024, 2, 2))))
    mapping = tmp_path / "map.yml"
    mapping.write_text("categories:\n  Topik Lainnya: transport\n"
                       "agencies:\n  Kecamatan Cibeureum: public_order\n", encoding="utf-8")
    code, out, _ = run(capsys, "--config", str(config), "nlu", "import-lapor", str(export),
                       "--map", str(mapping), "--include-confidential", "--json")
    assert code == 0
    counts = json.loads(out)
    assert counts["skipped"] == {"confidential": 0, "blocked": 1, "no_text": 1,
                                 "mixed_unit_without_category": 0, "unmapped": 0,
                                 "duplicate": 1}
    # the two Rahasia rows carry the export's category (environment) like the base row
    assert counts["per_category"] == {"-": 1, "environment": 3, "public_order": 2,
                                      "social_assistance": 1, "transport": 1,
                                      "water_supply": 1}
    rows = stored(tmp_path / "cli.db")
    texts = {t: (i, c) for t, i, c, _s in rows}
    assert texts["Saya [NAMA] [NAMA] (NIK [NIK], HP [TELEPON], [EMAIL]) melapor air PDAM "
                 "keruh di Cigugur. Tetangga saya Bapak [NAMA] juga mengalami hal yang "
                 "sama."] == ("complaint", "water_supply")
    assert texts["Mohon diperhatikan keadaan di sekitar pasar baru yang makin "
                 "semrawut."] == ("complaint", "transport")
    assert texts["Warga mengeluhkan banyak hal di lingkungan kami yang tidak kunjung "
                 "beres."] == ("complaint", "public_order")
    # Rahasia rows were asked for; they carry the export's category
    assert texts["Kepala seksi di kantor kelurahan meminta uang rokok setiap "
                 "urusan."] == ("complaint", "environment")


def test_bad_input_is_refused_and_changes_nothing(config: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "nlu", "import-lapor", str(bad))
    assert code == 2 and "no table header with 'Tracking ID'" in err
    code, _, err = run(capsys, "--config", str(config), "nlu", "import-lapor",
                       str(tmp_path / "missing.xlsx"))
    assert code == 2 and "file not found" in err
    export = tmp_path / "ok.csv"
    export.write_bytes(csv_bytes(special_rows(date(2024, 2, 2))))
    badmap = tmp_path / "map.yml"
    badmap.write_text("categories:\n  Jalan: roads\n", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "nlu", "import-lapor", str(export),
                       "--map", str(badmap))
    assert code == 2 and "unknown category 'roads'" in err
    assert not (tmp_path / "cli.db").exists() or stored(tmp_path / "cli.db") == []


def test_text_output_names_the_next_step(config: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "laporan.csv"
    export.write_bytes(csv_bytes(special_rows(date(2024, 2, 2))))
    code, out, _ = run(capsys, "--config", str(config), "nlu", "import-lapor", str(export))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "read 12 reports from laporan.csv (csv)"
    assert lines[1] == "imported 5 new examples (source lapor)"
    assert lines[2] == ("skipped 7: confidential 2, blocked 1, no_text 1, "
                        "mixed_unit_without_category 2, duplicate 1")
    assert "'Kategori Baru Daerah' 1" in out
    assert lines[-1] == "next: pintu nlu train"


def test_imported_wording_changes_a_prediction(config: Path, tmp_path: Path,
                                               model: EmbeddedClassifier,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Train-then-parse through the CLI, and the agency's newer reports scored three ways."""
    before = model.parse(LOCAL_TEXT)
    assert before.category is not None and before.category.label != "environment"

    export = tmp_path / "older.xlsx"
    export.write_bytes(xlsx_bytes(OLDER))
    assert run(capsys, "--config", str(config), "nlu", "import-lapor", str(export))[0] == 0
    code, out, _ = run(capsys, "--config", str(config), "nlu", "train", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["n_examples"] > 8000
    code, out, _ = run(capsys, "--config", str(config), "nlu", "parse", "--json", LOCAL_TEXT)
    assert code == 0
    after = json.loads(out)
    assert after["model_version"] == info["version"]
    assert after["category"]["name"] == "environment"

    combined = ModelStore(tmp_path / "models").load(info["version"])
    imported = plan_import(export.read_bytes(), "older.xlsx").examples
    import_only = EmbeddedClassifier.train(imported, calibrate=False)

    def accuracy(clf: EmbeddedClassifier) -> float:
        right = 0
        for row in NEWER:
            category = clf.parse(row.text).category
            right += category is not None and category.label == row.expected
        return right / len(NEWER)

    scores = {"shipped": accuracy(model), "import_only": accuracy(import_only),
              "shipped_plus_import": accuracy(combined)}
    assert scores["shipped_plus_import"] >= scores["shipped"] + 0.04, scores
    assert scores["shipped_plus_import"] >= scores["import_only"] + 0.04, scores
    assert scores["shipped_plus_import"] >= 0.95, scores
