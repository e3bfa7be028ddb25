"""The per-unit compliance report: the share of tickets within each clock, per period.

A ticket counts in the period (and unit) it was filed in. For each clock it is
``met`` (stopped in time), ``breached`` (stopped late, or still running past
its due time) or ``running`` (not yet due: undecided, so not in the share).
The share is ``met / (met + breached)``; ``None`` when nothing is decided yet.
:func:`compliance_report` reads the database; :func:`build_compliance` is pure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.settings import CaseSettings
from bot.surveys.ikm import Period, period_key
from bot.surveys.reports import ReportFilter, local_day_bounds
from bot.tickets.clocks import CLOCKS, ClockMarks, ClockName, marks_by_ticket, ticket_clocks
from routing.catalog import Catalog
from storage.models import Ticket
from storage.ports import Repositories


@dataclass
class ClockTally:
    """How many tickets met, breached or are still running one clock."""

    met: int = 0
    breached: int = 0
    running: int = 0

    @property
    def share(self) -> float | None:
        """Share of decided tickets within the clock (0..1), None when none is decided."""
        decided = self.met + self.breached
        return None if decided == 0 else self.met / decided

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: counts and the share in percent (two decimals)."""
        share = self.share
        return {"met": self.met, "breached": self.breached, "running": self.running,
                "within_pct": None if share is None else round(share * 100, 2)}


@dataclass
class ComplianceLine:
    """One unit in one period (``period`` None: the unit's total)."""

    unit_id: str
    period: str | None
    tickets: int = 0
    clocks: dict[ClockName, ClockTally] = field(
        default_factory=lambda: {name: ClockTally() for name in CLOCKS})


@dataclass(frozen=True)
class ComplianceReport:
    """Lines per unit and period, per unit, and overall."""

    filters: ReportFilter
    period: Period
    lines: Sequence[ComplianceLine]
    units: Sequence[ComplianceLine]
    overall: ComplianceLine
    unit_names: Mapping[str, str]
    generated_at: datetime


def build_compliance(tickets: Iterable[Ticket], marks: Mapping[int, ClockMarks],
                     catalog: Catalog, cfg: CaseSettings, flt: ReportFilter, period: Period,
                     now: datetime) -> ComplianceReport:
    """Tally each ticket's three clocks per unit and period, per unit and overall."""
    lines: dict[tuple[str, str], ComplianceLine] = {}
    units: dict[str, ComplianceLine] = {}
    overall = ComplianceLine("*", None)
    for ticket in tickets:
        key = period_key(ticket.created_at.astimezone(catalog.tzinfo), period)
        clocks = ticket_clocks(ticket, marks.get(ticket.id, ClockMarks()), catalog, cfg, now)
        targets = (lines.setdefault((ticket.unit_id, key), ComplianceLine(ticket.unit_id, key)),
                   units.setdefault(ticket.unit_id, ComplianceLine(ticket.unit_id, None)),
                   overall)
        for line in targets:
            line.tickets += 1
            for clock in clocks:
                tally = line.clocks[clock.name]
                setattr(tally, clock.state, getattr(tally, clock.state) + 1)
    names = {uid: catalog.unit(uid).name if catalog.has_unit(uid) else uid for uid in units}
    return ComplianceReport(flt, period, [lines[k] for k in sorted(lines)],
                            [units[k] for k in sorted(units)], overall, names, now)


async def compliance_report(repos: Repositories, catalog: Catalog, cfg: CaseSettings,
                            flt: ReportFilter, period: Period, now: datetime
                            ) -> ComplianceReport:
    """The report over the tickets the filter selects (filed on its local days)."""
    scope = flt.unit_scope(catalog)
    since, until = local_day_bounds(flt.date_from, flt.date_to, catalog.tzinfo)
    tickets = await repos.cases.filed_between(since, until, scope)
    events = await repos.cases.clock_events([t.id for t in tickets])
    return build_compliance(tickets, marks_by_ticket(events), catalog, cfg, flt, period, now)


def _line_dict(line: ComplianceLine, names: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"tickets": line.tickets,
                           "clocks": {k: v.as_dict() for k, v in line.clocks.items()}}
    if line.unit_id != "*":
        out = {"unit_id": line.unit_id, "unit": names.get(line.unit_id, line.unit_id), **out}
    if line.period is not None:
        out = {"period": line.period, **out}
    return out


def compliance_to_dict(report: ComplianceReport) -> dict[str, Any]:
    """The JSON of ``pintu report compliance --json`` and ``GET /api/reports/compliance``."""
    f = report.filters
    return {
        "filters": {"unit": f.unit_id, "from": f.date_from.isoformat() if f.date_from else None,
                    "to": f.date_to.isoformat() if f.date_to else None},
        "period": report.period,
        "clocks": list(CLOCKS),
        "generated_at": report.generated_at.isoformat(),
        "overall": _line_dict(report.overall, report.unit_names),
        "units": [_line_dict(u, report.unit_names) for u in report.units],
        "periods": [_line_dict(u, report.unit_names) for u in report.lines],
    }


CSV_COLUMNS: tuple[str, ...] = (
    "unit_id", "unit", "period", "tickets",
    *(f"{c}_{k}" for c in CLOCKS for k in ("met", "breached", "running", "within_pct")))


def compliance_csv(report: ComplianceReport) -> str:
    """One row per unit and period, then one per unit (period ``total``), then all units."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = [*report.lines, *report.units, report.overall]
    for line in rows:
        cells: list[Any] = [line.unit_id, report.unit_names.get(line.unit_id, ""),
                            line.period or "total", line.tickets]
        for name in CLOCKS:
            tally = line.clocks[name].as_dict()
            cells += [tally["met"], tally["breached"], tally["running"],
                      "" if tally["within_pct"] is None else f"{tally['within_pct']:.2f}"]
        writer.writerow(cells)
    return buf.getvalue()
