"""``pintu report compliance`` and ``pintu report lapor``: the case-handling reports."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from bot.app.settings import Settings, load_settings
from bot.cli.common import align_rows, iso_day
from bot.core.i18n import CASES

if TYPE_CHECKING:
    from bot.cases.compliance import ComplianceReport
    from bot.cases.lapor_export import LaporExport
    from bot.surveys.reports import ReportFilter
    from routing.catalog import Catalog


def register_reports(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu report compliance`` (and the SP4N-LAPOR! export) to ``pintu report``."""
    from bot.surveys.reports import PERIODS

    p = rsub.add_parser(
        "compliance", help="share of tickets within each clock (verification, first "
                           "follow-up, resolution), per unit and period",
        description="Per unit and period a ticket was filed in: how many tickets met, "
                    "breached or are still running each of the three SP4N-LAPOR! clocks.")
    p.add_argument("--unit", metavar="ID", help="one unit (and the units below it)")
    p.add_argument("--only-unit", action="store_true", help="with --unit: not the units below")
    p.add_argument("--from", dest="date_from", type=iso_day, metavar="YYYY-MM-DD",
                   help="first day filed (inclusive, local time)")
    p.add_argument("--to", dest="date_to", type=iso_day, metavar="YYYY-MM-DD",
                   help="last day filed (inclusive, local time)")
    p.add_argument("--period", choices=PERIODS, default="month", help="default: month")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="language of the table")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(func=run_compliance)
    register_lapor(rsub)


def run_compliance(args: argparse.Namespace) -> int:
    """Print the compliance report."""
    return compliance_command(load_settings(args.config), args, sys.stdout, sys.stderr)


def _catalog_and_filter(settings: Settings, args: argparse.Namespace,
                        err: TextIO) -> tuple[Catalog, ReportFilter] | None:
    from bot.surveys.reports import ReportFilter
    from routing.catalog import load_catalog

    if args.date_from and args.date_to and args.date_from > args.date_to:
        print("pintu: --from is after --to", file=err)
        return None
    catalog = load_catalog(settings.catalog.path, extra_holidays=settings.catalog.holidays)
    if args.unit and not catalog.has_unit(args.unit):
        print(f"pintu: unknown unit {args.unit!r} (see the service catalog)", file=err)
        return None
    flt = ReportFilter(unit_id=args.unit,
                       include_descendants=not getattr(args, "only_unit", False),
                       date_from=args.date_from, date_to=args.date_to)
    return catalog, flt


def compliance_command(settings: Settings, args: argparse.Namespace, out: TextIO,
                       err: TextIO) -> int:
    """Build the compliance report from the configured database and write it to ``out``."""
    from sqlalchemy.exc import DBAPIError

    from bot.cases.compliance import compliance_csv, compliance_to_dict

    found = _catalog_and_filter(settings, args, err)
    if found is None:
        return 2
    catalog, flt = found
    try:
        report = asyncio.run(_load_compliance(settings, catalog, flt, args.period))
    except DBAPIError as exc:
        print(f"pintu: cannot read tickets ({type(exc.orig).__name__}); "
              "is the database migrated? Run: pintu db upgrade", file=err)
        return 1
    if args.csv:
        out.write(compliance_csv(report))
    elif args.json:
        print(json.dumps(compliance_to_dict(report), ensure_ascii=False, indent=2), file=out)
    else:
        print(format_compliance(compliance_to_dict(report), args.lang), file=out)
    return 0


async def _load_compliance(settings: Settings, catalog: Catalog, flt: ReportFilter,
                           period: Any) -> ComplianceReport:
    from bot.cases.compliance import compliance_report
    from storage.db import create_engine, session_factory
    from storage.models import utcnow
    from storage.repositories import sql_repositories

    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session:
            return await compliance_report(sql_repositories(session), catalog, settings.cases,
                                           flt, period, utcnow())
    finally:
        await engine.dispose()


def _pct(tally: dict[str, Any]) -> str:
    pct = tally["within_pct"]
    decided = tally["met"] + tally["breached"]
    return "-" if pct is None else f"{pct:.1f}% ({tally['met']}/{decided})"


def format_compliance(data: dict[str, Any], lang: str = "id") -> str:
    """The JSON report as an aligned plain-text table."""
    h = CASES.in_lang(lang)
    if not data["overall"]["tickets"]:
        return h["none"]
    head = [h["unit"], h["period"], h["tickets"],
            *(f"{h['clock_' + c]} ({h['within']})" for c in data["clocks"])]

    def row(line: dict[str, Any], name: str, period: str) -> list[str]:
        return [name, period, str(line["tickets"]),
                *(_pct(line["clocks"][c]) for c in data["clocks"])]

    rows = [row(u, u["unit"], u["period"]) for u in data["periods"]]
    rows += [row(u, u["unit"], "*") for u in data["units"]]
    rows.append(row(data["overall"], h["total"], "*"))
    return "\n".join(align_rows([head, *rows]))


def register_lapor(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu report lapor``."""
    p = rsub.add_parser(
        "lapor", help="tickets in SP4N-LAPOR!'s export layout (CSV or XLSX 'Laporan Ringkas')",
        description="Tickets filed in the period, in the column layout of SP4N-LAPOR!'s admin "
                    "exports. Confidential tickets are typed Rahasia; anonymous and "
                    "confidential ones carry no reporter name and have personal data masked.")
    p.add_argument("--from", dest="date_from", type=iso_day, metavar="YYYY-MM-DD",
                   required=True, help="first day filed (inclusive, local time)")
    p.add_argument("--to", dest="date_to", type=iso_day, metavar="YYYY-MM-DD", required=True,
                   help="last day filed (inclusive, local time)")
    p.add_argument("--unit", metavar="ID", help="one unit (and the units below it)")
    p.add_argument("--manager", default="Pintu", help="the header block's 'Pengelola'")
    fmt = p.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--csv", metavar="FILE", help="write the CSV shape ('-': standard output)")
    fmt.add_argument("--xlsx", metavar="FILE", help="write the XLSX 'Laporan Ringkas'")
    p.set_defaults(func=run_lapor)


def run_lapor(args: argparse.Namespace) -> int:
    """Write the SP4N-LAPOR! export."""
    return lapor_command(load_settings(args.config), args, sys.stdout, sys.stderr)


def lapor_command(settings: Settings, args: argparse.Namespace, out: TextIO,
                  err: TextIO) -> int:
    """Build the export from the configured database and write the file."""
    from pathlib import Path

    from sqlalchemy.exc import DBAPIError

    from bot.cases.lapor_export import export_csv, export_xlsx

    found = _catalog_and_filter(settings, args, err)
    if found is None:
        return 2
    catalog, flt = found
    try:
        export = asyncio.run(_load_lapor(settings, catalog, flt))
    except DBAPIError as exc:
        print(f"pintu: cannot read tickets ({type(exc.orig).__name__}); "
              "is the database migrated? Run: pintu db upgrade", file=err)
        return 1
    if args.csv == "-":
        out.write(export_csv(export))
        return 0
    try:
        if args.csv:
            Path(args.csv).write_text(export_csv(export), encoding="utf-8", newline="")
        else:
            Path(args.xlsx).write_bytes(export_xlsx(export, args.manager))
    except OSError as exc:
        print(f"pintu: cannot write {args.csv or args.xlsx}: {exc.strerror}", file=err)
        return 1
    print(CASES.text("lapor_written", "id", count=len(export.rows),
                     path=args.csv or args.xlsx), file=out)
    return 0


async def _load_lapor(settings: Settings, catalog: Catalog, flt: ReportFilter) -> LaporExport:
    from bot.cases.lapor_export import lapor_export
    from storage.db import create_engine, session_factory
    from storage.models import utcnow
    from storage.repositories import sql_repositories

    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session:
            return await lapor_export(sql_repositories(session), catalog, flt, utcnow())
    finally:
        await engine.dispose()
