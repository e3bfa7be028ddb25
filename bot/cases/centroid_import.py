"""``pintu map import-centroids``: an agency's own centroids for the ticket map, from a
GeoJSON FeatureCollection of administrative boundaries (area-weighted centroid of each
Polygon/MultiPolygon, :mod:`bot.cases.geometry`) or a CSV of ``code,lat,lon``.

Codes are checked against the shipped Kemendagri tables (``nlu/data/wilayah``) and written
dotted (``35.79.01.2001``). Undotted codes are read the Kemendagri way (2+2+2+4 digits).
BPS codes are also 10 digits for a village but split 2+2+3+3 and number districts and
villages differently; no crosswalk ships with Pintu, so they cannot be mapped: a 7-digit
code, or a 10-digit one whose village part cannot be Kemendagri's (it starts with 1 for a
kelurahan, 2 for a desa), is refused as BPS, and once a file shows BPS codes every
undotted 10-digit code in it is refused, since the file's numbering is then in doubt.

From boundaries, the centroid of each district, regency and province that the file does
not give itself is derived from its parts in the file (area-weighted), so tickets that
only carry a district code are placed too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.cases.geometry import ZERO, GeometryError, Moments, geometry_moments

# Indonesia's extent with a margin (Weh island to Rote, Sabang to Merauke): a centroid
# outside it is a wrong file, swapped coordinates or a projected (not WGS84) file.
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.5, 141.5)
CODE_FIELDS = ("code", "kode", "kode_wilayah", "kd_wilayah", "kdepum", "kdcpum", "kdpkab",
               "kdppum")
LAT_FIELDS = ("lat", "latitude", "lintang")
LON_FIELDS = ("lon", "lng", "long", "longitude", "bujur")
_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
LEVELS = {1: "province", 2: "regency", 3: "district", 4: "village"}


class CentroidImportError(ValueError):
    """The file cannot be imported at all; nothing is written."""


def normalise_code(raw: object) -> tuple[str | None, str]:
    """(dotted Kemendagri code, "") or (None, "malformed" | "bps")."""
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if _DOTTED.match(text):
        return text, ""
    if not text.isdigit():
        return None, "malformed"
    if len(text) == 7:  # a BPS kecamatan (2+2+3)
        return None, "bps"
    if len(text) == 10 and text[6] not in "12":
        return None, "bps"
    parts = {4: 2, 6: 3, 10: 4}.get(len(text))  # (2 digits match the dotted form above)
    if parts is None:
        return None, "malformed"
    return ".".join((text[:2], text[2:4], text[4:6], text[6:])[:parts]), ""


def in_indonesia(lat: float, lon: float) -> bool:
    """Whether a point lies within Indonesia's extent (with a margin)."""
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


@dataclass
class CentroidImport:
    """What an import read, kept and refused (codes as written in the file)."""

    source: str
    read: int = 0
    centroids: dict[str, tuple[float, float]] = field(default_factory=dict)  # code -> lat, lon
    derived: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    bps: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    no_area: list[str] = field(default_factory=list)
    bad_coordinates: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    def summary(self, examples: int = 5) -> dict[str, Any]:
        """Counts (and a few examples of each refusal), as ``--json`` prints them."""
        levels = {name: 0 for name in LEVELS.values()}
        for code in self.centroids:
            levels[LEVELS[code.count(".") + 1]] += 1
        out: dict[str, Any] = {"source": self.source, "read": self.read,
                               "written": len(self.centroids), "derived": len(self.derived),
                               "by_level": levels}
        for name in ("unknown", "bps", "malformed", "outside", "no_area", "bad_coordinates",
                     "duplicates"):
            found: list[str] = getattr(self, name)
            out[name] = {"count": len(found), "examples": found[:examples]}
        return out


@dataclass
class _Entry:
    raw: str
    code: str | None
    problem: str


def _classify(raws: Iterable[str]) -> list[_Entry]:
    """Normalise every code of a file, applying the file-wide BPS rule."""
    entries = [_Entry(raw, *normalise_code(raw)) for raw in raws]
    if any(e.problem == "bps" for e in entries):
        for e in entries:
            if e.code is not None and e.raw.isdigit() and len(e.raw) == 10:
                e.code, e.problem = None, "bps"
    return entries


def _pick_field(keys: Iterable[str], wanted: str | None, candidates: tuple[str, ...],
                what: str) -> str:
    by_lower = {k.lower(): k for k in keys}
    if wanted is not None:
        if wanted.lower() in by_lower:
            return by_lower[wanted.lower()]
        raise CentroidImportError(f"no {what} field {wanted!r}; the fields are: "
                                  + ", ".join(sorted(by_lower.values())))
    for name in candidates:
        if name in by_lower:
            return by_lower[name]
    raise CentroidImportError(f"no {what} field found (looked for {', '.join(candidates)}); "
                              "the fields are: " + ", ".join(sorted(by_lower.values()))
                              + (" — name one with --code-field" if what == "code" else ""))


def _refuse(result: CentroidImport, entry: _Entry, known: Callable[[str], bool]) -> bool:
    """File a refused code under its reason; False when the code is usable."""
    if entry.code is None:
        getattr(result, entry.problem).append(entry.raw)
        return True
    if not known(entry.code):
        result.unknown.append(entry.raw)
        return True
    return False


def from_geojson(data: Any, known: Callable[[str], bool], source: str,
                 code_field: str | None = None) -> CentroidImport:
    """Centroids of a FeatureCollection's (Multi)Polygons, with derived parents."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise CentroidImportError(f"{source}: not a GeoJSON FeatureCollection")
    features = [f for f in data["features"] if isinstance(f, dict)]
    if not features:
        raise CentroidImportError(f"{source}: the FeatureCollection has no features")
    props: list[dict[str, Any]] = [p if isinstance(p := f.get("properties"), dict) else {}
                                   for f in features]
    name = _pick_field({k for p in props for k in p}, code_field, CODE_FIELDS, "code")
    result = CentroidImport(source=source, read=len(features))
    moments: dict[str, Moments] = {}
    raws = [str(p.get(name, "")) for p in props]
    for feature, entry in zip(features, _classify(raws), strict=True):
        if _refuse(result, entry, known):
            continue
        assert entry.code is not None
        try:
            m = geometry_moments(feature.get("geometry"))
        except GeometryError as exc:
            result.no_area.append(f"{entry.raw} ({exc})")
            continue
        if m.centroid() is None:
            result.no_area.append(f"{entry.raw} (no area)")
            continue
        if entry.code in moments:
            result.duplicates.append(entry.raw)  # parts of one area: merged
        moments[entry.code] = moments.get(entry.code, ZERO) + m
    _place(result, moments, derive=True)
    return result


def _place(result: CentroidImport, moments: Mapping[str, Moments], derive: bool) -> None:
    kept: dict[str, Moments] = {}
    for code, m in sorted(moments.items()):
        lon_lat = m.centroid()
        assert lon_lat is not None
        if not in_indonesia(lon_lat[1], lon_lat[0]):
            result.outside.append(code)
            continue
        kept[code] = m
        result.centroids[code] = (round(lon_lat[1], 6), round(lon_lat[0], 6))
    if not derive:
        return
    parents: dict[str, Moments] = {}
    for code, m in kept.items():
        parts = code.split(".")
        for depth in range(1, len(parts)):
            parent = ".".join(parts[:depth])
            if parent not in moments:
                parents[parent] = parents.get(parent, ZERO) + m
    for code, m in sorted(parents.items()):
        lon_lat = m.centroid()
        assert lon_lat is not None
        result.centroids[code] = (round(lon_lat[1], 6), round(lon_lat[0], 6))
        result.derived.append(code)


def from_csv(text: str, known: Callable[[str], bool], source: str,
             code_field: str | None = None) -> CentroidImport:
    """Centroids from a CSV with a code column and lat/lon columns (``#`` lines skipped)."""
    reader = csv.DictReader(io.StringIO("".join(
        line for line in text.splitlines(keepends=True) if not line.startswith("#"))))
    if not reader.fieldnames:
        raise CentroidImportError(f"{source}: empty CSV")
    fields = [f for f in reader.fieldnames if f]
    name = _pick_field(fields, code_field, CODE_FIELDS, "code")
    lat_name = _pick_field(fields, None, LAT_FIELDS, "latitude")
    lon_name = _pick_field(fields, None, LON_FIELDS, "longitude")
    rows = list(reader)
    result = CentroidImport(source=source, read=len(rows))
    points: dict[str, Moments] = {}
    for row, entry in zip(rows, _classify((row.get(name) or "").strip() for row in rows),
                          strict=True):
        if _refuse(result, entry, known):
            continue
        assert entry.code is not None
        try:
            lat, lon = float(row.get(lat_name) or ""), float(row.get(lon_name) or "")
        except ValueError:
            result.bad_coordinates.append(entry.raw)
            continue
        if entry.code in points:
            result.duplicates.append(entry.raw)  # the first one is kept
            continue
        points[entry.code] = Moments(1.0, lon, lat)
    _place(result, points, derive=False)
    return result


def read_centroid_file(path: Path, known: Callable[[str], bool],
                       code_field: str | None = None) -> CentroidImport:
    """Read a ``.geojson``/``.json`` or ``.csv`` file (CentroidImportError if unusable)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CentroidImportError(f"cannot read {path}: {exc}") from exc
    if path.suffix.lower() == ".csv":
        return from_csv(text, known, str(path), code_field)
    if path.suffix.lower() in (".geojson", ".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CentroidImportError(f"{path}: not valid JSON: {exc}") from exc
        return from_geojson(data, known, str(path), code_field)
    raise CentroidImportError(f"{path}: give a .geojson, .json or .csv file")


def centroids_csv(result: CentroidImport, name_of: Callable[[str], str], when: str) -> str:
    """The file ``map.centroids_path`` reads: comment lines, then code,lat,lon,name."""
    buf = io.StringIO()
    buf.write(f"# Centroids (WGS84) for Pintu's ticket map, imported {when} from "
              f"{Path(result.source).name} by `pintu map import-centroids`.\n")
    if result.derived:
        buf.write(f"# {len(result.derived)} of them derived from their parts in that file.\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "lat", "lon", "name"])
    for code in sorted(result.centroids):  # fixed-width parts: text order is code order
        lat, lon = result.centroids[code]
        writer.writerow([code, f"{lat:.6f}", f"{lon:.6f}", name_of(code)])
    return buf.getvalue()
