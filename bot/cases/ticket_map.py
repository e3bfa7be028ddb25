"""The console's ticket map: where each ticket goes on it (pure logic).

A ticket with coordinates is placed there. One without is placed at the centroid of its
wilayah code, or of the nearest code above it that has one (village, district, regency,
province), and marked approximate. Centroids come from a CSV (``code,lat,lon[,name]``,
``map.centroids_path``; the shipped file covers the demo catalog's area).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from storage.models import Ticket

SHIPPED_CENTROIDS = Path(__file__).resolve().parents[2] / "routing" / "data" / "centroids.csv"


@dataclass(frozen=True)
class MapPoint:
    """One ticket on the map."""

    ticket: Ticket
    lat: float
    lon: float
    approximate: bool


def load_centroids(path: str | None = None) -> Mapping[str, tuple[float, float]]:
    """Centroids by wilayah code from a CSV (comment lines start with ``#``); read again
    when the file changes (a new ``pintu map import-centroids`` needs no restart)."""
    source = Path(path) if path else SHIPPED_CENTROIDS
    return _read_centroids(source, source.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_centroids(source: Path, _mtime_ns: int) -> Mapping[str, tuple[float, float]]:
    with source.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        out: dict[str, tuple[float, float]] = {}
        for row in rows:
            lat, lon = float(row["lat"]), float(row["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"{source}: centroid of {row['code']} out of range")
            out[row["code"].strip()] = (lat, lon)
    return out


def centroid_of(code: str | None, centroids: Mapping[str, tuple[float, float]]
                ) -> tuple[float, float] | None:
    """The centroid of ``code`` or of the nearest code above it that has one."""
    if not code:
        return None
    parts = code.split(".")
    for i in range(len(parts), 0, -1):
        found = centroids.get(".".join(parts[:i]))
        if found is not None:
            return found
    return None


def _valid(lat: float | None, lon: float | None) -> bool:
    return (lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
            and not (lat == 0 and lon == 0))


def place_tickets(tickets: Iterable[Ticket], centroids: Mapping[str, tuple[float, float]]
                  ) -> tuple[list[MapPoint], int]:
    """The tickets' map points, and how many could not be placed at all."""
    points: list[MapPoint] = []
    unplaced = 0
    for t in tickets:
        if _valid(t.latitude, t.longitude):
            assert t.latitude is not None and t.longitude is not None
            points.append(MapPoint(t, t.latitude, t.longitude, False))
            continue
        found = centroid_of(t.region_code, centroids)
        if found is None:
            unplaced += 1
        else:
            points.append(MapPoint(t, found[0], found[1], True))
    return points, unplaced
