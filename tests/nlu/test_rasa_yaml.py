from __future__ import annotations

import pytest

from nlu.examples import TrainingExample
from nlu.rasa_yaml import (
    NluData,
    NluYamlError,
    read_nlu_yaml,
    split_intent_name,
    strip_annotations,
    write_nlu_yaml,
)
from nlu.training import load_shipped_examples

SAMPLE = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - halo min
    - Selamat pagi
- intent: complaint+water_supply
  examples: |
    - air PDAM mati di [Jaksel](region)
    - air keruh {"x": 1}
- intent: aspiration+health
  metadata:
    source: test
  examples:
  - text: usul puskesmas buka malam
    metadata: {lang: id}
  - ada dokter jaga hari libur
- synonym: Kota Bandung
  examples: |
    - bdg
- regex: ticket_number
  examples: |
    - \\b[A-Z]{2,6}-\\d{4}-\\d{6}\\b
- lookup: region
  examples: |
    - Jogja
    - Jaksel
"""


def test_reads_intents_categories_and_tables() -> None:
    data = read_nlu_yaml(SAMPLE)
    assert [(e.text, e.intent, e.category) for e in data.examples] == [
        ("halo min", "greet", None),
        ("Selamat pagi", "greet", None),
        ("air PDAM mati di Jaksel", "complaint", "water_supply"),
        ('air keruh {"x": 1}', "complaint", "water_supply"),
        ("usul puskesmas buka malam", "aspiration", "health"),
        ("ada dokter jaga hari libur", "aspiration", "health"),
    ]
    assert data.synonyms == {"Kota Bandung": ("bdg",)}
    assert data.regexes == {"ticket_number": (r"\b[A-Z]{2,6}-\d{4}-\d{6}\b",)}
    assert data.lookups == {"region": ("Jogja", "Jaksel")}
    assert {e.source for e in data.examples} == {"import"}


def test_round_trip_is_lossless() -> None:
    data = read_nlu_yaml(SAMPLE)
    again = read_nlu_yaml(write_nlu_yaml(data))
    assert again == data


def test_round_trip_of_tricky_texts() -> None:
    texts = ['kata "kutip" & #hash: titik dua', "- mulai dengan strip", "emoji 🙏 dan ümlaut",
             "  spasi   ganda  ", "'petik tunggal'", "| pipa", "{kurung}"]
    data = NluData(tuple(TrainingExample(t, "complaint", "other") for t in texts))
    again = read_nlu_yaml(write_nlu_yaml(data))
    assert [e.text for e in again.examples] == [" ".join(t.split()) for t in texts]


def test_shipped_data_round_trips_and_covers_the_taxonomy() -> None:
    from nlu.taxonomy import CATEGORIES, INTENTS

    examples = load_shipped_examples()
    data = NluData(tuple(examples))
    assert read_nlu_yaml(write_nlu_yaml(data), source="shipped").examples == data.examples
    assert {e.intent for e in examples} == set(INTENTS)
    for intent in ("complaint", "aspiration"):
        assert {e.category for e in examples if e.intent == intent} == set(CATEGORIES)
    assert len(examples) > 3000


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("nlu: [", 1, "not valid YAML"),
        ("- a\n- b\n", 1, "top level"),
        ("version: '3.1'\n", 1, "no 'nlu:'"),
        ('version: "1.0"\nnlu: []\n', 1, "unsupported version"),
        ('version: "3.1"\nnlu:\n- intent: greet\n', 3, "no 'examples'"),
        ('version: "3.1"\nnlu:\n- intent: shout\n  examples: |\n    - hi\n', 3, "unknown intent"),
        ('version: "3.1"\nnlu:\n- intent: complaint+roads\n  examples: |\n    - x\n', 3,
         "unknown category"),
        ('version: "3.1"\nnlu:\n- intent: greet+health\n  examples: |\n    - x\n', 3,
         "takes no category"),
        ('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - ok\n    oops\n', 6,
         "must start with '- '"),
        ('version: "3.1"\nnlu:\n- regex: r\n  examples: |\n    - "(unclosed"\n', 5, "bad regex"),
        ('version: "3.1"\nnlu:\n- intent: greet\n  synonym: x\n  examples: |\n    - a\n', 3,
         "exactly one"),
    ],
)
def test_bad_files_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(NluYamlError) as info:
        read_nlu_yaml(text)
    assert fragment in str(info.value)
    assert info.value.line == line
    assert isinstance(info.value, ValueError)


def test_non_strict_accepts_other_intents() -> None:
    data = read_nlu_yaml('nlu:\n- intent: shout\n  examples: |\n    - HEY\n', strict=False)
    assert data.examples[0].intent == "shout"


def test_helpers() -> None:
    assert split_intent_name("complaint+water_supply") == ("complaint", "water_supply")
    assert split_intent_name("greet") == ("greet", None)
    assert strip_annotations('di [Bandung](region) dan [Jogja]{"entity": "region"}') == (
        "di Bandung dan Jogja")
