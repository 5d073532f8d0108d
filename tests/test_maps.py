"""The offline choropleth (components.maps, components.topology): what it sends to the browser.

The map is one Vega-Lite chart: the boundaries as TopoJSON (each border once, simplified per
zoom), ONE layer of areas whose chosen area is outlined by a stroke condition (never sent again
as a layer of its own), fylke borders as a few arcs of the same data set, tooltips with name,
value and n, and a point selection whose callback chooses the area in the same run.
"""

from __future__ import annotations

import ast
import json
import math

import pytest
from streamlit.testing.v1 import AppTest

from data.build import GEO_DIR

BODO = "1804"


def _bodo_map(look_name: str, focus: bool) -> None:
    import streamlit as st

    from components import maps

    def chosen(code: str) -> None:
        st.session_state["picked"] = code

    maps.choropleth(
        "kommuner",
        {"1804": {"value": "+0,6", "n": "n=12"}},
        lambda code: maps.diverging(0.6, 3.0) if code == "1804" else maps.NO_DATA,
        [("Skolebidrag", "value"), ("Elever", "n")],
        key="m",
        selected="1804",
        borders=True,
        on_pick=chosen,
        look=getattr(maps, look_name),
        focus=focus,
    )


def _map_spec(at: AppTest) -> tuple[dict, object]:
    assert not at.get("deck_gl_json_chart"), "no deck.gl (WebGL) map any more"
    (chart,) = [c for c in at.get("vega_lite_chart") if '"geoshape"' in c.proto.spec]
    return json.loads(chart.proto.spec), chart.proto


def decode(topo: dict, obj: str = "all") -> dict[str, list[list[list[tuple[float, float]]]]]:
    """A minimal TopoJSON reader (delta-encoded, quantised arcs): {id: [polygon: [ring]]}."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(refs):
        out = []
        for r in refs:
            pts = arcs[r] if r >= 0 else arcs[~r][::-1]
            out += pts[1:] if out else pts
        return out

    shapes = {}
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "Polygon":
            shapes[g["id"]] = [[ring(r) for r in g["arcs"]]]
        elif g["type"] == "MultiPolygon":
            shapes[g["id"]] = [[ring(r) for r in p] for p in g["arcs"]]
    return shapes


def tooltip(spec: dict, fid: str) -> dict[str, str]:
    """What the tooltip of area `fid` shows: {row title: text}. The spec's tooltip expression
    ({"Title": datum.properties["p"], "Other": ["shared", …][datum.properties["q"]]}) is also
    a Python dict literal; a row whose property the area lacks is left out, as vega-tooltip
    leaves out undefined values."""
    expr = spec["layer"][0]["mark"]["tooltip"]["expr"].replace("datum.properties", "P")
    geoms = spec["datasets"]["geo"]["objects"]["all"]["geometries"]
    props = next(g["properties"] for g in geoms if g["id"] == fid)
    tree = ast.parse(expr, mode="eval").body
    out = {}
    for key, value in zip(tree.keys, tree.values, strict=True):
        code = compile(ast.Expression(value), "<tooltip>", "eval")
        try:
            out[ast.literal_eval(key)] = eval(code, {"P": props})  # noqa: S307 - our own spec
        except KeyError:
            continue
    return out


def _signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


@pytest.mark.parametrize("look", ["VALUES", "LIGHT"])
def test_map_is_one_vega_layer_with_the_chosen_kommune_outlined(built_db, look):
    at = AppTest.from_function(_bodo_map, args=(look, False), default_timeout=60).run()
    assert not at.exception
    spec, proto = _map_spec(at)
    raw = proto.spec
    # offline: no tiles, no data or styles fetched; the only address is the schema's name
    assert "http" not in raw.replace(spec["$schema"], "")
    assert '"url"' not in raw
    # one data set: a TopoJSON topology, read once by both marks
    assert list(spec["datasets"]) == ["geo"] and spec["datasets"]["geo"]["type"] == "Topology"
    assert spec["data"] == {"name": "geo", "format": {"feature": "all", "type": "topojson"}}
    areas, borders = spec["layer"]
    assert all("data" not in layer for layer in spec["layer"])
    assert areas["mark"]["type"] == "geoshape" and borders["mark"]["filled"] is False
    # the chosen kommune: a stroke condition on its id, no layer of its own
    assert areas["encoding"]["stroke"]["condition"] == {
        "test": f"(datum.id === '{BODO}')",
        "value": "#000000",
    }
    assert "condition" in areas["encoding"]["strokeWidth"]
    geoms = spec["datasets"]["geo"]["objects"]["all"]["geometries"]
    ids = [g["id"] for g in geoms]
    assert len(ids) == 357 and ids.count(BODO) == 1  # 356 kommuner + the fylke borders
    assert ids[-2:] == [BODO, "_borders"]  # drawn after its neighbours, under the fylke lines
    # a click: point selection on the area's id, which Streamlit reports as «pick»
    (param,) = spec["params"]
    assert param["name"] == "pick" and param["select"]["fields"] == ["id"]
    assert param["select"]["on"] == "click" and list(proto.selection_mode) == ["pick"]
    # tooltip: name as heading, value and n; no row where an area has no text
    tip = areas["mark"]["tooltip"]["expr"]
    assert '"title": datum.properties["_name"]' in tip
    assert '"Skolebidrag"' in tip and '"Elever"' in tip
    assert tooltip(spec, BODO) == {"title": "Bodø", "Skolebidrag": "+0,6", "Elever": "n=12"}
    assert tooltip(spec, "0301") == {"title": "Oslo"}  # no text: no row
    # the whole map is a fraction of the 1.1–1.2 MB deck.gl spec (GeoJSON + fylke overlay)
    assert len(raw) < 200_000, len(raw)


def test_colours_are_the_ramps_and_no_data_grey(built_db):
    at = AppTest.from_function(_bodo_map, args=("VALUES", False), default_timeout=60).run()
    spec, _ = _map_spec(at)
    from components import maps

    expr = next(t["calculate"] for t in spec["layer"][0]["transform"] if "calculate" in t)
    colours = json.loads(expr[: expr.index("][") + 1])  # shared colours: a list and an index
    geoms = {
        g["id"]: g.get("properties")
        for g in spec["datasets"]["geo"]["objects"]["all"]["geometries"]
    }
    assert colours[geoms[BODO]["_fill"]] == maps.css(maps.diverging(0.6, 3.0))
    assert colours[geoms["0301"]["_fill"]] == "#c8c8c8"  # Oslo: no data, grey
    # PuOr is centred on white-ish grey at 0 and purple above, orange below (colour-blind safe)
    assert maps.css(maps.diverging(0, 3)) == "#f7f7f7"
    assert maps.diverging(2, 3)[2] > maps.diverging(2, 3)[0]  # above 0: purple (more blue)
    assert maps.diverging(-2, 3)[0] > maps.diverging(-2, 3)[2]  # below 0: orange


def test_focus_zooms_to_the_kommune_and_its_neighbours_in_full_detail(built_db):
    at = AppTest.from_function(_bodo_map, args=("VALUES", True), default_timeout=60).run()
    spec, _ = _map_spec(at)
    shapes = decode(spec["datasets"]["geo"])
    # Bodø and the kommuner around it (Saltdal, Fauske, Sørfold, Gildeskål, Beiarn …), not Oslo
    assert BODO in shapes and {"1840", "1841", "1838", "1839"} <= set(shapes)
    assert "0301" not in shapes and len(shapes) < 40
    # full detail: the committed vertices, to within the quantisation step
    with open(GEO_DIR / "kommuner_2020.geojson", encoding="utf-8") as f:
        src = next(x for x in json.load(f)["features"] if x["properties"]["kommune_code"] == BODO)
    src_points = sum(len(r) - 1 for p in src["geometry"]["coordinates"] for r in p)
    got_points = sum(len(r) - 1 for p in shapes[BODO] for r in p)
    assert got_points >= 0.95 * src_points


def test_picking_an_area_calls_back_with_its_id():
    def script():
        import streamlit as st

        from components import maps

        st.session_state["fake_chart"] = {"selection": {"pick": [{"id": "1804"}]}}
        maps._picked("m", "fake_chart", lambda code: st.session_state.update(got=code))
        st.session_state["border_chart"] = {"selection": {"pick": [{"id": "_borders"}]}}
        maps._picked("m", "border_chart", lambda code: st.session_state.update(border=code))
        st.session_state["empty_chart"] = {"selection": {"pick": []}}
        maps._picked("m", "empty_chart", lambda code: st.session_state.update(empty=code))

    at = AppTest.from_function(script).run()
    assert not at.exception
    assert at.session_state["got"] == "1804"
    assert "border" not in at.session_state and "empty" not in at.session_state
    # every click retires the map's widget, so no old selection outlives it
    assert at.session_state["_map_generation_m"] == 3


# ----------------------------------------------------------------------------- topology


@pytest.fixture(scope="module")
def kommuner() -> list[dict]:
    with open(GEO_DIR / "kommuner_2020.geojson", encoding="utf-8") as f:
        return json.load(f)["features"]


def test_topology_stores_each_border_once_and_keeps_neighbours_joined(kommuner):
    from components import topology

    base = topology.build(kommuner, "kommune_code")
    rings = sum(
        len(p)
        for f in kommuner
        for p in (
            f["geometry"]["coordinates"]
            if f["geometry"]["type"] == "MultiPolygon"
            else [f["geometry"]["coordinates"]]
        )
    )
    shared = [u for u in base.users if len(u) == 2]
    assert len(shared) > 700  # ~2 borders per kommune, each stored once for both sides
    assert all(len(u) <= 2 for u in base.users)
    assert len(base.arcs) < 2 * rings
    # simplified for the country view, a shared border is still one arc: no gaps, no slivers
    topo = topology.encode(base, topology.COUNTRY)
    n_refs = {}
    for g in topo["objects"]["areas"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for ring in (r for p in polys for r in p):
            for ref in ring:
                i = ref if ref >= 0 else ~ref
                n_refs[i] = n_refs.get(i, 0) + 1
    assert sum(1 for v in n_refs.values() if v == 2) > 700


@pytest.mark.parametrize("detail", ["COUNTRY", "REGIONS", "FOCUS"])
def test_every_detail_winds_for_d3(kommuner, detail):
    """d3-geo draws on the sphere: outer rings clockwise, holes anticlockwise, or «the rest of
    the globe» is filled (a simplified, snapped ring can turn over: Bodø did at 0.015°)."""
    from components import topology

    base = topology.build(kommuner, "kommune_code")
    shapes = decode(topology.encode(base, getattr(topology, detail)), "areas")
    assert len(shapes) == 356
    for code, polys in shapes.items():
        assert polys, code
        for poly in polys:
            assert _signed_area(poly[0]) < 0, code
            assert all(_signed_area(h) > 0 for h in poly[1:]), code


def test_topology_round_trips(kommuner):
    from components import topology

    base = topology.build(kommuner, "kommune_code")
    shapes = decode(topology.encode(base, topology.FOCUS), "areas")
    assert len(shapes) == 356
    oslo_src = next(f for f in kommuner if f["properties"]["kommune_code"] == "0301")
    w, s, e, n = topology.bbox(oslo_src)
    xs = [x for p in shapes["0301"] for r in p for x, _ in r]
    ys = [y for p in shapes["0301"] for r in p for _, y in r]
    step = 0.002  # the quantisation step across Norway at FOCUS detail is ~0.0013°
    assert math.isclose(min(xs), w, abs_tol=step) and math.isclose(max(ys), n, abs_tol=step)
    assert math.isclose(max(xs), e, abs_tol=step) and math.isclose(min(ys), s, abs_tol=step)


def test_country_detail_is_light_and_fylke_borders_separate_fylker(kommuner):
    from components import topology

    base = topology.build(kommuner, "kommune_code")
    group = {f["properties"]["kommune_code"]: f["properties"]["kommune_code"][:2] for f in kommuner}
    country = topology.encode(base, topology.COUNTRY, group=group)
    full = topology.encode(base, topology.FOCUS, group=group)
    size = len(json.dumps(country, separators=(",", ":")))
    assert size < 0.5 * len(json.dumps(full, separators=(",", ":")))
    assert size < 150_000  # the GeoJSON file is 707 kB
    assert {g["id"] for g in country["objects"]["areas"]["geometries"]} == set(group)
    users: dict[int, set[str]] = {}
    for g in country["objects"]["areas"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for ref in (r for p in polys for ring in p for r in ring):
            users.setdefault(ref if ref >= 0 else ~ref, set()).add(g["id"])
    borders = country["objects"]["borders"]["arcs"]
    assert 100 < len(borders) < 400
    for (ref,) in borders:  # each fylke border lies between two kommuner of different fylker
        assert len(users[ref]) == 2 and len({code[:2] for code in users[ref]}) == 2
