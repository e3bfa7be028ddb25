"""The pipeline benchmark's conductor: database, model, servers, load generator, checks.

    python -m bench.pipeline [--db sqlite|postgres] [--workers N] [--duration S]
                             [--connections C] [--json] [--server-tree PATH] [--record]

Steps: describe the machine and its load; make a fresh database (SQLite file, or the
PostgreSQL database ``bench_pipeline``) and migrate it; load (train once, cached) the
NLU model; start the load generator (which also plays the WhatsApp and Telegram APIs)
pinned to the last CPU; start N server processes on one port (``SO_REUSEPORT``), pinned
to the other CPUs; let the load generator measure GET /healthz (the ceiling), warm up,
run the mix closed-loop for S seconds (the maximum sustained rate), then paced at half
that rate for S seconds (latency at half load), and wait for the outbox to drain; then
check in the database that every message was stored once, in order, and answered once.

``--server-tree`` runs the servers from another checkout (e.g. a ``git worktree`` of an
older commit) while the harness and load generator stay this one: that is how the
"before" figures are taken.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.pipeline import machine
from bench.pipeline.check import check_database

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_pipeline"
SECRETS = {"wa_app_secret": "bench-app-secret", "wa_phone_number_id": "109876543210",
           "tg_secret": "bench-tg-secret", "tg_token": "123456:BENCH-token",
           "wa_token": "EAAG-bench-token"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    p.add_argument("--duration", type=float, default=20.0, help="seconds per timed phase")
    p.add_argument("--connections", type=int, default=20, help="concurrent clients")
    p.add_argument("--citizens", type=int, default=0,
                   help="citizens in conversation at once (default: one per connection, so "
                        "the mix of first and later messages is the plans' from the start)")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    p.add_argument("--healthz-seconds", type=float, default=5.0)
    p.add_argument("--no-half", action="store_true", help="skip the half-rate phase")
    p.add_argument("--pg-url", default=os.environ.get("PINTU_BENCH_POSTGRES_URL", DEFAULT_PG),
                   help="PostgreSQL database to recreate and use (name must start bench_)")
    p.add_argument("--server-tree", default=str(ROOT),
                   help="checkout whose code the servers run (default: this one)")
    p.add_argument("--label", default="", help="a name for this run in the table")
    p.add_argument("--code", default="",
                   help="what code the servers ran (default: the server tree's git commit)")
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--seed-tickets", type=int, default=0,
                   help="fill the database with N generated tickets first (cost of growth)")
    p.add_argument("--no-pin", action="store_true", help="do not pin processes to CPUs")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--record", action="store_true",
                   help="append the result's row to bench/RESULTS.md")
    return p.parse_args(argv)


def git_commit(tree: Path) -> str:
    try:
        out = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", str(tree), "status", "--porcelain"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _section_of(env_key: str) -> str:
    """``PINTU_LIMITS__ADDRESS_PER_MINUTE`` -> ``limits``."""
    return env_key.removeprefix("PINTU_").split("__", 1)[0].lower()


def _settings_sections(tree: Path) -> set[str]:
    """The top-level sections of the server tree's ``config.yml``."""
    import yaml

    data = yaml.safe_load((tree / "config.yml").read_text(encoding="utf-8")) or {}
    return {str(k) for k in data}


def tree_env(tree: Path, extra: dict[str, str]) -> dict[str, str]:
    """An environment running ``tree``'s code, with this harness's bench package reachable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PINTU_")}
    env["PYTHONPATH"] = os.pathsep.join([str(tree), str(ROOT)])
    env.update({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    env.update(extra)
    return env


def run_in_tree(tree: Path, code: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-c", code], env=tree_env(tree, env), check=True,
                   cwd=str(tree))


async def recreate_postgres(url: str) -> None:
    """Drop and create the benchmark's PostgreSQL database (only ``bench_*`` names)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database or ""
    if not name.startswith("bench_"):
        raise SystemExit(f"refusing to recreate database {name!r}: its name must start bench_")
    conn = await asyncpg.connect(host=parsed.host or "127.0.0.1", port=parsed.port or 5432,
                                 user=parsed.username or "postgres",
                                 password=parsed.password, database="postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def wait_for_outbox(url: str, seconds: float) -> None:
    """Wait until no WhatsApp or Telegram reply is left pending or being sent."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            async with engine.connect() as conn:
                left = (await conn.execute(text(
                    "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending') "
                    "AND channel IN ('whatsapp', 'telegram')"))).scalar_one()
            if not left:
                return
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()


def model_dir_for(tree: Path) -> Path:
    """A cached model directory per server tree (training takes a while; parsing doesn't)."""
    key = hashlib.sha1(str(tree.resolve()).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"pintu-bench-models-{key}"


def pin_plan(workers: int, pin: bool) -> tuple[list[int] | None, list[int] | None]:
    """CPUs for the load generator and for the servers."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if not pin or len(cpus) < 2:
        return None, None
    return [cpus[-1]], cpus[:-1]


class Servers:
    """N server processes on one port: each has its own listening socket bound with
    ``SO_REUSEPORT``, so the kernel spreads new connections evenly over them (one
    shared socket would let whichever process wakes first take most connections)."""

    def __init__(self, tree: Path, env: dict[str, str], workers: int,
                 cpus: list[int] | None, run_dir: Path) -> None:
        self.socks: list[socket.socket] = []
        self.port = 0
        for _ in range(workers):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if workers > 1:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(("127.0.0.1", self.port))
            sock.listen(1024)
            self.port = sock.getsockname()[1]
            self.socks.append(sock)
        self.procs: list[subprocess.Popen[str]] = []
        self.stats_ports: list[int] = []
        self.tree, self.env, self.cpus, self.run_dir = tree, env, cpus, run_dir

    def start(self, timeout: float = 180) -> None:
        """Start the processes one after the other, each once the previous is serving
        (older code cannot start several at once on a fresh database)."""
        for i, sock in enumerate(self.socks):
            cmd = [sys.executable, "-m", "bench.pipeline.server", "--fd", str(sock.fileno())]
            if self.cpus:
                cmd += ["--cpus", ",".join(map(str, self.cpus))]
            log = open(self.run_dir / f"server-{i}.log", "w")  # noqa: SIM115 - closed with the run
            proc = subprocess.Popen(
                cmd, env=tree_env(self.tree, self.env), cwd=str(self.run_dir),
                pass_fds=[sock.fileno()], stdout=subprocess.PIPE, stderr=log, text=True)
            self.procs.append(proc)
            self._wait_ready(proc, time.monotonic() + timeout)

    def _wait_ready(self, proc: subprocess.Popen[str], deadline: float) -> None:
        assert proc.stdout is not None
        while True:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("a server process did not start (see server-*.log)")
            line = proc.stdout.readline()
            if line.startswith("READY"):
                self.stats_ports.append(int(line.split()[2]))
                return

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for sock in self.socks:
            sock.close()


def summarise(args: argparse.Namespace, load: dict[str, Any], check: dict[str, Any],
              procs: dict[str, Any], env_info: dict[str, Any]) -> dict[str, Any]:
    """The figures of the run (the row of the table and everything behind it)."""
    before = load["server_window"]["before"]
    after = load["server_window"]["after"]
    messages = load["max"]["messages"]
    window = load["max"]["seconds"]

    def total(key: str, snaps: list[dict[str, Any]], routes: tuple[str, ...] | None = None
              ) -> int:
        return sum(v for s in snaps for r, v in s[key].items()
                   if routes is None or r in routes)

    channels = ("rest", "whatsapp", "telegram")
    statements = total("statements", after) - total("statements", before)
    turn_statements = (total("statements", after, channels)
                       - total("statements", before, channels))
    transactions = total("transactions", after) - total("transactions", before)
    opened = (total("connections_opened", after) - total("connections_opened", before)
              if all("connections_opened" in x for x in after + before) else None)
    kinds: dict[str, int] = {}
    for a, b in zip(after, before, strict=True):
        for k, v in a["statement_kinds"].items():
            kinds[k] = kinds.get(k, 0) + v - b["statement_kinds"].get(k, 0)
    per_process = []
    for a, b in zip(after, before, strict=True):
        cpu = (a["cpu_user"] + a["cpu_system"]) - (b["cpu_user"] + b["cpu_system"])
        per_process.append({"pid": a["pid"], "cpu_share": round(cpu / window, 3),
                            "peak_rss_mb": round(a["max_rss_kb"] / 1024, 1)})
    healthz = load["healthz"]["per_second"]
    rate = load["max"]["per_second"]
    per = (lambda n: round(n / messages, 2)) if messages else (lambda n: None)
    return {
        "label": args.label or (f"{args.db} x{args.workers}" + (
            f" +{args.seed_tickets:,} tickets" if args.seed_tickets else "")),
        "seed_tickets": args.seed_tickets,
        "db": args.db, "workers": args.workers, "connections": args.connections,
        "duration": args.duration, **env_info,
        "messages_per_second": rate, "latency_ms": load["max"]["latency_ms"],
        "half_rate": load.get("half"), "healthz_per_second": healthz,
        "healthz_latency_ms": load["healthz"]["latency_ms"],
        "ratio_to_ceiling": round(rate / healthz, 3) if healthz else None,
        "statements_per_message": per(statements),
        "turn_statements_per_message": per(turn_statements),
        "transactions_per_message": per(transactions),
        "connections_opened_in_window": opened,
        "statement_kinds_per_message": {k: per(v) for k, v in sorted(kinds.items()) if v},
        "servers": per_process, "processes": procs,
        "delivery_latency_ms": load["delivery_latency_ms"],
        "drain_seconds": load["drain_seconds"], "errors": load["max"]["errors"],
        "by_channel": load["max"]["by_channel"], "citizens": load["citizens"],
        "check": check,
    }


def table_row(r: dict[str, Any]) -> str:
    lat = r["latency_ms"]
    half = r.get("half_rate") or {}
    hl = half.get("latency_ms", {}) if half else {}
    cpu = " / ".join(f"{s['cpu_share'] * 100:.0f}%" for s in r["servers"])
    mem = " / ".join(f"{s['peak_rss_mb']:.0f}" for s in r["servers"])
    ok = "yes" if r["check"]["ok"] else "NO"
    load = f"{r['loadavg_before'][0]:.2f}->{r['loadavg_after'][0]:.2f}"
    return (f"| {r['label']} | {r['code']} | {r['messages_per_second']} | {lat['p50']} / "
            f"{lat['p95']} / {lat['p99']} | {half.get('per_second', '-')} : {hl.get('p99', '-')} "
            f"| {r['healthz_per_second']} | {r['ratio_to_ceiling']} | "
            f"{r['statements_per_message']} | {r['transactions_per_message']} | {cpu} | {mem} | "
            f"{ok} | {load} ({r['other_cpu_share'] * 100:.0f}% other) |")


TABLE_HEAD = (
    "| run | code | msg/s | p50 / p95 / p99 ms | half rate msg/s : p99 ms | healthz/s | "
    "ratio | stmts/msg | tx/msg | server CPU | peak MB | once+order | load 1m (other CPU) |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def run(args: argparse.Namespace) -> dict[str, Any]:
    tree = Path(args.server_tree).resolve()
    run_dir = Path(tempfile.mkdtemp(prefix="pintu-bench-"))
    citizens = max(args.citizens or args.connections, args.connections)
    if args.db == "sqlite":
        db_url = f"sqlite+aiosqlite:///{run_dir / 'bench.db'}"
    else:
        db_url = args.pg_url
        asyncio.run(recreate_postgres(db_url))
    models = model_dir_for(tree)
    run_in_tree(tree, "import sys; from nlu.model_store import load_or_train_default; "
                f"load_or_train_default({str(models)!r})", {})
    run_in_tree(tree, f"from storage.db import upgrade; upgrade({db_url!r})", {})
    if args.seed_tickets:
        run_in_tree(tree, "import asyncio; from bench.pipeline.growth import seed; "
                    f"print('seeded', asyncio.run(seed({db_url!r}, {args.seed_tickets})))", {})
    load_cpus, server_cpus = pin_plan(args.workers, not args.no_pin)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        provider_port = s.getsockname()[1]
    providers = f"http://127.0.0.1:{provider_port}"
    env = {
        "PINTU_DATABASE__URL": db_url, "PINTU_NLU__MODEL_DIR": str(models),
        "PINTU_SERVER__WORKERS": "true",
        "PINTU_TELEGRAM__TOKEN": SECRETS["tg_token"],
        "PINTU_TELEGRAM__SECRET": SECRETS["tg_secret"],
        "PINTU_TELEGRAM__API_URL": f"{providers}/tg",
        "PINTU_WHATSAPP__TOKEN": SECRETS["wa_token"],
        "PINTU_WHATSAPP__APP_SECRET": SECRETS["wa_app_secret"],
        "PINTU_WHATSAPP__API_URL": f"{providers}/graph/v21.0",
        "PINTU_WHATSAPP__PHONE_NUMBER_ID": SECRETS["wa_phone_number_id"],
        "PINTU_CONSOLE__SESSION_SECRET": "bench-session-secret-0123456789abcdef",
        # The whole load comes from one loopback address, where a deployment's citizens
        # come from many: the per-address limit would answer nearly every request 429.
        "PINTU_LIMITS__ADDRESS_PER_MINUTE": "0",
        # The load generator plays citizens who already consented to the privacy notice.
        "PINTU_PRIVACY__NOTICE": "false",
    }
    # An older server tree (the "before" runs) refuses settings of sections it does not
    # have yet (no rate limits, no privacy notice then: nothing to switch off).
    env = {k: v for k, v in env.items() if _section_of(k) in _settings_sections(tree)}
    run_tag = str(int(time.time()) % 1000).zfill(3)
    spec = {"connections": args.connections, "duration": args.duration,
            "warmup_seconds": args.warmup, "healthz_seconds": args.healthz_seconds,
            "citizens": citizens, "seed": args.seed, "run_tag": run_tag,
            "half_rate": not args.no_half, "provider_port": provider_port,
            "ready_file": str(run_dir / "load.ready"), "go_file": str(run_dir / "load.go"),
            "phases_done_file": str(run_dir / "load.phases"),
            "drained_file": str(run_dir / "load.drained"),
            "cpus": load_cpus, **SECRETS}
    loadavg_before = machine.loadavg()
    servers = Servers(tree, env, args.workers, server_cpus, run_dir)
    spec["base_url"] = f"http://127.0.0.1:{servers.port}"
    (run_dir / "spec.json").write_text(json.dumps(spec))
    load_proc = subprocess.Popen(
        [sys.executable, "-m", "bench.pipeline.load", str(run_dir / "spec.json"),
         str(run_dir / "load.json")], env=tree_env(ROOT, {}), cwd=str(run_dir))
    pg_pids = machine.pids_named("postgres") if args.db == "postgres" else []
    try:
        servers.start()
        while not (run_dir / "load.ready").exists():
            if load_proc.poll() is not None:
                raise SystemExit("the load generator failed to start")
            time.sleep(0.05)
        spec["stats_ports"] = servers.stats_ports
        (run_dir / "spec.json").write_text(json.dumps(spec))
        cpu0, t0 = machine.cpu_times(), time.monotonic()
        own0 = {p.pid: machine.process_cpu(p.pid) for p in servers.procs}
        load0 = machine.process_cpu(load_proc.pid)
        pg0 = {p: machine.process_cpu(p) for p in pg_pids}
        (run_dir / "load.go").write_text("go")
        while not (run_dir / "load.phases").exists():
            if load_proc.poll() is not None:
                raise SystemExit("the load generator failed")
            time.sleep(0.1)
        cpu1, elapsed = machine.cpu_times(), time.monotonic() - t0
        own1 = {p.pid: machine.process_cpu(p.pid) for p in servers.procs}
        # Backends started during the run count from zero (all of the server's processes:
        # other users of a shared PostgreSQL are included).
        pg_cpu = (sum(machine.process_cpu(p) - pg0.get(p, 0.0)
                      for p in machine.pids_named("postgres")) if pg_pids else 0.0)
        asyncio.run(wait_for_outbox(db_url, seconds=180))
        (run_dir / "load.drained").write_text("drained")
        if load_proc.wait() != 0:
            raise SystemExit("the load generator failed")
        peaks = {p.pid: machine.peak_rss_mb(p.pid) for p in servers.procs}
    finally:
        servers.stop()
        if load_proc.poll() is None:
            load_proc.kill()
    load = json.loads((run_dir / "load.json").read_text())
    check = asyncio.run(check_database(db_url, load["sent"], load["received"]))
    ncpu = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    load_cpu = load["cpu_seconds"] - load0  # what it used from go to the end of the phases
    ours = sum(own1[p] - own0[p] for p in own0) + pg_cpu + load_cpu
    busy = machine.busy_share(cpu0, cpu1)
    procs = {
        "load_generator_cpu_share": round(load_cpu / elapsed, 3),
        "servers_cpu_share_whole_run": [round((own1[p.pid] - own0[p.pid]) / elapsed, 3)
                                        for p in servers.procs],
        "servers_peak_rss_mb": [peaks[p.pid] for p in servers.procs],
        "postgres_cpu_share": round(pg_cpu / elapsed, 3) if pg_pids else None,
        "pinning": {"load_generator": load_cpus, "servers": server_cpus},
    }
    env_info = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "code": args.code or git_commit(tree), "machine": machine.describe(),
        "loadavg_before": loadavg_before, "loadavg_after": machine.loadavg(),
        "machine_busy_share": busy,
        "other_cpu_share": round(max(0.0, busy - ours / elapsed / ncpu), 3),
    }
    result = summarise(args, load, check, procs, env_info)
    if not os.environ.get("PINTU_BENCH_KEEP"):
        shutil.rmtree(run_dir, ignore_errors=True)
    return result


def print_report(r: dict[str, Any]) -> None:
    m = r["machine"]
    print(f"Pintu pipeline benchmark — {r['date']}, code {r['code']}")
    print(f"machine: {m['cpu']}, {m['cpus']} CPUs, {m['memory_gb']} GB, Python {m['python']}")
    print(f"load average (1/5/15 min) before {r['loadavg_before']}, after {r['loadavg_after']};"
          f" machine busy {r['machine_busy_share'] * 100:.0f}%, of which other processes "
          f"{r['other_cpu_share'] * 100:.0f}% of all CPUs")
    print(f"pinning: {r['processes']['pinning']}")
    print(TABLE_HEAD)
    print(table_row(r))
    lat = r["latency_ms"]
    print(f"\nmax rate: {r['messages_per_second']} msg/s over {r['duration']} s, "
          f"{r['connections']} connections; latency p50 {lat['p50']} p95 {lat['p95']} "
          f"p99 {lat['p99']} ms; by channel {r['by_channel']}; errors {r['errors']}")
    if r["half_rate"]:
        h = r["half_rate"]
        print(f"half rate: target {h['target_rate']}/s, got {h['per_second']}/s; "
              f"latency {h['latency_ms']}")
    print(f"ceiling GET /healthz: {r['healthz_per_second']}/s ({r['healthz_latency_ms']}); "
          f"pipeline/ceiling {r['ratio_to_ceiling']}")
    print(f"statements per message: {r['statements_per_message']} (in the webhook turns "
          f"{r['turn_statements_per_message']}, rest background: outbox, sweeps); "
          f"transactions {r['transactions_per_message']}; kinds "
          f"{r['statement_kinds_per_message']}")
    print(f"servers: {r['servers']}; {r['processes']}")
    print(f"delivery to WhatsApp/Telegram after the request: {r['delivery_latency_ms']}, "
          f"outbox drained {r['drain_seconds']} s after the load")
    c = r["check"]
    print(f"check: {'OK' if c['ok'] else 'FAILED'} — {c['summary']}")
    for problem in c["problems"][:10]:
        print(f"  - {problem}")


def record(r: dict[str, Any]) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Pipeline benchmark results\n"
    marker = "## Runs (appended by `python -m bench.pipeline --record`)"
    if marker not in text:
        text += f"\n{marker}\n"
    m = r["machine"]
    row = (f"\n### {r['label']} — {r['date']}\n\n{m['cpu']}, {m['cpus']} CPUs; load "
           f"{r['loadavg_before']} -> {r['loadavg_after']}\n\n{TABLE_HEAD}\n{table_row(r)}\n")
    path.write_text(text + row)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    if args.record:
        record(result)
    return 0 if result["check"]["ok"] else 1
