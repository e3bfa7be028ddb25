"""Admins manage the catalog's services: list and search them with their ticket counts,
edit their example sentences and owners per region.

Edits are kept in a small YAML file of overrides (``catalog.overrides_path``)
applied on top of the catalog file, so the government's own catalog file (with
its comments) is never rewritten. An edit is validated as the whole catalog
would be; an invalid one changes nothing. A valid one is written, the catalog
reloaded and the NLU's service picker retrained before the switch.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.runtime import Runtime
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from bot.tickets.units import sync_units
from routing.catalog import Catalog, CatalogError, CatalogService, load_catalog
from routing.categories import category_name
from routing.service_picking import service_picker
from storage.repositories.tickets import ServiceTicketCounts

MAX_EXAMPLES = 200
MAX_EXAMPLE_CHARS = 500
_HEADER = ("# Service edits made in the Pintu admin console (Services page), applied on top\n"
           "# of the catalog file. examples replace the file's; owners are merged over the\n"
           "# file's (null removes a region). Delete this file to undo every edit.\n")


class ServiceEditError(ValueError):
    """An edit that would make the catalog invalid; ``problems`` says why (nothing changed)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class OwnerRow:
    """Who delivers a service in one region."""

    region_code: str
    region_name: str
    unit_id: str
    unit_name: str


@dataclass(frozen=True)
class ServiceRow:
    """A service as the admin pages show it."""

    service: CatalogService
    category_name: str
    owners: tuple[OwnerRow, ...]
    counts: ServiceTicketCounts
    forwarded_to: tuple[tuple[str, int], ...]

    @property
    def forwarded_share(self) -> float:
        """Share of its tickets forwarded away (0 without tickets)."""
        return self.counts.forwarded / self.counts.tickets if self.counts.tickets else 0.0


def service_rows(catalog: Catalog, counts: Mapping[str, ServiceTicketCounts],
                 query: str | None = None, lang: str = "id") -> list[ServiceRow]:
    """The catalog's services with their owners and ticket counts, matching ``query``
    (code, names, keywords, examples, category or owner unit; case-insensitive)."""
    needle = (query or "").strip().lower()
    rows = []
    for service in catalog.services:
        owners = tuple(
            OwnerRow(code, catalog.region_name(code), unit_id,
                     catalog.unit(unit_id).short_name if catalog.has_unit(unit_id) else unit_id)
            for code, unit_id in sorted(service.owners.items()))
        row = ServiceRow(
            service, category_name(service.category, lang), owners,
            counts.get(service.code, ServiceTicketCounts()),
            tuple((catalog.unit(u).short_name if catalog.has_unit(u) else u, n)
                  for u, n in counts.get(service.code, ServiceTicketCounts()).forwarded_to))
        if not needle or needle in _haystack(row):
            rows.append(row)
    return rows


def _haystack(row: ServiceRow) -> str:
    s = row.service
    parts = [s.code, s.name, s.name_en or "", s.category, row.category_name, *s.keywords,
             *s.examples, *(f"{o.region_name} {o.unit_id} {o.unit_name}" for o in row.owners)]
    return "\n".join(parts).lower()


async def services_overview(rt: Runtime, query: str | None = None,
                            lang: str = "id") -> list[ServiceRow]:
    """:func:`service_rows` for the live catalog, with counts from the database."""
    async with rt.sessions() as session:
        counts = await rt.repositories(session).tickets.service_counts()
    return service_rows(rt.catalog, counts, query, lang)


def clean_examples(lines: Sequence[str]) -> list[str]:
    """Non-empty, distinct example sentences, trimmed; ServiceEditError when too many/long."""
    out: list[str] = []
    for line in lines:
        text = " ".join(line.split())
        if text and text not in out:
            out.append(text)
    problems = []
    if len(out) > MAX_EXAMPLES:
        problems.append(f"at most {MAX_EXAMPLES} examples")
    problems += [f"example longer than {MAX_EXAMPLE_CHARS} characters: {t[:40]}..."
                 for t in out if len(t) > MAX_EXAMPLE_CHARS]
    if problems:
        raise ServiceEditError(problems)
    return out


def _read_overrides(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(data) if isinstance(data, Mapping) else {}


def _write_atomically(path: Path, data: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _HEADER + yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog_overrides.", suffix=".yml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _edited_catalog(rt: Runtime, code: str, examples: list[str],
                    owners: Mapping[str, str]) -> tuple[Catalog, dict[str, Any]]:
    """The catalog with the edit applied, and the overrides to write; ServiceEditError."""
    settings = rt.settings.catalog
    path = settings.overrides_file()
    try:
        base = load_catalog(settings.path, extra_holidays=settings.holidays)
    except CatalogError as exc:
        raise ServiceEditError(exc.problems) from exc
    if not base.has_service(code):
        raise ServiceEditError([f"no service {code!r} in the catalog file"])
    # Regions the file lists but the form no longer does are removed (null).
    merged_owners: dict[str, str | None] = {k: None for k in base.service(code).owners}
    merged_owners.update(owners)
    overrides = _read_overrides(path)
    services = dict(overrides.get("services") or {})
    services[code] = {"examples": examples, "owners": merged_owners}
    overrides["services"] = services
    try:
        catalog = load_catalog(settings.path, extra_holidays=settings.holidays,
                               overrides=overrides)
    except CatalogError as exc:
        raise ServiceEditError(exc.problems) from exc
    service_picker(catalog, rt.settings.nlu.service_threshold)  # trained before the switch
    return catalog, overrides


async def save_service_edit(rt: Runtime, ctx: StaffContext, code: str, examples: Sequence[str],
                            owners: Mapping[str, str], *, ip: str | None = None) -> Catalog:
    """Apply an admin's edit of one service: validate, write the overrides, reload.

    ``owners`` is the service's whole owner table after the edit (region code
    -> unit id). Raises :class:`ServiceEditError` (nothing changed) when the
    edit is invalid or the user is not an admin.
    """
    if ctx.user.role != "admin":
        raise ServiceEditError(["only admins can edit services"])
    cleaned = clean_examples(examples)
    catalog, overrides = await asyncio.to_thread(_edited_catalog, rt, code, cleaned, owners)
    await asyncio.to_thread(_write_atomically, rt.settings.catalog.overrides_file(), overrides)
    rt.catalog = catalog
    await sync_units(rt)
    async with rt.sessions() as session, session.begin():
        await audit(rt.repositories(session), ctx, "service_edited", target_type="service",
                    target_id=code, data={"examples": len(cleaned), "owners": dict(owners)},
                    ip=ip)
    return catalog
