"""A real-shaped Rasa project (several files, entities, synonyms, regexes, lookups,
responses, stories, rules, domain) read, written and read back equal; the extractors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu_admin.custom_intents import collect_rasa_files
from nlu.rasa_extractors import RasaExtras
from nlu.rasa_project import (
    Annotation,
    parse_annotations,
    read_rasa_files,
    response_texts,
    write_rasa_project,
)
from nlu.rasa_yaml import NluYamlError

PROJECT = Path(__file__).parent / "data" / "rasa_project"


def test_a_project_directory_is_read_whole() -> None:
    files = collect_rasa_files([PROJECT])
    assert [Path(name).name for name, _ in files] == [
        "more_nlu.yml", "nlu.yml", "rules.yml", "stories.yml", "domain.yml"]
    project = read_rasa_files(files)
    assert project.custom_intents == ["jam_buka_mpp", "jadwal_posyandu",
                                      "syarat_samsat_keliling", "affirm"]
    by_intent: dict[str, int] = {}
    for ex in project.examples:
        by_intent[ex.intent] = by_intent.get(ex.intent, 0) + 1
    assert by_intent == {"jam_buka_mpp": 7, "jadwal_posyandu": 8, "syarat_samsat_keliling": 6,
                         "affirm": 3, "greet": 2}
    # Like Rasa: a line without "- " is skipped with a warning, not refused.
    assert project.warnings == [
        f"{PROJECT}/data/nlu.yml: line 28: intent 'jam_buka_mpp': "
        "skipped 'mpp buka sampai jam berapa': an example must start with '- '"]
    assert project.synonyms == {"samsat keliling": ["samling", "samsat mobil"]}
    assert project.regexes == {"nomor_polisi": [r"\b[A-Z]{1,2}\s?\d{1,4}\s?[A-Z]{1,3}\b"]}
    assert project.lookups == {"kelurahan": ["Sisir", "Temas", "Ngaglik", "Songgokerto"],
                               "layanan": ["samsat keliling", "posyandu"]}
    assert project.intent_metadata == {"jadwal_posyandu": {"owner": "dinkes"}}
    assert sorted(project.responses) == ["utter_greet", "utter_jadwal_posyandu",
                                         "utter_jam_buka_mpp"]
    assert [s["story"] for s in project.stories] == ["tanya jadwal posyandu"]
    assert [r["rule"] for r in project.rules] == ["jawab jam buka MPP"]
    assert sorted(project.domain) == ["entities", "intents", "session_config", "slots"]
    assert Annotation("kelurahan", "Temas", 26, 31, "Temas", "tujuan") in project.annotations
    assert Annotation("layanan", "samsat keliling", 0, 15, "samsat keliling", None, "1") \
        in project.annotations


def test_the_written_project_reads_back_equal() -> None:
    project = read_rasa_files(collect_rasa_files([PROJECT]))
    again = read_rasa_files([("export.yml", write_rasa_project(project))])
    assert again.comparable() == project.comparable()
    assert again.warnings == []


@pytest.mark.parametrize(("text", "plain", "found"), [
    ("di [Kota Batu](region) ya", "di Kota Batu ya",
     [Annotation("region", "Kota Batu", 3, 12, "Kota Batu")]),
    ("[samling](layanan:samsat keliling)", "samling",
     [Annotation("layanan", "samsat keliling", 0, 7, "samling")]),
    ('dari [Batu]{"entity": "kota", "role": "asal", "group": "2"} ke [Malang](kota)',
     "dari Batu ke Malang",
     [Annotation("kota", "Batu", 5, 9, "Batu", "asal", "2"),
      Annotation("kota", "Malang", 13, 19, "Malang")]),
    ("tanpa anotasi [ini] (bukan) entitas", "tanpa anotasi [ini] (bukan) entitas", []),
])
def test_annotations(text: str, plain: str, found: list[Annotation]) -> None:
    assert parse_annotations(text) == (plain, found)


def test_bad_files_are_refused_naming_the_file() -> None:
    with pytest.raises(NluYamlError, match=r"bad\.yml: line 1: not valid YAML"):
        read_rasa_files([("bad.yml", "nlu: [unclosed")])
    with pytest.raises(NluYamlError, match="bad regex"):
        read_rasa_files([("r.yml", "nlu:\n- regex: x\n  examples: |\n    - ([a-z\n")])
    with pytest.raises(NluYamlError, match="intent name 'jam buka'"):
        read_rasa_files([("n.yml", "nlu:\n- intent: jam buka\n  examples: |\n    - a\n")])


def test_responses_give_the_answer_in_both_languages() -> None:
    project = read_rasa_files(collect_rasa_files([PROJECT]))
    text_id, text_en, buttons = response_texts(project.responses["utter_jadwal_posyandu"])
    assert text_id.startswith("Posyandu buka setiap Selasa") and "\nBawa buku KIA." in text_id
    assert text_en.startswith("Posyandu opens every second Tuesday")
    assert buttons == [{"title_id": "Lokasi posyandu", "payload": "/info"}]


def test_extractors_use_regexes_lookups_annotations_and_synonyms() -> None:
    project = read_rasa_files(collect_rasa_files([PROJECT]))
    extras = RasaExtras(project.synonyms, project.regexes, project.lookups,
                        [a.as_dict() for a in project.annotations])
    text = "Samling di Ngaglik untuk N 1234 AB, posyandu balita"
    found = [(e.entity, e.value, text[e.start:e.end], e.extractor, e.extra.get("processors"))
             for e in extras.entities(text)]
    assert found == [
        ("layanan", "samsat keliling", "Samling", "PintuAnnotationExtractor",
         ["EntitySynonymMapper"]),
        ("kelurahan", "Ngaglik", "Ngaglik", "RegexEntityExtractor", None),
        ("nomor_polisi", "N 1234 AB", "N 1234 AB", "RegexEntityExtractor", None),
        ("layanan", "posyandu", "posyandu", "RegexEntityExtractor", None),
        ("sasaran", "balita", "balita", "PintuAnnotationExtractor", None),
    ]
    assert extras.normalise("jadwal samling dan samsat mobil") == \
        "jadwal samsat keliling dan samsat keliling"
    roles = [e.extra for e in extras.entities("ke Temas") if e.entity == "kelurahan"]
    assert roles == [{}]  # the lookup table found it first; no role without the annotation
