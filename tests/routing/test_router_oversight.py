"""Whole routing decisions for the paths the demo catalog does not reach.

Oversight complaints where the region lists no Inspektorat for the service (the
category's owner takes it) or nobody at all (the triage desk), region and score
spellings, the service threshold's edge, service_decision and forward_decision.
Each test compares the whole RoutingDecision (or its whole explanation), so a changed
fact anywhere shows.
"""

from __future__ import annotations

from typing import Any

import pytest

from routing.catalog import Catalog, parse_catalog
from routing.explain import explain
from routing.oversight import complained_unit
from routing.router import (
    RoutingDecision,
    excluded_units,
    forward_decision,
    route_complaint,
    service_decision,
)
from routing.rules import RoutingRule

# A city (Kota Batu, 35.79) in a province (Jawa Timur, 35): the mayor's office above the
# Sekda above two offices; an Inspektorat under the mayor only for the city; a provincial
# governor's office owning civil_service for the province; the triage desk under the
# mayor's office. Three oversight services: "pungli" names the city's Inspektorat, "suap"
# names nobody (category owners decide), "gratifikasi" names the province for all of it.
UNITS: list[dict[str, Any]] = [
    {"id": "triase", "name": "Meja Triase", "kind": "triage", "default_response_days": 3,
     "parent": "pemkot"},
    {"id": "pemkot", "name": "Pemerintah Kota Batu", "kind": "government",
     "regions": ["35.79"], "categories": ["public_order"]},
    {"id": "setda", "name": "Sekretariat Daerah", "kind": "government", "parent": "pemkot",
     "regions": ["35.79"], "categories": ["licensing"]},
    {"id": "dinas", "name": "Dinas PUPR", "kind": "dinas", "parent": "setda",
     "regions": ["35.79"], "categories": ["infrastructure"],
     "response_days": {"infrastructure": 7}},
    {"id": "bidang", "name": "Bidang Jalan", "kind": "dinas", "parent": "dinas",
     "regions": ["35.79"], "categories": ["transport"]},
    {"id": "inspektorat", "name": "Inspektorat Kota Batu", "kind": "inspektorat",
     "parent": "pemkot", "regions": ["35.79"], "categories": ["civil_service"],
     "response_days": {"civil_service": 9}},
    {"id": "pemprov", "name": "Pemerintah Provinsi Jawa Timur", "kind": "government",
     "regions": ["35"], "categories": ["civil_service", "infrastructure"],
     "default_response_days": 11},
    # Every category needs an owner somewhere; these play no part in the tests.
    {"id": "pusat", "name": "Kementerian", "kind": "national", "regions": ["ID"],
     "categories": ["water_supply", "electricity", "health", "education",
                    "population_registry", "social_assistance", "environment", "disaster",
                    "security", "taxes_fees", "employment"]},
]
SERVICES: list[dict[str, Any]] = [
    {"code": "pungli", "name": "Pungli", "category": "civil_service", "keywords": ["pungli"],
     "oversight": True, "response_days": 4, "owners": {"35.79": "inspektorat"}},
    {"code": "suap", "name": "Suap", "category": "civil_service", "keywords": ["suap"],
     "oversight": True},
    {"code": "gratifikasi", "name": "Gratifikasi", "category": "civil_service",
     "keywords": ["gratifikasi"], "oversight": True, "owners": {"35": "pemprov"}},
    {"code": "jalan", "name": "Jalan rusak", "category": "infrastructure",
     "keywords": ["jalan"], "response_days": 2, "owners": {"35.79": "dinas"}},
]


def _catalog(units: list[dict[str, Any]], services: list[dict[str, Any]],
             **top: Any) -> Catalog:
    return parse_catalog({"name": "Uji", "units": units, "services": services, **top})


@pytest.fixture(scope="module")
def city() -> Catalog:
    return _catalog(UNITS, SERVICES)


def _decision(catalog: Catalog, unit: str, rule: RoutingRule, days: int,
              **facts: Any) -> RoutingDecision:
    """The expected decision: defaults for a complaint from the channel "rest"."""
    base: dict[str, Any] = {"category": None, "confidence": None, "region_code": None,
                            "channel": "rest"}
    return RoutingDecision(unit=catalog.unit(unit), rule=rule, response_days=days,
                           **(base | facts))


# ---------------------------------------------------------------- oversight


def test_an_inspektorat_named_for_the_service_takes_it(city: Catalog) -> None:
    decision = route_complaint("civil_service", 0.9, "35.79.01", "rest", city,
                               service="pungli", service_confidence=0.8,
                               complained_unit_id="bidang")
    assert decision == _decision(
        city, "inspektorat", RoutingRule.OVERSIGHT, 4,
        category="civil_service", confidence=0.9, region_code="35.79.01",
        searched_region="35.79.01", searched_region_name="Kecamatan Batu, Kota Batu",
        matched_region="35.79", matched_region_name="Kota Batu",
        service=city.service("pungli"), service_confidence=0.8, service_threshold=0.5,
        complained_unit=city.unit("bidang"),
        # The unit, nothing below it, and the supervisors that do not also supervise
        # the Inspektorat (the mayor's office supervises both and keeps seeing it).
        excluded_unit_ids=("bidang", "dinas", "setda"))


def test_no_service_owner_means_the_category_owner_up_the_regions(city: Catalog) -> None:
    # "suap" names nobody: the city's civil_service owner (the Inspektorat) decides at the
    # city level, with the unit's own response target (the service has none).
    decision = route_complaint(None, None, "35.79.02", "rest", city, service="suap",
                               complained_unit_id="dinas")
    assert decision == _decision(
        city, "inspektorat", RoutingRule.OVERSIGHT, 9,
        category="civil_service", region_code="35.79.02",
        searched_region="35.79.02", searched_region_name="Kecamatan Bumiaji, Kota Batu",
        matched_region="35.79", matched_region_name="Kota Batu",
        service=city.service("suap"), service_threshold=0.5,
        complained_unit=city.unit("dinas"), excluded_unit_ids=("dinas", "bidang", "setda"))


def test_the_service_owner_beats_the_category_owner_of_the_region(city: Catalog) -> None:
    decision = route_complaint(None, None, "35.79.02", "rest", city, service="gratifikasi")
    assert decision == _decision(
        city, "pemprov", RoutingRule.OVERSIGHT, 11,
        category="civil_service", region_code="35.79.02",
        searched_region="35.79.02", searched_region_name="Kecamatan Bumiaji, Kota Batu",
        matched_region="35", matched_region_name="Provinsi Jawa Timur",
        service=city.service("gratifikasi"), service_threshold=0.5)


def test_an_excluded_category_owner_passes_the_report_one_level_up(city: Catalog) -> None:
    # A complaint about the Inspektorat itself: the province's civil_service owner.
    decision = route_complaint("civil_service", None, "35.79", "rest", city,
                               service="suap", complained_unit_id="inspektorat")
    assert decision == _decision(
        city, "pemprov", RoutingRule.OVERSIGHT, 11,
        category="civil_service", region_code="35.79",
        searched_region="35.79", searched_region_name="Kota Batu",
        matched_region="35", matched_region_name="Provinsi Jawa Timur",
        service=city.service("suap"), service_threshold=0.5,
        complained_unit=city.unit("inspektorat"),
        excluded_unit_ids=("inspektorat", "pemkot"))


def test_without_any_inspektorat_the_triage_desk_takes_it_and_the_unit_is_kept_out(
    city: Catalog,
) -> None:
    # Outside Jawa Timur nobody owns civil_service: the triage desk, still keeping the
    # unit complained about (a Batu office, named by a person) out of the report; the
    # mayor's office supervises the triage desk too, so it keeps seeing the report.
    decision = route_complaint("civil_service", None, "32.73", "rest", city,
                               service="suap", complained_unit_id="dinas")
    assert decision == _decision(
        city, "triase", RoutingRule.NO_UNIT, 3,
        category="civil_service", region_code="32.73",
        searched_region="32.73", searched_region_name="Kota Bandung",
        service=city.service("suap"), service_threshold=0.5,
        complained_unit=city.unit("dinas"),
        excluded_unit_ids=("dinas", "bidang", "setda"))


def test_triage_for_an_oversight_report_about_nobody_excludes_nobody(city: Catalog) -> None:
    decision = route_complaint("civil_service", None, "32.73", "rest", city, service="suap",
                               complained_unit_id="no-such-unit")
    assert decision == _decision(
        city, "triase", RoutingRule.NO_UNIT, 3,
        category="civil_service", region_code="32.73",
        searched_region="32.73", searched_region_name="Kota Bandung",
        service=city.service("suap"), service_threshold=0.5)


def test_an_oversight_report_without_any_region_goes_to_the_triage_desk() -> None:
    # No region and no home region: no Inspektorat can be chosen.
    catalog = _catalog(UNITS, SERVICES)
    assert catalog.default_region is None
    decision = route_complaint(None, None, None, "rest", catalog, service="suap")
    assert decision == _decision(
        catalog, "triase", RoutingRule.NO_UNIT, 3, category="civil_service",
        service=catalog.service("suap"), service_threshold=0.5)


def test_an_oversight_report_without_a_region_searches_the_home_region() -> None:
    home = _catalog(UNITS, SERVICES, default_region="35.79")
    decision = route_complaint(None, None, None, "rest", home, service="pungli")
    assert decision == _decision(
        home, "inspektorat", RoutingRule.OVERSIGHT, 4, category="civil_service",
        searched_region="35.79", searched_region_name="Kota Batu",
        matched_region="35.79", matched_region_name="Kota Batu",
        service=home.service("pungli"), service_threshold=0.5)


def test_excluded_units_without_a_known_handler_keep_every_supervisor_out(
    city: Catalog,
) -> None:
    assert excluded_units(city, "bidang", "no-such-handler") == (
        "bidang", "dinas", "setda", "pemkot")
    assert excluded_units(city, "setda", "inspektorat") == ("setda", "dinas", "bidang")


# ---------------------------------------------------------------- services


def test_a_service_owner_sets_the_response_target_and_the_rule(city: Catalog) -> None:
    decision = route_complaint("infrastructure", 0.7, "35.79", "wa", city, service="jalan",
                               service_confidence=0.5)
    # A score exactly at the service threshold is trusted.
    assert decision == _decision(
        city, "dinas", RoutingRule.SERVICE_REGENCY, 2, channel="wa",
        category="infrastructure", confidence=0.7, region_code="35.79",
        searched_region="35.79", searched_region_name="Kota Batu",
        matched_region="35.79", matched_region_name="Kota Batu",
        service=city.service("jalan"), service_confidence=0.5, service_threshold=0.5)


def test_a_service_just_below_the_threshold_falls_back_to_the_category(city: Catalog) -> None:
    decision = route_complaint("infrastructure", 0.7, "35.79", "wa", city, service="jalan",
                               service_confidence=0.49)
    assert decision == _decision(
        city, "dinas", RoutingRule.REGENCY, 7, channel="wa",
        category="infrastructure", confidence=0.7, region_code="35.79",
        searched_region="35.79", searched_region_name="Kota Batu",
        matched_region="35.79", matched_region_name="Kota Batu",
        service=city.service("jalan"), service_confidence=0.49,
        service_fallback="low-confidence", service_threshold=0.5)


def test_no_service_leaves_the_service_facts_empty(city: Catalog) -> None:
    decision = route_complaint("infrastructure", 0.7, "35", "wa", city)
    assert decision == _decision(
        city, "pemprov", RoutingRule.PROVINCE, 11, channel="wa",
        category="infrastructure", confidence=0.7, region_code="35",
        searched_region="35", searched_region_name="Provinsi Jawa Timur",
        matched_region="35", matched_region_name="Provinsi Jawa Timur")


def test_without_a_region_a_service_uses_the_home_regions_owner() -> None:
    # The service's owner at home, not the category's (which would be the province).
    home = _catalog(UNITS, SERVICES, default_region="35.79")
    decision = route_complaint("infrastructure", None, None, "rest", home, service="jalan")
    assert decision == _decision(
        home, "dinas", RoutingRule.SERVICE_REGENCY, 2, category="infrastructure",
        searched_region="35.79", searched_region_name="Kota Batu",
        matched_region="35.79", matched_region_name="Kota Batu",
        service=home.service("jalan"), service_threshold=0.5)


def test_service_decision_is_a_trusted_report_of_the_service(demo: Catalog) -> None:
    decision = service_decision(demo, "pajak-kendaraan", "32.73")
    assert decision == RoutingDecision(
        unit=demo.unit("bapenda-jabar"), rule=RoutingRule.SERVICE_PROVINCE, response_days=5,
        category="taxes_fees", confidence=None, region_code="32.73", channel="catalog",
        matched_region="32", matched_region_name="Provinsi Jawa Barat",
        searched_region="32.73", searched_region_name="Kota Bandung",
        service=demo.service("pajak-kendaraan"), service_threshold=0.5)
    assert service_decision(demo, "ktp-el", "31.71", channel="console") == RoutingDecision(
        unit=demo.triage_unit, rule=RoutingRule.NO_UNIT,
        response_days=demo.triage_unit.response_days_for("population_registry"),
        category="population_registry", confidence=None, region_code="31.71",
        channel="console", searched_region="31.71",
        searched_region_name="Kota Administrasi Jakarta Pusat",
        service=demo.service("ktp-el"), service_fallback="no-owner", service_threshold=0.5)
    with pytest.raises(KeyError, match="no service 'kereta-cepat'"):
        service_decision(demo, "kereta-cepat", "32.73")


# ---------------------------------------------------------------- inputs


@pytest.mark.parametrize("region", ["ID", "id", " Id "])
def test_national_region_in_any_case(city: Catalog, region: str) -> None:
    decision = route_complaint("infrastructure", None, region, "rest", city)
    assert decision == _decision(
        city, "triase", RoutingRule.NO_UNIT, 3, category="infrastructure", region_code="ID",
        searched_region="ID", searched_region_name="Indonesia")


def test_bps_village_code_is_dotted(city: Catalog) -> None:
    decision = route_complaint("infrastructure", None, "3579022001", "rest", city)
    assert decision.region_code == "35.79.02.2001"
    assert (decision.unit.id, decision.rule, decision.matched_region) == (
        "dinas", RoutingRule.REGENCY, "35.79")


def test_a_region_that_is_not_text_is_kept_as_its_repr(city: Catalog) -> None:
    decision = route_complaint("infrastructure", None, 3579, "rest", city)  # type: ignore[arg-type]
    assert decision == _decision(
        city, "dinas", RoutingRule.ANYWHERE, 7, category="infrastructure",
        unread_region="3579")


@pytest.mark.parametrize("confidence", [True, False])
def test_a_boolean_score_is_unusable(city: Catalog, confidence: bool) -> None:
    decision = route_complaint("infrastructure", confidence, "35.79", "rest", city)
    assert decision == _decision(
        city, "triase", RoutingRule.LOW_CONFIDENCE, 3, category="infrastructure",
        region_code="35.79", invalid_confidence=repr(confidence))


# ---------------------------------------------------------------- manual forward


def test_forward_decision_is_whole(city: Catalog) -> None:
    decision = forward_decision(city, "dinas", "  jalan milik kota  ",
                                category="infrastructure", region_code="35.79.01",
                                channel="telegram")
    assert decision == RoutingDecision(
        unit=city.unit("dinas"), rule=RoutingRule.MANUAL_FORWARD, response_days=7,
        category="infrastructure", confidence=None, region_code="35.79.01",
        channel="telegram", note="jalan milik kota")


@pytest.mark.parametrize("category", [None, "roads"])
def test_forward_with_no_or_an_unknown_category_keeps_none(city: Catalog,
                                                           category: str | None) -> None:
    decision = forward_decision(city, "dinas", "lihat", category=category)
    assert decision == RoutingDecision(
        unit=city.unit("dinas"), rule=RoutingRule.MANUAL_FORWARD, response_days=5,
        category=None, confidence=None, region_code=None, note="lihat")


@pytest.mark.parametrize("reason", ["", "   "])
def test_forward_needs_a_reason(city: Catalog, reason: str) -> None:
    with pytest.raises(ValueError) as err:
        forward_decision(city, "dinas", reason)
    assert str(err.value) == "a forward needs a reason the citizen and the unit can read"


# ---------------------------------------------------------------- in words


def test_an_oversight_report_nobody_can_take_in_words(city: Catalog) -> None:
    about = route_complaint("civil_service", None, "32.73", "rest", city, service="suap",
                            complained_unit_id="dinas")
    assert explain(about, "en") == (
        "Suap; no unit in the catalog handles this category there; Meja Triase sorts it and "
        "forwards it to the responsible unit; the unit complained about and its supervisors "
        "do not see this report: Dinas PUPR")
    nobody = route_complaint(None, None, None, "rest", city, service="suap")
    assert explain(nobody, "id") == (
        "Suap; belum ada unit di katalog untuk kategori ini di wilayah tersebut; Meja Triase "
        "memilah dan meneruskannya ke unit yang berwenang")


def test_a_service_without_any_region_in_words(city: Catalog) -> None:
    decision = route_complaint("infrastructure", None, None, "rest", city, service="jalan")
    assert explain(decision, "en") == (
        "service Jalan rusak has no unit in -, category owner used; category infrastructure; "
        "no region given; handled by Dinas PUPR")


def test_an_unusable_service_score_in_words(city: Catalog) -> None:
    decision = route_complaint("infrastructure", 0.9, "35.79", "rest", city, service="jalan",
                               service_confidence=float("nan"))
    assert explain(decision, "id") == (
        "layanan Jalan rusak 0,00 di bawah ambang 0,50, dipakai pemilik kategori; kategori "
        "infrastruktur 0,90; wilayah Kota Batu; ditangani Dinas PUPR (tingkat kabupaten/kota)")



# ---------------------------------------------------------------- the unit complained about


@pytest.mark.parametrize(("text", "region", "unit"), [
    # The triage desk comes first in this catalog and is skipped, not the end of the search.
    ("oknum Dinas PUPR minta uang", "35.79", "dinas"),
    # A unit not serving the region is skipped, not the end of the search.
    ("oknum Kementerian minta uang", "32.73", "pusat"),
    # The oversight services come first and are skipped, not the end of the search.
    ("petugas minta uang buat jalan", "35.79", "dinas"),
])
def test_complained_unit_skips_without_stopping(city: Catalog, text: str, region: str,
                                                unit: str) -> None:
    assert complained_unit(city, text, region) == unit
