"""The service catalog file format: pydantic models of the YAML, its JSON schema, located errors.

The models check the shape of every entry: types, required and unknown
fields (``extra="forbid"``), slugs, dates, positive day counts, known unit
kinds and time zones. What needs the whole file or the wilayah tables
(parents, owners, categories, region codes, duplicates, the one triage desk)
is checked afterwards by :mod:`routing.catalog` on the built units.

Pydantic gives up on an entry at its first broken field, but whoever edits
the file wants every problem in one go. So after a failed validation the
broken values are pruned and the rest validated again leniently
(:func:`validate_catalog_data`), and the cross-reference checks still run on
what could be salvaged.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo
from types import MappingProxyType
from typing import Annotated, Any, Final

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

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

_SLUG_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG: Final = re.compile(_SLUG_PATTERN)

# Validation context flag: salvaging a broken file, only the shapes of values matter.
_SALVAGE: Final = "salvage"
_SALVAGE_ROUNDS: Final = 8
_DROP: Final = object()


def parse_date(value: object) -> date | None:
    """A date from a YAML date, a datetime or "YYYY-MM-DD"; None if it is none of these."""
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


# ---------------------------------------------------------------------------
# Value types: lenient where YAML is (112 for "112", one string for a list),
# strict where a mistake would pass silently (5.0 days, "yes" for true).


def _problem(message: str) -> PydanticCustomError:
    # The text travels in the context, not the template, so braces in YAML values are harmless.
    return PydanticCustomError("catalog", "{message}", {"message": message})


def _checking(info: ValidationInfo) -> bool:
    """False while salvaging a broken file (see :func:`validate_catalog_data`)."""
    return not (isinstance(info.context, Mapping) and info.context.get(_SALVAGE))


def _text(value: object, info: ValidationInfo) -> str:
    if value is None:
        raise _problem("missing")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # phone numbers like 112 arrive as ints from YAML
    if isinstance(value, str) and (value.strip() or not _checking(info)):
        return value.strip()
    raise _problem(f"must be a non-empty string, got {value!r}")


def _opt_text(value: object, info: ValidationInfo) -> str | None:
    return None if value is None else _text(value, info)


def _label(value: object) -> str:
    return str(value) if value else ""


def _list_item(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        # A YAML item like "- Note: text" parses as a mapping: quote it.
        hint = " (quote items containing ': ')" if isinstance(value, dict) else ""
        raise _problem(f"must be a non-empty string, got {value!r}{hint}")
    return str(value).strip()


def _string_list(value: object) -> object:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]  # "keywords: pdam" means one keyword
    if not isinstance(value, list):
        raise _problem(f"must be a list of strings, got {type(value).__name__}")
    return value


def _some_regions(value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
    if not value and _checking(info):
        raise _problem("needs at least one region code")
    return value


def _mapping(what: str) -> Callable[[object], object]:
    def check(value: object) -> object:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise _problem(f"must map a category to {what}")
        return value
    return check


def _days(value: object, info: ValidationInfo) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or (value <= 0 and _checking(info)):
        raise _problem(f"must be a positive whole number of working days, got {value!r}")
    return value


def _flag(value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise _problem("must be true or false")
    return value


def _slug(example: str) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        if _checking(info) and not _SLUG.match(value):
            raise _problem(f"must be a lower-case slug like {example!r}")
        return value
    return check


def _known_kind(value: str, info: ValidationInfo) -> str:
    if _checking(info) and value not in UNIT_KINDS:
        raise _problem(f"unknown kind {value!r} (known: {', '.join(sorted(UNIT_KINDS))})")
    return value


def _timezone_name(value: object, info: ValidationInfo) -> str:
    name = DEFAULT_TIMEZONE if value is None else _text(value, info)
    if _checking(info) and name not in TIMEZONES:
        raise _problem(f"unknown time zone {name!r} (known: {', '.join(TIMEZONES)})")
    return name


def _date(value: object) -> date:
    day = parse_date(value)
    if day is None:
        raise _problem(f"not a date (YYYY-MM-DD): {value!r}")
    return day


def _entries(value: object) -> object:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _problem("must be a list")
    return value


def _non_empty(value: tuple[Any, ...]) -> tuple[Any, ...]:
    # Strict even when salvaging: without units there is nothing to cross-check.
    if not value:
        raise _problem("must be a non-empty list")
    return value


_STRINGS_SCHEMA: Final = {"anyOf": [
    {"type": "string"}, {"type": "array", "items": {"type": "string", "minLength": 1}},
]}

Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
OptText = Annotated[
    str | None, BeforeValidator(_opt_text),
    WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}]}),
]
Strings = Annotated[
    tuple[Annotated[str, BeforeValidator(_list_item)], ...],
    BeforeValidator(_string_list), WithJsonSchema(_STRINGS_SCHEMA),
]
Regions = Annotated[Strings, AfterValidator(_some_regions)]
Days = Annotated[int, BeforeValidator(_days), WithJsonSchema({"type": "integer", "minimum": 1})]
Flag = Annotated[bool | None, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"})]
UnitKind = Annotated[
    str, BeforeValidator(_text), AfterValidator(_known_kind),
    WithJsonSchema({"type": "string", "enum": sorted(UNIT_KINDS)}),
]
TimezoneName = Annotated[
    str, BeforeValidator(_timezone_name),
    WithJsonSchema({"type": "string", "enum": list(TIMEZONES), "default": DEFAULT_TIMEZONE}),
]
CatalogDate = Annotated[date, BeforeValidator(_date)]


_SLUG_SCHEMA: Final = WithJsonSchema({"type": "string", "pattern": _SLUG_PATTERN})
UnitId = Annotated[
    str, BeforeValidator(_text), AfterValidator(_slug("dinas-pupr-batu")), _SLUG_SCHEMA
]
StandardId = Annotated[str, BeforeValidator(_text), AfterValidator(_slug("ktp-el")), _SLUG_SCHEMA]
ServiceCode = Annotated[
    str, BeforeValidator(_text), AfterValidator(_slug("penerangan-jalan")), _SLUG_SCHEMA
]


def _owner_map(value: object) -> object:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _problem("must map a region code to a unit id (\"32.73\": dishub-bandung)")
    # YAML reads an unquoted 35 as a number: a province code is still meant.
    return {str(k) if isinstance(k, int) and not isinstance(k, bool) else k: v
            for k, v in value.items()}


# ---------------------------------------------------------------------------
# The models


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class HolidaySpec(_Spec):
    """A public holiday or cuti bersama; a bare date is short for ``{date: ...}``."""

    date: CatalogDate
    name: Annotated[str, BeforeValidator(_label)] = ""

    @model_validator(mode="before")
    @classmethod
    def _bare_date(cls, value: object) -> object:
        # A bad bare date is reported at the list item itself ("catalog.holidays[0]").
        return value if isinstance(value, Mapping) else {"date": _date(value)}


class UnitSpec(_Spec):
    """A unit that receives reports: a dinas, badan, company, vertical office or the triage desk."""

    id: UnitId
    name: Text
    kind: UnitKind
    short_name: OptText = None
    """Name shown to citizens and in routing reasons (default: ``name``)."""
    name_en: OptText = None
    parent: OptText = None
    """Id of the unit above, to which overdue reports escalate."""
    is_triage: Flag = None
    """The triage desk (default: true for kind ``triage``); it owns ``other``."""
    categories: Strings = ()
    """Complaint categories (``routing.categories``) the unit handles."""
    regions: Strings = ()
    """Wilayah codes served ("35.79" covers its districts); "ID" for national."""
    category_regions: Annotated[
        dict[str, Regions], BeforeValidator(_mapping("a list of region codes"))
    ] = {}
    """Per-category service area replacing ``regions``."""
    response_days: Annotated[dict[str, Days], BeforeValidator(_mapping("working days"))] = {}
    """Working-day response targets per category."""
    default_response_days: Days = 5
    contact_hours: OptText = None
    keywords: Strings = ()
    """Other names citizens use for the unit ("pdam", "disdukcapil")."""
    email: OptText = None
    phone: OptText = None
    address: OptText = None
    website: OptText = None
    population: Annotated[int, Field(gt=0, strict=True)] | None = None
    """Service users the unit serves (the SKM sample's population, Krejcie-Morgan)."""


class StandardSpec(_Spec):
    """A published service standard (standar pelayanan) citizens ask about."""

    id: StandardId
    name: Text
    unit: Text
    """Id of the unit providing the service; it must own ``category``."""
    category: Text
    description: OptText = None
    keywords: Strings = ()
    requirements: Strings = ()
    procedure: Strings = ()
    completion_time: OptText = None
    cost: OptText = None
    product: OptText = None
    legal_basis: OptText = None
    complaint_channel: OptText = None
    name_en: OptText = None
    description_en: OptText = None
    completion_time_en: OptText = None
    cost_en: OptText = None
    product_en: OptText = None


class ServiceSpec(_Spec):
    """A service (kodefikasi layanan) below a category, and who delivers it where."""

    code: ServiceCode
    """Stable code, kept when names change; stored with every ticket."""
    name: Text
    name_en: OptText = None
    category: Text
    """The complaint category the service belongs to."""
    description: OptText = None
    description_en: OptText = None
    keywords: Strings = ()
    """Short phrases that name the service ("lampu jalan", "pju")."""
    examples: Strings = ()
    """Whole sentences citizens write about it (the NLU's service picker learns from them)."""
    standard: OptText = None
    """Id of the published service standard (requirements, cost, time), if there is one."""
    response_days: Days | None = None
    """Working-day response target for the service (default: the owner's for the category)."""
    oversight: Flag = None
    """A complaint about the apparatus itself (pungli, bribery): goes to the Inspektorat and
    is kept from the unit complained about; the citizen is offered confidentiality."""
    owners: Annotated[dict[str, Text], BeforeValidator(_owner_map)] = {}
    """Region code -> id of the unit that delivers the service there ("35" covers the whole
    province). A region not listed falls back to the category's owner."""


class CatalogSpec(_Spec):
    """A Pintu service catalog file (``routing/data/demo_catalog.yml`` is an example)."""

    model_config = ConfigDict(title="Pintu service catalog")

    name: Text
    default_region: OptText = None
    """Wilayah code of the home region, used when a report names none."""
    timezone: TimezoneName = DEFAULT_TIMEZONE
    """Local time zone for counting working days."""
    holidays: Annotated[tuple[HolidaySpec, ...], BeforeValidator(_entries)] = ()
    """Public holidays and cuti bersama (not working days)."""
    units: Annotated[tuple[UnitSpec, ...], BeforeValidator(_entries), AfterValidator(_non_empty)]
    standards: Annotated[tuple[StandardSpec, ...], BeforeValidator(_entries)] = ()
    services: Annotated[tuple[ServiceSpec, ...], BeforeValidator(_entries)] = ()
    """Services below the categories (kodefikasi layanan) and their owners per region."""


def catalog_json_schema() -> dict[str, Any]:
    """The JSON schema of the catalog file format (for editors and other tools)."""
    return CatalogSpec.model_json_schema()


# ---------------------------------------------------------------------------
# Validation and error locations

_ENTRY_MODELS: Final[Mapping[str, type[_Spec]]] = MappingProxyType(
    {"units": UnitSpec, "standards": StandardSpec, "holidays": HolidaySpec,
     "services": ServiceSpec}
)
_ENTRY_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {"units": "unit", "standards": "standard", "services": "service"})
_Loc = tuple[int | str, ...]


def validate_catalog_data(data: Mapping[str, Any]) -> tuple[CatalogSpec | None, list[str]]:
    """Check the shape of parsed catalog YAML: (the spec, located problems).

    On problems the spec is what could be salvaged for the cross-reference
    checks (None when not even that is possible).
    """
    try:
        return CatalogSpec.model_validate(dict(data)), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    return _salvage(data), [_describe(error, data) for error in errors]


def _describe(error: ErrorDetails, data: Mapping[str, Any]) -> str:
    loc, kind = error["loc"], error["type"]
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = f" (allowed: {', '.join(sorted(model.model_fields))})" if model else ""
        return f"{_where(loc[:-1], data)}: unknown field {loc[-1]!r}{allowed}"
    if kind == "missing":
        return f"{_where(loc, data)}: missing"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{_where(loc, data)}: must be a mapping, got {type(error['input']).__name__}"
    return f"{_where(loc, data)}: {error['msg']}"


def _where(loc: _Loc, data: Mapping[str, Any]) -> str:
    """A location as people read it: "unit 'dinkes-batu'.regions", "catalog.holidays[3]"."""
    if len(loc) >= 2 and loc[0] in _ENTRY_NAMES and isinstance(loc[1], int):
        head, rest = _entry_name(str(loc[0]), loc[1], data), loc[2:]
    else:
        head, rest = "catalog", loc
    return head + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)


def _entry_name(key: str, index: int, data: Mapping[str, Any]) -> str:
    items = data.get(key)
    item = items[index] if isinstance(items, list) and index < len(items) else None
    key_field = "code" if key == "services" else "id"
    entry_id = item.get(key_field) if isinstance(item, Mapping) else None
    if isinstance(entry_id, str):
        return f"{_ENTRY_NAMES[key]} {entry_id!r}"
    return f"{key}[{index}]"


def _model_at(path: _Loc) -> type[_Spec] | None:
    if not path:
        return CatalogSpec
    if len(path) == 2 and isinstance(path[1], int):
        return _ENTRY_MODELS.get(str(path[0]))
    return None


def _salvage(data: Mapping[str, Any]) -> CatalogSpec | None:
    """The catalog validated leniently without its broken values; None if nothing is left.

    Lenient validation skips the value checks (slugs, kinds, empty strings...)
    so an entry with a bad value still takes part in the cross-reference
    checks. What still fails is pruned, round by round: a broken optional
    value is dropped (its default applies); a broken required one is first
    replaced by "", then its whole entry is dropped. A broken top level means
    no cross-reference checks.
    """
    raw: Any = copy.deepcopy(dict(data))
    for _ in range(_SALVAGE_ROUNDS):
        try:
            return CatalogSpec.model_validate(raw, context={_SALVAGE: True})
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        for error in errors:
            if not _prune(raw, error):
                return None
        raw = _sweep(raw)
    return None


def _prune(raw: dict[str, Any], error: ErrorDetails) -> bool:
    """Mark the value ``error`` points at for removal (or patch it); False to give up."""
    loc = error["loc"]
    # Walk as far as the data goes: a before-validator may have reshaped what lies below.
    path: list[int | str] = []
    node: Any = raw
    for part in loc:
        if not _has(node, part):
            break
        node = node[part]
        path.append(part)
    if error["type"] == "missing" and len(path) == len(loc) - 1:
        path = list(loc)
    if not path:
        return False
    parent = _get(raw, path[:-1])
    model = _model_at(tuple(path[:-1]))
    field = model.model_fields.get(str(path[-1])) if model else None
    if field is not None and field.is_required():
        if parent.get(path[-1]) != "":
            parent[path[-1]] = ""
            return True
        path = path[:-1]
        if not path:
            return False
        parent = _get(raw, path[:-1])
    parent[path[-1]] = _DROP
    return True


def _has(node: Any, part: int | str) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _get(raw: Any, path: list[int | str]) -> Any:
    for part in path:
        raw = raw[part]
    return raw


def _sweep(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _sweep(v) for k, v in node.items() if v is not _DROP}
    if isinstance(node, list):
        return [_sweep(v) for v in node if v is not _DROP]
    return node

