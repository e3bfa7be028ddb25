from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlu.wilayah import load_wilayah
from routing.catalog import Catalog
from routing.categories import CATEGORY_KEYS
from routing.explain import explain
from routing.router import (
    RULE_ANYWHERE,
    RULE_DEFAULT_REGION,
    RULE_DISTRICT,
    RULE_LOW_CONFIDENCE,
    RULE_MANUAL_FORWARD,
    RULE_NATIONAL,
    RULE_NO_CATEGORY,
    RULE_NO_UNIT,
    RULE_PROVINCE,
    RULE_REGENCY,
    RULE_UNKNOWN_CATEGORY,
    RoutingDecision,
    escalation_target,
    forward_decision,
    route_complaint,
)

KOTA_BATU = "35.79"
BUMIAJI = "35.79.02"  # a district of Kota Batu
KAB_MALANG = "35.07"  # another regency in Jawa Timur
JAKARTA_PUSAT = "31.71"  # a province the demo catalog has no units in

# One row per category, on the home city.
HOME_TABLE = [
    ("infrastructure", "dinas-pupr-batu", 5),
    ("water_supply", "perumda-among-tirto", 2),
    ("electricity", "pln-up3-malang", 2),
    ("health", "dinkes-batu", 5),
    ("education", "dindik-batu", 5),
    ("population_registry", "disdukcapil-batu", 2),
    ("social_assistance", "dinsos-batu", 14),
    ("environment", "dlh-batu", 2),
    ("disaster", "bpbd-batu", 2),
    ("transport", "dishub-batu", 5),
    ("public_order", "satpolpp-batu", 2),
    ("security", "polres-batu", 2),
    ("licensing", "dpmptsp-batu", 5),
    ("taxes_fees", "bapenda-batu", 5),
    ("employment", "disnaker-batu", 14),
    ("civil_service", "inspektorat-batu", 5),
]


def test_home_table_covers_every_category() -> None:
    assert {row[0] for row in HOME_TABLE} == set(CATEGORY_KEYS) - {"other"}


@pytest.mark.parametrize(("category", "unit_id", "days"), HOME_TABLE)
def test_each_category_on_the_home_city(
    demo: Catalog, category: str, unit_id: str, days: int
) -> None:
    decision = route_complaint(category, 0.91, KOTA_BATU, "telegram", demo)
    assert decision.unit.id == unit_id
    assert decision.rule == RULE_REGENCY
    assert decision.response_days == days
    assert decision.category == category
    assert decision.region_code == KOTA_BATU
    assert decision.matched_region == KOTA_BATU
    assert decision.channel == "telegram"
    assert not decision.is_triage


def test_other_goes_to_the_triage_desk(demo: Catalog) -> None:
    decision = route_complaint("other", 0.95, KOTA_BATU, "whatsapp", demo)
    assert decision.unit == demo.triage_unit
    assert decision.rule == RULE_NO_CATEGORY
    assert decision.response_days == 3
    assert decision.is_triage


# One block of rows per level of the region hierarchy.
HIERARCHY_TABLE = [
    # a district of Kota Batu: the city unit, or a unit serving just that district
    ("infrastructure", BUMIAJI, "dinas-pupr-batu", RULE_REGENCY),
    ("water_supply", BUMIAJI, "dinas-pupr-batu", RULE_DISTRICT),
    ("water_supply", "35.79.01", "perumda-among-tirto", RULE_REGENCY),
    # Kota Batu itself
    ("water_supply", KOTA_BATU, "perumda-among-tirto", RULE_REGENCY),
    ("education", KOTA_BATU, "dindik-batu", RULE_REGENCY),
    # another regency in Jawa Timur: province units, or a vertical office serving it
    ("education", KAB_MALANG, "dindik-jatim", RULE_PROVINCE),
    ("infrastructure", KAB_MALANG, "dpubm-jatim", RULE_PROVINCE),
    ("taxes_fees", KAB_MALANG, "bapenda-jatim", RULE_PROVINCE),
    ("employment", KAB_MALANG, "disnakertrans-jatim", RULE_PROVINCE),
    ("civil_service", KAB_MALANG, "inspektorat-jatim", RULE_PROVINCE),
    ("security", KAB_MALANG, "polda-jatim", RULE_PROVINCE),
    ("electricity", KAB_MALANG, "pln-uid-jatim", RULE_PROVINCE),
    ("electricity", "35.73", "pln-up3-malang", RULE_REGENCY),
    ("population_registry", KAB_MALANG, "triase-batu", RULE_NO_UNIT),
    # the province itself
    ("education", "35", "dindik-jatim", RULE_PROVINCE),
    # another province: national units, else the triage desk forwards it
    ("electricity", JAKARTA_PUSAT, "pln-pusat", RULE_NATIONAL),
    ("security", JAKARTA_PUSAT, "polri", RULE_NATIONAL),
    ("health", JAKARTA_PUSAT, "triase-batu", RULE_NO_UNIT),
    ("civil_service", JAKARTA_PUSAT, "triase-batu", RULE_NO_UNIT),
    # no region: the catalog's home city
    ("infrastructure", None, "dinas-pupr-batu", RULE_DEFAULT_REGION),
    ("security", None, "polres-batu", RULE_DEFAULT_REGION),
]


@pytest.mark.parametrize(("category", "region", "unit_id", "rule"), HIERARCHY_TABLE)
def test_most_specific_unit_by_region_level(
    demo: Catalog, category: str, region: str | None, unit_id: str, rule: str
) -> None:
    decision = route_complaint(category, 0.8, region, "webchat", demo)
    assert (decision.unit.id, decision.rule) == (unit_id, rule)


def test_reason_in_words(demo: Catalog) -> None:
    decision = route_complaint("infrastructure", 0.91, KOTA_BATU, "telegram", demo)
    assert explain(decision, "id").startswith("kategori infrastruktur 0,91; wilayah Kota Batu; ")
    assert "Dinas PUPR Kota Batu" in explain(decision, "id")
    assert explain(decision, "en").startswith("category infrastructure 0.91; region Kota Batu; ")

    up = route_complaint("education", 0.77, KAB_MALANG, "telegram", demo)
    assert "wilayah Kabupaten Malang" in explain(up, "id")
    assert "tingkat provinsi, Provinsi Jawa Timur" in explain(up, "id")

    home = route_complaint("infrastructure", 0.91, None, "telegram", demo)
    assert "wilayah bawaan Kota Batu" in explain(home, "id")
    assert home.region_code is None and home.matched_region == KOTA_BATU

    missing = route_complaint("health", 0.9, JAKARTA_PUSAT, "telegram", demo)
    assert "Kota Administrasi Jakarta Pusat" in explain(missing, "id")
    assert "meneruskan" in explain(missing, "id") and "forwards" in explain(missing, "en")


def test_region_objects_and_code_spellings(demo: Catalog) -> None:
    region = load_wilayah().region(BUMIAJI)
    assert route_complaint("water_supply", 0.9, region, "x", demo).rule == RULE_DISTRICT
    assert route_complaint("water_supply", 0.9, "357902", "x", demo).region_code == BUMIAJI
    assert route_complaint("health", 0.9, " 35.79 ", "x", demo).rule == RULE_REGENCY
    # A village code walks up to its district.
    village = route_complaint("water_supply", 0.9, "35.79.02.2001", "x", demo)
    assert (village.unit.id, village.rule) == ("dinas-pupr-batu", RULE_DISTRICT)


def test_unreadable_region_falls_back_to_home(demo: Catalog) -> None:
    decision = route_complaint("health", 0.9, "dekat alun-alun", "x", demo)
    assert (decision.unit.id, decision.rule) == ("dinkes-batu", RULE_DEFAULT_REGION)
    assert "'dekat alun-alun' tidak dikenali" in explain(decision, "id")


@pytest.mark.parametrize("confidence", [0.39, 0.0, -1.0, math.nan, "tinggi"])
def test_low_or_unusable_confidence_goes_to_triage(demo: Catalog, confidence: object) -> None:
    decision = route_complaint("infrastructure", confidence, KOTA_BATU, "x", demo)  # type: ignore[arg-type]
    assert decision.unit == demo.triage_unit
    assert decision.rule == RULE_LOW_CONFIDENCE
    assert decision.category == "infrastructure"
    assert decision.confidence is None or decision.confidence < 0.40


def test_threshold_is_inclusive_and_configurable(demo: Catalog) -> None:
    assert route_complaint("health", 0.40, KOTA_BATU, "x", demo).rule == RULE_REGENCY
    strict = route_complaint("health", 0.6, KOTA_BATU, "x", demo, threshold=0.7)
    assert strict.rule == RULE_LOW_CONFIDENCE
    assert "di bawah ambang 0,70" in explain(strict, "id")


def test_confidence_none_means_chosen_not_guessed(demo: Catalog) -> None:
    decision = route_complaint("health", None, KOTA_BATU, "x", demo)
    assert decision.unit.id == "dinkes-batu"
    assert explain(decision, "id").startswith("kategori kesehatan; wilayah Kota Batu")


@pytest.mark.parametrize(
    ("category", "rule"), [(None, RULE_NO_CATEGORY), ("", RULE_UNKNOWN_CATEGORY),
                           ("roads", RULE_UNKNOWN_CATEGORY)]
)
def test_missing_or_unknown_category_goes_to_triage(
    demo: Catalog, category: str | None, rule: str
) -> None:
    decision = route_complaint(category, 0.99, KOTA_BATU, "x", demo)
    assert (decision.unit, decision.rule) == (demo.triage_unit, rule)


@pytest.mark.parametrize("region", [None, KOTA_BATU, BUMIAJI, "35.79.03"])
def test_staff_conduct_goes_to_the_inspectorate(demo: Catalog, region: str | None) -> None:
    decision = route_complaint("civil_service", 0.88, region, "x", demo)
    assert decision.unit.id == "inspektorat-batu"
    assert decision.unit.kind == "inspektorat"


def test_without_a_default_region_the_first_owner_is_used(demo: Catalog) -> None:
    catalog = dataclasses.replace(demo, default_region=None)
    decision = route_complaint("education", 0.9, None, "x", catalog)
    assert (decision.unit.id, decision.rule) == ("dindik-batu", RULE_ANYWHERE)


@given(
    category=st.one_of(st.none(), st.sampled_from(CATEGORY_KEYS), st.text(max_size=12)),
    confidence=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    region=st.one_of(
        st.none(), st.text(max_size=14),
        st.sampled_from(["35", "35.79", "35.79.02", "32.73", "ID", "99.99.99", "11.01.01"]),
    ),
)
def test_never_raises_and_always_names_a_unit(
    demo: Catalog, category: str | None, confidence: float | None, region: str | None
) -> None:
    decision = route_complaint(category, confidence, region, "x", demo)
    assert isinstance(decision, RoutingDecision)
    assert demo.unit(decision.unit.id) == decision.unit
    assert explain(decision, "id") and explain(decision, "en")
    assert decision.response_days > 0


def test_decisions_are_frozen(demo: Catalog) -> None:
    decision = route_complaint("health", 0.9, KOTA_BATU, "x", demo)
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.rule = "other"  # type: ignore[misc]


def test_manual_forward(demo: Catalog) -> None:
    decision = forward_decision(demo, "dishub-batu", "lampu PJU dikelola Dishub",
                                category="transport")
    assert decision.unit.id == "dishub-batu"
    assert decision.rule == RULE_MANUAL_FORWARD
    assert explain(decision, "id") == (
        "diteruskan petugas ke Dishub Kota Batu: lampu PJU dikelola Dishub")
    assert explain(decision, "en").startswith("forwarded by an officer to Dishub Kota Batu")
    assert decision.response_days == 5
    assert decision.confidence is None
    with pytest.raises(KeyError, match="dishub-surabaya"):
        forward_decision(demo, "dishub-surabaya", "salah kota")
    with pytest.raises(ValueError, match="reason"):
        forward_decision(demo, "dishub-batu", "  ")


def test_escalation_goes_to_the_parent(demo: Catalog) -> None:
    assert escalation_target(demo, "dinas-pupr-batu") == demo.unit("setda-batu")
    assert escalation_target(demo, "setda-batu") == demo.unit("pemkot-batu")
    assert escalation_target(demo, "pemkot-batu") is None
    assert escalation_target(demo, "inspektorat-batu") == demo.unit("pemkot-batu")
    assert escalation_target(demo, "polres-batu") == demo.unit("polda-jatim")
    assert escalation_target(demo, "triase-batu") == demo.unit("diskominfo-batu")
    # A unit removed by a catalog reload: the triage desk takes over.
    assert escalation_target(demo, "dinas-lama") == demo.triage_unit
