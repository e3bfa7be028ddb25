"""The load generator process: fake provider APIs, the /healthz ceiling and the message mix.

Run by the harness (``python -m bench.pipeline.load SPEC OUT``), pinned to its own CPU
where there are two or more. Everything it measures comes from outside the server: the
time from sending a request to its answer (a webhook is answered after its turn
committed, the replies stored in the outbox; a REST request carries them in its
answer), and, for WhatsApp and Telegram, the time until the fake provider API received
the reply the outbox worker sent.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import sys
import time
from collections import Counter, defaultdict, deque
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.pipeline.mix import Citizen, Payloads, Population

TICKET_RE = re.compile(r"\b[A-Z]{2,10}-\d{4}-\d{6}\b")


class FakeProviders:
    """WhatsApp Graph API and Telegram Bot API, answering like the providers and
    recording what arrived for whom and when."""

    def __init__(self, tg_token: str) -> None:
        self.tg_token = tg_token
        self.received: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self.next_id = 1000

    async def graph(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.next_id += 1
        to = str(data.get("to", ""))
        text = (data.get("text") or {}).get("body") or json.dumps(data.get("interactive"))[:80]
        self.received["whatsapp:" + to].append((time.monotonic(), text))
        return web.json_response({"messaging_product": "whatsapp",
                                  "contacts": [{"input": to, "wa_id": to}],
                                  "messages": [{"id": f"wamid.out{self.next_id}"}]})

    async def bot_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update(dict(await request.post()))
        if method == "getMe":
            return web.json_response({"ok": True, "result": {
                "id": 4242, "is_bot": True, "first_name": "Pintu", "username": "pintu_bot"}})
        if not method.startswith("send"):
            return web.json_response({"ok": True, "result": True})
        self.next_id += 1
        chat = str(params.get("chat_id", "0"))
        self.received["telegram:" + chat].append((time.monotonic(), str(params.get("text", ""))))
        return web.json_response({"ok": True, "result": {
            "message_id": self.next_id, "date": int(time.time()),
            "chat": {"id": int(chat), "type": "private"}, "text": params.get("text", "")}})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/graph/{version}/{phone}/messages", self.graph)
        app.router.add_route("*", "/tg/bot{token}/{method}", self.bot_api)
        return app

    def total(self) -> int:
        return sum(len(v) for v in self.received.values())


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50/p95/p99/max in milliseconds."""
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    s = sorted(values)

    def at(q: float) -> float:
        return round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 1)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(s[-1] * 1000, 1)}


class Phase:
    """What one timed phase measured."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.by_channel: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.started = 0.0
        self.ended = 0.0

    def summary(self) -> dict[str, Any]:
        seconds = max(1e-9, self.ended - self.started)
        ok = len(self.latencies)
        return {"seconds": round(seconds, 2), "messages": ok,
                "per_second": round(ok / seconds, 1), "latency_ms": percentiles(self.latencies),
                "by_channel": dict(self.by_channel), "errors": dict(self.errors)}


class LoadGenerator:
    """Drives the server with the mix from ``connections`` concurrent clients."""

    def __init__(self, spec: dict[str, Any], providers: FakeProviders) -> None:
        self.spec = spec
        self.base = spec["base_url"]
        self.providers = providers
        self.population = Population(spec["seed"], spec["run_tag"])
        self.payloads = Payloads(spec["wa_app_secret"], spec["wa_phone_number_id"],
                                 spec["tg_secret"])
        self.idle: deque[Citizen] = deque(
            self.population.new_citizen() for _ in range(spec["citizens"]))
        # What each sender sent, in order (for the stored-once / in-order check).
        self.sent: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.sent_at: dict[str, list[float]] = defaultdict(list)
        self.phase: Phase | None = None

    async def one_message(self, http: aiohttp.ClientSession, scheduled: float | None) -> None:
        citizen = self.idle.popleft()
        text = citizen.lines[citizen.sent]
        path, body, headers, mid = self.payloads.build(citizen, text)
        start = time.monotonic()
        t0 = scheduled if scheduled is not None else start
        try:
            async with http.post(self.base + path, data=body, headers=headers) as resp:
                answer = await resp.read()
                status = resp.status
        except Exception as exc:
            status, answer = 0, str(exc).encode()
        done = time.monotonic()
        key = f"{citizen.channel}:{citizen.sender}"
        phase = self.phase
        if status == 200:
            self.sent[key].append({"text": text, "id": mid})
            self.sent_at[key].append(start)
            if phase is not None:
                phase.latencies.append(done - t0)
                phase.by_channel[citizen.channel] += 1
            if citizen.channel == "rest":
                self.population.ticket_numbers.extend(TICKET_RE.findall(answer.decode()))
                del self.population.ticket_numbers[:-500]
            citizen.sent += 1
        elif phase is not None:
            phase.errors[f"{citizen.channel} {status}"] += 1
        # A finished citizen makes room for a new one; others wait their turn at the back.
        if citizen.sent >= len(citizen.lines):
            citizen = self.population.new_citizen()
        self.idle.append(citizen)

    async def run_phase(self, http: aiohttp.ClientSession, seconds: float,
                        rate: float | None, record: bool) -> Phase:
        """Closed loop (``rate`` None: as fast as answers come) or paced at ``rate``/s."""
        phase = Phase()
        self.phase = phase if record else None
        phase.started = time.monotonic()
        deadline = phase.started + seconds
        connections = self.spec["connections"]
        if rate is None:
            async def client() -> None:
                while time.monotonic() < deadline:
                    await self.one_message(http, None)
            await asyncio.gather(*(client() for _ in range(connections)))
        else:
            interval = 1.0 / rate
            queue: asyncio.Queue[float | None] = asyncio.Queue()

            async def paced() -> None:
                while (when := await queue.get()) is not None:
                    await self.one_message(http, when)

            workers = [asyncio.create_task(paced()) for _ in range(connections)]
            t = phase.started
            while t < deadline:
                now = time.monotonic()
                if t > now:
                    await asyncio.sleep(t - now)
                queue.put_nowait(t)
                t += interval
            for _ in workers:
                queue.put_nowait(None)  # finish what is queued and in flight, then stop
            await asyncio.gather(*workers)
        phase.ended = time.monotonic()
        self.phase = None
        return phase

    async def healthz(self, http: aiohttp.ClientSession, seconds: float) -> dict[str, Any]:
        """The ceiling: GET /healthz from the same clients, same process, same loop."""
        phase = Phase()
        phase.started = time.monotonic()
        deadline = phase.started + seconds

        async def client() -> None:
            while time.monotonic() < deadline:
                t0 = time.monotonic()
                async with http.get(self.base + "/healthz") as resp:
                    await resp.read()
                    if resp.status == 200:
                        phase.latencies.append(time.monotonic() - t0)
                    else:
                        phase.errors[str(resp.status)] += 1

        await asyncio.gather(*(client() for _ in range(self.spec["connections"])))
        phase.ended = time.monotonic()
        return phase.summary()

    def delivery_latencies(self) -> list[float]:
        """For each reply the fake providers received, the time since the citizen's
        message it follows was sent (WhatsApp and Telegram only)."""
        out: list[float] = []
        for key, arrivals in self.providers.received.items():
            sends = self.sent_at.get(key, [])
            for at, _text in arrivals:
                before = [s for s in sends if s <= at]
                if before:
                    out.append(at - before[-1])
        return out


async def fetch_stats(http: aiohttp.ClientSession, ports: list[int]) -> list[dict[str, Any]]:
    out = []
    for port in ports:
        async with http.get(f"http://127.0.0.1:{port}/") as resp:
            out.append(await resp.json())
    return out


def _wait_for_file(path: str) -> None:
    """Block until the harness creates ``path`` (its signal to go on)."""
    while not os.path.exists(path):
        time.sleep(0.05)


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    """All phases; the result the harness reads."""
    providers = FakeProviders(spec["tg_token"])
    runner = web.AppRunner(providers.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", spec["provider_port"])
    await site.start()
    await asyncio.to_thread(Path(spec["ready_file"]).write_text, "ready")
    # The harness starts the servers meanwhile, then adds their stats ports to the spec.
    await asyncio.to_thread(_wait_for_file, spec["go_file"])
    spec = json.loads(await asyncio.to_thread(Path(spec["spec_file"]).read_text))
    gen = LoadGenerator(spec, providers)
    connector = aiohttp.TCPConnector(limit=spec["connections"] + 4)
    result: dict[str, Any] = {}
    async with aiohttp.ClientSession(connector=connector) as http:
        result["healthz"] = await gen.healthz(http, spec["healthz_seconds"])
        await gen.run_phase(http, spec["warmup_seconds"], None, record=False)
        before = await fetch_stats(http, spec["stats_ports"])
        full = await gen.run_phase(http, spec["duration"], None, record=True)
        mid = await fetch_stats(http, spec["stats_ports"])
        result["max"] = full.summary()
        result["server_window"] = {"before": before, "after": mid}
        if spec.get("half_rate", True) and full.latencies:
            half = max(1.0, len(full.latencies) / (full.ended - full.started) / 2)
            paced = await gen.run_phase(http, spec["duration"], half, record=True)
            result["half"] = {**paced.summary(), "target_rate": round(half, 1)}
        # The harness watches the outbox in the database and says when it has drained.
        drain_start = time.monotonic()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        await asyncio.to_thread(Path(spec["phases_done_file"]).write_text, "done")
        await asyncio.to_thread(_wait_for_file, spec["drained_file"])
        await asyncio.sleep(0.5)  # the last sends' answers reach us
        result["drain_seconds"] = round(time.monotonic() - drain_start, 1)
        result["server_end"] = await fetch_stats(http, spec["stats_ports"])
    result["delivery_latency_ms"] = percentiles(gen.delivery_latencies())
    result["sent"] = gen.sent
    result["received"] = {k: [t for _, t in v] for k, v in providers.received.items()}
    result["citizens"] = gen.population.serial
    await runner.cleanup()
    return result


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.pipeline.load SPEC.json OUT.json``."""
    args = argv if argv is not None else sys.argv[1:]
    with open(args[0]) as fh:
        spec = json.load(fh)
    spec["spec_file"] = args[0]
    if spec.get("cpus") and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(spec["cpus"]))
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover
        pass
    result = asyncio.run(run(spec))
    with open(args[1], "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
