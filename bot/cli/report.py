"""``pintu report ikm``: the satisfaction index (IKM) from the stored survey answers."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.app.settings import Settings, load_settings
from bot.cli.common import align_rows, iso_day
from bot.core.i18n import IKM_TERMINAL, IKM_TERMINAL_COLUMNS

if TYPE_CHECKING:
    from bot.surveys.reports import IkmReport, ReportFilter
    from routing.catalog import Catalog


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {value!r}")
    return number


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu report``."""
    from bot.surveys.reports import PERIODS

    p = sub.add_parser("report", help="reports from the database")
    rsub = p.add_subparsers(dest="report_command", required=True)
    ikm = rsub.add_parser(
        "ikm", help="public satisfaction index (IKM, PermenPANRB 14/2017) from survey answers",
        description="The IKM per unit, period, channel and element, with respondents and the "
                    "Krejcie-Morgan minimum sample where the unit's population is known.")
    ikm.add_argument("--unit", metavar="ID", help="one unit (and the units below it)")
    ikm.add_argument("--only-unit", action="store_true",
                     help="with --unit: leave out the units below it")
    ikm.add_argument("--from", dest="date_from", type=iso_day, metavar="YYYY-MM-DD",
                     help="first day (inclusive, WIB)")
    ikm.add_argument("--to", dest="date_to", type=iso_day, metavar="YYYY-MM-DD",
                     help="last day (inclusive, WIB)")
    ikm.add_argument("--period", choices=PERIODS, default="month",
                     help="period of the over-time breakdown (default: month)")
    ikm.add_argument("--channel", help="only answers given on this channel")
    ikm.add_argument("--population", type=_positive, metavar="N",
                     help="service users in the period (for the minimum sample of the total)")
    ikm.add_argument("--lang", choices=("id", "en"), default="id", help="language of the output")
    ikm.add_argument("--json", action="store_true", help="print the report as JSON only")
    ikm.add_argument("--csv", metavar="FILE",
                     help="also write the total as a unit's SKM report (CSV)")
    ikm.set_defaults(func=run_ikm)
    from bot.cli.cases import register_reports

    register_reports(rsub)


def run_ikm(args: argparse.Namespace) -> int:
    """Print the IKM report (a table, or JSON with ``--json``)."""
    settings = load_settings(args.config)
    return ikm_command(settings, args, sys.stdout, sys.stderr)


def ikm_command(settings: Settings, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the report from the configured database and write it to ``out``."""
    from sqlalchemy.exc import DBAPIError

    from bot.surveys.reports import (
        ReportFilter,
        period_label,
        report_csv,
        report_to_dict,
        scope_label,
    )
    from routing.catalog import load_catalog

    if args.date_from and args.date_to and args.date_from > args.date_to:
        print("pintu: --from is after --to", file=err)
        return 2
    catalog = load_catalog(settings.catalog.path, extra_holidays=settings.catalog.holidays)
    if args.unit and not catalog.has_unit(args.unit):
        print(f"pintu: unknown unit {args.unit!r} (see the service catalog)", file=err)
        return 2
    flt = ReportFilter(unit_id=args.unit, include_descendants=not args.only_unit,
                       date_from=args.date_from, date_to=args.date_to, channel=args.channel)
    try:
        report = asyncio.run(_load(settings.database.url, catalog, flt, args))
    except DBAPIError as exc:
        print(f"pintu: cannot read survey answers ({type(exc.orig).__name__}); "
              "is the database migrated? Run: pintu db upgrade", file=err)
        return 1
    lang = args.lang
    if args.csv:
        Path(args.csv).write_text(report_csv(report, catalog, lang), encoding="utf-8")
    data = report_to_dict(report)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
        return 0
    print(f"IKM — {scope_label(report, catalog, lang)}, {period_label(report.filters, lang)}"
          + (f", {args.channel}" if args.channel else ""), file=out)
    print(format_table(data, lang), file=out)
    if args.csv:
        print(IKM_TERMINAL.text("csv_written", lang, path=args.csv), file=out)
    return 0


async def _load(url: str, catalog: Catalog, flt: ReportFilter,
                args: argparse.Namespace) -> IkmReport:
    from bot.surveys.reports import ikm_report
    from storage.db import create_engine, session_factory
    from storage.repositories import sql_repositories

    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            return await ikm_report(sql_repositories(session), catalog, flt, period=args.period,
                                    overall_population=args.population)
    finally:
        await engine.dispose()


def _cell(value: object, places: int | None = None) -> str:
    if value is None:
        return "-"
    if places is not None and isinstance(value, float):
        return f"{value:.{places}f}"
    return str(value)


def _sample(row: dict[str, object], lang: str) -> str:
    minimum = row.get("minimum_sample")
    if minimum is None:
        return "-"
    enough = "sample_ok" if row.get("sample_sufficient") else "sample_short"
    return f"{minimum} ({IKM_TERMINAL.raw(enough, lang)})"


def format_table(data: dict[str, object], lang: str = "id") -> str:
    """The JSON report as aligned plain-text tables."""
    h = IKM_TERMINAL.in_lang(lang)
    overall = data["overall"]
    assert isinstance(overall, dict)
    if not overall["respondents"]:
        return h["none"]
    units = data["units"]
    assert isinstance(units, list)
    rows = [[str(u["unit_name"]), _cell(u["ikm"], 4), _cell(u["converted"], 2),
             _cell(u["grade"]), str(u["respondents"]), _sample(u, lang)] for u in units]
    rows.append([h["total"], _cell(overall["ikm"], 4), _cell(overall["converted"], 2),
                 _cell(overall["grade"]), str(overall["respondents"]), _sample(overall, lang)])
    lines = align_rows([[h[key] for key in IKM_TERMINAL_COLUMNS], *rows])
    lines += ["", h["per_element"] + ":"]
    for e in overall["elements"]:
        name = e["name_id"] if lang == "id" else e["name_en"]
        lines.append(f"  {e['code']:<3} {name:<42} {h['nrr']} {_cell(e['nrr'], 4):>6}"
                     f"  ({e['answers']} {h['answers']})")
    for title, key, label in ((h["per_period"], "periods", "period"),
                              (h["per_channel"], "channels", "channel")):
        group = data[key]
        assert isinstance(group, list)
        lines += ["", title + ":"]
        lines += [f"  {g[label]:<12} IKM {_cell(g['ikm'], 4)}  {_cell(g['converted'], 2):>6} "
                  f"{_cell(g['grade'])}  ({g['respondents']})" for g in group]
    return "\n".join(lines)
