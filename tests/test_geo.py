"""The committed boundary files in data/geo/ (written by `python -m data.geo.make_geo`)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

DATA = Path(__file__).resolve().parent.parent / "data"
GEO = DATA / "geo"
# The committed copy of shared/reference/kommune_population_2010_2020.csv.
REFERENCE = DATA / "raw" / "ssb_kommune_population_2010_2020.csv"
SPLIT = DATA / "raw" / "fylke_2010_split_assignment.csv"

FYLKER = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "30": "Viken",
    "34": "Innlandet",
    "38": "Vestfold og Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "54": "Troms og Finnmark",
}
LANDSDELER = ["Oslo og Akershus", "Østlandet", "Sør- og Vestlandet", "Midt- og Nord-Norge"]


@cache
def features(name: str) -> list[dict]:
    with open(GEO / name, encoding="utf-8") as f:
        fc = json.load(f)
    assert fc["type"] == "FeatureCollection"
    return fc["features"]


@cache
def geoms(name: str, key: str) -> dict[str, object]:
    return {f["properties"][key]: shape(f["geometry"]) for f in features(name)}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def points() -> dict[str, shapely.Point]:
    return {
        r["kommune_code"]: shapely.Point(float(r["lon"]), float(r["lat"]))
        for r in read_csv(GEO / "kommune_points.csv")
    }


def reference_codes() -> set[str]:
    return {r["kommune_code_2020"] for r in read_csv(REFERENCE)}


def test_kommuner_match_reference_codes():
    feats = features("kommuner_2020.geojson")
    codes = [f["properties"]["kommune_code"] for f in feats]
    assert len(feats) == 356
    assert len(set(codes)) == 356
    assert set(codes) == reference_codes()
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    assert all(set(f["properties"]) == {"kommune_code", "kommune_name"} for f in feats)


def test_kommune_names_come_from_reference():
    ref = {r["kommune_code_2020"]: r["kommune_name_2020"] for r in read_csv(REFERENCE)}
    names = {
        f["properties"]["kommune_code"]: f["properties"]["kommune_name"]
        for f in features("kommuner_2020.geojson")
    }
    assert names["0301"] == "Oslo"
    assert names["4601"] == "Bergen"
    # The reference spells 5006 «teinkj» (damaged); make_geo keeps Kartverket's name then.
    assert names["5006"] == "Steinkjer"
    differ = {c for c in names if names[c] != ref[c]}
    assert differ <= {"5006"}


def test_fylker():
    feats = features("fylker_2020.geojson")
    assert len(feats) == 11
    assert {f["properties"]["fylke_code"]: f["properties"]["fylke_name"] for f in feats} == FYLKER


def test_landsdeler():
    feats = features("landsdeler_2010.geojson")
    assert [f["properties"]["landsdel"] for f in feats] == LANDSDELER


@pytest.mark.parametrize(
    "name", ["kommuner_2020.geojson", "fylker_2020.geojson", "landsdeler_2010.geojson"]
)
def test_geometries_valid(name):
    for f in features(name):
        g = shape(f["geometry"])
        assert g.geom_type in ("Polygon", "MultiPolygon"), f["properties"]
        assert not g.is_empty, f["properties"]
        assert g.is_valid, (f["properties"], shapely.is_valid_reason(g))


def test_kommuner_form_a_coverage():
    # Neighbours share their borders exactly: no overlaps, no slivers along shared edges.
    assert shapely.coverage_is_valid(
        np.array(list(geoms("kommuner_2020.geojson", "kommune_code").values()))
    )


def test_kommune_file_is_small():
    assert (GEO / "kommuner_2020.geojson").stat().st_size < 1.2e6


def test_points_one_per_kommune_and_inside_it():
    pts = points()
    kom = geoms("kommuner_2020.geojson", "kommune_code")
    assert set(pts) == set(kom)
    outside = [c for c, p in pts.items() if not kom[c].covers(p)]
    assert outside == []


def test_facts_about_places():
    pts = points()
    oslo = pts["0301"]
    assert 10.4 <= oslo.x <= 11.0 and 59.8 <= oslo.y <= 60.2
    assert pts["5401"].y > 69  # Tromsø
    ld = geoms("landsdeler_2010.geojson", "landsdel")
    assert ld["Midt- og Nord-Norge"].covers(pts["5430"])  # Kautokeino
    assert ld["Sør- og Vestlandet"].covers(pts["4601"])  # Bergen
    assert ld["Oslo og Akershus"].covers(pts["0301"])
    fy = geoms("fylker_2020.geojson", "fylke_code")
    assert fy["54"].covers(pts["5401"]) and fy["46"].covers(pts["4601"])


def test_dissolved_fylker_have_no_big_gaps():
    # Rough areas in degrees²: the kommuner of a fylke add up to the dissolved fylke.
    total = defaultdict(float)
    for code, g in geoms("kommuner_2020.geojson", "kommune_code").items():
        total[code[:2]] += g.area
    for code, g in geoms("fylker_2020.geojson", "fylke_code").items():
        assert total[code] == pytest.approx(g.area, rel=0.02), code


def test_landsdeler_cover_the_kommuner():
    kommune_area = sum(g.area for g in geoms("kommuner_2020.geojson", "kommune_code").values())
    landsdel_area = sum(g.area for g in geoms("landsdeler_2010.geojson", "landsdel").values())
    assert landsdel_area == pytest.approx(kommune_area, rel=0.02)


def test_split_assignment_covers_the_seven_kommuner():
    rows = read_csv(SPLIT)
    assert list(rows[0]) == [
        "kommune_code_2020",
        "kommune_name_2020",
        "fylker_2010_listed",
        "fylke_2010_assigned",
        "reason",
    ]
    multi = {
        r["kommune_code_2020"]: r["fylker_2010"]
        for r in read_csv(REFERENCE)
        if ";" in r["fylker_2010"]
    }
    assert (
        {r["kommune_code_2020"] for r in rows}
        == set(multi)
        == {
            "1577",
            "3005",
            "3025",
            "3026",
            "5054",
            "5055",
            "5412",
        }
    )
    for r in rows:
        assert r["fylke_2010_assigned"] in multi[r["kommune_code_2020"]].split("; ")
