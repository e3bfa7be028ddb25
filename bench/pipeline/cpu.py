"""CPU cost of a message, measured in process (not a test; usable on a loaded machine).

    python -m bench.pipeline.cpu [--db sqlite|postgres] [--messages N] [--profile FILE]

Builds the same app as ``pintu serve`` (no background workers), then pushes the
realistic mix of :mod:`bench.pipeline.mix` (REST, signed WhatsApp and Telegram
webhooks) through it with httpx's ASGI transport, one message at a time, and
reports CPU milliseconds per message (``time.process_time``, which other
processes on the machine do not inflate, unlike wall time) and statements per
message, beside the CPU of as many ``GET /healthz`` (the driver's and the framework's
floor, included in both figures). The first messages warm up the process and are not counted.
With ``--profile FILE`` a cProfile of the measured messages is written to FILE, or
with ``FILE.txt`` a pyinstrument report (needs ``pip install pyinstrument``); with
``--sample FILE`` a stack-sampling breakdown by layer (:mod:`bench.pipeline.sampler`).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.pipeline.mix import Citizen, Payloads, Population

SECRETS = {"tg_token": "123:cpu", "tg_secret": "cpu-tg-secret", "wa_token": "cpu-wa",
           "wa_app_secret": "cpu-wa-secret", "wa_phone_number_id": "1000000001"}
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_cpu"


def _env(db_url: str, models: Path) -> dict[str, str]:
    return {
        "PINTU_DATABASE__URL": db_url, "PINTU_NLU__MODEL_DIR": str(models),
        "PINTU_SERVER__WORKERS": "false",
        "PINTU_TELEGRAM__TOKEN": SECRETS["tg_token"],
        "PINTU_TELEGRAM__SECRET": SECRETS["tg_secret"],
        "PINTU_TELEGRAM__API_URL": "http://127.0.0.1:9/tg",
        "PINTU_WHATSAPP__TOKEN": SECRETS["wa_token"],
        "PINTU_WHATSAPP__APP_SECRET": SECRETS["wa_app_secret"],
        "PINTU_WHATSAPP__API_URL": "http://127.0.0.1:9/graph/v21.0",
        "PINTU_WHATSAPP__PHONE_NUMBER_ID": SECRETS["wa_phone_number_id"],
        "PINTU_CONSOLE__SESSION_SECRET": "cpu-session-secret-0123456789abcdef",
        # The whole load comes from one loopback address, where a deployment's citizens
        # come from many: the per-address limit would answer nearly every request 429.
        "PINTU_LIMITS__ADDRESS_PER_MINUTE": "0",
        # The load generator plays citizens who already consented to the privacy notice.
        "PINTU_PRIVACY__NOTICE": "false",
    }


async def _reset_postgres(url: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    admin = await asyncpg.connect(host=u.host, port=u.port or 5432, user=u.username,
                                  database="postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{u.database}"')
    finally:
        await admin.close()


async def run(db: str, messages: int, warmup: int, profile: str | None,
              pg_url: str, sample: str | None = None) -> dict[str, Any]:
    """Push the mix through the app; CPU and statements per measured message."""
    import httpx
    from sqlalchemy import event

    from bot.app.factory import create_app
    from bot.app.settings import load_settings
    from nlu.model_store import load_or_train_default
    from storage.db import upgrade

    tmp = Path(tempfile.mkdtemp(prefix="pintu-cpu-"))
    models = tmp / "models"
    load_or_train_default(models)
    if db == "postgres":
        await _reset_postgres(pg_url)
        db_url = pg_url
    else:
        db_url = f"sqlite+aiosqlite:///{tmp / 'pintu.db'}"
    await asyncio.to_thread(upgrade, db_url)
    os.environ.update(_env(db_url, models))
    os.chdir(tmp)
    app = create_app(load_settings())
    population = Population(seed=14, run_tag="777")
    payloads = Payloads(SECRETS["wa_app_secret"], SECRETS["wa_phone_number_id"],
                        SECRETS["tg_secret"])
    citizens: list[Citizen] = []
    seen: list[str] = []
    routes: Counter[str] = Counter()
    async with app.router.lifespan_context(app):
        rt = app.state.runtime

        timings: dict[str, list[float]] = {}

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            seen.append(statement.split(None, 1)[0].upper())
            conn.info["pintu_bench_t0"] = time.perf_counter()

        def timed(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            took = time.perf_counter() - conn.info.pop("pintu_bench_t0", time.perf_counter())
            timings.setdefault(" ".join(statement.split())[:90], []).append(took)

        event.listen(rt.engine.sync_engine, "before_cursor_execute", record)
        event.listen(rt.engine.sync_engine, "after_cursor_execute", timed)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pintu") as client:

            async def one() -> str:
                while len(citizens) < 8:
                    citizens.append(population.new_citizen())
                c = citizens[payloads.counter % len(citizens)]
                path, body, headers, _ = payloads.build(c, c.lines[c.sent])
                c.sent += 1
                if c.sent >= len(c.lines):
                    citizens.remove(c)
                r = await client.post(path, content=body, headers=headers)
                if r.status_code != 200:
                    raise SystemExit(f"{path}: {r.status_code} {r.text[:300]}")
                return path

            for _ in range(warmup):
                await one()
            seen.clear()
            timings.clear()
            prof = cProfile.Profile() if profile and not profile.endswith(".txt") else None
            sampler: Any = None
            if profile and prof is None:
                from pyinstrument import Profiler

                sampler = Profiler(interval=0.0005, async_mode="enabled")
                sampler.start()
            stacks: Any = None
            if sample:
                from bench.pipeline.sampler import Sampler

                stacks = Sampler()
                stacks.start()
            cpu0, wall0 = time.process_time(), time.perf_counter()
            if prof:
                prof.enable()
            for _ in range(messages):
                routes[await one()] += 1
            if prof:
                prof.disable()
                prof.dump_stats(profile)
            if sampler is not None:
                sampler.stop()
                report = sampler.output_text(show_all=os.environ.get("PINTU_PROFILE_ALL") == "1")
                await asyncio.to_thread(Path(profile or "").write_text, report)
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
            if stacks is not None:
                stacks.stop()
                await asyncio.to_thread(Path(sample or "").write_text, stacks.report())
            kinds, statements = Counter(seen), len(seen)  # before the /healthz requests
            slowest = sorted(timings.items(), key=lambda kv: -sum(kv[1]))[:12]
            # The floor: what the driver and the framework cost for a request that does nothing.
            health0 = time.process_time()
            for _ in range(messages):
                (await client.get("/healthz")).raise_for_status()
            health = time.process_time() - health0
    return {"db": db, "messages": messages, "cpu_ms_per_message": round(cpu * 1000 / messages, 2),
            "wall_ms_per_message": round(wall * 1000 / messages, 2),
            "cpu_ms_per_healthz": round(health * 1000 / messages, 2),
            "statements_per_message": round(statements / messages, 2),
            "statement_kinds": {k: round(v / messages, 2) for k, v in kinds.most_common()},
            "routes": dict(routes),
            # Wall time from the driver's call to its answer, per statement shape (the
            # statement's own cost in the database, plus the hand-off when there is one).
            "statement_ms_per_message": {
                sql: (f"{sum(ts) * 1000 / messages:.3f} "
                      f"({len(ts)}x, {sum(ts) * 1000 / len(ts):.3f} each)")
                for sql, ts in slowest}}


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--messages", type=int, default=400)
    p.add_argument("--warmup", type=int, default=60)
    p.add_argument("--profile", help="write a cProfile of the measured messages here")
    p.add_argument("--sample", help="write a by-layer stack-sampling report here")
    p.add_argument("--pg-url", default=os.environ.get("PINTU_BENCH_POSTGRES_URL", DEFAULT_PG))
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = asyncio.run(run(args.db, args.messages, args.warmup, args.profile, args.pg_url,
                                 args.sample))
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:24} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
