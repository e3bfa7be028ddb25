from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from routing.catalog import (
    DEMO_CATALOG_PATH,
    NATIONAL,
    UNIT_KINDS,
    Catalog,
    CatalogError,
    ServiceUnit,
    catalog_json_schema,
    load_catalog,
    parse_catalog,
)
from routing.categories import CATEGORY_KEYS

# ---------------------------------------------------------------- the demo catalog


def test_demo_catalog_is_the_default(demo: Catalog) -> None:
    assert demo.name == "Pemerintah Kota Batu"
    assert demo.default_region == "35.79"
    assert demo.source == str(DEMO_CATALOG_PATH)
    assert demo.triage_unit.id == "triase-batu"
    assert demo.triage_unit.owns("other")
    assert demo.triage_unit.default_response_days == 3


def test_demo_has_an_owner_for_every_category_at_home(demo: Catalog) -> None:
    for category in CATEGORY_KEYS:
        assert demo.units_for_category(category), category
    home_units = [u for u in demo.units if "35.79" in u.regions and u.categories]
    owned_at_home = {c for u in home_units for c in u.categories}
    assert owned_at_home == set(CATEGORY_KEYS) - {"other"}


def test_demo_units_have_hours_and_response_targets(demo: Catalog) -> None:
    for unit in demo.units:
        assert unit.contact_hours, unit.id
        for category in unit.categories:
            assert demo.response_days(unit.id, category) in {2, 3, 5, 14}, unit.id


def test_demo_holidays_2026_and_2027(demo: Catalog) -> None:
    assert date(2026, 3, 21) in demo.holidays  # Idul Fitri 1447 H
    assert date(2026, 3, 24) in demo.holidays  # cuti bersama
    assert date(2026, 8, 17) in demo.holidays
    assert any(d.year == 2027 for d in demo.holidays)
    assert demo.holiday_names[date(2026, 12, 25)] == "Kelahiran Yesus Kristus"
    assert date(2026, 3, 25) not in demo.holidays


def test_demo_has_realistic_service_standards(demo: Catalog) -> None:
    assert len(demo.standards) >= 15
    ktp = demo.standard("ktp-el")
    assert ktp.unit_id == "disdukcapil-batu"
    assert "Gratis" in ktp.cost
    assert "UU 24/2013" in ktp.legal_basis
    for std in demo.standards:
        assert std.requirements and std.procedure and std.cost and std.legal_basis, std.id
        assert demo.unit(std.unit_id).owns(std.category), std.id
    assert demo.standard("skck").cost.startswith("Rp30.000")


def test_unit_lookup_and_hierarchy(demo: Catalog) -> None:
    pupr = demo.unit("dinas-pupr-batu")
    assert isinstance(pupr, ServiceUnit)
    assert pupr.name == "Dinas Pekerjaan Umum dan Penataan Ruang Kota Batu"
    assert demo.parent("dinas-pupr-batu") == demo.unit("setda-batu")
    assert demo.parent("pemkot-batu") is None
    assert [u.id for u in demo.ancestors("dinas-pupr-batu")] == ["setda-batu", "pemkot-batu"]
    assert demo.unit("inspektorat-batu") in demo.children("pemkot-batu")
    assert demo.unit("inspektorat-batu") not in demo.descendants("setda-batu")
    descendants = {u.id for u in demo.descendants("pemkot-batu")}
    assert {"setda-batu", "dinas-pupr-batu", "triase-batu"} <= descendants
    assert [u.id for u in demo.descendants("pln-pusat")] == ["pln-uid-jatim", "pln-up3-malang"]
    with pytest.raises(KeyError, match="dinas-tidak-ada"):
        demo.unit("dinas-tidak-ada")


def test_region_specific_ownership(demo: Catalog) -> None:
    pupr = demo.unit("dinas-pupr-batu")
    assert pupr.regions_for("infrastructure") == ("35.79",)
    assert pupr.regions_for("water_supply") == ("35.79.02",)
    assert pupr.regions_for("health") == ()
    assert demo.owners("water_supply", "35.79.02") == (pupr,)
    assert [u.id for u in demo.owners("water_supply", "35.79")] == ["perumda-among-tirto"]
    assert [u.id for u in demo.owners("electricity", NATIONAL)] == ["pln-pusat"]


def test_response_days_and_standards_lookup(demo: Catalog) -> None:
    assert demo.response_days("disdukcapil-batu", "population_registry") == 2
    assert demo.response_days("disdukcapil-batu", "health") == 5  # the unit's default
    assert {s.id for s in demo.standards_for(category="education")} == {
        "spmb-sd-smp", "spmb-sma-smk"}
    assert {s.id for s in demo.standards_for(unit_id="dindik-jatim")} == {"spmb-sma-smk"}
    assert demo.standards_for(unit_id="dlh-batu", category="health") == ()
    with pytest.raises(KeyError):
        demo.standards_for(unit_id="nope")


def test_region_names(demo: Catalog) -> None:
    assert demo.region_name("35.79") == "Kota Batu"
    assert demo.region_name("35") == "Provinsi Jawa Timur"
    assert demo.region_name(NATIONAL) == "Indonesia"
    assert demo.region_name("99.99") == "99.99"


def test_extra_holidays_are_added() -> None:
    catalog = load_catalog(extra_holidays=["2026-07-01", date(2026, 7, 2)])
    assert {date(2026, 7, 1), date(2026, 7, 2)} <= catalog.holidays
    with pytest.raises(CatalogError, match="extra_holidays"):
        load_catalog(extra_holidays=["1 Juli"])


def test_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read file"):
        load_catalog(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("units: [\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_catalog(bad)


def test_a_catalog_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yml"
    path.write_text(DEMO_CATALOG_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_catalog(path) == load_catalog()


# ---------------------------------------------------------------- validation

def _minimal() -> dict[str, Any]:
    """A valid catalog: a triage desk and one city unit owning every category."""
    return {
        "name": "Kota Contoh",
        "default_region": "35.79",
        "holidays": ["2026-08-17"],
        "units": [
            {"id": "pemkot", "name": "Pemerintah Kota", "kind": "government"},
            {"id": "triase", "name": "Meja Triase", "kind": "triage", "parent": "pemkot"},
            {
                "id": "semua", "name": "Dinas Segala Urusan", "kind": "dinas", "parent": "pemkot",
                "categories": [c for c in CATEGORY_KEYS if c != "other"],
                "regions": ["35.79"],
                "response_days": {"health": 2},
            },
        ],
        "standards": [
            {"id": "ktp-el", "name": "KTP-el", "unit": "semua",
             "category": "population_registry", "keywords": ["ktp"]},
        ],
    }


def _problems(data: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(CatalogError) as info:
        parse_catalog(data, source="test.yml")
    assert "test.yml" in str(info.value)
    return info.value.problems


def test_minimal_catalog_is_valid() -> None:
    catalog = parse_catalog(_minimal())
    assert catalog.triage_unit.id == "triase"
    assert catalog.response_days("semua", "health") == 2
    assert catalog.holidays == frozenset({date(2026, 8, 17)})


def test_unknown_category() -> None:
    data = _minimal()
    data["units"][2]["categories"].append("infrastuktur")
    (problem,) = _problems(data)
    assert "unit 'semua'.categories" in problem and "'infrastuktur'" in problem


def test_unknown_region_code() -> None:
    data = _minimal()
    data["units"][2]["regions"] = ["35.79", "35.99", "Batu"]
    problems = _problems(data)
    assert len(problems) == 2
    assert all("unit 'semua'.regions: unknown region code" in p for p in problems)
    assert "'35.99'" in problems[0] and "'Batu'" in problems[1]


def test_category_with_no_unit_anywhere() -> None:
    data = _minimal()
    data["units"][2]["categories"].remove("security")
    data["units"][2]["response_days"] = {}
    assert _problems(data) == ("category 'security': no unit owns it anywhere",)


def test_duplicate_unit_id() -> None:
    data = _minimal()
    data["units"].append(copy.deepcopy(data["units"][0]))
    assert "unit 'pemkot': duplicate unit id" in _problems(data)


def test_unknown_parent() -> None:
    data = _minimal()
    data["units"][2]["parent"] = "setda"
    assert _problems(data) == ("unit 'semua'.parent: unknown unit 'setda'",)


def test_parent_cycle() -> None:
    data = _minimal()
    data["units"][0]["parent"] = "semua"
    (problem,) = _problems(data)
    assert "cycle" in problem and "pemkot" in problem and "semua" in problem


def test_every_problem_is_reported_at_once() -> None:
    data = _minimal()
    data["default_region"] = "00"
    data["holidays"] = ["17 Agustus"]
    data["units"][2]["kind"] = "dinasty"
    data["units"][2]["categorie"] = ["health"]
    data["units"][2]["response_days"] = {"health": 0, "disaster": 2}
    data["units"][2]["categories"].remove("disaster")
    data["standards"][0]["unit"] = "disdukcapil"
    problems = _problems(data)
    expected = [
        "catalog.default_region: unknown region code '00'",
        "catalog.holidays[0]: not a date",
        "unit 'semua'.kind: unknown kind 'dinasty'",
        "unit 'semua': unknown field 'categorie'",
        "unit 'semua'.response_days.health: must be a positive whole number",
        "unit 'semua'.response_days.disaster: the unit does not own 'disaster'",
        "standard 'ktp-el'.unit: unknown unit 'disdukcapil'",
        "category 'disaster': no unit owns it anywhere",
    ]
    for text in expected:
        assert any(text in p for p in problems), (text, problems)
    assert len(problems) == len(expected)


def test_time_zone() -> None:
    data = _minimal()
    data["timezone"] = "Asia/Makassar"
    assert str(parse_catalog(data).tzinfo) == "WITA"
    assert parse_catalog(_minimal()).timezone == "Asia/Jakarta"
    data["timezone"] = "Europe/Berlin"
    assert any("unknown time zone 'Europe/Berlin'" in p for p in _problems(data))


def test_triage_desk_is_required_and_unique() -> None:
    data = _minimal()
    data["units"][1]["kind"] = "dinas"
    problems = _problems(data)
    assert any("exactly one triage unit" in p for p in problems)
    data = _minimal()
    data["units"].append({"id": "triase-2", "name": "Triase Lain", "kind": "triage"})
    assert any("found triase, triase-2" in p for p in _problems(data))


def test_other_belongs_to_the_triage_desk_only() -> None:
    data = _minimal()
    data["units"][2]["categories"].append("other")
    assert any("'other' belongs to the triage desk" in p for p in _problems(data))


def test_two_owners_for_the_same_region_are_ambiguous() -> None:
    data = _minimal()
    data["units"].append({"id": "dinkes", "name": "Dinkes", "kind": "dinas",
                          "categories": ["health"], "regions": ["35.79"]})
    (problem,) = _problems(data)
    assert "'health' in region '35.79' is already owned by 'semua'" in problem


def test_a_more_specific_second_owner_is_fine() -> None:
    data = _minimal()
    data["units"].append({"id": "puskesmas-bumiaji", "name": "Puskesmas Bumiaji", "kind": "upt",
                          "categories": ["health"], "regions": ["35.79.02"]})
    assert parse_catalog(data).owners("health", "35.79.02")[0].id == "puskesmas-bumiaji"


def test_category_regions_must_name_an_owned_category_and_real_codes() -> None:
    data = _minimal()
    data["units"][2]["category_regions"] = {"health": ["35.79.99"], "lainnya": ["35"]}
    problems = _problems(data)
    assert any("category_regions.health: unknown region code '35.79.99'" in p for p in problems)
    assert any("category_regions.lainnya: the unit does not list" in p for p in problems)


def test_owning_units_need_a_service_area() -> None:
    data = _minimal()
    del data["units"][2]["regions"]
    assert any("serves no region" in p for p in _problems(data))


def test_national_code_stands_alone() -> None:
    data = _minimal()
    data["units"][2]["regions"] = [NATIONAL, "35"]
    assert any("cannot be combined" in p for p in _problems(data))


def test_standard_category_must_belong_to_its_unit() -> None:
    data = _minimal()
    data["standards"][0]["unit"] = "triase"
    assert any("unit 'triase' does not own 'population_registry'" in p for p in _problems(data))


def test_unquoted_colon_in_a_list_item_is_explained() -> None:
    data = _minimal()
    data["standards"][0]["requirements"] = [{"Untuk mutasi": "bukti lunas"}]
    (problem,) = _problems(data)
    assert "requirements[0]" in problem and "quote" in problem


def test_top_level_must_be_a_mapping() -> None:
    assert "top level must be a mapping" in _problems([])[0]  # type: ignore[arg-type]


def test_a_broken_units_list_is_reported_without_follow_up_noise() -> None:
    data = _minimal()
    data["units"] = "pemkot"
    assert _problems(data) == ("catalog.units: must be a list",)


def test_a_broken_entry_still_takes_part_in_the_cross_checks() -> None:
    data = _minimal()
    data["units"][2]["id"] = "Dinas Semua"  # not a slug, but standards still find the unit
    data["standards"][0]["unit"] = "Dinas Semua"
    data["units"][1]["nmae"] = data["units"][1].pop("name")
    assert sorted(_problems(data)) == sorted([
        "unit 'Dinas Semua'.id: must be a lower-case slug like 'dinas-pupr-batu'",
        "unit 'triase'.name: missing",
        "unit 'triase': unknown field 'nmae' (allowed: address, categories, category_regions, "
        "contact_hours, default_response_days, email, id, is_triage, keywords, kind, name, "
        "name_en, parent, phone, population, regions, response_days, short_name, website)",
    ])


# ---------------------------------------------------------------- the JSON schema

def test_json_schema_describes_the_file_format() -> None:
    schema = catalog_json_schema()
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert {"name", "units"} <= set(schema["required"])
    assert {"name", "default_region", "timezone", "holidays", "units", "standards",
            "services"} == set(
        schema["properties"])
    unit = schema["$defs"]["UnitSpec"]
    assert unit["additionalProperties"] is False
    assert {"id", "name", "kind"} <= set(unit["required"])
    assert {"parent", "categories", "regions", "category_regions", "response_days"} <= set(
        unit["properties"])
    assert unit["properties"]["kind"]["enum"] == sorted(UNIT_KINDS)
    assert unit["properties"]["default_response_days"]["minimum"] == 1
    assert "unit" in schema["$defs"]["StandardSpec"]["properties"]


def test_json_schema_is_valid_and_accepts_the_demo_catalog() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = catalog_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    # YAML reads dates as dates; in JSON they are "YYYY-MM-DD" strings.
    raw = yaml.safe_load(DEMO_CATALOG_PATH.read_text(encoding="utf-8"))
    demo = json.loads(json.dumps(raw, default=str))
    jsonschema.Draft202012Validator(schema).validate(demo)
    broken = copy.deepcopy(demo)
    broken["units"][0]["categorie"] = ["health"]
    assert not jsonschema.Draft202012Validator(schema).is_valid(broken)


def test_a_unit_may_give_its_service_population() -> None:
    data = _minimal()
    data["units"][2]["population"] = 215000
    catalog = parse_catalog(data)
    assert catalog.unit("semua").population == 215000
    assert catalog.unit("triase").population is None
    for bad in (0, -5, "banyak", 1.5, True):
        data["units"][2]["population"] = bad
        problems = _problems(data)
        assert len(problems) == 1 and problems[0].startswith("unit 'semua'.population"), problems
