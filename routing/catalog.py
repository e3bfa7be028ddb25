"""The service catalog: units, the categories and regions they own, and service standards.

Loaded from YAML at start (``load_catalog``) and reloadable by calling it
again; a :class:`Catalog` is immutable, so a reload swaps the whole object.
The shipped default is ``routing/data/demo_catalog.yml`` (Pemerintah Kota Batu).

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
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import yaml

from nlu.wilayah import Wilayah, load_wilayah
from routing._text import contains_phrase, normalize_tokens
from routing.categories import CATEGORY_KEYS, TRIAGE_CATEGORY, is_category

NATIONAL: Final = "ID"
DEMO_CATALOG_PATH: Final = Path(__file__).resolve().parent / "data" / "demo_catalog.yml"

UNIT_KINDS: Final[frozenset[str]] = frozenset({
    "government",   # Pemerintah Kota/Kabupaten
    "province",     # Pemerintah Provinsi
    "national",     # a national ministry, agency or national head office
    "secretariat",  # Sekretariat Daerah
    "dinas", "badan", "satuan", "inspektorat", "kecamatan", "kelurahan", "upt",
    "bumd",         # regional state company (Perumda Air Minum ...)
    "bumn",         # state company (PLN ...)
    "vertical",     # central-government office in the region (Polres, Kantor Pertanahan ...)
    "triage",       # the desk that reads unsure or unowned reports
})

# Indonesia keeps no daylight saving, so fixed offsets need no tz database.
TIMEZONES: Final[Mapping[str, tzinfo]] = MappingProxyType({
    "Asia/Jakarta": timezone(timedelta(hours=7), "WIB"),
    "Asia/Pontianak": timezone(timedelta(hours=7), "WIB"),
    "Asia/Makassar": timezone(timedelta(hours=8), "WITA"),
    "Asia/Jayapura": timezone(timedelta(hours=9), "WIT"),
})
DEFAULT_TIMEZONE: Final = "Asia/Jakarta"

_SLUG: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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

    def region_name(self, code: str) -> str:
        """A display name for a wilayah code ("Kota Batu"); "Indonesia" for ``ID``."""
        if code == NATIONAL:
            return "Indonesia"
        if self.wilayah is not None and self.wilayah.level(code) is not None:
            return self.wilayah.name(code)
        return code


# ---------------------------------------------------------------------------
# Loading and validation


def load_catalog(
    path: str | Path | None = None, *, extra_holidays: Iterable[date | str] = ()
) -> Catalog:
    """Read and validate a catalog YAML file (None: the shipped demo catalog).

    ``extra_holidays`` (dates or "YYYY-MM-DD") are added to the file's own,
    e.g. from ``config.yml`` ``catalog.holidays``. Raises :class:`CatalogError`
    listing every problem found.
    """
    file = Path(path) if path is not None else DEMO_CATALOG_PATH
    source = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(source, [f"cannot read file: {exc.strerror or exc}"]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(source, [f"not valid YAML: {exc}"]) from exc
    return parse_catalog(data, source=source, extra_holidays=extra_holidays)


def parse_catalog(
    data: object,
    *,
    source: str = "<catalog>",
    extra_holidays: Iterable[date | str] = (),
    wilayah: Wilayah | None = None,
) -> Catalog:
    """Validate already-parsed YAML data and build a :class:`Catalog`.

    Raises :class:`CatalogError` listing every problem with its location.
    """
    wil = wilayah if wilayah is not None else load_wilayah()
    p = _Problems()
    if not isinstance(data, Mapping):
        raise CatalogError(source, [f"top level must be a mapping, got {type(data).__name__}"])
    p.unknown_keys(
        data, {"name", "default_region", "timezone", "holidays", "units", "standards"}, "catalog"
    )
    name = p.string(data, "name", "catalog", required=True)
    tz_name = p.opt_string(data, "timezone", "catalog") or DEFAULT_TIMEZONE
    if tz_name not in TIMEZONES:
        p.add(f"catalog.timezone: unknown time zone {tz_name!r} "
              f"(known: {', '.join(TIMEZONES)})")

    default_region = p.opt_string(data, "default_region", "catalog")
    if default_region is not None and wil.level(default_region) is None:
        p.add(f"catalog.default_region: unknown region code {default_region!r}")

    holiday_names: dict[date, str] = {}
    raw_holidays = data.get("holidays") or []
    if not isinstance(raw_holidays, list):
        p.add("catalog.holidays: must be a list")
        raw_holidays = []
    for i, item in enumerate(raw_holidays):
        where = f"catalog.holidays[{i}]"
        label = ""
        if isinstance(item, Mapping):
            p.unknown_keys(item, {"date", "name"}, where)
            label = str(item.get("name") or "")
            item = item.get("date")
        day = _parse_date(item)
        if day is None:
            p.add(f"{where}: not a date (YYYY-MM-DD): {item!r}")
        else:
            holiday_names[day] = label
    for item in extra_holidays:
        day = _parse_date(item)
        if day is None:
            p.add(f"extra_holidays: not a date (YYYY-MM-DD): {item!r}")
        else:
            holiday_names.setdefault(day, "")

    units = _parse_units(data.get("units"), p, wil)
    standards = _parse_standards(data.get("standards"), p, {u.id: u for u in units})
    _check_structure(units, p)

    if p.problems:
        raise CatalogError(source, p.problems)
    return Catalog(
        name=name,
        units=units,
        standards=standards,
        holidays=frozenset(holiday_names),
        default_region=default_region,
        timezone=tz_name,
        holiday_names=MappingProxyType(holiday_names),
        source=source,
        wilayah=wil,
    )


_UNIT_KEYS: Final = frozenset({
    "id", "name", "short_name", "kind", "parent", "categories", "regions", "response_days",
    "default_response_days", "contact_hours", "is_triage", "category_regions", "keywords",
    "name_en", "email", "phone", "address", "website",
})
_STANDARD_KEYS: Final = frozenset({
    "id", "name", "unit", "category", "description", "keywords", "requirements", "procedure",
    "completion_time", "cost", "product", "legal_basis", "complaint_channel", "name_en",
    "description_en", "completion_time_en", "cost_en", "product_en",
})


class _Problems:
    """Collects validation problems so one run reports all of them."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        self.problems.append(message)

    def unknown_keys(self, data: Mapping[Any, Any], allowed: Iterable[str], where: str) -> None:
        allowed_set = set(allowed)
        for key in data:
            if key not in allowed_set:
                known = ", ".join(sorted(allowed_set))
                self.add(f"{where}: unknown field {key!r} (allowed: {known})")

    def string(self, data: Mapping[str, Any], key: str, where: str, *, required: bool) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{where}.{key}: missing")
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # phone numbers like 112 arrive as ints from YAML
        if not isinstance(value, str) or not value.strip():
            self.add(f"{where}.{key}: must be a non-empty string, got {value!r}")
            return ""
        return value.strip()

    def opt_string(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        return self.string(data, key, where, required=False) or None

    def strings(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(f"{where}.{key}: must be a list of strings, got {type(value).__name__}")
            return ()
        out: list[str] = []
        for i, v in enumerate(value):
            if isinstance(v, bool) or not isinstance(v, (str, int)) or not str(v).strip():
                # A YAML item like "- Note: text" parses as a mapping: quote it.
                self.add(f"{where}.{key}[{i}]: must be a non-empty string, got {v!r}"
                         + (" (quote items containing ': ')" if isinstance(v, dict) else ""))
            else:
                out.append(str(v).strip())
        return tuple(out)

    def positive_int(self, value: object, where: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.add(f"{where}: must be a positive whole number of working days, got {value!r}")
            return None
        return value


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _check_regions(codes: Iterable[str], where: str, p: _Problems, wil: Wilayah) -> None:
    codes = tuple(codes)
    for code in codes:
        if code == NATIONAL:
            if len(codes) > 1:
                p.add(f"{where}: {NATIONAL!r} (national) cannot be combined with other codes")
        elif not _REGION_CODE.match(code) or wil.level(code) is None:
            p.add(f"{where}: unknown region code {code!r} (expected a wilayah code such as "
                  f"'35', '35.79', '35.79.01', or {NATIONAL!r} for national)")


def _parse_units(raw: object, p: _Problems, wil: Wilayah) -> tuple[ServiceUnit, ...]:
    if not isinstance(raw, list) or not raw:
        p.add("catalog.units: must be a non-empty list")
        return ()
    units: list[ServiceUnit] = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping):
            p.add(f"units[{i}]: must be a mapping")
            continue
        uid = item.get("id")
        where = f"unit {uid!r}" if isinstance(uid, str) else f"units[{i}]"
        p.unknown_keys(item, _UNIT_KEYS, where)
        uid = p.string(item, "id", where, required=True)
        if uid and not _SLUG.match(uid):
            p.add(f"{where}.id: must be a lower-case slug like 'dinas-pupr-batu'")
        name = p.string(item, "name", where, required=True)
        kind = p.string(item, "kind", where, required=True)
        if kind and kind not in UNIT_KINDS:
            p.add(f"{where}.kind: unknown kind {kind!r} (known: {', '.join(sorted(UNIT_KINDS))})")
        is_triage = item.get("is_triage", kind == "triage")
        if not isinstance(is_triage, bool):
            p.add(f"{where}.is_triage: must be true or false")
            is_triage = False

        categories = p.strings(item, "categories", where)
        for cat in categories:
            if not is_category(cat):
                p.add(f"{where}.categories: unknown category {cat!r} "
                      f"(known: {', '.join(CATEGORY_KEYS)})")
            elif cat == TRIAGE_CATEGORY and not is_triage:
                p.add(f"{where}.categories: {TRIAGE_CATEGORY!r} belongs to the triage desk only")
        if len(set(categories)) != len(categories):
            p.add(f"{where}.categories: listed twice: "
                  f"{sorted({c for c in categories if categories.count(c) > 1})}")
        if is_triage and TRIAGE_CATEGORY not in categories:
            # The triage desk owns 'other' by definition; no need to spell it out.
            categories = (*categories, TRIAGE_CATEGORY)

        regions = p.strings(item, "regions", where)
        _check_regions(regions, f"{where}.regions", p, wil)

        category_regions: dict[str, tuple[str, ...]] = {}
        raw_cr = item.get("category_regions") or {}
        if not isinstance(raw_cr, Mapping):
            p.add(f"{where}.category_regions: must map a category to a list of region codes")
            raw_cr = {}
        for cat, codes in raw_cr.items():
            cwhere = f"{where}.category_regions.{cat}"
            if cat not in categories:
                p.add(f"{cwhere}: the unit does not list {cat!r} in its categories")
            parsed = p.strings({"codes": codes}, "codes", cwhere)
            if not parsed:
                p.add(f"{cwhere}: needs at least one region code")
            _check_regions(parsed, cwhere, p, wil)
            category_regions[str(cat)] = parsed

        if not is_triage:
            for cat in categories:
                if not category_regions.get(cat, regions):
                    p.add(f"{where}: owns {cat!r} but serves no region "
                          f"(give regions, or {NATIONAL!r} for national)")

        response_days: dict[str, int] = {}
        raw_rd = item.get("response_days") or {}
        if not isinstance(raw_rd, Mapping):
            p.add(f"{where}.response_days: must map a category to working days")
            raw_rd = {}
        for cat, days in raw_rd.items():
            if cat not in categories:
                p.add(f"{where}.response_days.{cat}: the unit does not own {cat!r}")
            value = p.positive_int(days, f"{where}.response_days.{cat}")
            if value is not None:
                response_days[str(cat)] = value
        default_days = p.positive_int(
            item.get("default_response_days", 5), f"{where}.default_response_days"
        )

        units.append(ServiceUnit(
            id=uid,
            name=name,
            short_name=p.opt_string(item, "short_name", where) or name,
            kind=kind,
            parent_id=p.opt_string(item, "parent", where),
            categories=categories,
            regions=regions,
            response_days=MappingProxyType(response_days),
            default_response_days=default_days or 5,
            contact_hours=p.opt_string(item, "contact_hours", where) or "",
            is_triage=is_triage,
            category_regions=MappingProxyType(category_regions),
            keywords=p.strings(item, "keywords", where),
            name_en=p.opt_string(item, "name_en", where),
            email=p.opt_string(item, "email", where),
            phone=p.opt_string(item, "phone", where),
            address=p.opt_string(item, "address", where),
            website=p.opt_string(item, "website", where),
        ))
    return tuple(units)


def _check_structure(units: tuple[ServiceUnit, ...], p: _Problems) -> None:
    by_id: dict[str, ServiceUnit] = {}
    for unit in units:
        if unit.id in by_id:
            p.add(f"unit {unit.id!r}: duplicate unit id")
        by_id.setdefault(unit.id, unit)

    for unit in units:
        if unit.parent_id is not None and unit.parent_id not in by_id:
            p.add(f"unit {unit.id!r}.parent: unknown unit {unit.parent_id!r}")
    reported: set[str] = set()
    for unit in units:
        seen: list[str] = [unit.id]
        current = by_id.get(unit.parent_id) if unit.parent_id else None
        while current is not None:
            if current.id in seen:
                cycle = [*seen[seen.index(current.id):], current.id]
                if not reported & set(cycle):
                    p.add(f"unit {unit.id!r}.parent: cycle {' -> '.join(cycle)}")
                    reported.update(cycle)
                break
            seen.append(current.id)
            current = by_id.get(current.parent_id) if current.parent_id else None

    triage = [u.id for u in units if u.is_triage]
    if len(triage) != 1:
        p.add(f"catalog.units: need exactly one triage unit (kind 'triage'), found "
              f"{', '.join(triage) if triage else 'none'}")

    for cat in CATEGORY_KEYS:
        if not any(u.owns(cat) for u in units):
            p.add(f"category {cat!r}: no unit owns it anywhere")

    # Two units owning one category for the same code would make routing depend on file order.
    claims: dict[tuple[str, str], str] = {}
    for unit in units:
        for cat in unit.categories:
            for code in unit.regions_for(cat):
                other = claims.setdefault((cat, code), unit.id)
                if other != unit.id:
                    p.add(f"unit {unit.id!r}: category {cat!r} in region {code!r} is already "
                          f"owned by {other!r} (make one of them more specific)")


def _parse_standards(
    raw: object, p: _Problems, units: Mapping[str, ServiceUnit]
) -> tuple[ServiceStandard, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        p.add("catalog.standards: must be a list")
        return ()
    out: list[ServiceStandard] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping):
            p.add(f"standards[{i}]: must be a mapping")
            continue
        sid = item.get("id")
        where = f"standard {sid!r}" if isinstance(sid, str) else f"standards[{i}]"
        p.unknown_keys(item, _STANDARD_KEYS, where)
        sid = p.string(item, "id", where, required=True)
        if sid and not _SLUG.match(sid):
            p.add(f"{where}.id: must be a lower-case slug like 'ktp-el'")
        if sid in seen:
            p.add(f"{where}: duplicate standard id")
        seen.add(sid)
        unit_id = p.string(item, "unit", where, required=True)
        category = p.string(item, "category", where, required=True)
        unit = units.get(unit_id)
        if unit_id and unit is None:
            p.add(f"{where}.unit: unknown unit {unit_id!r}")
        if category and not is_category(category):
            p.add(f"{where}.category: unknown category {category!r}")
        elif category and unit is not None and not unit.owns(category):
            p.add(f"{where}.category: unit {unit_id!r} does not own {category!r}")

        def text(key: str, where: str = where, item: Mapping[str, Any] = item) -> str:
            return p.opt_string(item, key, where) or ""

        out.append(ServiceStandard(
            id=sid,
            name=p.string(item, "name", where, required=True),
            unit_id=unit_id,
            category=category,
            description=text("description"),
            keywords=p.strings(item, "keywords", where),
            requirements=p.strings(item, "requirements", where),
            procedure=p.strings(item, "procedure", where),
            completion_time=text("completion_time"),
            cost=text("cost"),
            product=text("product"),
            legal_basis=text("legal_basis"),
            complaint_channel=text("complaint_channel"),
            name_en=p.opt_string(item, "name_en", where),
            description_en=p.opt_string(item, "description_en", where),
            completion_time_en=p.opt_string(item, "completion_time_en", where),
            cost_en=p.opt_string(item, "cost_en", where),
            product_en=p.opt_string(item, "product_en", where),
        ))
    return tuple(out)


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
    unit_scores: dict[str, float] = {}
    for unit in catalog.units:
        names = (unit.short_name, *unit.keywords)
        hits = [ph for ph in _phrases(names) if contains_phrase(tokens, ph)]
        if hits:
            unit_scores[unit.id] = 2.0 * max(len(h) for h in hits)

    scored: list[tuple[float, int, ServiceStandard]] = []
    for index, std in enumerate(catalog.standards):
        score = 0.0
        for phrase in _phrases((*std.keywords, std.name, std.name_en or "")):
            if contains_phrase(tokens, phrase):
                score += 2.0 * len(phrase)
            elif len(phrase) > 1 and token_set.issuperset(phrase):
                # "ktp saya hilang" still means "ktp hilang", a little less surely.
                score += 1.5 * len(phrase)
        name_words = set(normalize_tokens(f"{std.name} {std.name_en or ''}")) - _NAME_STOPWORDS
        score += 0.5 * len(name_words & token_set)
        score += unit_scores.get(std.unit_id, 0.0)
        if score < _MIN_SCORE:
            continue
        if category is not None and std.category == category:
            score += 0.25
        scored.append((score, index, std))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [std for _, _, std in scored[:limit]]
