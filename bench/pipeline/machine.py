"""What the machine was doing while a benchmark ran: CPUs, load, other processes' CPU."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def describe() -> dict[str, Any]:
    """CPU model and count, memory, OS and Python."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        mem_kb = int(meminfo.read_text().split()[1])
    return {"cpu": model or platform.processor(), "cpus": os.cpu_count(),
            "memory_gb": round(mem_kb / 1024 / 1024, 1), "os": platform.platform(),
            "python": platform.python_version(), "host": platform.node()}


def loadavg() -> list[float]:
    """The 1, 5 and 15 minute load averages."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def cpu_times() -> dict[str, float]:
    """Machine-wide busy and total CPU seconds so far (from /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return {"busy": 0.0, "total": 0.0}
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])
    return {"busy": (total - idle) / CLK_TCK, "total": total / CLK_TCK, "at": time.time()}


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process used so far; 0 if it is gone."""
    try:
        parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(parts[11]) + int(parts[12])) / CLK_TCK


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB; 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def pids_named(name: str) -> list[int]:
    """Processes whose command name is ``name`` (e.g. the PostgreSQL server's)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    out.append(int(entry.name))
            except OSError:
                continue
    return out


def busy_share(before: dict[str, float], after: dict[str, float]) -> float:
    """Share of all CPUs that were busy between two :func:`cpu_times` samples."""
    total = after["total"] - before["total"]
    return round((after["busy"] - before["busy"]) / total, 3) if total > 0 else 0.0
