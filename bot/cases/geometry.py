"""Area-weighted centroids of GeoJSON polygons (pure functions).

Computed in the plane of longitude/latitude degrees, which near the equator differs
little from an equal-area projection; enough to put a ticket near the middle of its
village or district. The centroid of a concave area (a crescent-shaped district) may
lie outside it, as any area-weighted centroid may.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Ring = Sequence[Sequence[float]]
# Smaller areas (square degrees; about 0.01 m² at the equator) are rounding noise of a
# degenerate ring (all points on a line), not an area.
MIN_AREA = 1e-12


class GeometryError(ValueError):
    """The geometry is not a polygon Pintu can use; the message says why."""


@dataclass(frozen=True)
class Moments:
    """An area (in square degrees) and its first moments: centroid = (mx, my) / area."""

    area: float
    mx: float
    my: float

    def __add__(self, other: Moments) -> Moments:
        return Moments(self.area + other.area, self.mx + other.mx, self.my + other.my)

    def centroid(self) -> tuple[float, float] | None:
        """(lon, lat) of the centroid (None: no area)."""
        if self.area <= MIN_AREA:
            return None
        return self.mx / self.area, self.my / self.area


ZERO = Moments(0.0, 0.0, 0.0)


def ring_moments(ring: Ring) -> Moments:
    """Shoelace area and moments of one closed or open ring of (lon, lat) points, as a
    positive area whichever way it winds."""
    points = [(float(p[0]), float(p[1])) for p in ring]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ZERO
    # Relative to the first point, so large longitudes lose no precision.
    x0, y0 = points[0]
    rel = [(x - x0, y - y0) for x, y in points]
    area2 = mx6 = my6 = 0.0
    for (xa, ya), (xb, yb) in zip(rel, rel[1:] + rel[:1], strict=True):
        cross = xa * yb - xb * ya
        area2 += cross
        mx6 += (xa + xb) * cross
        my6 += (ya + yb) * cross
    area = area2 / 2
    if abs(area) <= MIN_AREA:
        return ZERO
    cx, cy = mx6 / (6 * area) + x0, my6 / (6 * area) + y0
    a = abs(area)
    return Moments(a, cx * a, cy * a)


def polygon_moments(rings: Sequence[Ring]) -> Moments:
    """The first ring is the outline, the others holes (subtracted)."""
    if not rings:
        return ZERO
    outer = ring_moments(rings[0])
    for hole in rings[1:]:
        h = ring_moments(hole)
        outer = Moments(outer.area - h.area, outer.mx - h.mx, outer.my - h.my)
    return outer


def geometry_moments(geometry: Any) -> Moments:
    """Moments of a GeoJSON Polygon or MultiPolygon (GeometryError for anything else)."""
    if not isinstance(geometry, dict):
        raise GeometryError("no geometry")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coords, list):
        raise GeometryError(f"a {kind or 'typeless'} geometry without coordinates")
    try:
        if kind == "Polygon":
            return polygon_moments(coords)
        if kind == "MultiPolygon":
            total = ZERO
            for polygon in coords:
                total = total + polygon_moments(polygon)
            return total
    except (TypeError, IndexError, ValueError) as exc:
        raise GeometryError(f"malformed {kind} coordinates ({exc})") from exc
    raise GeometryError(f"a {kind or 'missing'} geometry, not a Polygon or MultiPolygon")


def centroid(geometry: Any) -> tuple[float, float] | None:
    """(lon, lat) of a Polygon's or MultiPolygon's area-weighted centroid (None: no area)."""
    return geometry_moments(geometry).centroid()
