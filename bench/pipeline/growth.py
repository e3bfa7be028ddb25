"""Cost of growth: the officers' inbox and the IKM report from 10 thousand to 1 million
tickets (generated), on SQLite and PostgreSQL.

    python -m bench.pipeline.growth [--db sqlite|postgres] [--sizes 10000,100000,1000000]
                                    [--repeat 7] [--json] [--server-tree PATH]

For each size it fills a fresh database with generated tickets (spread over two years
and every unit of the catalog, 30% still open), surveys for a fifth of them with three
SKM answers each, then times the queries the console and API run, through the
application's own code: the inbox of one unit's officer (newest open first, 50 per
page), the same inbox filtered to overdue tickets, a text search, and the IKM report
of one unit for a quarter and of every unit for a year (read from the daily totals),
and the same year's tallies computed from every answer. Figures are medians of
``--repeat`` runs after one warm-up, on this process's single CPU.

The pipeline's throughput at a given size is measured by ``python -m bench.pipeline
--seed-tickets N``, which fills the database the same way before the load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

# The generators write only columns the first migration has, so any version can be filled.
_TICKETS_PG = """
INSERT INTO tickets (number, kind, citizen_id, channel, description, category, status,
                     unit_id, due_at, escalated, confidential, created_at, updated_at,
                     region_name)
SELECT 'GEN-' || (:start + g), 'complaint', CAST(:citizen AS integer),
       (ARRAY['whatsapp','telegram','rest','webchat'])[1 + g % 4],
       'laporan contoh nomor ' || (:start + g) || ' tentang jalan berlubang dan lampu mati',
       'infrastructure',
       (ARRAY['closed','closed','closed','closed','closed','closed','closed',
              'resolved','in_progress','routed'])[1 + g % 10],
       (CAST(:units AS text[]))[1 + (g * 7) % :nunits],
       now() - ((:total - (:start + g)) * (63072000.0 / :total) - 432000) * interval '1 second',
       false, false,
       now() - (:total - (:start + g)) * (63072000.0 / :total) * interval '1 second',
       now(), 'Kota Batu'
FROM generate_series(1, :count) AS g
"""
_TICKETS_SQLITE = """
WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < :count),
u(idx, id) AS (SELECT key, value FROM json_each(:units_json))
INSERT INTO tickets (number, kind, citizen_id, channel, description, category, status,
                     unit_id, due_at, escalated, confidential, created_at, updated_at,
                     region_name)
SELECT 'GEN-' || (:start + i), 'complaint', :citizen,
       json_extract('["whatsapp","telegram","rest","webchat"]', '$[' || (i % 4) || ']'),
       'laporan contoh nomor ' || (:start + i) || ' tentang jalan berlubang dan lampu mati',
       'infrastructure',
       json_extract('["closed","closed","closed","closed","closed","closed","closed",'
                    || '"resolved","in_progress","routed"]', '$[' || (i % 10) || ']'),
       u.id,
       strftime('%Y-%m-%d %H:%M:%f', 'now',
                '-' || CAST((:total - (:start + i)) * (63072000.0 / :total) - 432000 AS INTEGER)
                || ' seconds'),
       0, 0,
       strftime('%Y-%m-%d %H:%M:%f', 'now',
                '-' || CAST((:total - (:start + i)) * (63072000.0 / :total) AS INTEGER)
                || ' seconds'),
       strftime('%Y-%m-%d %H:%M:%f', 'now'), 'Kota Batu'
FROM g JOIN u ON u.idx = (i * 7) % :nunits
"""
_SURVEYS = """
INSERT INTO surveys (citizen_id, ticket_id, unit_id, channel, trigger, elements, status,
                     created_at, expires_at, completed_at)
SELECT citizen_id, id, unit_id, channel, 'ticket_resolved', '[]', 'answered',
       created_at, created_at, created_at
FROM tickets WHERE id % 5 = 0 AND id > :after
"""
_RESPONSES = """
INSERT INTO survey_responses (survey_id, citizen_id, unit_id, ticket_id, channel, element,
                              score, created_at)
SELECT s.id, s.citizen_id, s.unit_id, s.ticket_id, s.channel, e.element,
       1 + (s.id + e.n) % 4, s.created_at
FROM surveys s CROSS JOIN (SELECT 'completion_time' AS element, 1 AS n
                           UNION ALL SELECT 'conduct', 2
                           UNION ALL SELECT 'complaint_handling', 3) e
WHERE s.id > :after
"""


async def fill(engine: AsyncEngine, total: int, *, already: int = 0,
               chunk: int = 100_000) -> float:
    """Add generated tickets (and their surveys) until there are ``total``; seconds taken."""
    started = time.perf_counter()
    postgres = engine.dialect.name == "postgresql"
    async with engine.begin() as conn:
        units = list((await conn.execute(text("SELECT id FROM service_units ORDER BY id")))
                     .scalars())
        citizen = (await conn.execute(text("SELECT min(id) FROM citizens"))).scalar()
        if citizen is None:
            await conn.execute(text(
                "INSERT INTO citizens (display_name, language, created_at) "
                "VALUES ('Warga contoh', 'id', CURRENT_TIMESTAMP)"))
            citizen = (await conn.execute(text("SELECT min(id) FROM citizens"))).scalar()
        last_survey = (await conn.execute(text("SELECT coalesce(max(id), 0) FROM surveys"))
                       ).scalar() or 0
        last_ticket = (await conn.execute(text("SELECT coalesce(max(id), 0) FROM tickets"))
                       ).scalar() or 0
    start = already
    while start < total:
        count = min(chunk, total - start)
        params: dict[str, Any] = {"start": start, "count": count, "total": total,
                                  "citizen": citizen, "nunits": len(units)}
        async with engine.begin() as conn:
            if postgres:
                await conn.execute(text(_TICKETS_PG), {**params, "units": units})
            else:
                await conn.execute(text(_TICKETS_SQLITE),
                                   {**params, "units_json": json.dumps(units)})
        start += count
    async with engine.begin() as conn:
        await conn.execute(text(_SURVEYS), {"after": last_ticket})
        await conn.execute(text(_RESPONSES), {"after": last_survey})
        # The answers went around the ORM, so the IKM daily totals are recomputed as the
        # application would have kept them (where the schema has them: --server-tree).
        if await conn.run_sync(lambda c: inspect(c).has_table("survey_daily_totals")):
            from storage.repositories.survey_totals import rebuild_statements

            for stmt in rebuild_statements(engine.dialect.name):
                await conn.execute(stmt)
        await conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


async def _timed(fn: Any, repeat: int) -> dict[str, float]:
    await fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


async def measure(rt: Any, repeat: int) -> dict[str, Any]:
    """Time the inbox and IKM report queries through the application's code."""
    from bot.surveys.reports import ReportFilter, ikm_report
    from storage.models import OPEN_TICKET_STATUSES
    from storage.repositories.tickets import TicketFilter

    catalog = rt.catalog
    unit = "dinas-pupr-batu" if catalog.has_unit("dinas-pupr-batu") else catalog.units[0].id
    today = date.today()
    open_ = tuple(str(s) for s in OPEN_TICKET_STATUSES)

    async def inbox(**extra: Any) -> None:
        async with rt.sessions() as session:
            rows = await rt.repositories(session).inbox.search(
                TicketFilter(unit_ids=(unit,), statuses=open_, limit=50, **extra))
            assert rows is not None

    async def report(unit_id: str | None, days: int) -> None:
        async with rt.sessions() as session:
            await ikm_report(rt.repositories(session), catalog, ReportFilter(
                unit_id=unit_id, date_from=today - timedelta(days=days), date_to=today))

    async def from_answers(days: int) -> None:
        # The same year's tallies computed from every answer, as before the daily totals.
        from bot.surveys.reports import WIB, local_day_bounds
        from bot.surveys.skm import ELEMENTS

        since, until = local_day_bounds(today - timedelta(days=days), today)
        offset = WIB.utcoffset(None)
        assert offset is not None
        async with rt.sessions() as session:
            await rt.repositories(session).survey_report.answer_tallies(
                elements=tuple(e.key for e in ELEMENTS), period="month", offset=offset,
                since=since, until=until)

    return {
        "inbox_open_newest_50": await _timed(lambda: inbox(), repeat),
        "inbox_overdue": await _timed(lambda: inbox(overdue_only=True), repeat),
        "inbox_search": await _timed(lambda: inbox(search="lampu mati 1234"), repeat),
        "ikm_unit_quarter": await _timed(lambda: report(unit, 91), repeat),
        "ikm_all_year": await _timed(lambda: report(None, 365), repeat),
        "ikm_all_year_from_answers": await _timed(lambda: from_answers(365), repeat),
    }


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    from sqlalchemy.engine import make_url

    from bench.pipeline.harness import DEFAULT_PG, recreate_postgres
    from bot.app.build import build_runtime
    from bot.app.settings import load_settings

    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.db == "postgres":
        url = args.pg_url or DEFAULT_PG.replace("bench_pipeline", "bench_growth")
        if not args.measure_only:
            if make_url(url).database.startswith("bench_"):  # type: ignore[union-attr]
                await recreate_postgres(url)
            else:
                await _require_empty(url)
    else:
        import tempfile

        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='pintu-growth-')}/growth.db"
    settings = load_settings(env={"PINTU_DATABASE__URL": url,
                                  "PINTU_NLU__MODEL_DIR": args.model_dir})
    from bot.core.runtime import NluHolder

    rt = await build_runtime(settings, nlu=NluHolder(_NoNlu(), "none"))  # type: ignore[arg-type]
    out = []
    have = 0
    try:
        for size in sizes:
            # --measure-only: the database was filled to this size by an earlier run.
            seconds = 0.0 if args.measure_only else await fill(rt.engine, size, already=have)
            have = size
            async with rt.engine.connect() as conn:
                responses = (await conn.execute(text("SELECT count(*) FROM survey_responses"))
                             ).scalar()
            row = {"db": args.db, "tickets": size, "survey_answers": responses,
                   "fill_seconds": round(seconds, 1), **await measure(rt, args.repeat)}
            out.append(row)
            if not args.json:
                print(json.dumps(row), flush=True)
    finally:
        await rt.engine.dispose()
    return out


async def _require_empty(url: str) -> None:
    """Only ``bench_*`` databases are recreated; any other must be empty (no tables)."""
    from storage.db import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await engine.dispose()
    if tables:
        raise SystemExit(f"{url}: not a bench_* database and not empty; "
                         "give an empty one or a bench_* name (recreated)")


async def seed(url: str, tickets: int) -> float:
    """Fill a migrated database with ``tickets`` generated tickets (the harness's
    ``--seed-tickets``); the catalog's units are stored first, as a server would."""
    from bot.app.build import build_runtime
    from bot.app.settings import load_settings
    from bot.core.runtime import NluHolder

    settings = load_settings(env={"PINTU_DATABASE__URL": url})
    rt = await build_runtime(settings, nlu=NluHolder(_NoNlu(), "none"))  # type: ignore[arg-type]
    try:
        return await fill(rt.engine, tickets)
    finally:
        await rt.engine.dispose()


class _NoNlu:
    """The growth benchmark parses nothing."""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.pipeline.growth", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--pg-url", default=None,
                   help="a bench_* database (recreated) or an empty one")
    p.add_argument("--model-dir", default="/tmp/pintu-growth-models")
    p.add_argument("--json", action="store_true")
    p.add_argument("--measure-only", action="store_true",
                   help="PostgreSQL: measure the --pg-url database as an earlier run left it "
                        "(after migrating it), without recreating or filling it")
    args = p.parse_args(argv)
    rows = asyncio.run(run(args))
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print("\n| db | tickets | answers | inbox open | inbox overdue | inbox search | "
              "IKM unit quarter | IKM all year | IKM all year from answers |\n"
              "|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['db']} | {r['tickets']:,} | {r['survey_answers']:,} | "
                  f"{r['inbox_open_newest_50']['median_ms']} | {r['inbox_overdue']['median_ms']} | "
                  f"{r['inbox_search']['median_ms']} | {r['ikm_unit_quarter']['median_ms']} | "
                  f"{r['ikm_all_year']['median_ms']} | "
                  f"{r['ikm_all_year_from_answers']['median_ms']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
