"""``pintu map import-centroids``: the ticket map's centroids from an agency's own file."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

BPS_HINT = ("BPS codes number districts and villages differently from Kemendagri's and "
            "no crosswalk ships with Pintu: use a field holding Kemendagri codes "
            "(dotted, e.g. 35.79.01.2001) with --code-field")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu map``."""
    p = sub.add_parser("map", help="the console's ticket map")
    msub = p.add_subparsers(dest="map_command", required=True)
    imp = msub.add_parser(
        "import-centroids",
        help="write the centroids CSV (map.centroids_path) from boundaries or points",
        description="Read a GeoJSON FeatureCollection of administrative boundaries "
                    "(Polygon/MultiPolygon; each area's centroid is computed) or a CSV of "
                    "code,lat,lon, check the codes against the Kemendagri tables, and write "
                    "the CSV that map.centroids_path names.")
    imp.add_argument("file", type=Path, metavar="FILE.geojson|FILE.csv")
    imp.add_argument("--code-field", metavar="NAME",
                     help="the property/column with the region code (default: the first of "
                          "code, kode, kode_wilayah, kd_wilayah, KDEPUM, KDCPUM, KDPKAB, KDPPUM)")
    imp.add_argument("--out", type=Path, default=Path("centroids.csv"),
                     help="where to write (default: ./centroids.csv)")
    imp.add_argument("--json", action="store_true", help="print the counts as JSON")
    imp.set_defaults(func=lambda a: import_command(a.file, a.code_field, a.out, a.json,
                                                   sys.stdout, sys.stderr))


def _known(code: str) -> bool:
    from nlu.villages import village
    from nlu.wilayah import load_wilayah

    return load_wilayah().level(code) is not None or village(code) is not None


def _describe(summary: dict[str, Any], out: Path) -> list[str]:
    levels = summary["by_level"]
    lines = [f"read {summary['read']} rows/features from {summary['source']}",
             f"wrote {summary['written']} centroids to {out} (villages {levels['village']}, "
             f"districts {levels['district']}, regencies {levels['regency']}, provinces "
             f"{levels['province']}; {summary['derived']} derived from their parts)"]
    labels = {"unknown": "unknown codes", "bps": "BPS-style codes", "malformed":
              "malformed codes", "outside": "centroids outside Indonesia", "no_area":
              "features without a usable polygon", "bad_coordinates": "rows without valid "
              "lat/lon", "duplicates": "repeated codes"}
    for key, label in labels.items():
        if summary[key]["count"]:
            lines.append(f"  {summary[key]['count']} {label} (e.g. "
                         f"{', '.join(summary[key]['examples'])})")
    if summary["bps"]["count"]:
        lines.append("  " + BPS_HINT)
    return lines


def import_command(source: Path, code_field: str | None, out: Path, as_json: bool,
                   stdout: TextIO, stderr: TextIO) -> int:
    """Import; 0 when a file was written, 1 when nothing usable was found, 2 on bad input."""
    from bot.cases.centroid_import import CentroidImportError, centroids_csv, read_centroid_file
    from bot.cases.ticket_map import SHIPPED_CENTROIDS
    from nlu.villages import place_name

    if out.resolve() == SHIPPED_CENTROIDS.resolve():
        print(f"pintu: {out} is the shipped demo file; write elsewhere and set "
              "map.centroids_path", file=stderr)
        return 2
    try:
        result = read_centroid_file(source, _known, code_field)
    except CentroidImportError as exc:
        print(f"pintu: {exc}", file=stderr)
        return 2
    summary = result.summary()
    summary["out"] = str(out) if result.centroids else None
    if result.centroids:
        text = centroids_csv(result, place_name, datetime.now(UTC).strftime("%Y-%m-%d"))
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2), file=stdout)
    else:
        lines = _describe(summary, out)
        if result.centroids:
            lines.append(f"set map.centroids_path: {out.resolve()} "
                         "(or PINTU_MAP__CENTROIDS_PATH); the map reads it on its next load")
        else:
            lines[1] = "nothing written: no usable centroid in the file"
        print("\n".join(lines), file=stdout)
    return 0 if result.centroids else 1
