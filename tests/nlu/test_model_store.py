from __future__ import annotations

import json
from pathlib import Path

from nlu.embedded import EmbeddedClassifier
from nlu.examples import TrainingExample
from nlu.model_store import ModelStore, load_or_train_default, resolve_model_dir
from nlu.training import load_shipped_examples


def small_examples() -> list[TrainingExample]:
    shipped = load_shipped_examples()
    out: list[TrainingExample] = []
    for intent, category in (("greet", None), ("thanks", None), ("complaint", "water_supply"),
                             ("complaint", "electricity")):
        out += [e for e in shipped if e.intent == intent and e.category == category][:75]
    return out


def test_store_versions_and_metadata(tmp_path: Path, model: EmbeddedClassifier) -> None:
    store = ModelStore(tmp_path / "models")
    assert store.list_versions() == [] and store.latest() is None
    first = store.save(model)
    second = store.save(model)  # same version name -> a suffix, not an overwrite
    assert second.version == f"{model.version}-2"
    assert [i.version for i in store.list_versions()] == [first.version, second.version]
    meta = json.loads((tmp_path / "models" / f"{first.version}.json").read_text())
    assert meta["version"] == first.version
    assert meta["n_examples"] == model.info["n_examples"]
    assert set(meta["labels"]) == {"intents", "categories"}
    assert {"created_at", "training_seconds"} <= set(meta)
    loaded = store.load(second.version)
    assert loaded.version == second.version
    text = "Air PDAM mati"
    assert loaded.parse(text).intent == model.parse(text).intent


def test_train_writes_a_versioned_file(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    info = store.train(small_examples(), calibrate=False)
    assert info.path.exists() and info.path.name.startswith("nlu-")
    assert info.path.suffix == ".joblib"
    assert info.n_examples == 300
    assert store.latest() == info


def test_load_or_train_default_trains_once(tmp_path: Path) -> None:
    calls: list[int] = []

    def provider() -> list[TrainingExample]:
        calls.append(1)
        return small_examples()

    first = load_or_train_default(tmp_path, provider, calibrate=False)
    again = load_or_train_default(tmp_path, provider)
    assert calls == [1]
    assert first.version == again.version


def test_unreadable_metadata_is_skipped(tmp_path: Path, model: EmbeddedClassifier) -> None:
    store = ModelStore(tmp_path)
    info = store.save(model)
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "broken.joblib").write_bytes(b"")
    assert [i.version for i in store.list_versions()] == [info.version]


def test_resolve_model_dir_defaults_to_models_in_the_working_directory() -> None:
    assert resolve_model_dir(None) == Path("models")
    assert resolve_model_dir("") == Path("models")
    assert resolve_model_dir("./models") == Path("models")
    assert resolve_model_dir("/srv/pintu/models") == Path("/srv/pintu/models")
