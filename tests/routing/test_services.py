"""Services below categories: who delivers each demo service where, the fallbacks, oversight."""

from __future__ import annotations

import pytest

from routing import explain, route_complaint
from routing.catalog import Catalog, CatalogError, parse_catalog
from routing.router import escalation_target, excluded_units
from routing.rules import RoutingRule

# The regions of the table, one per level the demo catalog knows (and two it does not list).
REGIONS = (
    "35.79.01",  # Kecamatan Batu, Kota Batu (district)
    "35.79.02",  # Kecamatan Bumiaji, Kota Batu (district with its own water owner)
    "35.79",     # Kota Batu (city)
    "35",        # Provinsi Jawa Timur (province)
    "35.07",     # Kabupaten Malang (a regency of Jawa Timur without its own units)
    "32.73.01",  # Kecamatan Sukasari, Kota Bandung (district)
    "32.73",     # Kota Bandung (city)
    "32",        # Provinsi Jawa Barat (province)
    "32.04",     # Kabupaten Bandung (a regency of Jawa Barat without its own units)
)

S_REG, S_PROV, S_DIST = RoutingRule.SERVICE_REGENCY, RoutingRule.SERVICE_PROVINCE, \
    RoutingRule.SERVICE_DISTRICT
C_PROV, NO_UNIT, OVERSIGHT = RoutingRule.PROVINCE, RoutingRule.NO_UNIT, RoutingRule.OVERSIGHT

# service -> one (unit, rule) per region of REGIONS, in order. A region the service lists
# no owner for falls back to the category's owner up the hierarchy (category+province),
# or to the triage desk when nobody owns the category there.
TABLE: dict[str, tuple[tuple[str, RoutingRule], ...]] = {
    "penerangan-jalan": (
        ("dinas-pupr-batu", S_REG), ("dinas-pupr-batu", S_REG), ("dinas-pupr-batu", S_REG),
        ("dpubm-jatim", C_PROV), ("dpubm-jatim", C_PROV),
        ("dishub-bandung", S_REG), ("dishub-bandung", S_REG),
        ("dbmpr-jabar", C_PROV), ("dbmpr-jabar", C_PROV)),
    "jalan-rusak": (
        ("dinas-pupr-batu", S_REG), ("dinas-pupr-batu", S_REG), ("dinas-pupr-batu", S_REG),
        ("dpubm-jatim", C_PROV), ("dpubm-jatim", C_PROV),
        ("dsdabm-bandung", S_REG), ("dsdabm-bandung", S_REG),
        ("dbmpr-jabar", C_PROV), ("dbmpr-jabar", C_PROV)),
    "drainase": (
        ("dinas-pupr-batu", S_REG), ("dinas-pupr-batu", S_REG), ("dinas-pupr-batu", S_REG),
        ("dpubm-jatim", C_PROV), ("dpubm-jatim", C_PROV),
        ("dsdabm-bandung", S_REG), ("dsdabm-bandung", S_REG),
        ("dbmpr-jabar", C_PROV), ("dbmpr-jabar", C_PROV)),
    "lampu-lalu-lintas": (
        ("dishub-batu", S_REG), ("dishub-batu", S_REG), ("dishub-batu", S_REG),
        ("dishub-jatim", C_PROV), ("dishub-jatim", C_PROV),
        ("dishub-bandung", S_REG), ("dishub-bandung", S_REG),
        ("dishub-jabar", C_PROV), ("dishub-jabar", C_PROV)),
    "parkir": (
        ("dishub-batu", S_REG), ("dishub-batu", S_REG), ("dishub-batu", S_REG),
        ("dishub-jatim", C_PROV), ("dishub-jatim", C_PROV),
        ("dishub-bandung", S_REG), ("dishub-bandung", S_REG),
        ("dishub-jabar", C_PROV), ("dishub-jabar", C_PROV)),
    "angkutan-kota": (
        ("dishub-batu", S_REG), ("dishub-batu", S_REG), ("dishub-batu", S_REG),
        ("dishub-jatim", C_PROV), ("dishub-jatim", C_PROV),
        ("dishub-bandung", S_REG), ("dishub-bandung", S_REG),
        ("dishub-jabar", C_PROV), ("dishub-jabar", C_PROV)),
    "ktp-el": (
        ("disdukcapil-batu", S_REG), ("disdukcapil-batu", S_REG), ("disdukcapil-batu", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT),
        ("disdukcapil-bandung", S_REG), ("disdukcapil-bandung", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT)),
    "kartu-keluarga": (
        ("disdukcapil-batu", S_REG), ("disdukcapil-batu", S_REG), ("disdukcapil-batu", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT),
        ("disdukcapil-bandung", S_REG), ("disdukcapil-bandung", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT)),
    "akta-kelahiran": (
        ("disdukcapil-batu", S_REG), ("disdukcapil-batu", S_REG), ("disdukcapil-batu", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT),
        ("disdukcapil-bandung", S_REG), ("disdukcapil-bandung", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT)),
    "pbb-p2": (
        ("bapenda-batu", S_REG), ("bapenda-batu", S_REG), ("bapenda-batu", S_REG),
        ("bapenda-jatim", C_PROV), ("bapenda-jatim", C_PROV),
        ("bapenda-bandung", S_REG), ("bapenda-bandung", S_REG),
        ("bapenda-jabar", C_PROV), ("bapenda-jabar", C_PROV)),
    # Province-owned services: the province unit also for a complaint from a city.
    "pajak-kendaraan": (
        ("bapenda-jatim", S_PROV), ("bapenda-jatim", S_PROV), ("bapenda-jatim", S_PROV),
        ("bapenda-jatim", S_PROV), ("bapenda-jatim", S_PROV),
        ("bapenda-jabar", S_PROV), ("bapenda-jabar", S_PROV),
        ("bapenda-jabar", S_PROV), ("bapenda-jabar", S_PROV)),
    "spmb-sma-smk": (
        ("dindik-jatim", S_PROV), ("dindik-jatim", S_PROV), ("dindik-jatim", S_PROV),
        ("dindik-jatim", S_PROV), ("dindik-jatim", S_PROV),
        ("disdik-jabar", S_PROV), ("disdik-jabar", S_PROV),
        ("disdik-jabar", S_PROV), ("disdik-jabar", S_PROV)),
    "spmb-sd-smp": (
        ("dindik-batu", S_REG), ("dindik-batu", S_REG), ("dindik-batu", S_REG),
        ("dindik-jatim", C_PROV), ("dindik-jatim", C_PROV),
        ("disdik-bandung", S_REG), ("disdik-bandung", S_REG),
        ("disdik-jabar", C_PROV), ("disdik-jabar", C_PROV)),
    "sampah": (
        ("dlh-batu", S_REG), ("dlh-batu", S_REG), ("dlh-batu", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT),
        ("dlh-bandung", S_REG), ("dlh-bandung", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT)),
    # Bumiaji (35.79.02) names its own water owner: a district entry beats the city's.
    "air-minum": (
        ("perumda-among-tirto", S_REG), ("dinas-pupr-batu", S_DIST),
        ("perumda-among-tirto", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT),
        ("perumda-tirtawening", S_REG), ("perumda-tirtawening", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT)),
    "layanan-puskesmas": (
        ("dinkes-batu", S_REG), ("dinkes-batu", S_REG), ("dinkes-batu", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT),
        ("dinkes-bandung", S_REG), ("dinkes-bandung", S_REG),
        ("triase-batu", NO_UNIT), ("triase-batu", NO_UNIT)),
    "pungli-aparatur": (
        ("inspektorat-batu", OVERSIGHT), ("inspektorat-batu", OVERSIGHT),
        ("inspektorat-batu", OVERSIGHT),
        ("inspektorat-jatim", OVERSIGHT), ("inspektorat-jatim", OVERSIGHT),
        ("inspektorat-bandung", OVERSIGHT), ("inspektorat-bandung", OVERSIGHT),
        ("inspektorat-jabar", OVERSIGHT), ("inspektorat-jabar", OVERSIGHT)),
}

ROWS = [(service, region, unit, rule) for service, cells in TABLE.items()
        for region, (unit, rule) in zip(REGIONS, cells, strict=True)]


def test_the_table_covers_every_demo_service(demo: Catalog) -> None:
    assert set(TABLE) == {s.code for s in demo.services}


@pytest.mark.parametrize(("service", "region", "unit", "rule"), ROWS)
def test_each_service_in_each_region(demo: Catalog, service: str, region: str, unit: str,
                                     rule: RoutingRule) -> None:
    decision = route_complaint(demo.service(service).category, 0.9, region, "rest", demo,
                               service=service, service_confidence=0.9)
    assert (decision.unit.id, decision.rule) == (unit, rule)
    assert decision.service is not None and decision.service.code == service
    # The category rules decided whenever the service's own owners did not.
    assert (decision.service_fallback is None) == (rule in (S_REG, S_PROV, S_DIST, OVERSIGHT))


def test_street_lighting_split_in_words(demo: Catalog) -> None:
    bandung = route_complaint("infrastructure", 0.9, "32.73", "rest", demo,
                              service="penerangan-jalan", service_confidence=0.83)
    assert explain(bandung, "id") == (
        "layanan Penerangan Jalan Umum 0,83 di Kota Bandung: Dinas Perhubungan Kota Bandung "
        "(tingkat kabupaten/kota)")
    assert explain(bandung, "en") == (
        "service Street lighting 0.83 in Kota Bandung: Dinas Perhubungan Kota Bandung "
        "(regency level)")
    batu = route_complaint("infrastructure", 0.9, "35.79.01", "rest", demo,
                           service="penerangan-jalan", service_confidence=0.83)
    assert explain(batu, "id") == (
        "layanan Penerangan Jalan Umum 0,83 di Kecamatan Batu, Kota Batu: Dinas PUPR Kota Batu "
        "(tingkat kabupaten/kota, Kota Batu)")
    # The category alone keeps today's owner: in Bandung that is the roads office.
    category_only = route_complaint("infrastructure", 0.9, "32.73", "rest", demo)
    assert (category_only.unit.id, category_only.rule) == ("dsdabm-bandung",
                                                           RoutingRule.REGENCY)


def test_province_owned_service_from_a_city_in_words(demo: Catalog) -> None:
    decision = route_complaint("taxes_fees", 0.9, "32.73", "rest", demo,
                               service="pajak-kendaraan", service_confidence=None)
    assert explain(decision, "id") == (
        "layanan Pajak Kendaraan Bermotor (PKB, Samsat) di Kota Bandung: Bapenda Jabar "
        "(tingkat provinsi, Provinsi Jawa Barat)")
    assert decision.response_days == 5


def test_a_low_confidence_service_falls_back_to_the_category_owner(demo: Catalog) -> None:
    decision = route_complaint("taxes_fees", 0.9, "32.73", "rest", demo,
                               service="pajak-kendaraan", service_confidence=0.3)
    assert (decision.unit.id, decision.rule) == ("bapenda-bandung", RoutingRule.REGENCY)
    assert decision.service_fallback == "low-confidence"
    assert explain(decision, "id") == (
        "layanan Pajak Kendaraan Bermotor (PKB, Samsat) 0,30 di bawah ambang 0,50, dipakai "
        "pemilik kategori; kategori pajak dan retribusi 0,90; wilayah Kota Bandung; "
        "ditangani Bapenda Kota Bandung (tingkat kabupaten/kota)")
    # ... and with an unsure category too, to the triage desk, never a guessed unit.
    unsure = route_complaint("taxes_fees", 0.2, "32.73", "rest", demo,
                             service="pajak-kendaraan", service_confidence=0.3)
    assert (unsure.unit.id, unsure.rule) == ("triase-batu", RoutingRule.LOW_CONFIDENCE)
    # A custom threshold moves the line.
    strict = route_complaint("taxes_fees", 0.9, "32.73", "rest", demo,
                             service="pajak-kendaraan", service_confidence=0.8,
                             service_threshold=0.85)
    assert strict.unit.id == "bapenda-bandung"


def test_unknown_service_and_broken_scores_are_ignored(demo: Catalog) -> None:
    unknown = route_complaint("transport", 0.9, "35.79", "rest", demo, service="kereta-cepat",
                              service_confidence=0.99)
    assert (unknown.unit.id, unknown.rule, unknown.service) == (
        "dishub-batu", RoutingRule.REGENCY, None)
    nan = route_complaint("transport", 0.9, "32.73", "rest", demo, service="parkir",
                          service_confidence=float("nan"))
    assert (nan.unit.id, nan.rule, nan.service_fallback) == (
        "dishub-bandung", RoutingRule.REGENCY, "low-confidence")


def test_no_region_uses_the_home_region_for_services(demo: Catalog) -> None:
    decision = route_complaint("infrastructure", 0.9, None, "rest", demo,
                               service="penerangan-jalan", service_confidence=0.9)
    assert (decision.unit.id, decision.searched_region) == ("dinas-pupr-batu", "35.79")


def test_a_service_without_an_owner_anywhere_in_the_region(demo: Catalog) -> None:
    decision = route_complaint("population_registry", 0.9, "31.71", "rest", demo,
                               service="ktp-el", service_confidence=0.9)
    assert (decision.unit.id, decision.rule, decision.service_fallback) == (
        "triase-batu", RoutingRule.NO_UNIT, "no-owner")
    assert explain(decision, "en").startswith(
        "service Electronic ID card (KTP-el) has no unit in Kota Administrasi Jakarta Pusat, "
        "category owner used; category population registry 0.90;")


# ---------------------------------------------------------------- oversight


def test_oversight_excludes_the_unit_and_its_own_supervisor(demo: Catalog) -> None:
    decision = route_complaint("civil_service", 0.9, "35.79.01", "rest", demo,
                               service="pungli-aparatur", service_confidence=0.9,
                               complained_unit_id="disdukcapil-batu")
    assert (decision.unit.id, decision.rule) == ("inspektorat-batu", RoutingRule.OVERSIGHT)
    assert decision.complained_unit is not None
    assert decision.complained_unit.id == "disdukcapil-batu"
    # The Sekda supervises Disdukcapil but not the Inspektorat: excluded; the mayor's office
    # supervises both and stays (the Inspektorat reports to it).
    assert decision.excluded_unit_ids == ("disdukcapil-batu", "setda-batu")
    assert explain(decision, "id") == (
        "pengaduan terhadap aparatur (layanan Pengaduan Pungli, Suap dan Penyalahgunaan "
        "Wewenang oleh Aparatur 0,90) di Kecamatan Batu, Kota Batu: Inspektorat Kota Batu "
        "(tingkat kabupaten/kota, Kota Batu); unit yang diadukan dan atasannya tidak melihat "
        "laporan ini: Disdukcapil Kota Batu")


def test_oversight_about_the_inspektorat_goes_one_level_up(demo: Catalog) -> None:
    decision = route_complaint("civil_service", 0.9, "35.79", "rest", demo,
                               service="pungli-aparatur", service_confidence=0.9,
                               complained_unit_id="inspektorat-batu")
    assert (decision.unit.id, decision.rule) == ("inspektorat-jatim", RoutingRule.OVERSIGHT)
    assert decision.excluded_unit_ids == ("inspektorat-batu", "pemkot-batu")
    about_mayor = route_complaint("civil_service", 0.9, "35.79", "rest", demo,
                                  service="pungli-aparatur", complained_unit_id="pemkot-batu")
    assert about_mayor.unit.id == "inspektorat-jatim"
    assert {"pemkot-batu", "setda-batu", "inspektorat-batu", "disdukcapil-batu"} <= set(
        about_mayor.excluded_unit_ids)


def test_oversight_without_a_named_unit_excludes_nobody(demo: Catalog) -> None:
    decision = route_complaint("civil_service", 0.9, "32.73", "rest", demo,
                               service="pungli-aparatur", service_confidence=0.9)
    assert (decision.unit.id, decision.excluded_unit_ids, decision.complained_unit) == (
        "inspektorat-bandung", (), None)


def test_excluded_units_include_the_units_below(demo: Catalog) -> None:
    assert excluded_units(demo, "setda-batu", "inspektorat-batu")[:2] == (
        "setda-batu", "dinas-pupr-batu")
    assert "triase-batu" in excluded_units(demo, "setda-batu", "inspektorat-batu")
    assert excluded_units(demo, "no-such-unit", "inspektorat-batu") == ()


def test_escalation_skips_excluded_supervisors(demo: Catalog) -> None:
    assert escalation_target(demo, "inspektorat-batu") == demo.unit("pemkot-batu")
    assert escalation_target(demo, "inspektorat-batu", excluded={"pemkot-batu"}) is None
    assert escalation_target(demo, "dindik-batu", excluded={"setda-batu"}) == demo.unit(
        "pemkot-batu")


# ---------------------------------------------------------------- catalog API and checks


def test_catalog_lists_and_resolves_services(demo: Catalog) -> None:
    assert [s.code for s in demo.services_for("taxes_fees")] == ["pbb-p2", "pajak-kendaraan"]
    pkb = demo.service("pajak-kendaraan")
    assert (pkb.name_en, pkb.category, pkb.standard_id) == (
        "Vehicle tax (Samsat)", "taxes_fees", "pajak-kendaraan")
    assert demo.standard(pkb.standard_id).requirements[0].startswith("KTP-el")
    owner = demo.service_owner("pajak-kendaraan", "32.73.01")
    assert owner is not None and (owner.unit.id, owner.region_code) == ("bapenda-jabar", "32")
    assert demo.service_owner("pbb-p2", "31.71") is None
    assert demo.service_owner("pbb-p2", None) is None
    with pytest.raises(KeyError, match="no service 'x'"):
        demo.service_owner("x", "35.79")
    assert ("penerangan-jalan", "32.73") in [
        (s.code, code) for s, code in demo.services_of_unit("dishub-bandung")]
    assert demo.service("pungli-aparatur").oversight


def _with_services(demo_units: list[dict[str, object]], services: object) -> dict[str, object]:
    return {"name": "T", "units": demo_units, "services": services}


UNITS = [
    {"id": "triase", "name": "Triase", "kind": "triage"},
    {"id": "pemkot", "name": "Pemkot", "kind": "government", "regions": ["35.79"],
     "categories": ["infrastructure", "water_supply", "electricity", "health", "education",
                    "population_registry", "social_assistance", "environment", "disaster",
                    "transport", "public_order", "security", "licensing", "taxes_fees",
                    "employment", "civil_service"]},
]


def test_a_minimal_service_entry_is_valid() -> None:
    catalog = parse_catalog(_with_services(UNITS, [
        {"code": "pju", "name": "PJU", "category": "infrastructure", "keywords": "lampu jalan",
         "owners": {"35.79.02": "pemkot"}}]))
    service = catalog.service("pju")
    assert (service.keywords, dict(service.owners), service.oversight) == (
        ("lampu jalan",), {"35.79.02": "pemkot"}, False)


def test_service_problems_are_located_and_all_reported() -> None:
    with pytest.raises(CatalogError) as err:
        parse_catalog(_with_services(UNITS, [
            {"code": "PJU!", "name": "PJU", "category": "roads", "keywords": ["lampu"],
             "owners": {"32.73": "pemkot", "99": "pemkot", "35.79": "nobody"},
             "standard": "nope", "color": "red"},
            {"code": "pju-2", "name": "", "category": "infrastructure"},
            {"code": "pju-2", "name": "again", "category": "infrastructure", "examples": ["x"],
             "owners": {"35.79": "triase"}, "response_days": 0},
        ]))
    problems = err.value.problems
    assert "service 'PJU!'.code: must be a lower-case slug like 'penerangan-jalan'" in problems
    assert any(p.startswith("service 'PJU!': unknown field 'color'") for p in problems)
    assert "service 'pju-2'.name: must be a non-empty string, got ''" in problems
    assert any(p.startswith("service 'pju-2'.response_days: must be a positive") for p in problems)
    assert any(p.startswith("service 'PJU!'.category: unknown category 'roads'")
               for p in problems)
    assert "service 'PJU!'.standard: unknown standard 'nope'" in problems
    assert ("service 'PJU!'.owners.32.73: unit 'pemkot' does not serve region '32.73' "
            "(its regions: 35.79)") in problems
    assert any(p.startswith("service 'PJU!'.owners.99: unknown region code '99'")
               for p in problems)
    assert "service 'PJU!'.owners.35.79: unknown unit 'nobody'" in problems
    assert "service 'pju-2': duplicate service code" in problems
    assert "service 'pju-2': give keywords or examples (the NLU learns from them)" in problems
    assert "service 'pju-2'.owners.35.79: the triage desk cannot own a service" in problems


def test_owners_must_be_a_mapping() -> None:
    with pytest.raises(CatalogError) as err:
        parse_catalog(_with_services(UNITS, [
            {"code": "pju", "name": "PJU", "category": "infrastructure", "keywords": ["x"],
             "owners": ["pemkot"]}]))
    assert any(p.startswith("service 'pju'.owners: must map a region code to a unit id")
               for p in err.value.problems)


def test_the_shipped_json_schema_is_current() -> None:
    """``routing/data/catalog.schema.json`` (for editors) matches the format's models;
    regenerate it with ``python tools/catalog_schema.py``."""
    import json
    from pathlib import Path

    from routing.catalog import catalog_json_schema

    shipped = Path(__file__).resolve().parents[2] / "routing" / "data" / "catalog.schema.json"
    schema = json.loads(shipped.read_text(encoding="utf-8"))
    assert schema == catalog_json_schema()
    service = schema["$defs"]["ServiceSpec"]
    assert set(service["required"]) == {"code", "name", "category"}
    assert "owners" in service["properties"] and "examples" in service["properties"]
