"""The router returns facts; routing.explain words them (reason/reason_en are that wording)."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from routing.catalog import Catalog
from routing.explain import explain
from routing.router import RoutingDecision, forward_decision, route_complaint
from routing.rules import RegionLevel, RoutingRule

DESK_ID = "Meja Triase Command Center memilah dan meneruskannya ke unit yang berwenang"
DESK_EN = "Meja Triase Command Center sorts it and forwards it to the responsible unit"

# One row per wording path: (category, confidence, region, rule, Indonesian, English).
WORDING_TABLE = [
    ("infrastructure", 0.91, "35.79", RoutingRule.REGENCY,
     "kategori infrastruktur 0,91; wilayah Kota Batu; ditangani Dinas PUPR Kota Batu "
     "(tingkat kabupaten/kota)",
     "category infrastructure 0.91; region Kota Batu; handled by Dinas PUPR Kota Batu "
     "(regency level)"),
    ("education", 0.77, "35.07", RoutingRule.PROVINCE,
     "kategori pendidikan 0,77; wilayah Kabupaten Malang; ditangani Dindik Jatim "
     "(tingkat provinsi, Provinsi Jawa Timur)",
     "category education 0.77; region Kabupaten Malang; handled by Dindik Jatim "
     "(province level, Provinsi Jawa Timur)"),
    ("electricity", 0.8, "31.71", RoutingRule.NATIONAL,
     "kategori listrik 0,80; wilayah Kota Administrasi Jakarta Pusat; ditangani PLN "
     "(tingkat nasional, Indonesia)",
     "category electricity 0.80; region Kota Administrasi Jakarta Pusat; handled by PLN "
     "(national level, Indonesia)"),
    ("health", None, "dekat alun-alun", RoutingRule.DEFAULT_REGION,
     "kategori kesehatan; wilayah 'dekat alun-alun' tidak dikenali, memakai wilayah bawaan "
     "Kota Batu; ditangani Dinkes Kota Batu (tingkat kabupaten/kota)",
     "category health; region 'dekat alun-alun' not recognised, using the home region "
     "Kota Batu; handled by Dinkes Kota Batu (regency level)"),
    ("health", 0.9, "31.71", RoutingRule.NO_UNIT,
     f"kategori kesehatan 0,90; wilayah Kota Administrasi Jakarta Pusat; belum ada unit di "
     f"katalog untuk kategori ini di wilayah tersebut; {DESK_ID}",
     f"category health 0.90; region Kota Administrasi Jakarta Pusat; no unit in the catalog "
     f"handles this category there; {DESK_EN}"),
    (None, 0.9, "35.79", RoutingRule.NO_CATEGORY,
     f"kategori belum diketahui; {DESK_ID}", f"no category yet; {DESK_EN}"),
    ("other", 0.9, None, RoutingRule.NO_CATEGORY,
     f"kategori lainnya; {DESK_ID}", f"category other; {DESK_EN}"),
    ("roads", 0.9, None, RoutingRule.UNKNOWN_CATEGORY,
     f"kategori 'roads' tidak dikenal; {DESK_ID}", f"unknown category 'roads'; {DESK_EN}"),
    ("health", math.nan, None, RoutingRule.LOW_CONFIDENCE,
     f"kategori kesehatan dengan skor tidak valid (nan); {DESK_ID}",
     f"category health with an invalid score (nan); {DESK_EN}"),
    ("health", 0.2, None, RoutingRule.LOW_CONFIDENCE,
     f"kategori kesehatan 0,20 di bawah ambang 0,40; {DESK_ID}",
     f"category health 0.20 below the threshold 0.40; {DESK_EN}"),
]


@pytest.mark.parametrize(("category", "confidence", "region", "rule", "text_id", "text_en"),
                         WORDING_TABLE)
def test_each_rule_in_words(
    demo: Catalog, category: str | None, confidence: float | None, region: str | None,
    rule: RoutingRule, text_id: str, text_en: str,
) -> None:
    decision = route_complaint(category, confidence, region, "x", demo)
    assert decision.rule is rule
    assert explain(decision, "id") == explain(decision, "id") == text_id
    assert explain(decision, "en") == explain(decision, "en") == text_en
    assert explain(decision) == text_id  # Indonesian is the default


def test_without_a_home_region(demo: Catalog) -> None:
    no_home = dataclasses.replace(demo, default_region=None)
    anywhere = route_complaint("education", 0.9, "x y", "x", no_home)
    assert anywhere.rule is RoutingRule.ANYWHERE
    assert explain(anywhere, "en") == (
        "category education 0.90; region 'x y' not recognised; handled by Dispendik Kota Batu")
    elsewhere = route_complaint("health", 0.9, None, "x",
                                dataclasses.replace(demo, default_region="31.71"))
    assert explain(elsewhere, "id").startswith(
        "kategori kesehatan 0,90; wilayah tidak disebut, wilayah bawaan Kota Administrasi "
        "Jakarta Pusat; ")


def test_decisions_carry_facts_not_words(demo: Catalog) -> None:
    decision = route_complaint("education", 0.77, "35.07", "telegram", demo)
    assert decision.rule is RoutingRule.PROVINCE
    assert (decision.searched_region, decision.searched_region_name) == (
        "35.07", "Kabupaten Malang")
    assert (decision.matched_region, decision.matched_region_name) == (
        "35", "Provinsi Jawa Timur")
    assert decision.matched_level is RegionLevel.PROVINCE
    field_names = {f.name for f in dataclasses.fields(RoutingDecision)}
    assert not {"reason", "reason_en"} & field_names

    unread = route_complaint("health", 0.9, "dekat alun-alun", "x", demo)
    assert unread.unread_region == "dekat alun-alun" and unread.region_code is None
    assert unread.searched_region == demo.default_region

    low = route_complaint("health", 0.2, "35.79", "x", demo, threshold=0.5)
    assert (low.threshold, low.confidence, low.searched_region) == (0.5, 0.2, None)
    invalid = route_complaint("health", "tinggi", "35.79", "x", demo)  # type: ignore[arg-type]
    assert invalid.invalid_confidence == "'tinggi'" and invalid.confidence is None
    unknown = route_complaint("roads", 0.9, "35.79", "x", demo)
    assert unknown.unknown_category == "roads" and unknown.category is None


def test_rules_are_stored_as_their_names(demo: Catalog) -> None:
    decision = forward_decision(demo, "dishub-batu", "lampu PJU dikelola Dishub")
    assert decision.rule == "manual-forward"
    assert json.dumps({"rule": decision.rule}) == '{"rule": "manual-forward"}'
    assert decision.note == "lampu PJU dikelola Dishub"
    assert explain(decision, "en") == (
        "forwarded by an officer to Dishub Kota Batu: lampu PJU dikelola Dishub")
