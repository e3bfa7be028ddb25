"""The service catalog: units, the categories and regions they own, and service standards.

Loaded from YAML at start (``load_catalog``) and reloadable by calling it
again; a :class:`Catalog` is immutable, so a reload swaps the whole object.
The shipped default is ``routing/data/demo_catalog.yml`` (Pemerintah Kota Batu).
The file format is defined by the pydantic models of
:mod:`routing.catalog_format` (JSON schema: :func:`catalog_json_schema`);
this module adds the checks across entries and the wilayah tables.

Region convention: a unit's ``regions`` are Kemendagri wilayah codes. A unit
serving a code serves everything below it (a city unit "35.79" serves its
districts "35.79.01"...; a province unit "35" its regencies). The code
:data:`NATIONAL` ("ID") marks a unit serving all of Indonesia. A unit can
narrow or widen the area for one category with ``category_regions`` (who owns
a service differs by region). Exactly one unit is the triage desk; it owns
``other`` and catches whatever no other unit fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Final

import yaml

from nlu.wilayah import Wilayah, load_wilayah
from routing._text import contains_phrase, normalize_tokens
from routing.catalog_format import (
    DEFAULT_TIMEZONE,
    TIMEZONES,
    UNIT_KINDS,
    CatalogSpec,
    ServiceSpec,
    StandardSpec,
    UnitSpec,
    catalog_json_schema,
    parse_date,
    validate_catalog_data,
)
from routing.categories import CATEGORY_KEYS, TRIAGE_CATEGORY, is_category

NATIONAL: Final = "ID"
DEMO_CATALOG_PATH: Final = Path(__file__).resolve().parent / "data" / "demo_catalog.yml"

__all__ = [
    "DEFAULT_TIMEZONE",
    "DEMO_CATALOG_PATH",
    "NATIONAL",
    "TIMEZONES",
    "UNIT_KINDS",
    "Catalog",
    "CatalogError",
    "CatalogService",
    "ServiceOwner",
    "ServiceStandard",
    "ServiceUnit",
    "apply_service_overrides",
    "catalog_json_schema",
    "find_service_standards",
    "load_catalog",
    "parse_catalog",
]

_REGION_CODE: Final = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2})?)?$")


class CatalogError(ValueError):
    """The catalog file is missing, unreadable or invalid; ``problems`` lists each issue."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems: tuple[str, ...] = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"invalid service catalog {source}: {count} problem(s)\n{lines}")


@dataclass(frozen=True)
class ServiceStandard:
    """A published service standard (standar pelayanan) citizens ask about."""

    id: str
    name: str
    unit_id: str
    category: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    procedure: tuple[str, ...] = ()
    completion_time: str = ""
    cost: str = ""
    product: str = ""
    legal_basis: str = ""
    complaint_channel: str = ""
    name_en: str | None = None
    description_en: str | None = None
    completion_time_en: str | None = None
    cost_en: str | None = None
    product_en: str | None = None


@dataclass(frozen=True)
class CatalogService:
    """A service below a category (kodefikasi layanan) and the units delivering it by region.

    ``owners`` maps a wilayah code ("32.73", "32", "ID") to a unit id; a code
    covers everything below it. A region none of whose codes is listed falls
    back to the category's owner (:meth:`Catalog.service_owner` returns None).
    """

    code: str
    name: str
    category: str
    name_en: str | None = None
    description: str = ""
    description_en: str | None = None
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    standard_id: str | None = None
    response_days: int | None = None
    oversight: bool = False
    owners: Mapping[str, str] = field(default_factory=dict, hash=False)

    def display_name(self, lang: str = "id") -> str:
        """The name in ``lang`` ("en" for English when there is one)."""
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True)
class ServiceOwner:
    """Who delivers a service for a region, and the listed code that decided it."""

    unit: ServiceUnit
    region_code: str


@dataclass(frozen=True)
class ServiceUnit:
    """A unit that receives reports: a dinas, badan, company, vertical office or the triage desk.

    ``regions`` are the wilayah codes it serves for all its categories
    (``("ID",)`` for national); ``category_regions`` overrides them for single
    categories. ``response_days`` are working-day targets per category, falling
    back to ``default_response_days``.
    """

    id: str
    name: str
    short_name: str
    kind: str
    parent_id: str | None = None
    categories: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    response_days: Mapping[str, int] = field(default_factory=dict, hash=False)
    default_response_days: int = 5
    contact_hours: str = ""
    is_triage: bool = False
    category_regions: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    keywords: tuple[str, ...] = ()
    name_en: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    website: str | None = None
    # Service users the unit serves: the population of its SKM sample.
    population: int | None = None

    def owns(self, category: str) -> bool:
        """True if the unit handles ``category`` (in some region)."""
        return category in self.categories

    def regions_for(self, category: str) -> tuple[str, ...]:
        """The wilayah codes the unit serves for ``category`` (empty if it does not own it)."""
        if category not in self.categories:
            return ()
        return self.category_regions.get(category, self.regions)

    def response_days_for(self, category: str | None) -> int:
        """Working-day response target for ``category`` (the default when unlisted)."""
        if category is None:
            return self.default_response_days
        return self.response_days.get(category, self.default_response_days)


@dataclass(frozen=True)
class Catalog:
    """An immutable, validated service catalog with lookup indexes.

    Build one with :func:`load_catalog` or :func:`parse_catalog`, which check
    everything; direct construction only checks ids and the triage desk.
    """

    name: str
    units: tuple[ServiceUnit, ...]
    standards: tuple[ServiceStandard, ...] = ()
    services: tuple[CatalogService, ...] = ()
    holidays: frozenset[date] = frozenset()
    default_region: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    holiday_names: Mapping[date, str] = field(default_factory=dict, hash=False, compare=False)
    source: str | None = field(default=None, compare=False)
    wilayah: Wilayah | None = field(default=None, compare=False, repr=False, hash=False)
    _by_id: Mapping[str, ServiceUnit] = field(init=False, repr=False, compare=False, hash=False)
    _owners: Mapping[tuple[str, str], tuple[ServiceUnit, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _services: Mapping[str, CatalogService] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        by_id: dict[str, ServiceUnit] = {}
        problems: list[str] = []
        for unit in self.units:
            if unit.id in by_id:
                problems.append(f"duplicate unit id {unit.id!r}")
            by_id.setdefault(unit.id, unit)
        triage = [u.id for u in self.units if u.is_triage]
        if len(triage) != 1:
            problems.append(f"need exactly one triage unit (is_triage), found {triage or 'none'}")
        if problems:
            raise CatalogError(self.source or self.name, problems)
        owners: dict[tuple[str, str], list[ServiceUnit]] = {}
        for unit in self.units:
            for category in unit.categories:
                for code in unit.regions_for(category):
                    owners.setdefault((category, code), []).append(unit)
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(self, "_services", MappingProxyType({v.code: v for v in self.services}))
        object.__setattr__(
            self, "_owners", MappingProxyType({k: tuple(v) for k, v in owners.items()})
        )

    @property
    def tzinfo(self) -> tzinfo:
        """The catalog's local time zone (WIB/WITA/WIT), for counting working days."""
        return TIMEZONES.get(self.timezone, TIMEZONES[DEFAULT_TIMEZONE])

    def unit(self, unit_id: str) -> ServiceUnit:
        """The unit with this id; KeyError naming the id if there is none."""
        try:
            return self._by_id[unit_id]
        except KeyError:
            raise KeyError(f"no unit {unit_id!r} in catalog {self.name!r}") from None

    def has_unit(self, unit_id: str) -> bool:
        """True if a unit with this id exists."""
        return unit_id in self._by_id

    @property
    def triage_unit(self) -> ServiceUnit:
        """The triage desk (meja triase) that reads unsure and unowned reports."""
        return next(u for u in self.units if u.is_triage)

    def parent(self, unit_id: str) -> ServiceUnit | None:
        """The unit's parent, or None for a top-level unit."""
        parent_id = self.unit(unit_id).parent_id
        return self._by_id.get(parent_id) if parent_id else None

    def children(self, unit_id: str) -> tuple[ServiceUnit, ...]:
        """Units whose parent is ``unit_id``, in catalog order."""
        self.unit(unit_id)
        return tuple(u for u in self.units if u.parent_id == unit_id)

    def descendants(self, unit_id: str) -> tuple[ServiceUnit, ...]:
        """All units below ``unit_id``, depth first, in catalog order."""
        out: list[ServiceUnit] = []
        for child in self.children(unit_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return tuple(out)

    def ancestors(self, unit_id: str) -> tuple[ServiceUnit, ...]:
        """The parent chain of ``unit_id``, nearest first."""
        out: list[ServiceUnit] = []
        current = self.parent(unit_id)
        while current is not None and current not in out:
            out.append(current)
            current = self.parent(current.id)
        return tuple(out)

    def units_for_category(self, category: str) -> tuple[ServiceUnit, ...]:
        """Units owning ``category`` anywhere, in catalog order."""
        return tuple(u for u in self.units if u.owns(category))

    def owners(self, category: str, region_code: str) -> tuple[ServiceUnit, ...]:
        """Units owning ``category`` for exactly this code (no walking up the hierarchy)."""
        return self._owners.get((category, region_code), ())

    def response_days(self, unit_id: str, category: str | None) -> int:
        """Working-day response target of a unit for a category."""
        return self.unit(unit_id).response_days_for(category)

    def standards_for(
        self, unit_id: str | None = None, category: str | None = None
    ) -> tuple[ServiceStandard, ...]:
        """Service standards, optionally only one unit's and/or one category's."""
        if unit_id is not None:
            self.unit(unit_id)
        return tuple(
            s for s in self.standards
            if (unit_id is None or s.unit_id == unit_id)
            and (category is None or s.category == category)
        )

    def standard(self, standard_id: str) -> ServiceStandard:
        """The service standard with this id; KeyError if there is none."""
        for s in self.standards:
            if s.id == standard_id:
                return s
        raise KeyError(f"no service standard {standard_id!r} in catalog {self.name!r}")

    # -- services (kodefikasi layanan) --------------------------------------

    def service(self, code: str) -> CatalogService:
        """The service with this code; KeyError naming the code if there is none."""
        try:
            return self._services[code]
        except KeyError:
            raise KeyError(f"no service {code!r} in catalog {self.name!r}") from None

    def has_service(self, code: str) -> bool:
        """True if a service with this code exists."""
        return code in self._services

    def services_for(self, category: str | None = None) -> tuple[CatalogService, ...]:
        """Services in catalog order, optionally only one category's."""
        return tuple(v for v in self.services if category is None or v.category == category)

    def service_owner(self, code: str, region_code: str | None) -> ServiceOwner | None:
        """The unit the catalog names for service ``code`` in the region, walking up.

        The region's own entry wins, then its regency, province and national
        entries. None when no entry covers the region (or no region is given):
        the caller falls back to the category's owner. Unknown service: KeyError.
        """
        service = self.service(code)
        if region_code is None:
            return None
        for candidate in region_chain(region_code):
            unit_id = service.owners.get(candidate)
            if unit_id is not None and unit_id in self._by_id:
                return ServiceOwner(self._by_id[unit_id], candidate)
        return None

    def services_of_unit(self, unit_id: str) -> tuple[tuple[CatalogService, str], ...]:
        """(service, region code) pairs the catalog names ``unit_id`` for."""
        return tuple((v, code) for v in self.services
                     for code, owner in v.owners.items() if owner == unit_id)

    def region_name(self, code: str) -> str:
        """A display name for a wilayah code ("Kota Batu"); "Indonesia" for ``ID``."""
        if code == NATIONAL:
            return "Indonesia"
        if self.wilayah is not None and self.wilayah.level(code) is not None:
            return self.wilayah.name(code)
        return code

def region_chain(code: str) -> list[str]:
    """A wilayah code and its parents, most specific first, then national ("ID")."""
    if code == NATIONAL:
        return [NATIONAL]
    parts = code.split(".")[:3]  # villages (4th part) are not in the catalog's wilayah
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)] + [NATIONAL]


def serves(unit: ServiceUnit, code: str, category: str | None = None) -> bool:
    """Whether ``unit``'s area (for ``category``, else its regions) covers the code."""
    area = unit.regions_for(category) if category and unit.owns(category) else unit.regions
    return any(c in area for c in region_chain(code))


# ---------------------------------------------------------------------------
# Loading and validation


def load_catalog(
    path: str | Path | None = None, *, extra_holidays: Iterable[date | str] = (),
    overrides: str | Path | Mapping[str, object] | None = None,
) -> Catalog:
    """Read and validate a catalog YAML file (None: the shipped demo catalog).

    ``extra_holidays`` (dates or "YYYY-MM-DD") are added to the file's own,
    e.g. from ``config.yml`` ``catalog.holidays``. ``overrides`` is the file
    (or its parsed content) of service edits made in the admin console,
    applied on top (:func:`apply_service_overrides`; a missing file is no
    edits). Raises :class:`CatalogError` listing every problem found.
    """
    file = Path(path) if path is not None else DEMO_CATALOG_PATH
    source = str(file)
    data = _read_yaml(file)
    if overrides is not None:
        edits = overrides if isinstance(overrides, Mapping) else _read_overrides(Path(overrides))
        data, problems = apply_service_overrides(data, edits)
        if problems:
            raise CatalogError(source, problems)
    return parse_catalog(data, source=source, extra_holidays=extra_holidays)


def _read_yaml(file: Path) -> object:
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(str(file), [f"cannot read file: {exc.strerror or exc}"]) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(str(file), [f"not valid YAML: {exc}"]) from exc


def _read_overrides(file: Path) -> Mapping[str, object]:
    if not file.exists():
        return {}
    data = _read_yaml(file)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise CatalogError(str(file), ["top level must be a mapping with 'services'"])
    return data


def apply_service_overrides(
    data: object, overrides: Mapping[str, object]
) -> tuple[object, list[str]]:
    """The catalog data with the console's service edits applied; (data, problems).

    ``overrides`` is ``{"services": {code: {"examples": [...], "owners": {region: unit}}}}``:
    ``examples`` replaces the service's examples, ``owners`` is merged over
    the file's (a null unit removes that region's entry). The result is then
    validated like any catalog, so a bad edit is reported at the service.
    """
    services = overrides.get("services") or {}
    if not isinstance(data, Mapping) or not isinstance(services, Mapping):
        return data, ["overrides.services: must map a service code to its edits"]
    entries = [dict(e) if isinstance(e, Mapping) else e for e in data.get("services") or []]
    by_code = {e.get("code"): e for e in entries if isinstance(e, dict)}
    problems: list[str] = []
    for code, edit in services.items():
        where = f"overrides.services.{code}"
        entry = by_code.get(code)
        if entry is None:
            problems.append(f"{where}: no such service in the catalog")
            continue
        if not isinstance(edit, Mapping) or set(edit) - {"examples", "owners"}:
            problems.append(f"{where}: give only 'examples' and 'owners'")
            continue
        if "examples" in edit:
            entry["examples"] = edit["examples"]
        owners = edit.get("owners")
        if isinstance(owners, Mapping):
            listed = entry.get("owners")
            old: Mapping[object, object] = listed if isinstance(listed, Mapping) else {}
            merged = {**{str(k): v for k, v in old.items()},
                      **{str(k): v for k, v in owners.items()}}
            entry["owners"] = {k: v for k, v in merged.items() if v is not None}
        elif owners is not None:
            problems.append(f"{where}.owners: must map a region code to a unit id")
    return {**data, "services": entries}, problems


def parse_catalog(
    data: object,
    *,
    source: str = "<catalog>",
    extra_holidays: Iterable[date | str] = (),
    wilayah: Wilayah | None = None,
) -> Catalog:
    """Validate already-parsed YAML data and build a :class:`Catalog`.

    The file's shape is checked by the pydantic models of
    :mod:`routing.catalog_format`, then references across entries and to the
    wilayah tables here. Raises :class:`CatalogError` listing every problem
    with its location.
    """
    wil = wilayah if wilayah is not None else load_wilayah()
    if not isinstance(data, Mapping):
        raise CatalogError(source, [f"top level must be a mapping, got {type(data).__name__}"])
    spec, problems = validate_catalog_data(data)
    holiday_names = {h.date: h.name for h in spec.holidays} if spec is not None else {}
    for item in extra_holidays:
        day = parse_date(item)
        if day is None:
            problems.append(f"extra_holidays: not a date (YYYY-MM-DD): {item!r}")
        else:
            holiday_names.setdefault(day, "")
    if spec is None:
        raise CatalogError(source, problems)
    units = tuple(_unit(u) for u in spec.units)
    standards = tuple(_standard(s) for s in spec.standards)
    services = tuple(_service(v) for v in spec.services)
    problems += _cross_check(spec, units, standards, wil)
    problems += _check_services(services, {u.id: u for u in units}, standards, wil)
    if problems:
        raise CatalogError(source, problems)
    return Catalog(
        name=spec.name,
        units=units,
        standards=standards,
        services=services,
        holidays=frozenset(holiday_names),
        default_region=spec.default_region,
        timezone=spec.timezone,
        holiday_names=MappingProxyType(holiday_names),
        source=source,
        wilayah=wil,
    )


def _unit(spec: UnitSpec) -> ServiceUnit:
    is_triage = spec.kind == "triage" if spec.is_triage is None else spec.is_triage
    categories = spec.categories
    if is_triage and TRIAGE_CATEGORY not in categories:
        # The triage desk owns 'other' by definition; no need to spell it out.
        categories = (*categories, TRIAGE_CATEGORY)
    return ServiceUnit(
        id=spec.id,
        name=spec.name,
        short_name=spec.short_name or spec.name,
        kind=spec.kind,
        parent_id=spec.parent,
        categories=categories,
        regions=spec.regions,
        response_days=MappingProxyType(dict(spec.response_days)),
        default_response_days=spec.default_response_days,
        contact_hours=spec.contact_hours or "",
        is_triage=is_triage,
        category_regions=MappingProxyType(dict(spec.category_regions)),
        keywords=spec.keywords,
        name_en=spec.name_en,
        email=spec.email,
        phone=spec.phone,
        address=spec.address,
        website=spec.website,
        population=spec.population,
    )


def _service(spec: ServiceSpec) -> CatalogService:
    return CatalogService(
        code=spec.code, name=spec.name, category=spec.category, name_en=spec.name_en,
        description=spec.description or "", description_en=spec.description_en,
        keywords=spec.keywords, examples=spec.examples, standard_id=spec.standard,
        response_days=spec.response_days, oversight=bool(spec.oversight),
        owners=MappingProxyType(dict(spec.owners)),
    )


def _standard(spec: StandardSpec) -> ServiceStandard:
    return ServiceStandard(
        id=spec.id,
        name=spec.name,
        unit_id=spec.unit,
        category=spec.category,
        description=spec.description or "",
        keywords=spec.keywords,
        requirements=spec.requirements,
        procedure=spec.procedure,
        completion_time=spec.completion_time or "",
        cost=spec.cost or "",
        product=spec.product or "",
        legal_basis=spec.legal_basis or "",
        complaint_channel=spec.complaint_channel or "",
        name_en=spec.name_en,
        description_en=spec.description_en,
        completion_time_en=spec.completion_time_en,
        cost_en=spec.cost_en,
        product_en=spec.product_en,
    )


# ---------------------------------------------------------------------------
# Cross-reference checks: what no single entry can know on its own


def _cross_check(
    spec: CatalogSpec,
    units: tuple[ServiceUnit, ...],
    standards: tuple[ServiceStandard, ...],
    wil: Wilayah,
) -> list[str]:
    problems: list[str] = []
    if spec.default_region is not None and wil.level(spec.default_region) is None:
        problems.append(f"catalog.default_region: unknown region code {spec.default_region!r}")
    for unit in units:
        problems += _check_unit(unit, wil)
    problems += _check_standards(standards, {u.id: u for u in units})
    problems += _check_hierarchy(units)
    problems += _check_ownership(units)
    return problems


def _check_services(
    services: tuple[CatalogService, ...], units: Mapping[str, ServiceUnit],
    standards: tuple[ServiceStandard, ...], wil: Wilayah,
) -> list[str]:
    """Unique codes, known categories and standards, owners that exist and serve the region."""
    problems: list[str] = []
    seen: set[str] = set()
    standard_ids = {s.id for s in standards}
    for service in services:
        where = f"service {service.code!r}"
        if service.code in seen:
            problems.append(f"{where}: duplicate service code")
        seen.add(service.code)
        if service.category and not is_category(service.category):
            problems.append(f"{where}.category: unknown category {service.category!r} "
                            f"(known: {', '.join(CATEGORY_KEYS)})")
        if service.standard_id is not None and service.standard_id not in standard_ids:
            problems.append(f"{where}.standard: unknown standard {service.standard_id!r}")
        if not service.examples and not service.keywords:
            problems.append(f"{where}: give keywords or examples (the NLU learns from them)")
        for code, unit_id in service.owners.items():
            owhere = f"{where}.owners.{code}"
            problems += _check_regions([code], owhere, wil)
            unit = units.get(unit_id)
            if unit is None:
                problems.append(f"{owhere}: unknown unit {unit_id!r}")
            elif unit.is_triage:
                problems.append(f"{owhere}: the triage desk cannot own a service")
            elif code != NATIONAL and _REGION_CODE.match(code) and not serves(unit, code):
                problems.append(f"{owhere}: unit {unit_id!r} does not serve region {code!r} "
                                f"(its regions: {', '.join(unit.regions) or 'none'})")
    return problems


def _check_regions(codes: Sequence[str], where: str, wil: Wilayah) -> list[str]:
    problems: list[str] = []
    for code in codes:
        if code == NATIONAL:
            if len(codes) > 1:
                problems.append(
                    f"{where}: {NATIONAL!r} (national) cannot be combined with other codes")
        elif not _REGION_CODE.match(code) or wil.level(code) is None:
            problems.append(
                f"{where}: unknown region code {code!r} (expected a wilayah code such as "
                f"'35', '35.79', '35.79.01', or {NATIONAL!r} for national)")
    return problems


def _check_unit(unit: ServiceUnit, wil: Wilayah) -> list[str]:
    """Categories, region codes and per-category settings of one unit."""
    where = f"unit {unit.id!r}"
    problems: list[str] = []
    categories = unit.categories
    for cat in categories:
        if not is_category(cat):
            problems.append(f"{where}.categories: unknown category {cat!r} "
                            f"(known: {', '.join(CATEGORY_KEYS)})")
        elif cat == TRIAGE_CATEGORY and not unit.is_triage:
            problems.append(
                f"{where}.categories: {TRIAGE_CATEGORY!r} belongs to the triage desk only")
    if len(set(categories)) != len(categories):
        problems.append(f"{where}.categories: listed twice: "
                        f"{sorted({c for c in categories if categories.count(c) > 1})}")
    problems += _check_regions(unit.regions, f"{where}.regions", wil)
    for cat, codes in unit.category_regions.items():
        cwhere = f"{where}.category_regions.{cat}"
        if cat not in categories:
            problems.append(f"{cwhere}: the unit does not list {cat!r} in its categories")
        problems += _check_regions(codes, cwhere, wil)
    if not unit.is_triage:
        for cat in categories:
            if not unit.category_regions.get(cat, unit.regions):
                problems.append(f"{where}: owns {cat!r} but serves no region "
                                f"(give regions, or {NATIONAL!r} for national)")
    for cat in unit.response_days:
        if cat not in categories:
            problems.append(f"{where}.response_days.{cat}: the unit does not own {cat!r}")
    return problems


def _check_standards(
    standards: tuple[ServiceStandard, ...], units: Mapping[str, ServiceUnit]
) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for std in standards:
        where = f"standard {std.id!r}"
        if std.id in seen:
            problems.append(f"{where}: duplicate standard id")
        seen.add(std.id)
        unit = units.get(std.unit_id)
        if std.unit_id and unit is None:
            problems.append(f"{where}.unit: unknown unit {std.unit_id!r}")
        if std.category and not is_category(std.category):
            problems.append(f"{where}.category: unknown category {std.category!r}")
        elif std.category and unit is not None and not unit.owns(std.category):
            problems.append(
                f"{where}.category: unit {std.unit_id!r} does not own {std.category!r}")
    return problems


def _check_hierarchy(units: tuple[ServiceUnit, ...]) -> list[str]:
    """Unique ids, known parents, no parent cycles."""
    problems: list[str] = []
    by_id: dict[str, ServiceUnit] = {}
    for unit in units:
        if unit.id in by_id:
            problems.append(f"unit {unit.id!r}: duplicate unit id")
        by_id.setdefault(unit.id, unit)
    for unit in units:
        if unit.parent_id is not None and unit.parent_id not in by_id:
            problems.append(f"unit {unit.id!r}.parent: unknown unit {unit.parent_id!r}")
    reported: set[str] = set()
    for unit in units:
        seen: list[str] = [unit.id]
        current = by_id.get(unit.parent_id) if unit.parent_id else None
        while current is not None:
            if current.id in seen:
                cycle = [*seen[seen.index(current.id):], current.id]
                if not reported & set(cycle):
                    problems.append(f"unit {unit.id!r}.parent: cycle {' -> '.join(cycle)}")
                    reported.update(cycle)
                break
            seen.append(current.id)
            current = by_id.get(current.parent_id) if current.parent_id else None
    return problems


def _check_ownership(units: tuple[ServiceUnit, ...]) -> list[str]:
    """One triage desk, an owner for every category, no two owners of one category and code."""
    problems: list[str] = []
    triage = [u.id for u in units if u.is_triage]
    if len(triage) != 1:
        problems.append(f"catalog.units: need exactly one triage unit (kind 'triage'), found "
                        f"{', '.join(triage) if triage else 'none'}")
    for cat in CATEGORY_KEYS:
        if not any(u.owns(cat) for u in units):
            problems.append(f"category {cat!r}: no unit owns it anywhere")
    # Two units owning one category for the same code would make routing depend on file order.
    claims: dict[tuple[str, str], str] = {}
    for unit in units:
        for cat in unit.categories:
            for code in unit.regions_for(cat):
                other = claims.setdefault((cat, code), unit.id)
                if other != unit.id:
                    problems.append(
                        f"unit {unit.id!r}: category {cat!r} in region {code!r} is already "
                        f"owned by {other!r} (make one of them more specific)")
    return problems


# ---------------------------------------------------------------------------
# Answering information requests from the standards

# Words too common in service names to tell one standard from another.
_NAME_STOPWORDS: Final = frozenset({
    "dan", "atau", "di", "ke", "dari", "untuk", "yang", "bagi", "baru", "surat", "layanan",
    "pelayanan", "penerbitan", "kartu", "the", "of", "and", "for", "a", "an", "new",
    "service", "card", "certificate", "permit", "tax", "pajak", "izin", "daftar", "peserta",
    "pembayaran", "akta", "sistem",
})
# A single shared name word (0.5) is noise; a keyword or two name words is a match.
_MIN_SCORE: Final = 1.0


def _phrases(texts: Iterable[str]) -> Iterator[tuple[str, ...]]:
    # Distinct after normalising, so "daftar"/"pendaftaran" variants count once.
    seen: set[tuple[str, ...]] = set()
    for t in texts:
        tokens = normalize_tokens(t)
        if tokens and tokens not in seen:
            seen.add(tokens)
            yield tokens


@dataclass(frozen=True)
class _StandardsIndex:
    """A catalog's units and standards with their phrases normalised (once per catalog)."""

    unit_phrases: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    standards: tuple[tuple[ServiceStandard, tuple[tuple[str, ...], ...], frozenset[str]], ...]


# The last catalogs seen (by identity; a reload or an edit makes a new Catalog object).
_INDEXES: dict[int, tuple[Catalog, _StandardsIndex]] = {}


def _standards_index(catalog: Catalog) -> _StandardsIndex:
    cached = _INDEXES.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    index = _StandardsIndex(
        unit_phrases=tuple((u.id, tuple(_phrases((u.short_name, *u.keywords))))
                           for u in catalog.units),
        standards=tuple(
            (std, tuple(_phrases((*std.keywords, std.name, std.name_en or ""))),
             frozenset(normalize_tokens(f"{std.name} {std.name_en or ''}")) - _NAME_STOPWORDS)
            for std in catalog.standards))
    if len(_INDEXES) >= 8:
        _INDEXES.clear()
    _INDEXES[id(catalog)] = (catalog, index)
    return index


def find_service_standards(
    catalog: Catalog, text: str, category: str | None = None, limit: int = 3
) -> list[ServiceStandard]:
    """The service standards that best match a citizen's question, best first.

    Keyword scoring: a standard's keywords found as phrases in the normalised
    text (longer phrases weigh more), words of its name, and its unit's name or
    aliases ("disdukcapil", "pdam"). ``category`` (the NLU's guess) only breaks
    ties between matches. Returns at most ``limit`` standards; empty when
    nothing matches.
    """
    tokens = normalize_tokens(text)
    if not tokens or limit <= 0:
        return []
    token_set = set(tokens)
    index_ = _standards_index(catalog)
    unit_scores: dict[str, float] = {}
    for unit_id, unit_phrases in index_.unit_phrases:
        hits = [ph for ph in unit_phrases if contains_phrase(tokens, ph)]
        if hits:
            unit_scores[unit_id] = 2.0 * max(len(h) for h in hits)

    scored: list[tuple[float, int, ServiceStandard]] = []
    for index, (std, phrases, name_words) in enumerate(index_.standards):
        score = 0.0
        for phrase in phrases:
            if contains_phrase(tokens, phrase):
                score += 2.0 * len(phrase)
            elif len(phrase) > 1 and token_set.issuperset(phrase):
                # "ktp saya hilang" still means "ktp hilang", a little less surely.
                score += 1.5 * len(phrase)
        score += 0.5 * len(name_words & token_set)
        score += unit_scores.get(std.unit_id, 0.0)
        if score < _MIN_SCORE:
            continue
        if category is not None and std.category == category:
            score += 0.25
        scored.append((score, index, std))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [std for _, _, std in scored[:limit]]
