"""Units named in a text (nlu.agencies), the unit cues of the classifier, secondary
categories of multi-topic reports, and the mix of imported and shipped examples."""

from __future__ import annotations

import pytest

from nlu.agencies import addressed_categories, agency_of, mentioned_categories, named_units
from nlu.embedded import EmbeddedClassifier, analyse
from nlu.examples import TrainingExample
from nlu.rasa_format import to_rasa_parse
from nlu.training import MAX_WEIGHT, example_weights


@pytest.mark.parametrize(("text", "addressed", "mentioned"), [
    ("Kepada Yth. Dinas Perhubungan Kota Batu, lampu lalu lintas mati.",
     ["transport"], ["transport"]),
    ("Mohon Satpol PP menertibkan lapak di trotoar.", ["public_order"], ["public_order"]),
    ("KK saya sudah jadi dari Disdukcapil, tapi PKH belum cair. Mohon kiranya pihak "
     "Dinas Sosial memeriksa.", ["social_assistance"],
     ["population_registry", "social_assistance"]),
    ("Kami sudah melapor ke BPBD tetapi bukan wewenang mereka.", [], ["disaster"]),
    ("TOLONG PDAM TIRTA SEGERA PERBAIKI PIPA", ["water_supply"], ["water_supply"]),
    ("Mohon Inspektorat memeriksa oknum petugas puskesmas.", ["civil_service"],
     ["civil_service", "health"]),
    ("Jalan berlubang di depan SD, mohon diperbaiki.", [], []),
    ("Rumah saya dekat rumah sakit, badan saya pegal.", [], []),
    ("Mohon camat turun tangan.", [], []),  # a unit with mixed jobs and no usual category
])
def test_units_named_and_addressed(text: str, addressed: list[str], mentioned: list[str]
                                   ) -> None:
    assert addressed_categories(text) == addressed
    assert mentioned_categories(text) == mentioned


def test_agency_table() -> None:
    pupr = agency_of("Dinas PUPR Kabupaten Garut")
    assert pupr is not None and (pupr.category, pupr.mixed) == ("infrastructure", True)
    dishub = agency_of("DISHUB KOTA BANDUNG")
    assert dishub is not None and (dishub.category, dishub.mixed) == ("transport", True)
    dinsos = agency_of("Dinas Sosial P3A")
    assert dinsos is not None and (dinsos.category, dinsos.mixed) == ("social_assistance", False)
    setda = agency_of("Sekretariat Daerah Kota Batu")
    assert setda is not None and (setda.category, setda.mixed) == (None, True)
    assert agency_of("Badan Entah Apa") is None
    assert named_units("Mohon RSUD dan Dinkes menambah dokter") == [("health", True),
                                                                   ("health", False)]


def test_cues_reach_the_analysis() -> None:
    assert analyse("Mohon Disdukcapil segera mencetak KTP saya").cues == (
        "apopulation_registry", "mpopulation_registry")
    assert analyse("halo min").cues == ()


def test_the_addressed_unit_decides_between_two_problems(model: EmbeddedClassifier) -> None:
    background = ("Selamat siang. Saya warga RT 03 RW 05 dan sudah tinggal di sini sejak 2010. "
                  "Jalan di depan rumah kami berlubang besar dan banyak pengendara jatuh. "
                  "Sampah di TPS dekat pasar juga tidak diangkut seminggu dan baunya menyengat. "
                  "Kami sudah melapor ke kelurahan tetapi belum ada tindak lanjut. ")
    to_dlh = model.parse(background + "Mohon DLH Kota Batu segera mengangkut sampah itu.")
    to_pupr = model.parse(background + "Mohon Dinas PUPR Kota Batu segera menambal jalan itu.")
    assert to_dlh.category is not None and to_dlh.category.label == "environment"
    assert to_pupr.category is not None and to_pupr.category.label == "infrastructure"
    # the other problem stays visible to the officer
    assert [p.label for p in to_dlh.secondary_categories] == ["infrastructure"]
    assert [p.label for p in to_pupr.secondary_categories] == ["environment"]
    assert to_rasa_parse(to_dlh)["secondary_categories"] == [
        {"name": "infrastructure",
         "confidence": round(to_dlh.secondary_categories[0].confidence, 4)}]


def test_chat_messages_have_no_secondary_categories(model: EmbeddedClassifier) -> None:
    result = model.parse("jalan rusak, sampah numpuk, lampu mati semua min")
    assert result.secondary_categories == ()


def test_imported_and_shipped_examples_are_mixed_so_neither_drowns() -> None:
    shipped = [TrainingExample(f"s{i}", "greet") for i in range(1000)]
    few = [TrainingExample(f"l{i}", "greet", None, "lapor") for i in range(50)]
    weights = example_weights(shipped + few)
    assert weights[:1000] == [1.0] * 1000 and weights[1000:] == [MAX_WEIGHT] * 50
    some = [TrainingExample(f"l{i}", "greet", None, "lapor") for i in range(400)]
    assert example_weights(shipped + some)[1000:] == [1.25] * 400  # half of 1000 over 400
    many = [TrainingExample(f"l{i}", "greet", None, "lapor") for i in range(5000)]
    weights = example_weights(shipped + many)
    assert weights[:1000] == [2.5] * 1000 and weights[1000:] == [1.0] * 5000
    assert example_weights(shipped) == [1.0] * 1000
