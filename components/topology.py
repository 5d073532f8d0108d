"""Boundaries as TopoJSON for the Vega-Lite maps: shared borders sent once, lighter per zoom.

The committed GeoJSON (data/geo/) is a valid coverage: neighbours share identical vertices on
their common border (data/geo/make_geo.py). Here each ring is cut into arcs at the points where
the neighbours change, each border is stored once (TopoJSON refers to it from both sides), arcs
are simplified with their end points fixed — so neighbours stay joined at any detail — and the
coordinates are quantised and delta-encoded. Vega parses TopoJSON itself (topojson-client).

Pure functions, no Streamlit: components/maps.py caches the results per process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

GRID = 10_000  # the committed files are rounded to 4 decimals: points are exact on this grid
LAT0 = 65.0  # simplification plane: longitude scaled by cos(65°), as data/geo/make_geo.py
KM_PER_DEG = 111.32

Point = tuple[int, int]


@dataclass(frozen=True)
class Detail:
    """How much of the geometry a zoom level needs.

    tolerance_deg: Douglas–Peucker tolerance in degrees of latitude (0 keeps every vertex);
    min_part_km2: islands smaller than this are left out (a kommune keeps its largest part);
    quantization: grid steps across the drawn extent (TopoJSON transform).
    """

    tolerance_deg: float
    min_part_km2: float
    quantization: int


# A map of all Norway is about 600 px tall for ~1 700 km: ~3 km per pixel. 0.015° (~1.7 km),
# islands under 4 km² (2 × 2 km) and a grid of 5 000 steps (~0.005°) are below a pixel there.
COUNTRY = Detail(tolerance_deg=0.015, min_part_km2=4.0, quantization=5_000)
# Four landsdeler: the same scale, but only their outline and three borders carry meaning.
REGIONS = Detail(tolerance_deg=0.02, min_part_km2=10.0, quantization=4_000)
# Zoomed to a kommune and its neighbours (~100–300 km across): the committed detail.
FOCUS = Detail(tolerance_deg=0.0, min_part_km2=0.0, quantization=20_000)


def _grid(coord: Sequence[float]) -> Point:
    return (round(coord[0] * GRID), round(coord[1] * GRID))


def _polygons(geometry: Mapping) -> list[list[list[Point]]]:
    """[[outer, hole, …], …] with points on the grid and the closing point dropped."""
    if geometry["type"] == "Polygon":
        polys = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polys = geometry["coordinates"]
    else:
        raise ValueError(f"not a polygon: {geometry['type']}")
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            pts = [_grid(c) for c in ring]
            if len(pts) > 1 and pts[0] == pts[-1]:
                pts.pop()
            # consecutive duplicates would look like junctions
            pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
            if len(pts) >= 3:
                # d3-geo (Vega) draws on the sphere: an outer ring must run clockwise, a hole
                # anticlockwise, or the polygon is read as the rest of the globe. The files
                # follow GeoJSON's RFC 7946, the other way round.
                if (_signed2(pts) > 0) == (not rings):
                    pts.reverse()
                rings.append(pts)
        if rings:
            out.append(rings)
    return out


def _signed2(ring: Sequence[Point]) -> int:
    """Twice the signed area (positive: anticlockwise with north up)."""
    return sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True)
    )


def _km2(ring: Sequence[Point]) -> float:
    """Approximate area of a ring in km² (shoelace in the cos(LAT0)-scaled plane)."""
    k = math.cos(math.radians(LAT0)) * (KM_PER_DEG / GRID) * (KM_PER_DEG / GRID)
    return abs(_signed2(ring)) / 2 * k


def _junctions(rings: Iterable[Sequence[Point]]) -> set[Point]:
    """Points where a ring meets a different neighbour than before (TopoJSON's «join»)."""
    seen: dict[Point, tuple[Point, Point]] = {}
    junctions: set[Point] = set()
    for ring in rings:
        n = len(ring)
        for i, p in enumerate(ring):
            a, b = ring[i - 1], ring[(i + 1) % n]
            if p not in seen:
                seen[p] = (a, b)
            elif seen[p] not in ((a, b), (b, a)):
                junctions.add(p)
    return junctions


def _cut(ring: list[Point], junctions: set[Point]) -> list[list[Point]]:
    """The ring as arcs between junctions; a ring without one is a single closed arc that
    starts at its smallest point (so its neighbour's copy, reversed, is found as the same)."""
    idx = [i for i, p in enumerate(ring) if p in junctions]
    if not idx:
        start = ring.index(min(ring))
        r = ring[start:] + ring[:start]
        return [r + [r[0]]]
    r = ring[idx[0] :] + ring[: idx[0]]
    cuts = [i - idx[0] for i in idx] + [len(ring)]
    r = r + [r[0]]
    return [r[a : b + 1] for a, b in zip(cuts, cuts[1:], strict=False)]


def _dist2(xs: np.ndarray, ys: np.ndarray, a: int, b: int) -> np.ndarray:
    """Squared distances of points a+1 … b-1 from the segment a–b (scaled plane)."""
    ax, ay, bx, by = xs[a], ys[a], xs[b], ys[b]
    px, py = xs[a + 1 : b], ys[a + 1 : b]
    dx, dy = bx - ax, by - ay
    seg2 = dx * dx + dy * dy
    if seg2 == 0:
        return (px - ax) ** 2 + (py - ay) ** 2
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / seg2, 0.0, 1.0)
    return (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2


def simplify(arc: list[Point], tolerance_deg: float) -> list[Point]:
    """Douglas–Peucker with both ends kept; a closed arc keeps at least four points."""
    if tolerance_deg <= 0 or len(arc) <= 3:
        return arc
    xs = np.array([p[0] for p in arc], dtype=float) * math.cos(math.radians(LAT0))
    ys = np.array([p[1] for p in arc], dtype=float)
    tol2 = (tolerance_deg * GRID) ** 2
    keep = np.zeros(len(arc), dtype=bool)
    keep[0] = keep[-1] = True
    last = len(arc) - 1
    if arc[0] == arc[-1]:  # a ring: split it at its farthest point from the start first
        far = 1 + int(np.argmax(_dist2(xs, ys, 0, last)))
        keep[far] = True
        stack = [(0, far), (far, last)]
    else:
        stack = [(0, last)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        d = _dist2(xs, ys, a, b)
        i = int(np.argmax(d))
        if d[i] > tol2:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    out = [p for p, k in zip(arc, keep, strict=True) if k]
    if arc[0] == arc[-1] and len(out) < 4:  # a triangle at least, or the ring vanishes
        step = max(1, last // 3)
        out = [arc[0], arc[step], arc[min(2 * step, last - 1)], arc[0]]
    return out


@dataclass(frozen=True)
class Base:
    """A layer's topology at full detail, before simplification and quantisation."""

    arcs: list[list[Point]]
    # per area: (id, [(outer ring km², [[arc refs of ring], …]), …])
    areas: list[tuple[str, list[tuple[float, list[list[int]]]]]]
    users: list[frozenset[str]]  # the ids of the areas each arc bounds


def build(features: Sequence[Mapping], id_prop: str) -> Base:
    """Cut every ring at its junctions and store each border once (the slow part: ~0.2 s for
    the 356 kommuner; callers cache it)."""
    items = [(f["properties"][id_prop], _polygons(f["geometry"])) for f in features]
    junctions = _junctions(ring for _, polys in items for poly in polys for ring in poly)
    arcs: list[list[Point]] = []
    index: dict[tuple[Point, ...], int] = {}
    users: list[set[str]] = []

    def ref(arc: list[Point], fid: str) -> int:
        key = tuple(arc)
        if key in index:
            users[index[key]].add(fid)
            return index[key]
        if key[::-1] in index:
            users[index[key[::-1]]].add(fid)
            return ~index[key[::-1]]
        index[key] = len(arcs)
        arcs.append(arc)
        users.append({fid})
        return len(arcs) - 1

    areas = [
        (fid, [(_km2(p[0]), [[ref(a, fid) for a in _cut(r, junctions)] for r in p]) for p in polys])
        for fid, polys in items
    ]
    return Base(arcs, areas, [frozenset(u) for u in users])


def encode(
    base: Base,
    detail: Detail,
    *,
    group: Mapping[str, str] | None = None,
    keep: Iterable[str] | None = None,
) -> dict:
    """TopoJSON with object «areas» (one geometry per area, `id` its id) and, when `group` maps
    ids to groups (kommune → fylke), object «borders»: the arcs between areas of different
    groups, as one MultiLineString. `keep`: only these ids (a focus view)."""
    wanted = set(keep) if keep is not None else None
    used: dict[int, int] = {}  # base arc → new arc index

    def new_ref(r: int) -> int:
        i = r if r >= 0 else ~r
        if i not in used:
            used[i] = len(used)
        return used[i] if r >= 0 else ~used[i]

    geometries = []
    for fid, polys in base.areas:
        if wanted is not None and fid not in wanted:
            continue
        if detail.min_part_km2 > 0 and len(polys) > 1:
            biggest = max(km2 for km2, _ in polys)
            polys = [p for p in polys if p[0] == biggest or p[0] >= detail.min_part_km2]
        arcs = [[[new_ref(r) for r in ring] for ring in rings] for _, rings in polys]
        if len(arcs) == 1:
            geometries.append({"type": "Polygon", "arcs": arcs[0], "id": fid})
        else:
            geometries.append({"type": "MultiPolygon", "arcs": arcs, "id": fid})
    objects: dict = {"areas": {"type": "GeometryCollection", "geometries": geometries}}
    if group is not None:
        shown = {g["id"] for g in geometries}
        objects["borders"] = {
            "type": "MultiLineString",
            "arcs": [
                [used[i]]
                for i in sorted(used)
                if len({group.get(x) for x in base.users[i] & shown}) > 1
            ],
        }
    order = sorted(used, key=used.get)
    arcs = [simplify(base.arcs[i], detail.tolerance_deg) for i in order]
    topo, points = _quantised({"type": "Topology", "objects": objects}, arcs, detail.quantization)
    for g in geometries:
        _rewind(g, points)
    return topo


def _ring_points(ring: list[int], points: list[list[Point]]) -> list[Point]:
    out: list[Point] = []
    for r in ring:
        pts = points[r] if r >= 0 else points[~r][::-1]
        out += pts[1:] if out else pts
    return out


def _rewind(geometry: dict, points: list[list[Point]]) -> None:
    """Simplified and snapped to the grid, a small ring can turn over or flatten; d3 would then
    fill the rest of the globe. Turn such a ring back (its arcs read the other way), drop a flat
    one (a kommune keeps its largest part)."""
    polys = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    kept = []
    for poly in polys:
        rings = []
        for i, ring in enumerate(poly):
            area = _signed2(_ring_points(ring, points))
            if area == 0:
                if i == 0:  # a flat outer ring: the part is gone at this detail
                    rings = []
                    break
                continue
            if (area > 0) == (i == 0):  # outer rings clockwise, holes anticlockwise
                ring = [~r for r in reversed(ring)]
            rings.append(ring)
        if rings:
            kept.append(rings)
    kept = kept or polys[:1]  # every part flat: keep the first as it is (it draws nothing)
    if len(kept) > 1:
        geometry["type"], geometry["arcs"] = "MultiPolygon", kept
    else:
        geometry["type"], geometry["arcs"] = "Polygon", kept[0]


def _quantised(topo: dict, arcs: list[list[Point]], q: int) -> tuple[dict, list[list[Point]]]:
    """The topology with its transform and delta-encoded arcs, and the arcs' grid points."""
    xs = [p[0] for a in arcs for p in a]
    ys = [p[1] for a in arcs for p in a]
    x0, y0 = min(xs), min(ys)
    sx = max((max(xs) - x0) / (q - 1), 1)
    sy = max((max(ys) - y0) / (q - 1), 1)
    out, points = [], []
    for arc in arcs:
        pts = [(round((x - x0) / sx), round((y - y0) / sy)) for x, y in arc]
        dedup = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
        if len(dedup) < 2:
            dedup = [pts[0], pts[-1]]
        if arc[0] == arc[-1] and len(dedup) < 4:  # a ring collapsed by the grid: keep its shape
            dedup = pts
        delta = [list(dedup[0])] + [
            [b[0] - a[0], b[1] - a[1]] for a, b in zip(dedup, dedup[1:], strict=False)
        ]
        out.append(delta)
        points.append(dedup)
    topo["transform"] = {
        "scale": [sx / GRID, sy / GRID],
        "translate": [x0 / GRID, y0 / GRID],
    }
    topo["arcs"] = out
    return topo, points


def bbox(feature: Mapping) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a GeoJSON feature, in degrees."""
    xs, ys = [], []
    for poly in _polygons(feature["geometry"]):
        for ring in poly:
            xs += [p[0] for p in ring]
            ys += [p[1] for p in ring]
    return min(xs) / GRID, min(ys) / GRID, max(xs) / GRID, max(ys) / GRID
